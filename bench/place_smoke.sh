#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Smoke test of bench/place.sh (ctest bench_place_smoke): a few round trips with the TA on
# a CPU of its own (or all on CPU 0 on a one-CPU machine) and a tput round unpinned; the
# CSVs must have a native and a tzm row of the right form. Nothing here looks at speed.
#   bash bench/place_smoke.sh BUILD_DIR
set -euo pipefail
BUILD=${1:?usage: place_smoke.sh BUILD_DIR}
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(mktemp -d /tmp/tzm-place-smoke.XXXXXX)
trap 'rm -rf "$out"' EXIT
ta_cpu=1
[ "$(nproc)" -ge 2 ] || ta_cpu=0
PLACE_IPC=tcp PLACE_SIZES=64 PLACE_ITERS=20 PLACE_TRIALS=1 \
    bash "$SRC/bench/place.sh" "$BUILD" rtt 0 0 "$ta_cpu" 0 "$out/rtt.csv"
PLACE_IPC=tcp PLACE_TPUT_MB=2 PLACE_ROUNDS=1 \
    bash "$SRC/bench/place.sh" "$BUILD" tput - - - - "$out/tput.csv"
# both paths, numbers where numbers belong
awk -F, 'NR == 1 { if ($0 != "ipc,bytes,path,median_us,p90_us,p99_us,iterations") exit 1; next }
         $1 == "tcp" && $2 == 64 && $4 > 0 && $7 == 20 { seen[$3] = 1 }
         END { exit !(seen["native"] && seen["tzm"]) }' "$out/rtt.csv" ||
    { echo "place_smoke: bad rtt.csv:" >&2; cat "$out/rtt.csv" >&2; exit 1; }
awk -F, 'NR == 1 { if ($0 != "ipc,direction,path,mb_per_s,bytes,rounds") exit 1; next }
         $1 == "tcp" && $4 > 0 { seen[$2 "/" $3] = 1 }
         END { exit !(seen["ca_to_ta/native"] && seen["ca_to_ta/tzm"] && \
                      seen["ta_to_ca/native"] && seen["ta_to_ca/tzm"]) }' "$out/tput.csv" ||
    { echo "place_smoke: bad tput.csv:" >&2; cat "$out/tput.csv" >&2; exit 1; }
echo "place_smoke: ok"
