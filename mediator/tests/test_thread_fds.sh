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
# Also (mode close-dup2): a close in one thread, then a dup2 onto that number in another.
# Called as: test_thread_fds.sh <tzm-run> <mode> <target> [native]
. "$(dirname "$0")/common.sh"
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
A read 1 byte" "$(cat "$TMP/out")"
[ -s "$TMP/err" ] && cat "$TMP/err" >&2
exec 7>&-

# close-dup2: a thread's dup2 onto the number another thread has just closed; the close
# must have happened in the shadow before (it ran on its own lane, unwaited for: a later
# close undid the dup2 and the write through it failed with EBADF)
run_tzm -- close-dup2 3000 >"$TMP/cd.out" 2>"$TMP/cd.err"
expect_eq "close-dup2 exit status" 0 "$?"
expect_eq "close-dup2" "close-dup2 failed writes: 0" "$(cat "$TMP/cd.out")"
[ -s "$TMP/cd.err" ] && cat "$TMP/cd.err" >&2
finish
