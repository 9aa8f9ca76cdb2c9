# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the guest's case scripts (busybox sh, installed next to them): what they share.

# wait_line FILE PATTERN PID: returns 0 once FILE has a line matching PATTERN (a server's
# ready line), 1 if process PID ended first or 60 s passed.
wait_line() {
	_wl_i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		if ! kill -0 "$3" 2>/dev/null || [ $_wl_i -ge 600 ]; then
			return 1
		fi
		sleep 0.1
		_wl_i=$((_wl_i + 1))
	done
	return 0
}

# gone PID SECONDS: 0 once PID is no process or a zombie, 1 after SECONDS
gone() {
	_g_i=0
	while [ -e "/proc/$1" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; do
		[ $_g_i -ge $(($2 * 10)) ] && return 1
		sleep 0.1
		_g_i=$((_g_i + 1))
	done
	return 0
}

# show TAG PID: state, wchan, syscall and kernel stack of each thread; a running thread
# shows no stack, so it is sampled for the moments it sleeps
show() {
	for _t in /proc/"$2"/task/*; do
		echo "$1:   task ${_t##*/}: $(cut -d' ' -f3,14,15 "$_t/stat" 2>/dev/null)" \
			"(state utime stime) wchan=$(cat "$_t/wchan" 2>/dev/null)" \
			"syscall=$(cat "$_t/syscall" 2>/dev/null)"
		sed "s/^/$1:     /" "$_t/stack" 2>/dev/null
		if [ "$(cut -d' ' -f3 "$_t/stat" 2>/dev/null)" = R ]; then
			trace_running "$1" "${_t##*/}"
			_s=0
			while [ $_s -lt 200 ]; do
				cat "$_t/stack" 2>/dev/null | head -8 | tr '\n' '|'
				echo
				_s=$((_s + 1))
			done | grep -v '^\[<0>\] 0x0|$' | grep -v '^$' | sort | uniq -c | sort -rn |
				head -5 | sed "s/^/$1:     sampled: /"
		fi
	done
}

# trace_running TAG TID: what a thread that runs in the kernel (state R, no stack to show)
# does there: 0.3 s of the function-graph tracer on it (three levels, the calls it makes
# over and over, counted) and the OP-TEE driver's SMC tracepoints (optee_invoke_fn_begin:
# a0 = the call or the RPC return answered; _end: a0 = what the secure world returned);
# then every CPU's backtrace (sysrq l) from the kernel log. Needs tracefs (Debian's
# kernel has it); says so when it is not there.
trace_running() {
	_tr=/sys/kernel/tracing
	[ -e $_tr/trace ] || mount -t tracefs nodev $_tr 2>/dev/null
	if [ ! -w $_tr/current_tracer ]; then
		echo "$1:     (no tracefs: no trace of thread $2)"
		return 0
	fi
	echo 0 >$_tr/tracing_on
	echo "$2" >$_tr/set_ftrace_pid
	echo "$2" >$_tr/set_event_pid
	echo 3 >$_tr/max_graph_depth
	echo function_graph >$_tr/current_tracer
	echo 1 >$_tr/events/optee/enable 2>/dev/null
	echo >$_tr/trace
	echo 1 >$_tr/tracing_on
	sleep 0.3
	echo 0 >$_tr/tracing_on
	echo "$1:     traced 0.3 s of thread $2 (function_graph, depth 3; optee events):"
	grep -v '^#' $_tr/trace | sed 's/^.*|//' | sed 's/^ *//' | sed 's/[0-9][0-9]*/N/g' |
		sort | uniq -c | sort -rn | head -25 | sed "s/^/$1:       /"
	echo "$1:     its first 60 lines:"
	grep -v '^#' $_tr/trace | head -60 | sed "s/^/$1:       | /"
	echo 0 >$_tr/events/optee/enable 2>/dev/null
	echo nop >$_tr/current_tracer
	echo >$_tr/set_ftrace_pid
	echo >$_tr/set_event_pid
	echo l >/proc/sysrq-trigger 2>/dev/null && sleep 1 &&
		echo "$1:     every CPU's backtrace (sysrq l):" &&
		dmesg | awk '/sysrq: Show backtrace of all active CPUs/ { n = NR } { l[NR] = $0 }
			END { for (i = n; n && i <= NR; i++) print l[i] }' | sed "s/^/$1:       k /"
}

# family PID: the processes whose parent is PID (tzm-run's watchdog): state, and for a
# zombie its exit code (/proc/PID/stat field 52: status as wait() gives it)
family() {
	_f_parent=$1
	for _f_s in /proc/[0-9]*/stat; do
		_f_l=$(cat "$_f_s" 2>/dev/null) || continue
		# shellcheck disable=SC2086 # the fields, one word each (comm has no blank here)
		set -- $_f_l
		if [ "$4" = "$_f_parent" ]; then
			_f_code=$(echo "$_f_l" | awk '{print $52}')
			echo "child of $_f_parent: pid $1 $2 state $3 exit_code $_f_code"
		fi
	done
}

# report_left TAG: after a failure, what is left: each tzm-run and tee-supplicant thread,
# whether tee-supplicant is gone, its log, the last kernel messages
report_left() {
	for _p in $(pidof tzm-run) $(pidof tee-supplicant); do
		echo "$1: $(tr '\0' ' ' <"/proc/$_p/cmdline" 2>/dev/null)(pid $_p):"
		show "$1" "$_p"
		family "$_p" | sed "s/^/$1:   /"
	done
	[ -n "$(pidof tee-supplicant)" ] || echo "$1: tee-supplicant is gone"
	echo "$1: tee-supplicant's log:"
	sed "s/^/$1:   | /" /tmp/tee-supplicant.log
	echo "$1: the last kernel messages:"
	dmesg | tail -20
}
