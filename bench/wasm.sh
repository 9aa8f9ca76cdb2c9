#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The `wasm` part of `make bench` (issue 17): compute kernels (bench/kernels.c) as a Wasm TA
# (wasm32-wasi, `tzm wasm build`: wasm2c ahead of time) against the same C built natively,
# measured alternately in one run. Called by bench/run.sh with BIN, WORK, TZM_RUN (empty: no
# TA path), BENCH_AA and the private TEE's environment set.
#   bash bench/wasm.sh CSV UUID
# CSV: kernel,size,path,trial,seconds,cpu_s
#   seconds  the kernel alone, timed by the program (CLOCK_MONOTONIC; start-up and the TA's
#            loading are outside it)
#   cpu_s    CPU (user+sys) of the whole run: native, the process; tzm, tzm-run (the shadow)
#            plus the TA host process (tzm-teed's reaped children's CPU before and after);
#            kernel "startup" (no work) measures the start-up that bench/summary.sh
#            subtracts for the net CPU ratio
# Knobs: BENCH_WASM_TRIALS (7), BENCH_WASM_SHA_MIB (64), BENCH_WASM_MATMUL_N (400: a 200³ multiply is ~15 ms, near the 10 ms CPU tick).
set -euo pipefail
CSV=${1:?usage: wasm.sh CSV UUID} UUID=${2:?}
TRIALS=${BENCH_WASM_TRIALS:-7}
SHA_MIB=${BENCH_WASM_SHA_MIB:-64}
MATMUL_N=${BENCH_WASM_MATMUL_N:-400}
native=$BIN/bench_kernels

# CPU seconds of tzm-teed's waited-for children (fields 16, 17 of /proc/PID/stat, in ticks)
hz=$(getconf CLK_TCK)
teed_children_cpu() {
    local pid stat f
    pid=$(cat "$TZM_RUNTIME_DIR/tzm-teed.pid" 2>/dev/null) || { echo 0; return; }
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || { echo 0; return; }
    stat=${stat##*) } # after the command name, field 3 onwards
    read -ra f <<<"$stat"
    echo $((f[13] + f[14]))
}

# run_one PATH KERNEL SIZE: prints "seconds cpu_s"
run_one() {
    local path=$1 kernel=$2 size=$3 out before after cpu line t
    out=$WORK/wasm-kernel.out
    if [ "$path" = native ] || [ "$BENCH_AA" = 1 ]; then
        cpu=$( { "$native" "$kernel" "$size" >"$out"; times; } | sed -n '2p')
        before=0 after=0
    else
        before=$(teed_children_cpu)
        cpu=$( { "$TZM_RUN" "$UUID" -- "$kernel" "$size" >"$out"; times; } | sed -n '2p')
        # the TA host process is reaped by tzm-teed's event loop, shortly after tzm-run ends
        for t in $(seq 50); do
            after=$(teed_children_cpu)
            [ "$after" != "$before" ] && break
            sleep 0.1
        done
    fi
    line=$(grep "^kernel=$kernel " "$out") || { echo "bench: $path $kernel: no result" >&2; cat "$out" >&2; exit 1; }
    t=${line#*seconds=}
    t=${t%% *}
    echo "$t $(echo "$cpu" | awk -v ta=$((after - before)) -v hz="$hz" '{
        split($1, u, /[ms]/); split($2, s, /[ms]/)
        printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] + ta / hz }') ${line##*check=}"
}

[ -s "$CSV" ] || echo "kernel,size,path,trial,seconds,cpu_s" >"$CSV"
paths=native
[ -n "$TZM_RUN" ] && paths="native tzm"
for spec in "startup 1" "sha256 $SHA_MIB" "matmul $MATMUL_N"; do
    read -r kernel size <<<"$spec"
    for trial in $(seq "$TRIALS"); do
        # ABBA: which path goes first alternates per trial
        order=$paths
        [ $((trial % 2)) = 0 ] && [ "$paths" != native ] && order="tzm native"
        for path in $order; do
            read -r secs cpu check < <(run_one "$path" "$kernel" "$size")
            if [ -z "${ref_check:-}" ]; then
                ref_check=$check
            elif [ "$check" != "$ref_check" ]; then
                echo "bench: $kernel $path: result $check differs from $ref_check" >&2
                exit 1
            fi
            echo "$kernel,$size,$path,$trial,$secs,$cpu" >>"$CSV"
            printf '  %-6s %-5s %-6s trial %d: %s s kernel, %s s CPU\n' "$kernel" "$size" "$path" \
                "$trial" "$secs" "$cpu"
        done
    done
    ref_check=""
done
