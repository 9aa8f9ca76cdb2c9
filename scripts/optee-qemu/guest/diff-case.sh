#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs in the QEMU guest (busybox sh): one family of the differential suite
# (mediator/tests/diff) on real OP-TEE. The same program runs natively (glibc) and as an
# OP-TEE TA through tzm-run, each in its own scratch dir; both must exit 0 (the programs
# check every result themselves) and their transcripts must be identical, as in
# mediator/tests/diff/run_diff.sh (bash, not in the guest).
#   diff-case.sh FAMILY UUID     (native program: tzm_diff_FAMILY; policy:
#                                 /etc/tzm/diff/FAMILY.policy.in, @SCRATCH@ replaced)
fam=$1 uuid=$2
base=/tmp/diff-$fam
rm -rf "$base"
mkdir -p "$base/native" "$base/ta"
(cd "$base/native" && "tzm_diff_$fam" "$base/native") >"$base/native.out" 2>"$base/native.err"
rc_native=$?
sed "s|@SCRATCH@|$base/ta|g" "/etc/tzm/diff/$fam.policy.in" >"$base/ta.policy"
(cd "$base/ta" && tzm-run --policy "$base/ta.policy" "$uuid" -- "$base/ta") \
	>"$base/ta.out" 2>"$base/ta.err"
rc_ta=$?
fail=0
for side in native ta; do
	eval rc=\$rc_$side
	if [ "$rc" != 0 ] || ! grep -q '^# end$' "$base/$side.out"; then
		echo "diff-case: $fam: $side run exited $rc or its transcript is incomplete:"
		tail -n 20 "$base/$side.out" "$base/$side.err"
		fail=1
	fi
done
if ! diff -u "$base/native.out" "$base/ta.out"; then
	echo "diff-case: $fam: transcripts differ (native vs OP-TEE TA); TA stderr:"
	tail -n 20 "$base/ta.err"
	fail=1
fi
grep '^stdio-err:' "$base/native.err" >"$base/native.se"
grep '^stdio-err:' "$base/ta.err" >"$base/ta.se"
if ! diff -u "$base/native.se" "$base/ta.se"; then
	echo "diff-case: $fam: stdio-err lines differ"
	fail=1
fi
[ $fail -eq 0 ] || exit 1
echo "diff-case: $fam: native and OP-TEE TA transcripts identical" \
	"($(grep -c '' "$base/native.out") lines)"
