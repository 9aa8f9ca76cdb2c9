#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# tee_core_races: two windows of tzm-teed, widened to seconds by an LD_PRELOAD shim
# (races_shim.c) so that the test sees them every time:
#   sigchld  every thread of the daemon blocks SIGCHLD, which the event loop takes
#            through a signalfd, from its creation on: a thread that let it through
#            (the descriptor closer, before its first instruction) was where the kernel
#            delivered it, to be dropped: the TA host was never reaped and the daemon
#            never idle-exited (tee_idle_exit under qemu-user);
#   accept   a client that looked tee.sock up before the idle exit unlinked it and
#            connects after the daemon's last accept is refused (and starts a daemon of
#            its own), not queued on a socket that closes unserved.
# usage: test_core_races.sh <tee_ping> <races shim .so> <tee_race_client>
# Environment (from CTest): TZM_RUNTIME_DIR, TZM_TEST_TMPDIR.
set -u
ping=$1 shim=$2 race_client=$3
tmp=${TZM_TEST_TMPDIR:?}
. "$(dirname "$0")/../../cmake/tzm-proc.sh"

failed=0
fail() { echo "  FAIL $*"; failed=1; }
ok() { echo "  ok   $*"; }

# --- sigchld: the closer thread sleeps 60 s before its first instruction
run=$tmp/run-sigchld
mkdir -m 700 "$run"
TZM_RUNTIME_DIR=$run TZM_IDLE_EXIT_MS=600000 TZM_SHIM_THREAD_DELAY_MS=60000 \
    LD_PRELOAD=$shim "$ping" >"$tmp/ping1.out" 2>&1 || { cat "$tmp/ping1.out"; fail "tee_ping"; }
pid=$(cat "$run/tzm-teed.pid" 2>/dev/null)
if [ -n "$pid" ] && tzm_alive "$pid"; then
    grep -qF "$shim" "/proc/$pid/maps" || fail "the shim is not loaded in tzm-teed"
    threads=0
    for t in /proc/"$pid"/task/*; do
        blk=$(awk '/^SigBlk:/ {print $2}' "$t/status")
        threads=$((threads + 1))
        # SIGCHLD is signal 17: bit 16 of the mask
        (( (16#$blk >> 16) & 1 )) ||
            fail "thread $(basename "$t") of tzm-teed lets SIGCHLD through (SigBlk $blk)"
    done
    [ "$threads" -ge 2 ] || fail "tzm-teed has $threads thread(s); the closer thread is missing"
    [ $failed = 0 ] && ok "all $threads threads of tzm-teed block SIGCHLD, a starting one too"
    host=$(grep -o 'host pid [0-9]*' "$run/tee.log" | tail -1 | grep -o '[0-9]*$')
    # reaped by the daemon: gone, not even a zombie (kill -0 on purpose)
    for _ in $(seq 1 300); do
        kill -0 "$host" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$host" 2>/dev/null; then
        fail "the TA host (pid $host) was not reaped within 30 s"
    else
        ok "the TA host (pid $host) was reaped"
    fi
    kill "$pid"
    tzm_wait_gone "$pid" 300 || kill -KILL "$pid"
else
    cat "$run/tee.log" 2>/dev/null
    fail "no tzm-teed running after tee_ping"
fi

# --- accept: the idle exit's last accept sleeps 5 s
run=$tmp/run-accept
mkdir -m 700 "$run"
export TZM_RUNTIME_DIR=$run TZM_IDLE_EXIT_MS=1 TZM_SHIM_LAST_ACCEPT_DELAY_MS=5000
mkfifo "$tmp/hold"
LD_PRELOAD=$shim "$ping" 19e2a039-1247-4870-b42e-a4a75f185999 0 hold <"$tmp/hold" \
    >"$tmp/ping2.out" 2>&1 &
ping_pid=$!
exec 3>"$tmp/hold"
for _ in $(seq 1 600); do
    grep -q '^tee_ping: ' "$tmp/ping2.out" && break
    sleep 0.1
done
if grep -q '^tee_ping: ' "$tmp/ping2.out"; then
    "$race_client" "$run" >"$tmp/race.out" 2>&1 3>&- &
    race_pid=$!
    for _ in $(seq 1 600); do
        grep -q '^ready' "$tmp/race.out" && break
        sleep 0.1
    done
    exec 3>&- # the session ends: the daemon idles out
    wait "$ping_pid"
    wait "$race_pid"
    rc=$?
    out=$(tail -1 "$tmp/race.out")
    case $rc in
    0) ok "a client arriving during the idle exit: $out" ;;
    1) fail "a client arriving during the idle exit: $out" ;;
    *) cat "$tmp/race.out"; fail "tee_race_client failed (status $rc)" ;;
    esac
else
    exec 3>&-
    cat "$tmp/ping2.out"
    fail "tee_ping hold did not open its session within 60 s"
    wait
fi
[ $failed = 0 ] && echo "tee_core_races: all checks passed" || echo "tee_core_races: FAILED"
exit $failed
