#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs in the QEMU guest (busybox sh): kill -9 of tzm-run while its echo TA waits in
# accept(). On real OP-TEE the killed process cannot leave the ioctl that runs the TA;
# tzm-run's watchdog (mediator/shadow/run_watchdog.c) cancels the session, the TA ends,
# and the process must be gone within WAIT_S seconds, the watchdog too. Then a new
# session of the same TA must serve round trips (echo-case.sh).
#   kill-case.sh UUID PORT
. "$(dirname "$0")/case-lib.sh"
uuid=$1 port=$2
WAIT_S=10
out=/tmp/kill-case.out
tzm-run --policy /etc/tzm/echo.policy "$uuid" -- tcp "127.0.0.1:$port" --count 1 >"$out" 2>&1 &
pid=$!
if ! wait_line "$out" 'echo_server: ready' "$pid"; then
	echo "kill-case: server not ready:"
	cat "$out"
	exit 1
fi
echo "kill-case: tzm-run $pid serves; its processes: $(pidof tzm-run)"
kill -9 "$pid"
# gone = no such process or a zombie (its parent, this shell, reaps it below)
i=0
while [ -e "/proc/$pid" ] && [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
	if [ $i -ge $((WAIT_S * 10)) ]; then
		echo "kill-case: tzm-run still there ${WAIT_S}s after kill -9:" \
			"$(cut -d' ' -f3,14,15 "/proc/$pid/stat" 2>/dev/null) (state utime stime)"
		cat "$out"
		exit 1
	fi
	sleep 0.1
	i=$((i + 1))
done
wait "$pid"
echo "kill-case: tzm-run gone $((i / 10)).$((i % 10))s after kill -9 (exit $?)"
cat "$out"
i=0
while [ -n "$(pidof tzm-run)" ]; do
	if [ $i -ge $((WAIT_S * 10)) ]; then
		echo "kill-case: a tzm-run process (the watchdog?) is left: $(pidof tzm-run)"
		exit 1
	fi
	sleep 0.1
	i=$((i + 1))
done
echo "kill-case: a new session of the same TA:"
echo-case.sh kill_after tcp "127.0.0.1:$((port + 1))" 20 4096 \
	tzm-run --policy /etc/tzm/echo.policy "$uuid" --
