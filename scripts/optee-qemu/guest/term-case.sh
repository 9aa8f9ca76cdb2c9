#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs in the QEMU guest (busybox sh): tzm-run ended by SIGTERM and by SIGKILL at each
# point of its start, reached deterministically (not after a delay), must be gone within
# WAIT_S with nothing left behind (no watchdog), and the next session of the same TA
# must start and serve (which it cannot while the killed run's TA instance still holds
# the TA: OP-TEE makes a new session of a UUID wait while another instance of it is
# still being initialised). The points:
#   open        OpenSession in flight: tzm-run stops itself before TEEC_OpenSession
#               (TZM_TEST_STOP_AT=open), tee-supplicant is stopped, tzm-run continues
#               into the open ioctl and waits there for the TA's loading (its
#               /proc/PID/syscall shows the ioctl TEE_IOC_OPEN_SESSION, its stack
#               optee_supp_thrd_req); the signal comes, then tee-supplicant continues.
#   loading     OpenSession in flight while tee-supplicant handles its request: the
#               TA file is a FIFO for that step, so tee-supplicant's open of it waits
#               (one of its threads sleeps in openat) while tzm-run waits in the open
#               ioctl; the signal comes, then the FIFO is fed and the file restored.
#               On Linux >= 6.1.130/6.12.17 (optee supplicant wait made killable, then
#               "prevent use-after-free when the client exits before the supplicant")
#               the reply to a dead client fails with EBADF and tee-supplicant 4.10
#               exits on it (optee_client issue #423, PR #424): every later TA load
#               then waits for ever. tzm-run therefore holds a SIGTERM (any signal it
#               could die of) until the open returns; SIGKILL cannot be held. Checked:
#               tee-supplicant must still be there; if it is not, the step fails, its
#               log is shown and it is restarted for the steps after it. Only for
#               SIGKILL here, when the very thread that answered our request ended
#               (tee-supplicant's abort path: its answer failed), the step is reported
#               as OP-TEE's known issue (a @@TZM-KNOWN line, which run.sh's table shows)
#               instead of failing the case. tee-supplicant's trace (stdout, buffered)
#               shows "TEE_IOC_SUPPL_SEND: Bad file descriptor" when it exits by itself.
#   opened      the session is open, nothing else is (TZM_TEST_STOP_AT=opened)
#   invoke      channel and watchdog set up, the invoke that runs the TA not yet made
#   first-call  the invoke is in flight and the TA's first call reached tzm-run, which
#               does not answer it
#   serving     the TA serves (its ready line)
# At the stopped points the signal is sent to the stopped tzm-run, then SIGCONT.
# A failure names the signal and the point and shows the state of what is left.
#   term-case.sh UUID PORT
. "$(dirname "$0")/case-lib.sh"
uuid=$1 port=$2
# SIGKILL: the watchdog's cancellation ends the TA at once (1 s measured). SIGTERM: an
# OP-TEE TA takes no signals, so tzm-run ends the run at once (flag, cancel, dies of it);
# the TA sees the flag, waits at most libtzm's CANCEL_GRACE_MS (1 s) for an answer, and
# libtzm then ends its run (rpc.c channel_dead): gone within 2 s (2026-12-07). Before the
# channel exists a SIGTERM is tzm-run's own death; once it exists and before the TA
# attached, tzm-run waits its 3 s grace (run_signals.c) for a TA that may take it.
WAIT_S=10
out=/tmp/term-case.out
next=/tmp/term-case.next
OPEN_IOCTL=0x8010a402 # TEE_IOC_OPEN_SESSION = _IOR(0xa4, 2, struct tee_ioctl_buf_data)

