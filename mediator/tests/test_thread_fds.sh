#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# A TA thread blocked in read while another thread closes that descriptor and gives its
# number to another object (thread_fds.c, mode stale-read). When the shadow's wait for
# the read ends and the read finds nothing (fd 3 is now an empty pipe), the shadow waits
# again: it must look fd 3 up again, not poll the host number fd 3 had before, which is
# closed by then (poll answers POLLNVAL at once: tzm-run spun, one read attempt per turn,
# until the new pipe got data). Measured: tzm-run's read calls (/proc/PID/io syscr) while
# the TA is idle in that read, over one second; a spinning shadow makes tens of
# thousands, an idle one none.
# A's read must then go on with the pipe it started with (Linux: a blocked read holds its
# file), reading pipe a's byte, not pipe b's.
# Also (mode close-dup2): a close in one thread, then a dup2 onto that number in another.
# stdin-pair: two threads wait in read(0); the one that finds stdin empty after the
# other took the line must not wait holding the shadow's lock (the other's print waited
# for the next line). dup-stdin: a thread reads through dup2(0, 5); the shadow must not
# set O_NONBLOCK on the open file description it shares with its caller (seen through
# the LD_PRELOAD shim, when the build has it). slow: a thread's fsync or getdents waits
# for a slow disk (the shim holds it) without the shadow's lock: main's calls go on.
# resolve-end: the TA ends while a thread's getaddrinfo waits for a name server that
# never answers (a private resolv.conf in a mount namespace, the server in a network
# namespace: root, and unshare, needed, else skipped); tzm-run must end with the TA, not
# when the resolver gives up (30 s).
# Called as: test_thread_fds.sh <tzm-run> <mode> <target> <native> [shim=SO] [mute=PROG]
. "$(dirname "$0")/common.sh"
SHIM= MUTE=
for a in "${@:5}"; do
    case $a in
    shim=*) SHIM=${a#shim=} ;;
    mute=*) MUTE=${a#mute=} ;;
    esac
done
warm_up_tee

# threads of tzm-run (or of its emulator under TZM_EXEC_WRAPPER) asleep in poll
polling() {
    local n=0 t
    for t in /proc/"$TZPID"/task/*; do
        grep -q poll_schedule "$t/wchan" 2>/dev/null && n=$((n + 1))
    done
    echo "$n"
}

syscr() {
    awk '/^syscr:/ {print $2}' /proc/"$TZPID"/io
}

fifo="$TMP/stdin.fifo"
rm -f "$fifo"
mkfifo "$fifo"
exec 7<>"$fifo" # tzm-run's stdin; the script writes the TA's go-aheads to it
# (start_tzm's background subshell would get /dev/null as stdin)
(exec <&7 >"$TMP/out" 2>"$TMP/err"; run_exec -- stale-read) &
TZPID=$!
# thread A waits in read(3), main in read(0): both waits are the shadow's polls
for i in $(seq 1 1200); do
    [ "$(polling)" -ge 2 ] && break
    sleep 0.05
done
expect_eq "the shadow waits for both TA threads" yes "$([ "$(polling)" -ge 2 ] && echo yes)"
echo 1 >&7
if wait_for_line "$TMP/out" '^window$'; then
    before=$(syscr)
    sleep 1
    after=$(syscr)
    reads=$((after - before))
    echo "tzm-run read calls in 1 s while the TA waits: $reads"
    [ "$reads" -lt 1000 ] || fail "tzm-run spins while the TA's thread waits ($reads reads in 1 s)"
fi
echo 2 >&7
wait "$TZPID"
expect_eq "exit status" 0 "$?"
expect_eq "output" "window
A read x" "$(cat "$TMP/out")"
[ -s "$TMP/err" ] && cat "$TMP/err" >&2
exec 7>&-

# stdin-pair: both readers wait in the shadow before the first line comes; the shim
# (when the build has it) holds each wait that saw the line for a second, so that both
# see it before the first reads it
fifo="$TMP/pair.fifo"
mkfifo "$fifo"
exec 8<>"$fifo"
(exec <&8 >"$TMP/pair.out" 2>"$TMP/pair.err"
 if [ -n "$SHIM" ] && [ -z "${TZM_EXEC_WRAPPER:-}" ]; then
     export LD_PRELOAD="$SHIM" TZM_SHIM_POLL_DELAY_MS=1000
 fi
 run_exec -- stdin-pair) &
TZPID=$!
for i in $(seq 1 1200); do
    [ "$(polling)" -ge 2 ] && break
    sleep 0.05
done
expect_eq "the shadow waits for both readers" yes "$([ "$(polling)" -ge 2 ] && echo yes)"
echo one >&8
# (before: the other reader's read(0) waited for the next line holding the lock, and
# this print waited for it)
wait_for_line "$TMP/pair.out" '^got one$' 30
echo two >&8
wait "$TZPID"
expect_eq "stdin-pair exit status" 0 "$?"
expect_eq "stdin-pair" "got one
got two
done" "$(cat "$TMP/pair.out")"
[ -s "$TMP/pair.err" ] && cat "$TMP/pair.err" >&2
exec 8>&-

# dup-stdin: the open file description of tzm-run's stdin is its caller's too
if [ -n "$SHIM" ] && [ -z "${TZM_EXEC_WRAPPER:-}" ]; then
    fifo="$TMP/dup.fifo"
    mkfifo "$fifo"
    exec 8<>"$fifo"
    : >"$TMP/setfl.log"
    (exec <&8 >"$TMP/dup.out" 2>"$TMP/dup.err"
     export LD_PRELOAD="$SHIM" TZM_SHIM_SETFL_LOG="$TMP/setfl.log"
     run_exec -- dup-stdin 3) &
    TZPID=$!
    for l in l1 l2 l3; do
        echo "$l" >&8
        wait_for_line "$TMP/dup.out" "^line $l\$" || break
    done
    wait "$TZPID"
    expect_eq "dup-stdin exit status" 0 "$?"
    expect_eq "dup-stdin" "line l1
line l2
line l3
done" "$(cat "$TMP/dup.out")"
    expect_eq "F_SETFL by tzm-run on its caller's stdin" "" "$(cat "$TMP/setfl.log")"
    [ -s "$TMP/dup.err" ] && cat "$TMP/dup.err" >&2
    exec 8>&-
else
    echo "skip: dup-stdin (no LD_PRELOAD shim in this build)"
fi

# resolve-end
if [ -n "$MUTE" ] && [ -z "${TZM_EXEC_WRAPPER:-}" ] &&
    unshare --net --mount true 2>/dev/null; then
    # one query at a time, the next one 30 s after the first (a resolver still running)
    printf 'nameserver 127.0.0.1\noptions timeout:30 attempts:2 single-request\n' \
        >"$TMP/resolv.conf"
    printf 'hosts: dns\n' >"$TMP/nsswitch.conf"
    fifo="$TMP/gai.fifo"
    mkfifo "$fifo"
    exec 8<>"$fifo"
    tzm_command -- resolve-end tzm-never.example
    # unshare execs the shell, which execs tzm-run: TZPID is tzm-run's
    (exec <&8 >"$TMP/gai.out" 2>"$TMP/gai.err"
     exec unshare --net --mount bash -c '
        ip link set lo up &&
            mount --bind "$1" /etc/resolv.conf && mount --bind "$2" /etc/nsswitch.conf ||
            exit 77
        "$3" 127.0.0.1 53 90 >"$4" 2>&1 &
        for i in $(seq 1 600); do grep -q bound "$4" && break; sleep 0.05; done
        shift 4
        exec "$@"' _ "$TMP/resolv.conf" "$TMP/nsswitch.conf" "$MUTE" "$TMP/mute.out" \
        "${TZM_COMMAND[@]}") &
    TZPID=$!
    if wait_for_line "$TMP/mute.out" '^query$'; then
        echo end >&8
    fi
    # No time bound: before, tzm-run waited for the lookup, which retried after 30 s (a
    # second query) and gave up at 60 s; now tzm-run ends with the TA, and its lookup
    # thread with it, so the name server sees one query. (The test's timeout is the hang
    # guard.)
    wait "$TZPID"
    expect_eq "resolve-end exit status" 0 "$?"
    expect_eq "tzm-run ends with the TA while a lookup waits (queries seen)" 1 \
        "$(grep -c '^query$' "$TMP/mute.out")"
    expect_eq "resolve-end" ending "$(cat "$TMP/gai.out")"
    [ -s "$TMP/gai.err" ] && cat "$TMP/gai.err" >&2
    exec 8>&-
else
    echo "skip: resolve-end (needs unshare --net --mount, i.e. root, and no emulator)"
fi

# slow: fsync and getdents wait for the disk without the executor lock (the shim holds
# each until the script releases it, a slow disk or file system)
if [ -n "$SHIM" ] && [ -z "${TZM_EXEC_WRAPPER:-}" ]; then
    for what in fsync getdents; do
        hd="$TMP/hold-$what" data="$TMP/slow-$what"
        mkdir -p "$hd" "$data"
        : >"$data/entry"
        printf 'path rw %s\n' "$data" >"$TMP/slow.policy"
        fifo="$TMP/slow-$what.fifo"
        mkfifo "$fifo"
        exec 8<>"$fifo"
        (exec <&8 >"$TMP/slow-$what.out" 2>"$TMP/slow-$what.err"
         export LD_PRELOAD="$SHIM" TZM_SHIM_HOLD="$hd"
         run_exec --policy "$TMP/slow.policy" -- slow "$data" "$what") &
        TZPID=$!
        for i in $(seq 1 1200); do
            [ -e "$hd/held" ] && break
            sleep 0.05
        done
        if [ -e "$hd/held" ]; then
            echo go >&8
            # before: main's calls waited for A's, which held the lock until the release
            wait_for_line "$TMP/slow-$what.out" '^main goes on$' 15
        else
            fail "$what: never reached the shim"
        fi
        touch "$hd/release"
        wait "$TZPID"
        expect_eq "slow $what exit status" 0 "$?"
        expect_eq "slow $what" "main goes on
A done" "$(cat "$TMP/slow-$what.out")"
        [ -s "$TMP/slow-$what.err" ] && cat "$TMP/slow-$what.err" >&2
        exec 8>&-
    done
else
    echo "skip: slow fsync/getdents (no LD_PRELOAD shim in this build)"
fi

# cancel: the blocked read is interrupted and the thread unwinds, as natively
run_tzm -- cancel >"$TMP/cancel.out" 2>"$TMP/cancel.err"
expect_eq "cancel exit status" 0 "$?"
expect_eq "cancel" "cancel: 0
joined: canceled" "$(cat "$TMP/cancel.out")"

# close-dup2: a thread's dup2 onto the number another thread has just closed; the close
# must have happened in the shadow before (it ran on its own lane, unwaited for: a later
# close undid the dup2 and the write through it failed with EBADF)
run_tzm -- close-dup2 3000 >"$TMP/cd.out" 2>"$TMP/cd.err"
expect_eq "close-dup2 exit status" 0 "$?"
expect_eq "close-dup2" "close-dup2 failed writes: 0" "$(cat "$TMP/cd.out")"
[ -s "$TMP/cd.err" ] && cat "$TMP/cd.err" >&2
finish
