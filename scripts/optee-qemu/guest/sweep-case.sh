#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs in the QEMU guest (busybox sh), only when asked for (run.sh --only 'term_sweep.*'):
# the search for what term-case.sh's fixed points may miss. SIG (KILL or TERM) to tzm-run
# at DELAY s after its start, for DELAY = 0, STEP, 2*STEP, ... up to MAX (wherever that
# lands in the start: TA loading, session opening, TA starting, serving), and after each
# the next session of the same TA must be ready within 60 s (its ready line; it is then
# killed too). A tee-supplicant thread that ended is its abort path (a failed answer:
# term-case.sh, "loading"): after SIGKILL that is OP-TEE's known issue (reported with
# @@TZM-KNOWN, tee-supplicant restarted), after SIGTERM a failure (tzm-run holds SIGTERM
# over the open). Not deterministic by design; a failure shows where the next session
# waits.
#   sweep-case.sh UUID PORT [STEP_MS [MAX_MS [SIG]]]
. "$(dirname "$0")/case-lib.sh"
uuid=$1 port=$2 step=${3:-50} max=${4:-1500} sig=${5:-KILL}
case_name=term_sweep_$(echo "$sig" | tr '[:upper:]' '[:lower:]')
out=/tmp/sweep-case.out
next=/tmp/sweep-case.next

fail() { # MS MESSAGE
	echo "sweep-case: FAIL: SIG$sig at $1 ms: $2"
	echo "sweep-case: the killed run's output ($(wc -c <"$out") bytes):"
	cat "$out"
	echo "sweep-case: the next run's output:"
	cat "$next"
	report_left sweep-case
	exit 1
}

# no_tzm_run: 0 once no tzm-run process (a watchdog included) is left, 1 after 10 s
no_tzm_run() {
	_n_i=0
	while [ -n "$(pidof tzm-run)" ]; do
		[ $_n_i -ge 100 ] && return 1
		sleep 0.1
		_n_i=$((_n_i + 1))
	done
	return 0
}

# threads PID: tee-supplicant's thread ids (they only ever end on its abort path)
threads() {
	for _th in /proc/"$1"/task/*; do
		[ -e "$_th" ] && printf '%s ' "${_th##*/}"
	done
}

# supp_ready PID: a thread of tee-supplicant PID waits for requests (TEE_IOC_SUPPL_RECV)
supp_ready() {
	for _r_t in /proc/"$1"/task/*; do
		[ "$(cut -d' ' -f1,3 "$_r_t/syscall" 2>/dev/null)" = "29 0x8010a406" ] && return 0
	done
	return 1
}

supp=$(pidof tee-supplicant)
# a tzm-run left by an earlier case would make every step here fail
no_tzm_run || fail 0 "a tzm-run is left from before this case"
known=0
ms=0
stages=""
while [ "$ms" -le "$max" ]; do
	before=$(threads "$supp")
	: >"$out"
	tzm-run --policy /etc/tzm/echo.policy "$uuid" -- tcp "127.0.0.1:$port" --count 1 \
		>"$out" 2>&1 &
	pid=$!
	sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
	stage=starting
	grep -q 'echo_server: ready' "$out" && stage=serving
	kill -s "$sig" "$pid" 2>/dev/null || stage=ended
	gone "$pid" 10 || fail $ms "tzm-run $pid ($stage) still there 10 s later"
	wait "$pid"
	no_tzm_run || fail $ms "($stage) a tzm-run process (the watchdog?) is left 10 s later"
	for t in $before; do
		[ -e "/proc/$supp/task/$t" ] && continue
		# a thread ended: tee-supplicant's answer failed (its abort path)
		[ "$sig" = KILL ] || fail $ms "($stage) tee-supplicant's thread $t ended after SIGTERM"
		known=$((known + 1))
		echo "sweep-case: SIGKILL at $ms ms ($stage): tee-supplicant's thread $t ended" \
			"(OP-TEE's known issue); restarting it"
		kill "$supp"
		gone "$supp" 10 || fail $ms "tee-supplicant $supp did not end after SIGTERM"
		tee-supplicant >>/tmp/tee-supplicant.log 2>&1 &
		supp=$!
		_i=0
		while ! supp_ready "$supp"; do
			[ $_i -ge 600 ] && fail $ms "the restarted tee-supplicant is not serving"
			sleep 0.1
			_i=$((_i + 1))
		done
		stage="$stage,supplicant-aborted"
		break
	done
	: >"$next"
	tzm-run --policy /etc/tzm/echo.policy "$uuid" -- tcp "127.0.0.1:$((port + 1))" \
		--count 1 >"$next" 2>&1 &
	npid=$!
	wait_line "$next" 'echo_server: ready' "$npid" ||
		fail $ms "($stage) the next session (tzm-run $npid) was not ready in 60 s"
	kill -9 "$npid"
	gone "$npid" 10 || fail $ms "the next session's tzm-run $npid still there 10 s after SIGKILL"
	wait "$npid"
	no_tzm_run || fail $ms "the next session's tzm-run (or its watchdog) is left 10 s later"
	stages="$stages $ms:$stage"
	ms=$((ms + step))
done
[ "$known" -eq 0 ] || echo "@@TZM-KNOWN $case_name $known SIGKILLs during the TA's" \
	"loading ended a tee-supplicant thread (optee_client issue #423)"
echo "sweep-case: ok, each next session was ready; SIG$sig at ms:stage =$stages"
