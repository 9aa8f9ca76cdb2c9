#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# A system call the TEE's sandbox refuses fails with ENOSYS in a POSIX TA, and tzm-run's
# stderr says so once per system call name: "tzm: TA <uuid>: system call 'chmod' (90) is
# not supported in a TA: ENOSYS" (the program makes the call twice). A call the sandbox
# forbids ends the TA (tzm-run 134, tee.log "killed by the sandbox") and is named first:
# "tzm: TA <uuid>: system call 'socket' (41) is forbidden in a TA: the sandbox ends it"
# (before, the TA died with only "the TA panicked"); one forbidden for its arguments
# (kill of pid 1) is named with them; a new SIGSYS action is killed by the kernel. A
# refused openat names its path; glibc's own fatal message (a double free) reaches
# tzm-run's stderr as "tzm: glibc: ..." (it went to the TA host's /dev/null).
# usage: test_notice.sh <tzm-run> ta <uuid> [sanitize]
. "$(dirname "$0")/../common.sh"
if [ "${TZM_INSECURE_NO_SANDBOX:-}" = 1 ]; then
    echo "SKIPPED: TZM_INSECURE_NO_SANDBOX=1 (no seccomp sandbox under qemu-user)"
    exit 77
fi
case $(uname -m) in
x86_64) call="'chmod' (90)" socket="'socket' (41)" kill="'kill' (62)" ;;
aarch64) call="'fchmodat' (53)" socket="'socket' (198)" kill="'kill' (129)" ;;
*) echo "SKIPPED: no system call number known for $(uname -m)"; exit 77 ;;
esac
run_tzm --allow-all -- >"$TMP/out" 2>"$TMP/err"
expect_eq "exit status" 0 "$?"
expect_eq "both calls failed with ENOSYS" "chmod: -1 ENOSYS|chmod: -1 ENOSYS" \
    "$(paste -sd'|' "$TMP/out")"
line="tzm: TA $TARGET: system call $call is not supported in a TA: ENOSYS"
expect_eq "tzm-run's stderr names the refused call, once" 1 "$(grep -cxF "$line" "$TMP/err")"

# forbidden SUFFIX: the TA ends (134) at the call, whose line tzm-run's stderr shows
forbidden() {
    local what=$1 line=$2
    run_tzm --allow-all -- "$what" >"$TMP/out.$what" 2>"$TMP/err.$what"
    expect_eq "$what: the TA ended as a panic" 134 "$?"
    expect_eq "$what: the program did not go on" 0 "$(grep -c "returned" "$TMP/out.$what")"
    if [ -n "$line" ]; then
        expect_eq "$what: named on tzm-run's stderr" 1 "$(grep -cxF "$line" "$TMP/err.$what")"
    fi
    cat "$TMP/err.$what" >>"$TMP/err"
}
forbidden socket "tzm: TA $TARGET: system call $socket is forbidden in a TA: the sandbox ends it"
forbidden kill "tzm: TA $TARGET: system call $kill with arguments (0x1, 0x0, 0x0, ...) is forbidden in a TA: the sandbox ends it"
forbidden sigsys ""

case $(uname -m) in x86_64) openat="'openat' (257)" ;; *) openat="'openat' (56)" ;; esac
run_tzm --allow-all -- opendir >"$TMP/out.opendir" 2>"$TMP/err.opendir"
expect_eq "opendir: the TA went on" 0 "$?"
expect_eq "opendir: ENOSYS" 1 "$(grep -cx "opendir: -1 ENOSYS" "$TMP/out.opendir")"
expect_eq "opendir: the line names the path" 1 "$(grep -cxF \
    "tzm: TA $TARGET: system call $openat on \"/nonexistent-tzm-dir\" is not supported in a TA: ENOSYS" \
    "$TMP/err.opendir")"
cat "$TMP/err.opendir" >>"$TMP/err"

# glibc's own fatal message (to the TA host's fd 2, /dev/null) reaches tzm-run's stderr;
# not in a sanitizer build (ASan reports the double free itself, into tee.log)
if [ "${4:-}" != sanitize ]; then
    run_tzm --allow-all -- doublefree >"$TMP/out.df" 2>"$TMP/err.df"
    expect_eq "doublefree: the TA ended as a panic" 134 "$?"
    expect_eq "doublefree: glibc's message on tzm-run's stderr" 1 \
        "$(grep -cxF "tzm: glibc: free(): double free detected in tcache 2" "$TMP/err.df")"
    cat "$TMP/err.df" >>"$TMP/err"
fi

if [ "$FAILED" -ne 0 ]; then
    echo "---- stderr ----" >&2
    cat "$TMP/err" >&2
fi
finish
