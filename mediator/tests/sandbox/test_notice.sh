#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# A system call the TEE's sandbox refuses fails with ENOSYS in a POSIX TA, and tzm-run's
# stderr says so once per system call name: "tzm: TA <uuid>: system call 'chmod' (90) is
# not supported in a TA: ENOSYS" (the program makes the call twice).
. "$(dirname "$0")/../common.sh"
if [ "${TZM_INSECURE_NO_SANDBOX:-}" = 1 ]; then
    echo "SKIPPED: TZM_INSECURE_NO_SANDBOX=1 (no seccomp sandbox under qemu-user)"
    exit 77
fi
case $(uname -m) in
x86_64) call="'chmod' (90)" ;;
aarch64) call="'fchmodat' (53)" ;;
*) echo "SKIPPED: no system call number known for $(uname -m)"; exit 77 ;;
esac
run_tzm --allow-all -- >"$TMP/out" 2>"$TMP/err"
expect_eq "exit status" 0 "$?"
expect_eq "both calls failed with ENOSYS" "chmod: -1 ENOSYS|chmod: -1 ENOSYS" \
    "$(paste -sd'|' "$TMP/out")"
line="tzm: TA $TARGET: system call $call is not supported in a TA: ENOSYS"
expect_eq "tzm-run's stderr names the refused call, once" 1 "$(grep -cxF "$line" "$TMP/err")"
if [ "$FAILED" -ne 0 ]; then
    echo "---- stderr ----" >&2
    cat "$TMP/err" >&2
fi
finish
