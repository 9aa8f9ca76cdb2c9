#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Setting up the TEE from a client: usage test_setup.sh <client> <case>, where <client> is
# tee_ping (test_ping.c).
#   detach    the daemon keeps none of the starting client's descriptors: a `$(...)`
#             capture of the client's stderr returns while the daemon is still running;
#             the daemon's fds 0-2 are /dev/null, /dev/null and tee.log
#   errors    each set-up failure names its cause and its fix on the client's stderr:
#             runtime directory with a wrong mode, of another owner, not a directory;
#             tzm-teed missing; tzm-teed failing at start-up
#   dir_gone  a daemon whose runtime directory is removed exits (TZM_DIR_CHECK_MS=100)
# Environment (from CTest): TZM_RUNTIME_DIR, TZM_TEST_TMPDIR.
set -u
client=$1 case=$2
tmp=${TZM_TEST_TMPDIR:?}
. "$(dirname "$0")/../../cmake/tzm-exec.sh"
. "$(dirname "$0")/../../cmake/tzm-proc.sh"

fail() { echo "  FAIL $*" >&2; exit 1; }
ok() { echo "  ok   $*"; }

# wait_for <max-tenths> <command...>: bounded wait for an event
wait_for() {
    local n=$1
    shift
    for _ in $(seq 1 "$n"); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

case $case in
detach)
    export TZM_IDLE_EXIT_MS=600000
    # The capture runs in the background so that a capture held open by the daemon is
    # seen as such (bounded wait) instead of hanging the test until the idle exit.
    (
        out=$(tzm_exec "$client" 2>&1)
        printf '%s\n' "$out" >"$tmp/out"
        touch "$tmp/done"
    ) &
    returned=0
    wait_for 600 test -e "$tmp/done" && returned=1
    pid=$(cat "$TZM_RUNTIME_DIR/tzm-teed.pid" 2>/dev/null || true)
    [ -n "$pid" ] || fail "no tzm-teed.pid"
    alive=0
    tzm_alive "$pid" && alive=1
    if [ $returned = 0 ]; then
        kill "$pid" 2>/dev/null
        wait
        fail "\$(client 2>&1) did not return while tzm-teed (pid $pid) ran: it holds the client's stderr"
    fi
    [ $alive = 1 ] || fail "tzm-teed exited (the idle exit is 600 s)"
    grep -q "tee_ping: " "$tmp/out" || { cat "$tmp/out" >&2; fail "client output"; }
    ok "\$(client 2>&1) returned while tzm-teed (pid $pid) still runs"
    if [ -z "${TZM_EXEC_WRAPPER:-}" ]; then
        [ "$(readlink "/proc/$pid/fd/0")" = /dev/null ] || fail "daemon fd 0 is $(readlink "/proc/$pid/fd/0")"
        [ "$(readlink "/proc/$pid/fd/1")" = /dev/null ] || fail "daemon fd 1 is $(readlink "/proc/$pid/fd/1")"
        [ "$(readlink "/proc/$pid/fd/2")" = "$TZM_RUNTIME_DIR/tee.log" ] ||
            fail "daemon fd 2 is $(readlink "/proc/$pid/fd/2")"
        [ "$(ps -o sid= -p "$pid" | tr -d ' ')" = "$pid" ] || fail "daemon is not a session leader"
        ok "daemon: fds 0-1 /dev/null, fd 2 tee.log, own session"
    fi
    ;;
