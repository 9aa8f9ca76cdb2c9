#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Runs a libFuzzer target for ${TZM_FUZZ_SECONDS:-30} seconds on a scratch corpus seeded
# with the committed regression inputs (the directory itself stays untouched). libFuzzer
# exits non-zero on any crash, leak or sanitizer report, and so do we.
set -eu
fuzzer=$1
shift
secs=${TZM_FUZZ_SECONDS:-30}
work=${TZM_TEST_TMPDIR:-$(mktemp -d)}/fuzz
mkdir -p "$work/corpus" "$work/artifacts"
for d in "$@"; do
    for f in "$d"/*; do
        [ -f "$f" ] && cp "$f" "$work/corpus/"
    done
done
echo "run-fuzz: $(ls "$work/corpus" | wc -l) seeds, ${secs}s"
rc=0
"$fuzzer" -max_total_time="$secs" -max_len=8192 -timeout=20 -rss_limit_mb=2048 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" || rc=$?
if ls "$work/artifacts/"* >/dev/null 2>&1; then
    echo "run-fuzz: crash artifacts (commit them to mediator/fuzz/regressions/):" >&2
    ls -l "$work/artifacts" >&2
    exit 1
fi
exit $rc
