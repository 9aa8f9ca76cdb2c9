#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# tzm-run ended by SIGTERM and by SIGKILL at each point of its start, reached
# deterministically with TZM_TEST_STOP_AT (mediator/shadow/run.h; the same points as
# scripts/optee-qemu/guest/term-case.sh on real OP-TEE):
#   open        TEEC_OpenSession in flight: tzm-run stops itself before the open, the
#               TEE core (tzm-teed) is stopped, tzm-run continues into the open and waits
#               for the core's answer (its main thread sleeps); the signal comes, then
#               the core continues and handles the open of a client that is gone
#   opened      the session is open, nothing else is
#   invoke      the channel is set up, the invoke that runs the TA not yet made
#   first-call  the invoke is in flight and the TA's first call reached tzm-run, which
#               does not answer it
#   serving     the TA serves (waits in accept)
# After each: tzm-run ends (SIGKILL: killed; SIGTERM: dies of it, or the TA does and
# tzm-run with it), every TA instance the core started ends (its host process), and the
# next run of the same TA runs to its end. Waits are bounded (60 s) only to turn a hang
# into a failure that names the point; nothing is timed.
. "$(dirname "$0")/common.sh"
pol="$TMP/sk.policy"
printf 'tcp bind 127.0.0.1 *\n' >"$pol"
if [ "$MODE" != ta ]; then
    echo "skip: the start points are the TEE's (TA mode only)"
    finish
fi
warm_up_tee
log=$TZM_RUNTIME_DIR/tee.log

# state PID [TID]: the thread's state letter (R, S, D, T, Z...)
state() {
    local stat
    stat=$(cat "/proc/$1/task/${2:-$1}/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    echo "${stat%% *}"
}

# stopped PID: a thread of PID is stopped (a SIGSTOP stops them all)
stopped() {
    local t
    for t in /proc/"$1"/task/*; do
        [ "$(state "$1" "${t##*/}")" = T ] && return 0
    done
    return 1
}

# wait_until TENTHS COMMAND...: 0 once COMMAND succeeds
wait_until() {
    local n=$1 i
    shift
    for ((i = 0; i < n; i++)); do
        "$@" && return 0
        sleep 0.1
    done
    "$@"
}

main_sleeps() { [ "$(state "$1")" = S ]; }

# the host pids of the TA instances started after line $1 of tee.log
hosts_since() {
    tail -n +"$(($1 + 1))" "$log" | grep -o 'instance #[0-9]* started (host pid [0-9]*)' |
        grep -o '[0-9]*)$' | tr -d ')'
}

step() { # SIG POINT
    local sig=$1 point=$2 what="SIG$1 at $2" from pid teed h rc next cid TZM_COMMAND
    from=$(wc -l <"$log")
    if [ "$point" = serving ]; then
        start_tzm "$TMP/sk.out" "$TMP/sk.err" --policy "$pol" -- block
        pid=$TZPID
        wait_for_line "$TMP/sk.out" '^ready ' || return
    else
        export TZM_TEST_STOP_AT=$point
        start_tzm "$TMP/sk.out" "$TMP/sk.err" --policy "$pol" -- block
        pid=$TZPID
        unset TZM_TEST_STOP_AT
        if ! wait_for_line "$TMP/sk.err" "TZM_TEST_STOP_AT: stopped at $point" ||
            ! wait_until 600 stopped "$pid"; then
            fail "$what: tzm-run did not stop there: $(cat "$TMP/sk.err")"
            kill -KILL "$pid" 2>/dev/null
            return
        fi
    fi
    if [ "$point" = open ]; then
        teed=$(cat "$TZM_RUNTIME_DIR/tzm-teed.pid")
        kill -STOP "$teed"
        kill -CONT "$pid"
        # stopped at the open, it next sleeps waiting for the core's answer
        if ! wait_until 600 main_sleeps "$pid"; then
            kill -CONT "$teed"
            fail "$what: tzm-run did not wait in the open"
            return
        fi
    fi
    kill -s "$sig" "$pid"
    case $point in
    open) kill -CONT "$teed" ;;
    serving) ;;
    *) kill -CONT "$pid" ;;
    esac
    if ! tzm_wait_gone "$pid" 600; then
        fail "$what: tzm-run still runs 60 s later"
        kill -KILL "$pid"
    fi
    wait "$pid" 2>/dev/null
    rc=$?
    case $rc in
    137 | 143) ;;
    *) fail "$what: tzm-run's status $rc (expected death by SIG$sig): $(cat "$TMP/sk.err")" ;;
    esac
    # the core has handled all the killed client sent (an open included) once it logged
    # the client's disconnection; the instances it started are then in tee.log
    cid=$(sed -n "s/.* client \([0-9]*\) connected (pid $pid)\$/\1/p" "$log" | tail -1)
    if [ -z "$cid" ]; then
        fail "$what: tee.log has no client with pid $pid"
    elif ! wait_until 600 grep -q " client $cid disconnected\$" "$log"; then
        fail "$what: the core did not see client $cid (tzm-run $pid) go in 60 s"
    fi
    # the next run of the same TA: main runs and returns (64: a mode it does not know)
    tzm_command --policy "$pol" -- next
    timeout 60 "${TZM_COMMAND[@]}" >"$TMP/next.out" 2>&1
    next=$?
    [ $next -eq 64 ] ||
        fail "$what: the next run of the TA ended with $next: $(cat "$TMP/next.out")"
    for h in $(hosts_since "$from"); do
        tzm_wait_gone "$h" 600 || fail "$what: TA host $h still runs 60 s later"
    done
    echo "ok: $what: tzm-run ended ($rc), the TA's instances ended, the next run ran"
}

for sig in TERM KILL; do
    for point in open opened invoke first-call serving; do
        step "$sig" "$point"
    done
done
finish
