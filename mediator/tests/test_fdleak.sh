#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# No fd leak in the shadow: its /proc/<pid>/fd count is the same before and after 2,000
# connect/accept/close cycles of the program (a leak in their path shows after one; 10,000
# took more than the test's 120 s at ctest -j4 on a loaded 2-core machine).
. "$(dirname "$0")/common.sh"
cycles=${CYCLES:-2000}
pol="$TMP/l.policy"
printf 'tcp bind 127.0.0.1 *\ntcp connect 127.0.0.1 *\n' >"$pol"
mkfifo "$TMP/in"
# run_exec: the background subshell becomes tzm-run, so $! is the shadow's pid (with
# `run_tzm ... &` it was a bash subshell's, whose fds were counted instead)
(exec <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; run_exec --policy "$pol" -- fdcycle "$cycles") &
pid=$!
exec 3>"$TMP/in"
if wait_for_line "$TMP/out" '^ready$'; then
    before=$(ls "/proc/$pid/fd" | wc -l)
    echo go >&3
    if wait_for_line "$TMP/out" '^cycled ' 100; then
        after=$(ls "/proc/$pid/fd" | wc -l)
        expect_eq "shadow fds before/after $cycles cycles" "$before" "$after"
    fi
    echo go >&3
fi
exec 3>&-
wait $pid
expect_eq "exit status" 0 "$?"
cat "$TMP/err" >&2
finish
