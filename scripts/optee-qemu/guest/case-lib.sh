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

# report_left TAG: after a failure, what is left: each tzm-run and tee-supplicant thread,
# whether tee-supplicant is gone, its log, the last kernel messages
report_left() {
	for _p in $(pidof tzm-run) $(pidof tee-supplicant); do
		echo "$1: $(tr '\0' ' ' <"/proc/$_p/cmdline" 2>/dev/null)(pid $_p):"
		show "$1" "$_p"
	done
	[ -n "$(pidof tee-supplicant)" ] || echo "$1: tee-supplicant is gone"
	echo "$1: tee-supplicant's log:"
	sed "s/^/$1:   | /" /tmp/tee-supplicant.log
	echo "$1: the last kernel messages:"
	dmesg | tail -20
}
