#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The smoke program must give the same transcript and exit status natively and through the
# mediator (local transport or TA).
. "$(dirname "$0")/common.sh"
mkdir -p "$TMP/native" "$TMP/med"
SMOKE_VALUE=v42 ${TZM_EXEC_WRAPPER:-} "$NATIVE" "$TMP/native" v42 >"$TMP/native.out" 2>"$TMP/native.err"
nrc=$?
SMOKE_VALUE=v42 run_tzm --allow-all --env SMOKE_VALUE -- "$TMP/med" v42 \
    >"$TMP/med.out" 2>"$TMP/med.err"
mrc=$?
expect_eq "exit status" "$nrc" "$mrc"
expect_eq "exit status value" 3 "$mrc"
if ! diff -u "$TMP/native.out" "$TMP/med.out"; then
    fail "transcripts differ"
    cat "$TMP/med.err" >&2
fi
grep -q "WARNING: --allow-all" "$TMP/med.err" || fail "--allow-all not announced"
# TZM_CHAN_STATS=1: same transcript, plus the doorbell counters and the per-call timeline
SMOKE_VALUE=v42 TZM_CHAN_STATS=1 run_tzm --allow-all --env SMOKE_VALUE -- "$TMP/med" v42 \
    >"$TMP/stats.out" 2>"$TMP/stats.err"
expect_eq "exit status with TZM_CHAN_STATS" 3 "$?"
diff -q "$TMP/native.out" "$TMP/stats.out" >/dev/null || fail "TZM_CHAN_STATS changed the transcript"
grep -q "^tzm-run: doorbell (answered while spinning/after sleeping): shadow next [0-9]*/[0-9]*" \
    "$TMP/stats.err" || fail "no doorbell counters with TZM_CHAN_STATS=1"
grep -Eq "^timeline \(median us: .*write [0-9.]+ / [0-9.]+ / [0-9.]+ \([1-9][0-9]* calls\)" \
    "$TMP/stats.err" || fail "no per-call timeline with TZM_CHAN_STATS=1"
grep -q "doorbell" "$TMP/med.err" && fail "statistics printed without TZM_CHAN_STATS"
# no --env: the TA must not see the variable
SMOKE_VALUE=v42 run_tzm --allow-all -- "$TMP/med" v42 >"$TMP/noenv.out" 2>&1
# (the program's check of the variable fails: the test harness's status 1 and report)
expect_eq "env not passed without --env" 1 "$?"
grep -q "env=(none)" "$TMP/noenv.out" || fail "TA saw an environment variable not passed"
grep -q 'FAIL .*ASSERT_NOT_NULL(getenv("SMOKE_VALUE"))' "$TMP/noenv.out" ||
    fail "the failure is not the missing variable's check"
finish