# stopped PID: 0 when a thread of PID is stopped (state T: the whole process stops)
stopped() {
	for _s_t in /proc/"$1"/task/*; do
		[ "$(cut -d' ' -f3 "$_s_t/stat" 2>/dev/null)" = T ] && return 0
	done
	return 1
}

# wait_until SECONDS COMMAND...: 0 once COMMAND succeeds, 1 after SECONDS
wait_until() {
	_w_n=$(($1 * 10))
	shift
	_w_i=0
	while ! "$@"; do
		[ $_w_i -ge $_w_n ] && return 1
		sleep 0.1
		_w_i=$((_w_i + 1))
	done
	return 0
}

no_tzm_run() { [ -z "$(pidof tzm-run)" ]; }

# supp_in_openat PID: a thread of tee-supplicant PID sleeps in openat (the FIFO); its
# id in fifo_tid
supp_in_openat() {
	for _o_t in /proc/"$1"/task/*; do
		if [ "$(cut -d' ' -f1 "$_o_t/syscall" 2>/dev/null)" = 56 ]; then
			fifo_tid=${_o_t##*/}
			return 0
		fi
	done
	return 1
}

# supp_answered PID: tee-supplicant's thread fifo_tid is back waiting for requests, or
# gone (with the whole tee-supplicant when its answer failed)
supp_answered() {
	[ ! -e "/proc/$1/task/$fifo_tid" ] ||
		[ "$(cut -d' ' -f1,3 "/proc/$1/task/$fifo_tid/syscall" 2>/dev/null)" = "29 0x8010a406" ]
}

