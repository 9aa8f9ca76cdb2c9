#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The realm process's seccomp sandbox (mediator/ta/sandbox_realm.c): a system call it
# refuses (chmod; fchmodat on aarch64), made with the system call instruction itself, fails
# with ENOSYS in a realm program under `tzm realm run`, and stderr says so once per call.
#
# usage: test_realm_sandbox.sh TZM_REALM TZM_RUN IMAGE
set -u
tzm_realm=$1 tzm_run=$2 image=$3
if [ "${TZM_INSECURE_NO_SANDBOX:-}" = 1 ]; then
    echo "SKIPPED: TZM_INSECURE_NO_SANDBOX=1 (no seccomp sandbox under qemu-user)"
    exit 77
fi
case $(uname -m) in
x86_64) nr=90 ;;
aarch64) nr=53 ;;
*) echo "SKIPPED: no system call number known for $(uname -m)"; exit 77 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TZM_RUNTIME_DIR=$tmp
rc=0
# `tzm realm run` natively; tzm-run --realm (the same thing) under an emulator wrapper
if [ -n "${TZM_EXEC_WRAPPER:-}" ]; then
    ${TZM_EXEC_WRAPPER} "$tzm_run" --realm --allow-all "$image" >"$tmp/out" 2>"$tmp/err" || rc=$?
else
    "$tzm_realm" run --allow-all "$image" >"$tmp/out" 2>"$tmp/err" || rc=$?
fi
fail=0
[ "$rc" -eq 0 ] || { echo "FAIL: exit status $rc"; fail=1; }
[ "$(paste -sd'|' "$tmp/out")" = "chmod: -1 ENOSYS|chmod: -1 ENOSYS" ] ||
    { echo "FAIL: want both calls refused with ENOSYS, got: $(cat "$tmp/out")"; fail=1; }
line="tzm: realm: system call $nr is not supported in a realm: ENOSYS"
[ "$(grep -cxF "$line" "$tmp/err")" -eq 1 ] || { echo "FAIL: no single line '$line'"; fail=1; }
if [ "$fail" -ne 0 ]; then
    echo "---- stderr ----"
    cat "$tmp/err"
    exit 1
fi
echo "test_realm_sandbox: passed"
