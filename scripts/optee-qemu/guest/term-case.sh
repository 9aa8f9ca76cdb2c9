#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs in the QEMU guest (busybox sh): tzm-run ended by a signal at every stage of its
# start — while tee-supplicant loads the TA, while the session opens, while the TA starts,
# once it serves — must be gone within a bound (below) with nothing left behind (no
# watchdog, no TA instance holding a TEE thread), and the TEE must serve the next session.
# A shell script's `kill` of a server it started and gave up on is the common case (the
# attestation case did it after a race and wedged every later case).
#   term-case.sh UUID PORT
. "$(dirname "$0")/case-lib.sh"
uuid=$1 port=$2
# SIGKILL: the watchdog's cancellation ends the TA at once (1 s measured). SIGTERM: an
# OP-TEE TA takes no signals, so tzm-run ends the run at once (flag, cancel, dies of it);
# the TA sees the flag, waits at most libtzm's CANCEL_GRACE_MS (1 s) for an answer, and
# libtzm then ends its run (a dead channel ends an OP-TEE TA's run: rpc.c channel_dead):
# gone within 2 s at every stage (2026-12-07). Before, tzm-run first waited 3 s for a
# death that could not come, the TA waited for a TEE cancellation that never reached it
# (tzm-run stuck in the invoke, state R, > 60 s), and a program retrying a failing call
# (the splitapp signer's accept loop) would have held it there for good.
WAIT_S=10
WAIT_TERM_S=10
out=/tmp/term-case.out

gone() { # PID SECONDS: 0 once PID is no process or a zombie, 1 after SECONDS
	_g_i=0
	while [ -e "/proc/$1" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; do
		[ $_g_i -ge $(($2 * 10)) ] && return 1
		sleep 0.1
		_g_i=$((_g_i + 1))
	done
	return 0
}

for sig in TERM KILL; do
	for delay in 0 0.3 1 ready; do
		t0=$(date +%s)
		: >"$out"
		tzm-run --policy /etc/tzm/echo.policy "$uuid" -- tcp "127.0.0.1:$port" --count 1 \
			>"$out" 2>&1 &
		pid=$!
		if [ "$delay" = ready ]; then
			if ! wait_line "$out" 'echo_server: ready' "$pid"; then
				echo "term-case: server not ready:"
				cat "$out"
				exit 1
			fi
		else
			sleep "$delay"
		fi
		stage=starting
		grep -q 'echo_server: ready' "$out" && stage=serving
		echo "term-case: SIG$sig after ${delay}s ($stage, $(($(date +%s) - t0)) s from the start)"
		if ! kill -s "$sig" "$pid"; then
			echo "term-case: tzm-run $pid ended before SIG$sig after ${delay}s:"
			cat "$out"
			exit 1
		fi
		limit=$WAIT_S
		[ "$sig" = TERM ] && limit=$WAIT_TERM_S
		if ! gone "$pid" "$limit"; then
			echo "term-case: SIG$sig after ${delay}s ($stage): tzm-run $pid still there" \
				"${limit}s later: $(cut -d' ' -f3,14,15 "/proc/$pid/stat" 2>/dev/null)" \
				"(state utime stime)"
			for t in /proc/"$pid"/task/*; do
				echo "term-case: task ${t##*/}: $(cut -d' ' -f3,14,15 "$t/stat" 2>/dev/null)" \
					"wchan=$(cat "$t/wchan" 2>/dev/null) syscall=$(cat "$t/syscall" 2>/dev/null)"
				sed 's/^/term-case:   /' "$t/stack" 2>/dev/null
			done
			cat "$out"
			exit 1
		fi
		wait "$pid"
		echo "term-case: gone, exit $? ($(($(date +%s) - t0)) s from the start)"
		i=0
		while [ -n "$(pidof tzm-run)" ]; do
			if [ $i -ge $((WAIT_S * 10)) ]; then
				echo "term-case: a tzm-run process (the watchdog?) is left:" \
					"$(pidof tzm-run)"
				exit 1
			fi
			sleep 0.1
			i=$((i + 1))
		done
	done
done
echo "term-case: a new session of the same TA:"
echo-case.sh term_after tcp "127.0.0.1:$((port + 1))" 20 4096 \
	tzm-run --policy /etc/tzm/echo.policy "$uuid" --
