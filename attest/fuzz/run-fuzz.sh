#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Runs a libFuzzer target for ${TZM_FUZZ_SECONDS:-30} seconds on a scratch copy of the
# seed corpus (seed directories stay untouched; only *.cbor / *.bin and regression files are
# seeds). libFuzzer exits non-zero on any crash, leak or sanitizer report, and so do we.
set -eu
fuzzer=$1
shift
secs=${TZM_FUZZ_SECONDS:-30}
work=${TZM_TEST_TMPDIR:-$(mktemp -d)}/fuzz
mkdir -p "$work/corpus" "$work/artifacts"
for d in "$@"; do
    for f in "$d"/*; do
        case "$f" in
        *.cbor | *.bin | */regressions/*) [ -f "$f" ] && cp "$f" "$work/corpus/" ;;
        esac
    done
done
echo "run-fuzz: $(ls "$work/corpus" | wc -l) seeds, ${secs}s"
rc=0
"$fuzzer" -max_total_time="$secs" -max_len=70000 -timeout=20 -rss_limit_mb=2048 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" || rc=$?
if ls "$work/artifacts/"* >/dev/null 2>&1; then
    echo "run-fuzz: crash artifacts (commit them to the target's fuzz/regressions/):" >&2
    ls -l "$work/artifacts" >&2
    exit 1
fi
exit $rc
