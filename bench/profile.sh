#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Where does a forwarded round trip's time go? Runs N echo round trips over a UNIX stream
# socket against the native peer and, separately, against the peer TA, under
#   perf trace -s   system calls per process role (client, native peer, shadow = tzm-run,
#                   TA host, tzm-teed) per round trip, with their mean duration
#   perf stat       context switches, CPU migrations, wake-ups and CPU time per round trip
#                   (software events and tracepoints: the VM has no hardware counters)
# and, with PROFILE_CALLGRIND=1, valgrind --tool=callgrind on the shadow (instructions per
# round trip by function; callgrind_annotate output). Results in BUILD_DIR/bench/profile/.
#   bash bench/profile.sh BUILD_DIR [SIZE=4096] [ITERS=5000]
set -euo pipefail
if [ $# -lt 1 ] || [ ! -d "$1" ]; then
    echo "usage: bench/profile.sh BUILD_DIR [SIZE] [ITERS]" >&2
    exit 2
fi
BUILD=$(cd "$1" && pwd)
SIZE=${2:-4096}
ITERS=${3:-5000}
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=$BUILD/bin
UUID=$(sed -n 's/.*TZM_BENCH_PEER_UUID "\([0-9a-f-]*\)".*/\1/p' "$SRC/bench/CMakeLists.txt")
AA=0
OUT=${BENCH_OUT:-$BUILD/bench}/profile
mkdir -p "$OUT"
command -v perf >/dev/null || { echo "profile: perf is not installed" >&2; exit 1; }

# shellcheck source=bench/lib.sh
. "$SRC/bench/lib.sh"
bench_private_tee
bench_tzm_path
if [ "$have_ta" != 1 ]; then
    echo "profile: no TA build of the echo peer" >&2
    exit 1
fi

# Round trips the cpu client makes on the measured connection: handshake, warm-up, run.
total_rt=$((1 + ITERS / 10 + 10 + ITERS))
client=("$BIN/bench_load_client" cpu --ipc unix --native "$BIN/bench_echo_peer"
    --workdir "$WORK" --csv "$OUT/cpu-$SIZE.csv" --size "$SIZE" --iters "$ITERS"
    --idle-seconds 0 --teed-pidfile "$TZM_RUNTIME_DIR/tzm-teed.pid")
rm -f "$OUT"/cpu-"$SIZE".csv

# perf trace -s summary -> "role syscall calls_per_rt mean_us" lines
per_rt() {
    awk -v n="$total_rt" '
    /^ [^ ].* \([0-9]+\), [0-9]+ events/ {
        comm = $1
        role = comm ~ /^bench_load/ ? "client" : comm ~ /^bench_echo/ ? "native_peer" : \
               comm ~ /^tzm-run/ ? "shadow" : comm ~ /^tzm-ta-host/ ? "ta_host" : \
               comm ~ /^tzm-teed/ ? "teed" : "other"
        next
    }
    role != "" && $1 ~ /^[a-z_0-9]+$/ && $2 ~ /^[0-9]+$/ && NF >= 8 {
        calls[role, $1] += $2; msec[role, $1] += $4; seen[role, $1] = 1
    }
    END {
        for (k in seen) {
            split(k, a, SUBSEP)
            if (calls[k] / n >= 0.01)
                printf "%-12s %-16s %8.2f %9.2f\n", a[1], a[2], calls[k] / n, \
                       msec[k] * 1000 / calls[k]
        }
    }' "$1" | sort
}

stat_events=context-switches,cpu-migrations,sched:sched_wakeup,task-clock
for path in native tzm; do
    if [ "$path" = native ]; then
        opts=()
    else
        opts=("${tzm_args[@]}" --skip-native 1)
    fi
    echo "== $path: $ITERS x $SIZE B round trips over UNIX stream =="
    perf trace -s -o "$OUT/trace-$path-$SIZE.txt" -- "${client[@]}" "${opts[@]}" >/dev/null
    {
        echo "# role syscall calls_per_roundtrip mean_us (perf trace -s, $total_rt round trips)"
        per_rt "$OUT/trace-$path-$SIZE.txt"
    } | tee "$OUT/syscalls-$path-$SIZE.txt"
    perf stat -x, -e "$stat_events" -o "$OUT/stat-$path-$SIZE.txt" -- "${client[@]}" "${opts[@]}" \
        >/dev/null
    awk -F, -v n="$total_rt" '$3 != "" && $1 ~ /^[0-9.]+$/ {
        printf "  %-18s %10.2f per round trip (all processes of the run)\n", $3,
               ($3 == "task-clock" ? $1 * 1000 : $1) / n }' "$OUT/stat-$path-$SIZE.txt" |
        sed 's/task-clock  \(.*\) per/task-clock us\1 per/' | tee -a "$OUT/syscalls-$path-$SIZE.txt"
done

if [ "${PROFILE_CALLGRIND:-0}" = 1 ] && command -v valgrind >/dev/null; then
    echo "== callgrind: the shadow (tzm-run), $ITERS x $SIZE B =="
    # valgrind 3.19 lacks openat2, which policy enforcement needs: this run uses
    # --allow-all, so policy checks are missing from the instruction counts.
    rm -f "$OUT"/callgrind.shadow.*
    "${client[@]}" --skip-native 1 --tzm "$(command -v valgrind)" --tzm --tool=callgrind \
        --tzm "--callgrind-out-file=$OUT/callgrind.shadow.%p" --tzm "$TZM_RUN" \
        --tzm --allow-all --tzm "$UUID" --tzm -- >/dev/null
    for f in "$OUT"/callgrind.shadow.*; do
        callgrind_annotate --inclusive=no "$f" 2>/dev/null >"$f.full" || true
        head -n 40 "$f.full" >"$f.txt"
        echo "  $f.txt"
    done
fi
echo "profile: results in $OUT"
