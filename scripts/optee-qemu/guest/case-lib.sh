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
