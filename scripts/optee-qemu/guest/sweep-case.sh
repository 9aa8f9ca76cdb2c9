#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs in the QEMU guest (busybox sh), only when asked for (run.sh --only term_sweep): the
# search for what term-case.sh's fixed points may miss. SIGKILL of tzm-run at DELAY s
# after its start, for DELAY = 0, STEP, 2*STEP, ... up to MAX (wherever that lands in the
# start: TA loading, session opening, TA starting, serving), and after each kill the next
# session of the same TA must be ready within 60 s (its ready line; it is then killed
# too). Not deterministic by design; a failure shows where the next session waits.
#   sweep-case.sh UUID PORT [STEP_MS [MAX_MS]]
. "$(dirname "$0")/case-lib.sh"
uuid=$1 port=$2 step=${3:-50} max=${4:-1500}
out=/tmp/sweep-case.out
next=/tmp/sweep-case.next

gone() { # PID SECONDS
	_g_i=0
	while [ -e "/proc/$1" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; do
		[ $_g_i -ge $(($2 * 10)) ] && return 1
		sleep 0.1
		_g_i=$((_g_i + 1))
	done
	return 0
}

show() { # PID
	for _t in /proc/"$1"/task/*; do
		echo "sweep-case:   task ${_t##*/}: $(cut -d' ' -f3,14,15 "$_t/stat" 2>/dev/null)" \
			"(state utime stime) syscall=$(cat "$_t/syscall" 2>/dev/null)"
		sed 's/^/sweep-case:     /' "$_t/stack" 2>/dev/null
	done
}

fail() { # MS MESSAGE
	echo "sweep-case: FAIL: SIGKILL at $1 ms: $2"
	for p in $(pidof tzm-run) $(pidof tee-supplicant); do
		echo "sweep-case: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)(pid $p):"
		show "$p"
	done
	echo "sweep-case: the killed run's output:"
	cat "$out"
	echo "sweep-case: the next run's output:"
	cat "$next"
	[ -n "$(pidof tee-supplicant)" ] || echo "sweep-case: tee-supplicant is gone"
	echo "sweep-case: tee-supplicant's log:"
	sed 's/^/sweep-case:   | /' /tmp/tee-supplicant.log
	echo "sweep-case: the last kernel messages:"
	dmesg | tail -20
	exit 1
}

ms=0
stages=""
while [ "$ms" -le "$max" ]; do
	: >"$out"
	tzm-run --policy /etc/tzm/echo.policy "$uuid" -- tcp "127.0.0.1:$port" --count 1 \
		>"$out" 2>&1 &
	pid=$!
	sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
	stage=starting
	grep -q 'echo_server: ready' "$out" && stage=serving
	kill -9 "$pid" 2>/dev/null || stage=ended
	gone "$pid" 10 || fail $ms "tzm-run $pid ($stage) still there 10 s later"
	wait "$pid"
	while [ -n "$(pidof tzm-run)" ]; do sleep 0.1; done # the watchdog (bounded by the case)
	[ -n "$(pidof tee-supplicant)" ] || fail $ms "($stage) tee-supplicant died"
	: >"$next"
	tzm-run --policy /etc/tzm/echo.policy "$uuid" -- tcp "127.0.0.1:$((port + 1))" \
		--count 1 >"$next" 2>&1 &
	npid=$!
	wait_line "$next" 'echo_server: ready' "$npid" ||
		fail $ms "($stage) the next session (tzm-run $npid) was not ready in 60 s"
	kill -9 "$npid"
	gone "$npid" 10 || fail $ms "the next session's tzm-run $npid still there 10 s after SIGKILL"
	wait "$npid"
	while [ -n "$(pidof tzm-run)" ]; do sleep 0.1; done
	stages="$stages $ms:$stage"
	ms=$((ms + step))
done
echo "sweep-case: ok, each next session was ready; kill at ms:stage =$stages"
