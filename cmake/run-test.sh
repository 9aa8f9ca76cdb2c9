#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Runs one test with a private emulated TEE: fresh runtime and state directories, and on
# exit the tzm-teed that the test started on demand (if any) is stopped and the
# directories removed. Exit status is the test's.
set -u
root=$(mktemp -d "${TMPDIR:-/tmp}/tzm-test.XXXXXX")
export TZM_RUNTIME_DIR="$root/run"
export TZM_STATE_DIR="$root/state"
export TZM_TEST_TMPDIR="$root/tmp"
mkdir -p "$TZM_RUNTIME_DIR" "$TZM_STATE_DIR" "$TZM_TEST_TMPDIR"
chmod 700 "$root" "$TZM_RUNTIME_DIR" "$TZM_STATE_DIR"
. "$(dirname "$0")/tzm-proc.sh"

cleanup() {
    if [ -f "$TZM_RUNTIME_DIR/tzm-teed.pid" ]; then
        pid=$(cat "$TZM_RUNTIME_DIR/tzm-teed.pid" 2>/dev/null || true)
        if [ -n "${pid:-}" ] && tzm_alive "$pid"; then
            kill -TERM "$pid" 2>/dev/null || true
            tzm_wait_gone "$pid" 50 || kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    # Sanitizer builds send TA host and tzm-teed reports to tee.log (tee/README.md); a
    # report fails the test unless the test declares it provokes them on purpose.
    if [ "${TZM_EXPECT_SANITIZER_REPORTS:-0}" != 1 ] && [ -f "$TZM_RUNTIME_DIR/tee.log" ] &&
        grep -qE 'ERROR: [A-Za-z]+Sanitizer|runtime error:' "$TZM_RUNTIME_DIR/tee.log"; then
        echo "run-test: sanitizer report in tee.log:" >&2
        grep -E -A30 'ERROR: [A-Za-z]+Sanitizer|runtime error:' "$TZM_RUNTIME_DIR/tee.log" | head -60 >&2
        rc=1
    fi
    if [ "${TZM_KEEP_TEST_DIR:-0}" = 1 ]; then
        echo "run-test: kept $root" >&2
    else
        if [ -s "$TZM_RUNTIME_DIR/tee.log" ] && [ "${rc:-0}" -ne 0 ]; then
            echo "---- tee.log (last 60 lines) ----" >&2
            tail -n 60 "$TZM_RUNTIME_DIR/tee.log" >&2
        fi
        rm -rf "$root"
    fi
    exit "${rc:-1}"
}
trap cleanup EXIT
# Cross builds: run foreign-architecture ELF test programs through the emulator
# (there is no binfmt_misc on the build machines).
if [ -n "${TZM_EXEC_WRAPPER:-}" ] && [ -f "$1" ] && [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = "177ELF" ]; then
    # shellcheck disable=SC2086
    $TZM_EXEC_WRAPPER "$@"
else
    "$@"
fi
rc=$?
exit $rc
