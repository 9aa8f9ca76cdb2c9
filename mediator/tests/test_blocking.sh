#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# A blocking call on one TA thread never stalls another (issue 16): for each call class
# the shadow used to run holding its executor lock (FIFO open, flock, mq_receive, connect
# to a full listener, sendfile and write into a full pipe, recv MSG_WAITALL, a poll of
# more entries than the shadow's inline wait set), thread A blocks in it while the main
# thread's ordinary calls complete; then A is unblocked and its result checked. On the
# old shadow each run hung (the main thread's calls waited for A's, A's for the main
# thread) and the bounded wait below failed it. The shadow's own shortcuts keep a blocking
# call's result: a socket write it sends partly at once and then waits to finish
# (sockwrite), a read of a TCP socket with SO_RCVLOWAT that must wait for the mark even
# though some data is there (lowat). Also: no shadow fd leaks when the TA
# closes the fd a thread blocks on, and a TA that exits or aborts while a thread blocks
# ends tzm-run at once.
# Called as: test_blocking.sh <tzm-run> <mode> <target> <native>
. "$(dirname "$0")/common.sh"
name="tzm-blk-$$-$MODE"
files="$TMP/files"
mkdir -p "$files"
mkfifo "$files/fifo"
pol="$TMP/blocking.policy"
port=$((20000 + $$ % 10000)) # below the ephemeral range
cat >"$pol" <<EOP
path rw $files
fifo $files/fifo
mq /$name*
unix @$name*
tcp bind 127.0.0.1 $port
tcp connect 127.0.0.1 $port
path ro /proc
EOP
warm_up_tee
LIMIT=${BLOCKING_LIMIT:-60}

# blocking_case WHAT [args...]: the run must end in time with status 0 and print WHAT OK
blocking_case() {
    local what=$1
    shift
    timeout -k 5 "$LIMIT" ${TZM_EXEC_WRAPPER:-} "$TZMRUN" --policy "$pol" "${TARGET_ARGS[@]}" \
        -- "$what" "$@" >"$TMP/$what.out" 2>"$TMP/$what.err"
    local rc=$?
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        fail "$what: hung (thread A's blocking call stalled the other thread's calls)"
    else
        expect_eq "$what exit status" 0 "$rc"
    fi
    expect_eq "$what" "$what OK" "$(grep -x "$what OK" "$TMP/$what.out")"
    if [ "$rc" -ne 0 ]; then
        cat "$TMP/$what.out" "$TMP/$what.err" >&2
    fi
}

blocking_case fifo "$files/fifo"
blocking_case flock "$files/flock"
blocking_case mq "/$name-q"
blocking_case connect "$name-l"
blocking_case sendfile "$files/big"
blocking_case write
blocking_case sockwrite
blocking_case lowat "$port"
blocking_case waitall
blocking_case rcvtimeo "$name-t"
blocking_case poll
blocking_case leak "$files/leak"

# the TA ends while a thread blocks in flock: tzm-run ends too, with the TA's status
for end in exit abort; do
    timeout -k 5 "$LIMIT" ${TZM_EXEC_WRAPPER:-} "$TZMRUN" --policy "$pol" "${TARGET_ARGS[@]}" \
        -- "$end" "$files/$end" >"$TMP/$end.out" 2>"$TMP/$end.err"
    rc=$?
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        fail "$end: tzm-run did not end after the TA ended while a thread blocked"
    elif [ "$end" = exit ]; then
        expect_eq "exit while a thread blocks: status" 0 "$rc"
    else
        [ "$rc" -ne 0 ] && echo "ok: abort while a thread blocks: status $rc" ||
            fail "abort while a thread blocks: status 0"
    fi
    expect_eq "$end: reached" "exiting while A blocks" "$(cat "$TMP/$end.out")"
done
finish