# supp_ready PID: a thread of tee-supplicant PID waits for requests (TEE_IOC_SUPPL_RECV)
supp_ready() {
	for _r_t in /proc/"$1"/task/*; do
		[ "$(cut -d' ' -f1,3 "$_r_t/syscall" 2>/dev/null)" = "29 0x8010a406" ] && return 0
	done
	return 1
}

# ended_or_holds PID: PID has ended, or said that it holds a signal until the open returns
ended_or_holds() {
	gone "$1" 0 || grep -q 'while the TEE opens the session' "$out"
}

# in_open PID: PID's main thread sleeps in the open-session ioctl (/proc/PID/syscall
# names the call of a sleeping thread only; the wait for tee-supplicant is killable, D)
in_open() {
	[ "$(cut -d' ' -f1,3 "/proc/$1/syscall" 2>/dev/null)" = "29 $OPEN_IOCTL" ]
}

fail() { # SIG POINT MESSAGE: what is left, then exit 1
	echo "term-case: FAIL: SIG$1 at $2: $3"
	echo "term-case: the killed run's output:"
	cat "$out"
	report_left term-case
	exit 1
}

supp=$(pidof tee-supplicant)
[ -n "$supp" ] || { echo "term-case: no tee-supplicant"; exit 1; }
ta=/lib/optee_armtz/$uuid.ta
n=0
failed=
aborted=
for sig in TERM KILL; do
	for point in open loading opened invoke first-call serving; do
		n=$((n + 1))
		t0=$(date +%s)
		: >"$out"
		if [ "$point" = loading ]; then
			if ! mv "$ta" "$ta.real" || ! mkfifo "$ta"; then
				fail $sig $point "cannot make $ta a FIFO"
			fi
			tzm-run --policy /etc/tzm/echo.policy "$uuid" -- tcp "127.0.0.1:$port" \
				--count 1 >"$out" 2>&1 &
			pid=$!
			if ! wait_until 60 supp_in_openat "$supp" || ! wait_until 60 in_open "$pid"; then
				cat "$ta.real" >"$ta" &
				rm -f "$ta" && mv "$ta.real" "$ta"
				fail $sig $point "tee-supplicant not in openat or tzm-run not in the open"
			fi
		elif [ "$point" = serving ]; then
			tzm-run --policy /etc/tzm/echo.policy "$uuid" -- tcp "127.0.0.1:$port" \
				--count 1 >"$out" 2>&1 &
			pid=$!
			wait_line "$out" 'echo_server: ready' "$pid" || fail $sig $point "not ready"
		else
			TZM_TEST_STOP_AT=$point tzm-run --policy /etc/tzm/echo.policy "$uuid" -- \
				tcp "127.0.0.1:$port" --count 1 >"$out" 2>&1 &
			pid=$!
			if ! wait_line "$out" "TZM_TEST_STOP_AT: stopped at $point" "$pid" ||
				! wait_until 60 stopped "$pid"; then
				fail $sig $point "did not stop there"
			fi
		fi
		if [ "$point" = open ]; then
			kill -STOP "$supp"
			kill -CONT "$pid"
			if ! wait_until 60 in_open "$pid"; then
				kill -CONT "$supp"
				fail $sig $point "not waiting in TEE_IOC_OPEN_SESSION"
			fi
		fi
		echo "term-case: SIG$sig at $point ($(($(date +%s) - t0)) s from the start)"
		kill -s "$sig" "$pid" || fail $sig $point "tzm-run $pid ended before the signal"
		case $point in
		open) kill -CONT "$supp" ;;
		loading)
			# once tzm-run is gone (SIGKILL) or holds the signal (SIGTERM: run.h,
			# tzm__sig_hold_begin), tee-supplicant reads the FIFO (its fseek fails:
			# the load fails) and answers the request
			wait_until 60 ended_or_holds "$pid" ||
				fail $sig $point "tzm-run neither ended nor held the signal"
			cat "$ta.real" >"$ta" 2>/dev/null
			rm -f "$ta" && mv "$ta.real" "$ta"
			wait_until 60 supp_answered "$supp" ||
				fail $sig $point "tee-supplicant did not answer the request"
			aborted=
			if [ ! -e "/proc/$supp/task/$fifo_tid" ]; then
				# its answer failed: the thread stopped serving, and the others stop
				# at their next request (tee_supplicant.c: arg->abort); end it all (its
				# trace, stdout to a file, is lost unless the main thread was the one)
				aborted=1
				kill "$supp"
				gone "$supp" 60 ||
					fail $sig $point "tee-supplicant $supp did not end after SIGTERM"
			fi
			;;
		serving) ;;
		*) kill -CONT "$pid" ;;
		esac
		t1=$(date +%s)
		gone "$pid" "$WAIT_S" || fail $sig $point "tzm-run $pid still there ${WAIT_S}s later"
		wait "$pid"
		echo "term-case: gone, exit $? (within $(($(date +%s) - t1)) s)"
		wait_until "$WAIT_S" no_tzm_run ||
			fail $sig $point "a tzm-run process (the watchdog?) is left ${WAIT_S}s later"
		sed 's/^/term-case:   | /' "$out"
		if [ -z "$(pidof tee-supplicant)" ]; then
			if [ "$sig$point" = KILLloading ] && [ -n "$aborted" ]; then
				# OP-TEE's, not ours (header): reported, not counted
				echo "@@TZM-KNOWN term_ta SIGKILL during the TA's loading:" \
					"tee-supplicant's thread that answered the revoked request" \
					"stopped serving (EBADF; optee_client issue #423)"
			else
				echo "term-case: FAIL: SIG$sig at $point: tee-supplicant stopped serving"
				failed="$failed SIG$sig@$point"
			fi
			echo "term-case: tee-supplicant's log:"
			sed 's/^/term-case:   | /' /tmp/tee-supplicant.log
			: >/tmp/tee-supplicant.log
			tee-supplicant >>/tmp/tee-supplicant.log 2>&1 &
			supp=$!
			wait_until 60 supp_ready "$supp" || fail $sig $point "tee-supplicant restart"
			echo "term-case: tee-supplicant restarted (pid $supp) for the next steps"
		fi
		# the next session of the same TA must start (60 s to be ready) and serve
		: >"$next"
		tzm-run --policy /etc/tzm/echo.policy "$uuid" -- tcp "127.0.0.1:$((port + 1))" \
			--count 1 >"$next" 2>&1 &
		npid=$!
		if ! wait_line "$next" 'echo_server: ready' "$npid"; then
			echo "term-case: the next session's output:"
			cat "$next"
			fail $sig $point "the next session of the TA (tzm-run $npid) was not ready in 60 s"
		fi
		if ! r=$(echo_client tcp "127.0.0.1:$((port + 1))" -n 5 -s 4096); then
			cat "$next"
			fail $sig $point "the next session did not serve: $r"
		fi
		wait "$npid" || fail $sig $point "the next session's tzm-run exited $?"
		echo "term-case: SIG$sig at $point: ok, the next session served ($r)"
	done
done
if [ -n "$failed" ]; then
	echo "term-case: FAIL: tee-supplicant exited after:$failed (the other steps passed)"
	exit 1
fi
echo "term-case: ok ($n kills at every start point; each time the next session served)"