errors)
    export TZM_IDLE_EXIT_MS=2000
    # expect <what> <pattern>... : the client fails and its stderr has every pattern
    expect() {
        local what=$1 out rc=0
        shift
        out=$(timeout -k 5 60 "${run[@]}" 2>&1) && rc=0 || rc=$?
        [ $rc -ne 0 ] || fail "$what: the client succeeded"
        for p in "$@"; do
            grep -qF -- "$p" <<<"$out" || { echo "$out" >&2; fail "$what: no '$p' in the message"; }
        done
        ok "$what: $(grep -m1 'libteec:' <<<"$out")"
    }
    d=$tmp/rt-mode
    mkdir -m 755 "$d"
    run=(env TZM_RUNTIME_DIR="$d" ${TZM_EXEC_WRAPPER:-} "$client")
    expect "runtime dir mode 0755" "$d has mode 0755" "chmod 700 $d"

    d=$tmp/rt-owner
    mkdir -m 700 "$d"
    if chown 65534 "$d" 2>/dev/null; then
        run=(env TZM_RUNTIME_DIR="$d" ${TZM_EXEC_WRAPPER:-} "$client")
        expect "runtime dir of another owner" "$d is owned by uid 65534, not by you" "TZM_RUNTIME_DIR"
    fi

    d=$tmp/rt-file
    : >"$d"
    run=(env TZM_RUNTIME_DIR="$d" ${TZM_EXEC_WRAPPER:-} "$client")
    expect "runtime dir is a file" "$d is not a directory" "TZM_RUNTIME_DIR"

    d=$tmp/rt-noteed
    run=(env TZM_RUNTIME_DIR="$d" TZM_TEED="$tmp/no/such/tzm-teed" ${TZM_EXEC_WRAPPER:-} "$client")
    expect "tzm-teed missing" "$tmp/no/such/tzm-teed cannot be started: No such file or directory" \
        "set TZM_TEED"

    d=$tmp/rt-badstate
    : >"$tmp/state-file"
    run=(env TZM_RUNTIME_DIR="$d" TZM_STATE_DIR="$tmp/state-file/sub" ${TZM_EXEC_WRAPPER:-} "$client")
    expect "tzm-teed fails at start-up" \
        "tzm-teed: cannot create the state directory $tmp/state-file/sub: Not a directory" \
        "set TZM_STATE_DIR" "failed to start" "$d/tee.log"
    ;;
dir_gone)
    export TZM_IDLE_EXIT_MS=600000 TZM_DIR_CHECK_MS=100
    # (output to a file: a capture would wait for a daemon that keeps the client's stderr)
    tzm_exec "$client" >"$tmp/ping.out" 2>&1 || { cat "$tmp/ping.out" >&2; fail "client"; }
    pid=$(cat "$TZM_RUNTIME_DIR/tzm-teed.pid")
    tzm_alive "$pid" || fail "tzm-teed not running"
    rm -rf "$TZM_RUNTIME_DIR"
    if ! tzm_wait_gone "$pid" 300; then
        kill "$pid"
        fail "tzm-teed (pid $pid) still runs after its runtime directory was removed"
    fi
    ok "tzm-teed exited after its runtime directory was removed"
    mkdir -m 700 "$TZM_RUNTIME_DIR"
    # and a daemon whose tee.sock was replaced (another daemon took over) exits too
    tzm_exec "$client" >"$tmp/ping.out" 2>&1 || { cat "$tmp/ping.out" >&2; fail "client (2)"; }
    pid=$(cat "$TZM_RUNTIME_DIR/tzm-teed.pid")
    mv "$TZM_RUNTIME_DIR/tee.sock" "$TZM_RUNTIME_DIR/tee.sock.old"
    python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); s.bind(sys.argv[1])' \
        "$TZM_RUNTIME_DIR/tee.sock" 2>/dev/null || mknod "$TZM_RUNTIME_DIR/tee.sock" p
    if ! tzm_wait_gone "$pid" 300; then
        kill "$pid"
        fail "tzm-teed (pid $pid) still runs after its tee.sock was replaced"
    fi
    grep -q "tee.sock was removed or replaced" "$TZM_RUNTIME_DIR/tee.log" ||
        fail "no log line on the exit"
    [ -e "$TZM_RUNTIME_DIR/tee.sock" ] || fail "the exiting daemon removed a tee.sock not its own"
    ok "tzm-teed exited after its tee.sock was replaced, leaving the new one alone"
    ;;
*)
    fail "unknown case $case"
    ;;
esac
