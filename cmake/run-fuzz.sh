#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Runs a libFuzzer target for ${TZM_FUZZ_SECONDS:-30} seconds on a scratch copy of its seed
# directories (they stay untouched), for every fuzz target of the tree:
#
#   run-fuzz.sh [--max-len BYTES] FUZZER DIR...
#
# Seeds are every file in a regressions* DIR (committed crash inputs and hand-made seeds)
# and the *.cbor / *.bin files of any other DIR (attest's test vectors share theirs with
# keys and a README). --max-len defaults to 70000. libFuzzer exits non-zero on any crash,
# leak or sanitizer report, and so do we.
set -eu
max_len=70000
if [ "${1:-}" = --max-len ]; then
    max_len=$2
    shift 2
fi
fuzzer=$1
shift
secs=${TZM_FUZZ_SECONDS:-30}
work=${TZM_TEST_TMPDIR:-$(mktemp -d)}/fuzz
mkdir -p "$work/corpus" "$work/artifacts"
for d in "$@"; do
    for f in "$d"/*; do
        case "$f" in
        */regressions*/* | *.cbor | *.bin) [ -f "$f" ] && cp "$f" "$work/corpus/" ;;
        esac
    done
done
echo "run-fuzz: $(ls "$work/corpus" | wc -l) seeds, ${secs}s"
rc=0
"$fuzzer" -max_total_time="$secs" -max_len="$max_len" -timeout=20 -rss_limit_mb=2048 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" || rc=$?
if ls "$work/artifacts/"* >/dev/null 2>&1; then
    echo "run-fuzz: crash artifacts (commit them to the target's regressions directory):" >&2
    ls -l "$work/artifacts" >&2
    exit 1
fi
exit $rc
