#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The tzm front end: help, version, unknown commands, and dispatch to tzm-<command>.
set -u
tzm=$1
# Cross builds run the aarch64 tzm under qemu (see cmake/tzm-exec.sh).
. "$(dirname "$0")/../../cmake/tzm-exec.sh"
fail() { echo "FAIL: $*"; exit 1; }

tzm_exec "$tzm" --help | grep -q "usage: tzm" || fail "--help does not print usage"
tzm_exec "$tzm" --version | grep -Eq '^tzm [0-9]+\.[0-9]+\.[0-9]+$' || fail "--version"
tzm_exec "$tzm" >/dev/null 2>&1; [ $? -eq 2 ] || fail "no command must exit 2"
tzm_exec "$tzm" frobnicate >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown command must exit 2"
tzm_exec "$tzm" frobnicate 2>&1 | grep -q "not a tzm command" || fail "unknown command message"

# Dispatch: a copy of tzm beside a fake tzm-run receives the arguments unchanged.
dir=$(mktemp -d "${TZM_TEST_TMPDIR:-/tmp}/tzmcli.XXXXXX")
cp "$tzm" "$dir/tzm"
printf '#!/bin/sh\necho "fake-run:$0:$*"\nexit 7\n' > "$dir/tzm-run"
chmod +x "$dir/tzm-run"
out=$(PATH=/usr/bin:/bin tzm_exec "$dir/tzm" run --policy p.conf x -- a b)
rc=$?
[ $rc -eq 7 ] || fail "exit status of the command not returned (got $rc)"
[ "$out" = "fake-run:$dir/tzm-run:--policy p.conf x -- a b" ] || fail "dispatch got '$out'"
rm -rf "$dir"
echo "tzm cli: all checks passed"
