#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# INTERRUPT requests from a hostile or buggy TA (interrupt_probe.c): bad lanes, seqs and
# arguments are refused with EINVAL, a call not in flight is answered 0, and neither these
# nor a flood of 2,000 requests against another thread's blocked read harm that read
# (its libtzm sends it again) or the run.
. "$(dirname "$0")/common.sh"
warm_up_tee
timeout 120 ${TZM_EXEC_WRAPPER:-} "$TZMRUN" --allow-all "${TARGET_ARGS[@]}" -- \
    >"$TMP/probe.out" 2>"$TMP/probe.err"
rc=$?
expect_eq "probe exit status" 0 "$rc"
cat >"$TMP/probe.expected" <<EOE
lane -1: EINVAL
lane 32: EINVAL
own lane: EINVAL
seq 0: EINVAL
seq too large: EINVAL
seq not yet submitted: EINVAL
stray argument: EINVAL
blob: EINVAL
idle lane: 0
in flight: 1
again, answered meanwhile: 0
flood: some interrupted yes
first seq again: 0
reader: 1 k
EOE
if ! diff -u "$TMP/probe.expected" "$TMP/probe.out"; then
    fail "INTERRUPT probe results differ"
    cat "$TMP/probe.err" >&2
fi
expect_eq "nothing malformed, no breach" 0 "$(grep -c 'malformed\|broke the wire' "$TMP/probe.err")"
finish
