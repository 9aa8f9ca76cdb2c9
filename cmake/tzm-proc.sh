# SPDX-License-Identifier: BSD-2-Clause
# Shell helpers for test scripts that watch a process they did not start themselves (a
# tzm-teed started on demand by a client, a TA host):
#
#   . "$TZM_SOURCE_DIR/cmake/tzm-proc.sh"
#   tzm_alive "$pid" || echo gone
#   tzm_wait_gone "$pid" 300 || fail "still runs after 30 s"
#
# `kill -0 PID` alone is not enough: it also succeeds for a zombie, a process that has
# exited but was not reaped yet. A detached tzm-teed is reaped by init, and when the
# tests run as pid 1 of a pid namespace (CTest under `unshare -p`, CI runners that start
# jobs that way) nobody reaps it: the exited daemon stays a zombie for ever. Children of
# the script itself need none of this: bash reaps its background jobs when they end.

# tzm_alive PID: true while PID exists and has not exited (state Z or X in /proc/PID/stat).
tzm_alive() {
    local stat state
    kill -0 "$1" 2>/dev/null || return 1
    if ! stat=$(cat "/proc/$1/stat" 2>/dev/null); then
        # gone in between, or no /proc at all (then kill -0 is all we know)
        [ -r /proc/self/stat ] && return 1
        return 0
    fi
    # "pid (comm) state ...": comm may hold spaces and parentheses, the state follows
    # the last ") "
    state=${stat##*) }
    state=${state%% *}
    [ "$state" != Z ] && [ "$state" != X ]
}

# tzm_wait_gone PID TENTHS: waits at most TENTHS tenths of a second for PID to exit;
# 0 when it did.
tzm_wait_gone() {
    local i
    for ((i = 0; i < $2; i++)); do
        tzm_alive "$1" || return 0
        sleep 0.1
    done
    ! tzm_alive "$1"
}
