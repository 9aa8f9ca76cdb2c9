#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# A TA that breaks the wire protocol (breaker.c: a request naming a call slot that does
# not exist): tzm-run says so, stops serving it, and neither side waits forever. In the
# TEE the TA's pending call fails with EIO (it exits 42); a local program has no TEE to
# cancel its wait and is ended. tzm-run exits with 70 either way.
. "$(dirname "$0")/common.sh"
warm_up_tee
# bounded: the old tzm-run waited for ever (timeout's status 124 then fails the test)
timeout 60 ${TZM_EXEC_WRAPPER:-} "$TZMRUN" --allow-all "${TARGET_ARGS[@]}" -- \
    >"$TMP/breach.out" 2>"$TMP/breach.err"
rc=$?
cat "$TMP/breach.err" >&2
expect_eq "tzm-run's exit status" 70 "$rc"
expect_eq "the program ran up to the breach" 1 "$(grep -c '^breaking the protocol$' "$TMP/breach.out")"
expect_eq "the breach is named" 1 "$(grep -c '^tzm-run: the TA broke the wire protocol' "$TMP/breach.err")"
expect_eq "serving stops, said once" 1 "$(grep -c 'stopped serving the TA' "$TMP/breach.err")"
if [ "$MODE" = ta ]; then
    expect_eq "the TA's pending call failed with EIO" 1 "$(grep -c 'exit status 70: the TA broke the wire protocol (its own: 42)' "$TMP/breach.err")"
else
    expect_eq "the local program was ended" 1 "$(grep -c 'did not end within' "$TMP/breach.err")"
fi
finish
