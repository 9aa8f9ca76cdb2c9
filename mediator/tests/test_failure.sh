#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Failure behaviour: the program dying while holding sockets (peers see EOF, tzm-run exits
# non-zero with a message), Ctrl-C (the program, blocked in accept with SIGINT's default
# action, dies of it at once, and so does tzm-run: 130; handlers: test_signals.sh), a client
# disconnecting (the program sees EPIPE/ECONNRESET, tzm-run survives), and tzm-run being
# killed (the TEE ends the TA instance); a TA that is not there (tzm-run names where it
# looked).
. "$(dirname "$0")/common.sh"
pol="$TMP/f.policy"
printf 'tcp bind 127.0.0.1 *\n' >"$pol"
warm_up_tee

# 1. dies mid-connection. Not in a sanitizer build (make asan): there ASan's own SIGSEGV
# handler turns the crash into its report and exit 1 (and a report in tee.log), so the
# crash path this case checks does not happen.
if grep -qa __asan_init "$TZMRUN"; then
    echo "skip: case 1 (a crash) in a sanitizer build"
else
run_tzm --policy "$pol" -- panic >"$TMP/panic.out" 2>"$TMP/panic.err" &
pid=$!
if wait_for_line "$TMP/panic.out" '^ready '; then
    port=$(awk '/^ready/ {print $2}' "$TMP/panic.out")
    got=$(timeout 10 socat -u "TCP:127.0.0.1:$port" -)
    expect_eq "peer got data then EOF" "hi" "$got"
fi
wait $pid
rc=$?
# a crash (SIGSEGV): the TEE reports the TA dead, a panic (134); a local program's death
# by SIGSEGV is tzm-run's status (139). abort() is not a crash: test_signals.sh.
if [ "$MODE" = ta ]; then
    expect_eq "exit status after the TA crashed" 134 "$rc"
    grep -q "the TA panicked" "$TMP/panic.err" || fail "no panic message"
else
    expect_eq "exit status after the program crashed" 139 "$rc"
    grep -q "the program died (signal 11)" "$TMP/panic.err" || fail "no death message"
fi
fi

# 2. Ctrl-C while blocked in accept
start_tzm "$TMP/block.out" "$TMP/block.err" --policy "$pol" -- block
pid=$TZPID
if wait_for_line "$TMP/block.out" '^ready '; then
    sleep 0.2
    kill -INT $pid
    # Nothing but the signal can end it (no client ever connects), so ending at all is
    # the check; 60 s only bounds the wait (qemu-user under load is slow), it times nothing.
    if ! tzm_wait_gone $pid 600; then
        kill -KILL $pid
        fail "tzm-run still runs 60 s after SIGINT"
    fi
    wait $pid
    rc=$?
    expect_eq "status after Ctrl-C (death by SIGINT)" 130 "$rc"
    if grep -q "accept" "$TMP/block.out"; then
        fail "the program went on after SIGINT: $(cat "$TMP/block.out")"
    fi
fi

# 3. client disconnects: EPIPE/ECONNRESET for the program, tzm-run survives
run_tzm --policy "$pol" -- disconnect >"$TMP/disc.out" 2>"$TMP/disc.err" &
pid=$!
if wait_for_line "$TMP/disc.out" '^ready '; then
    port=$(awk '/^ready/ {print $2}' "$TMP/disc.out")
    printf "bye" | timeout 10 socat -u - "TCP:127.0.0.1:$port"
fi
wait $pid
expect_eq "disconnect exit" 0 "$?"
grep -qE "^send (EPIPE|ECONNRESET)$" "$TMP/disc.out" || fail "no EPIPE/ECONNRESET: $(cat "$TMP/disc.out")"

# 4. tzm-run killed: the TA instance must end
if [ "$MODE" = ta ]; then
    start_tzm "$TMP/kill.out" "$TMP/kill.err" --policy "$pol" -- block
    pid=$TZPID
    if wait_for_line "$TMP/kill.out" '^ready '; then
        hostpid=$(grep -o 'instance #[0-9]* started (host pid [0-9]*)' \
                  "$TZM_RUNTIME_DIR/tee.log" | tail -1 | grep -o '[0-9]*)$' | tr -d ')')
        kill -KILL $pid
        wait $pid 2>/dev/null
        gone=0
        # the core reaps it; 30 s: a loaded machine or qemu-user
        [ -n "$hostpid" ] && tzm_wait_gone "$hostpid" 300 && gone=1
        expect_eq "TA host ended after tzm-run was killed (pid ${hostpid:-?})" 1 "$gone"
    fi
    # a TA that is not there: tzm-run says where it looked (it said only 0xffff0008)
    TZM_TA_DIR=$TMP ${TZM_EXEC_WRAPPER:-} "$TZMRUN" 00000000-7a6d-4d1f-8000-0000000000ff \
        >"$TMP/nf.out" 2>"$TMP/nf.err"
    expect_eq "unknown TA: set-up failure" 70 "$?"
    expect_eq "unknown TA: where it was looked for" 1 \
        "$(grep -c "no such TA (0xffff0008): looked for <uuid>.ta in \$TZM_TA_DIR ($TMP)" "$TMP/nf.err")"
fi
finish
