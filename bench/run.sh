#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# tzmediator benchmark driver (`make bench`): CA<->CA (native echo peer) versus CA<->TA (the
# same echo peer as a TA behind the mediator), measured side by side in one run.
#
#   bash bench/run.sh [--smoke] BUILD_DIR
#
# Results go to BUILD_DIR/bench/ (BENCH_OUT overrides): rtt.csv, rtt_trials.csv (each
# trial's median), rate.csv, throughput.csv, concurrency.csv, cpu.csv, threads.csv (and
# threads_trials.csv: each trial's figures), machine.txt,
# summary.md and the plots rtt_4k.png and rtt_sweep.png. The run uses a private emulated
# TEE (own runtime/state directories, the build tree's TAs and tzm-teed), stopped at the end.
#
# --smoke: tiny counts, results in a scratch directory, and bench/check_csv.sh checks that
# every CSV (and plot) is well formed. Never a timing assertion.
#
# Knobs (environment): BENCH_ITERS (10000 round trips per size and path), BENCH_TRIALS (5
# sets of freshly started peers sharing those), BENCH_WARMUP (500 per trial), BENCH_BLOCK
# (100), BENCH_SIZES (64,1024,4096,16384,65536), BENCH_ROUNDS (5), BENCH_RATE_SECONDS (1),
# BENCH_TPUT_MB (256), BENCH_TPUT_UNIT (65536: bytes per read/write of the bulk stream on
# both sides, up to 1 MiB), BENCH_SPLIT_MIN (the peer TA's TZM_SPLIT_MIN: libtzm's split
# threshold, bench/README.md), BENCH_CONC_SECONDS (2), BENCH_CPU_ITERS (10000), BENCH_IDLE_SECONDS
# (10), BENCH_ONLY (space-separated subset of "rtt rate tput conc cpu threads http wasm"; "realm":
# only the realm rows of rtt; "wasm": the compute kernels and the Wasm TA's 4 KB round
# trips, BENCH_WASM_ITERS), BENCH_AA=1 (A/A
# calibration: the "tzm" path runs a second native peer, so the ratios show the noise
# floor of the method itself), TZM_RUN (the tzm-run executable, if not in the build tree),
# BENCH_IPCS (subset of "fifo unix tcp udp"; throughput, concurrency and CPU use its
# stream kinds). Cross builds run every program through TZM_EXEC_WRAPPER; under it the
# smoke run defaults to "tcp udp": qemu-user 7.2 has no openat2, without which the
# shadow's path policy (rightly) refuses FIFOs and UNIX socket paths.
# The application benchmark (part "http", bench/http.sh: examples/httpd driven by wrk) has
# its own knobs BENCH_HTTP_SECONDS (5), BENCH_HTTP_TRIALS (3), BENCH_HTTP_CONNS ("1 16"); it
# needs wrk (scripts/setup-deps.sh installs it) and is skipped, saying so, without it or
# under TZM_EXEC_WRAPPER.
# The thread-per-connection part (part "threads": bench/thread_peer.c built natively and as
# a TA, driven by `bench_load_client threads`) has BENCH_THREADS_CONNS (1,4,16: concurrent
# connections, at most 31, a TA's 32 lanes minus main's), BENCH_THREADS_SIZES (64,4096),
# BENCH_THREADS_MS (1000 per measurement), BENCH_THREADS_TRIALS (BENCH_TRIALS) and
# BENCH_THREADS_WARMUP (100 unrecorded round trips per connection before each measurement).
set -euo pipefail

smoke=0
if [ "${1:-}" = "--smoke" ]; then
    smoke=1
    shift
fi
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
    echo "usage: bench/run.sh [--smoke] BUILD_DIR" >&2
    exit 2
fi
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=$BUILD/bin
UUID=${TZM_BENCH_UUID:-$(sed -n 's/.*TZM_BENCH_PEER_UUID "\([0-9a-f-]*\)".*/\1/p' \
    "$SRC/bench/CMakeLists.txt")}

if [ "$smoke" -eq 1 ]; then
    : "${BENCH_ITERS:=20}" "${BENCH_WARMUP:=5}" "${BENCH_BLOCK:=10}" "${BENCH_SIZES:=4096}"
    : "${BENCH_ROUNDS:=1}" "${BENCH_TRIALS:=2}" "${BENCH_RATE_SECONDS:=1}" "${BENCH_TPUT_MB:=2}"
    : "${BENCH_CONC_SECONDS:=1}" "${BENCH_CPU_ITERS:=20}" "${BENCH_IDLE_SECONDS:=1}"
    : "${BENCH_THREADS_MS:=100}" "${BENCH_THREADS_TRIALS:=2}" "${BENCH_THREADS_WARMUP:=5}"
    OUT=${BENCH_OUT:-${TZM_TEST_TMPDIR:-$(mktemp -d /tmp/tzm-bench-smoke.XXXXXX)}/bench}
else
    OUT=${BENCH_OUT:-$BUILD/bench}
fi
ITERS=${BENCH_ITERS:-10000}
WARMUP=${BENCH_WARMUP:-500}
BLOCK=${BENCH_BLOCK:-100}
SIZES=${BENCH_SIZES:-64,1024,4096,16384,65536}
ROUNDS=${BENCH_ROUNDS:-5}
TRIALS=${BENCH_TRIALS:-5}
RATE_SECONDS=${BENCH_RATE_SECONDS:-1}
TPUT_MB=${BENCH_TPUT_MB:-256}
TPUT_UNIT=${BENCH_TPUT_UNIT:-65536}
CONC_SECONDS=${BENCH_CONC_SECONDS:-2}
CPU_ITERS=${BENCH_CPU_ITERS:-10000}
IDLE_SECONDS=${BENCH_IDLE_SECONDS:-10}
THREADS_CONNS=${BENCH_THREADS_CONNS:-1,4,16}
THREADS_SIZES=${BENCH_THREADS_SIZES:-64,4096}
THREADS_MS=${BENCH_THREADS_MS:-1000}
THREADS_TRIALS=${BENCH_THREADS_TRIALS:-$TRIALS}
THREADS_WARMUP=${BENCH_THREADS_WARMUP:-100}
ONLY=${BENCH_ONLY:-rtt rate tput conc cpu threads http wasm}
if [ "$smoke" -eq 1 ]; then
    : "${BENCH_HTTP_SECONDS:=1}" "${BENCH_HTTP_TRIALS:=1}"
    : "${BENCH_WASM_TRIALS:=2}" "${BENCH_WASM_SHA_MIB:=1}" "${BENCH_WASM_MATMUL_N:=20}"
fi
export BENCH_HTTP_SECONDS BENCH_HTTP_TRIALS BENCH_WASM_TRIALS BENCH_WASM_SHA_MIB BENCH_WASM_MATMUL_N
if [ "$smoke" -eq 1 ] && [ -n "${TZM_EXEC_WRAPPER:-}" ]; then
    : "${BENCH_IPCS:=tcp udp}"
    echo "bench: under TZM_EXEC_WRAPPER (emulator): IPC kinds limited to $BENCH_IPCS"
fi
IPCS=${BENCH_IPCS:-fifo unix tcp udp}
STREAMS=""
for ipc in $IPCS; do
    case $ipc in
    fifo | udp) ;;
    unix | tcp) STREAMS="$STREAMS $ipc" ;;
    *)
        echo "bench: BENCH_IPCS: unknown IPC kind $ipc" >&2
        exit 2
        ;;
    esac
done
STREAMS=${STREAMS# }
CPU_IPC=${STREAMS%% *} # unix when measured, else tcp
AA=${BENCH_AA:-0}

for b in bench_rtt_client bench_load_client bench_echo_peer; do
    if [ ! -x "$BIN/$b" ]; then
        echo "bench: $BIN/$b missing; build first (make bench does)" >&2
        exit 1
    fi
done

# ---- private TEE, and the tzm path's command prefix (bench/lib.sh) ----
# shellcheck source=bench/lib.sh
. "$SRC/bench/lib.sh"
# shellcheck source=cmake/tzm-exec.sh
. "$SRC/cmake/tzm-exec.sh" # cross builds: clients run through TZM_EXEC_WRAPPER (peers: common.c)
bench_private_tee
bench_tzm_path

mkdir -p "$OUT"
rm -f "$OUT"/{rtt,rtt_realm,rtt_wasm,rtt_trials,rate,throughput,concurrency,cpu,threads,threads_trials,http,wasm}.csv "$OUT"/*.png "$OUT"/*.dat \
    "$OUT/summary.md" "$OUT/machine.txt"

machine() {
    echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "host:    $(nproc)-core $(uname -m) $(sed -n 's/^model name[[:space:]]*: //p' \
        /proc/cpuinfo | head -n 1), $(. /etc/os-release && echo "$PRETTY_NAME"), \
kernel $(uname -r)"
    echo "commit:  $(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "load:    $1 $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min)"
}
machine "at start" | tee "$OUT/machine.txt"
# The counts line names only the knobs of the parts this run measures.
counts=""
want() { case " $ONLY " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
want_any() { for p in "$@"; do want "$p" && return 0; done; return 1; }
want_any rtt realm && counts="$counts iters=$ITERS trials=$TRIALS warmup=$WARMUP block=$BLOCK sizes=$SIZES"
want_any rate tput conc && counts="$counts rounds=$ROUNDS"
want_any rate && counts="$counts rate_seconds=$RATE_SECONDS"
want_any tput && counts="$counts tput_mb=$TPUT_MB tput_unit=$TPUT_UNIT"
want_any conc && counts="$counts conc_seconds=$CONC_SECONDS"
want_any cpu && counts="$counts cpu_iters=$CPU_ITERS idle_seconds=$IDLE_SECONDS"
want_any threads && counts="$counts threads_conns=$THREADS_CONNS threads_sizes=$THREADS_SIZES \
threads_ms=$THREADS_MS threads_trials=$THREADS_TRIALS threads_warmup=$THREADS_WARMUP"
echo "counts: $counts" | tee -a "$OUT/machine.txt"

common=(--native "$BIN/bench_echo_peer" "${tzm_args[@]}" --workdir "$WORK")

if want rtt; then
    echo
    echo "== Round-trip latency: median / p90 / p99 (native = CA<->CA, tzm = CA<->TA) =="
    for ipc in $IPCS; do
        tzm_exec "$BIN/bench_rtt_client" --ipc "$ipc" "${common[@]}" --csv "$OUT/rtt.csv" \
            --sizes "$SIZES" --iters "$ITERS" --warmup "$WARMUP" --block "$BLOCK" \
            --trials "$TRIALS" --trials-csv "$OUT/rtt_trials.csv"
    done
fi
# rtt_4k CSV ITERS TZM-ARGS...: 4 KB round trips over every IPC kind, the native echo peer
# against the TA variant that the --tzm arguments start (realm, Wasm TA), into CSV.
rtt_4k() {
    local csv=$1 iters=$2 ipc
    shift 2
    for ipc in $IPCS; do
        tzm_exec "$BIN/bench_rtt_client" --ipc "$ipc" --native "$BIN/bench_echo_peer" "$@" \
            --workdir "$WORK" --csv "$csv" --sizes 4096 --iters "$iters" --warmup "$WARMUP" \
            --block "$BLOCK" --trials "$TRIALS"
    done
}
# Realm rows (issue 14): the same echo peer as a realm image under `tzm realm run` (the RMM
# model, tzm-rmm), 4 KB round trips against a native peer measured in the same invocation.
# BENCH_REALM_ITERS (BENCH_ITERS, at most 1000, per trial): a realm round trip crosses
# three processes.
realm_image=$BIN/bench_echo_peer-realm
# `tzm realm run` is `tzm-run --realm`; called directly, as a cross build's tzm-realm cannot
# exec a foreign tzm-run (the peer itself is started through TZM_EXEC_WRAPPER).
if { want rtt || want realm; } && [ "$have_ta" = 1 ] && [ "${AA:-0}" != 1 ] && [ -x "$realm_image" ] &&
    [ -n "$TZM_RUN" ]; then
    echo
    echo "== Round-trip latency, 4 KB: native = CA<->CA, tzm = CA<->realm (tzm realm run) =="
    realm_args=(--tzm "$TZM_RUN" --tzm --realm --tzm --policy --tzm "$root/echo_peer.policy"
        --tzm "$realm_image" --tzm --)
    rtt_4k "$OUT/rtt_realm.csv" "${BENCH_REALM_ITERS:-$((ITERS < 1000 ? ITERS : 1000))}" \
        "${realm_args[@]}"
fi
if want rate; then
    echo
    echo "== Small-message call rate (64 B ping-pong) =="
    for ipc in $IPCS; do
        tzm_exec "$BIN/bench_rtt_client" --mode rate --ipc "$ipc" "${common[@]}" --csv "$OUT/rate.csv" \
            --sizes 64 --seconds "$RATE_SECONDS" --trials "$ROUNDS"
    done
fi
if want tput; then
    echo
    echo "== Bulk throughput, one way (${TPUT_MB} MB per round, ${TPUT_UNIT}-byte reads/writes) =="
    for ipc in $STREAMS; do
        tzm_exec "$BIN/bench_load_client" tput --ipc "$ipc" "${common[@]}" \
            --csv "$OUT/throughput.csv" --mbytes "$TPUT_MB" --rounds "$ROUNDS" --unit "$TPUT_UNIT"
    done
fi
if want conc; then
    echo
    echo "== Concurrency: 4 echo servers x 4 clients, aggregate round trips/s =="
    for ipc in $STREAMS; do
        tzm_exec "$BIN/bench_load_client" conc --ipc "$ipc" "${common[@]}" \
            --csv "$OUT/concurrency.csv" --servers 4 --clients 4 --size 64 \
            --seconds "$CONC_SECONDS" --rounds "$ROUNDS"
    done
fi
if want cpu; then
    echo
    echo "== CPU cost of the peer side (TA path: shadow + TA host) =="
    idle=$IDLE_SECONDS
    for size in 64 4096; do
        tzm_exec "$BIN/bench_load_client" cpu --ipc "$CPU_IPC" "${common[@]}" --csv "$OUT/cpu.csv" \
            --size "$size" --iters "$CPU_ITERS" --idle-seconds "$idle" \
            --teed-pidfile "$TZM_RUNTIME_DIR/tzm-teed.pid"
        idle=0 # the idle measurement once is enough
    done
fi

# Thread-per-connection echo server: the same thread_peer.c natively and as a TA (its own
# UUID, the echo peer's policy and tzm-run options), N concurrent connections.
thread_uuid=$(sed -n 's/.*TZM_BENCH_THREAD_PEER_UUID "\([0-9a-f-]*\)".*/\1/p' \
    "$SRC/bench/CMakeLists.txt")
if want threads; then
    echo
    echo "== Threads: thread-per-connection echo server, N connections at once =="
    if [ ! -x "$BIN/bench_thread_peer" ]; then
        echo "bench: $BIN/bench_thread_peer missing; build first (make bench does)" >&2
        exit 1
    fi
    thread_args=()
    if [ "$AA" = 1 ]; then
        thread_args=(--tzm "$BIN/bench_thread_peer")
    elif [ "$have_ta" = 1 ] && [ -f "$TZM_TA_DIR/$thread_uuid.ta" ]; then
        # the echo peer's tzm-run options (wrapper, policy, split threshold), this UUID
        for a in "${tzm_args[@]}"; do
            [ "$a" = "$UUID" ] && a=$thread_uuid
            thread_args+=("$a")
        done
    else
        echo "bench: no TA build of the thread peer: measuring the native path only"
        ONLY="$ONLY threads_native_only" # for check_csv.sh: no tzm rows expected
    fi
    for ipc in $STREAMS; do
        tzm_exec "$BIN/bench_load_client" threads --ipc "$ipc" --native "$BIN/bench_thread_peer" \
            ${thread_args[@]+"${thread_args[@]}"} --workdir "$WORK" --csv "$OUT/threads.csv" \
            --trials-csv "$OUT/threads_trials.csv" --conns "$THREADS_CONNS" \
            --sizes "$THREADS_SIZES" --ms "$THREADS_MS" --trials "$THREADS_TRIALS" \
            --warmup "$THREADS_WARMUP" --teed-pidfile "$TZM_RUNTIME_DIR/tzm-teed.pid"
    done
fi

if want http; then
    echo
    echo "== Application: HTTP static files (examples/httpd), wrk, keep-alive =="
    if [ -n "${TZM_EXEC_WRAPPER:-}" ]; then
        echo "bench: under TZM_EXEC_WRAPPER (emulator): no application benchmark"
        ONLY=${ONLY/http/}
    elif ! command -v wrk >/dev/null 2>&1; then
        echo "bench: wrk not installed (scripts/setup-deps.sh installs it): no application benchmark"
        ONLY=${ONLY/http/}
    else
        tzm_run_for_http=""
        [ "$have_ta" = 1 ] && tzm_run_for_http=$TZM_RUN
        BIN=$BIN WORK=$WORK SRC=$SRC TZM_RUN=$tzm_run_for_http BENCH_AA=$AA \
            bash "$SRC/bench/http.sh" "$OUT/http.csv"
    fi
fi

# Wasm rows (issue 17): the same echo peer compiled to wasm32-wasi (unchanged, with
# wasm/include/compat) and made a TA by `tzm wasm build`, 4 KB round trips against a native
# peer measured in the same invocation (BENCH_WASM_ITERS, default BENCH_ITERS, per trial);
# the summary puts the C TA's ratio from rtt.csv beside it. Its preopen is the run's $WORK
# (FIFO pairs), its policy the C TA's.
wasm_peer_uuid=$(sed -n 's/.*TZM_BENCH_WASM_PEER_UUID "\([0-9a-f-]*\)".*/\1/p' \
    "$SRC/bench/CMakeLists.txt")
if want wasm && [ "$AA" != 1 ]; then
    echo
    echo "== Round-trip latency, 4 KB: native = CA<->CA, tzm = CA<->Wasm TA (tzm wasm build) =="
    if [ -n "${TZM_EXEC_WRAPPER:-}" ]; then
        echo "bench: under TZM_EXEC_WRAPPER (emulator): no Wasm TA round trips"
    elif [ ! -f "$TZM_TA_DIR/$wasm_peer_uuid.ta" ] || [ -z "$TZM_RUN" ]; then
        echo "bench: no Wasm TA of the echo peer (wasm32-wasi toolchain missing?): no Wasm TA round trips"
    else
        read -r port_lo port_hi </proc/sys/net/ipv4/ip_local_port_range
        sed -e "s|@WORKDIR@|$WORK|g" -e "s|@PORTS@|$port_lo-$port_hi|g" \
            "$SRC/bench/echo_peer.policy.in" >"$root/echo_peer_wasm.policy"
        wasm_args=(--tzm "$TZM_RUN" --tzm --policy --tzm "$root/echo_peer_wasm.policy"
            --tzm --env --tzm "TZM_WASM_PREOPEN=$WORK" --tzm "$wasm_peer_uuid" --tzm --)
        rtt_4k "$OUT/rtt_wasm.csv" "${BENCH_WASM_ITERS:-$ITERS}" "${wasm_args[@]}"
        ONLY="$ONLY wasm_rtt" # for check_csv.sh: these rows exist
    fi
fi
if want wasm; then
    echo
    echo "== Compute kernels: Wasm TA (wasm2c AOT) vs the same C built natively =="
    kernels_uuid=$(sed -n 's/.*TZM_BENCH_KERNELS_UUID "\([0-9a-f-]*\)".*/\1/p' \
        "$SRC/bench/CMakeLists.txt")
    if [ -n "${TZM_EXEC_WRAPPER:-}" ]; then
        # an emulator's timings compare nothing, and wasm.sh starts the programs itself
        echo "bench: under TZM_EXEC_WRAPPER (emulator): no compute-kernel benchmark"
        ONLY=${ONLY/wasm/}
    elif [ ! -x "$BIN/bench_kernels" ]; then
        echo "bench: $BIN/bench_kernels missing: no compute-kernel benchmark"
        ONLY=${ONLY/wasm/}
    else
        tzm_run_for_wasm=""
        export BENCH_WASM_HAVE_TA=0
        [ "$AA" = 1 ] && BENCH_WASM_HAVE_TA=1
        if [ "$AA" = 1 ]; then
            tzm_run_for_wasm=$BIN/bench_kernels # unused: wasm.sh runs native twice
        elif [ -f "$TZM_TA_DIR/$kernels_uuid.ta" ] && [ -n "$TZM_RUN" ]; then
            tzm_run_for_wasm=$TZM_RUN
            BENCH_WASM_HAVE_TA=1
        else
            echo "bench: no Wasm TA of the kernels (wasm32-wasi toolchain missing?): native only"
        fi
        BIN=$BIN WORK=$WORK TZM_RUN=$tzm_run_for_wasm BENCH_AA=$AA \
            bash "$SRC/bench/wasm.sh" "$OUT/wasm.csv" "$kernels_uuid"
    fi
fi

machine "at end" | sed -n 's/^load:/load:  /p' | tee -a "$OUT/machine.txt"
bash "$SRC/bench/summary.sh" "$OUT" | tee "$OUT/summary.md"
if command -v gnuplot >/dev/null 2>&1 && [ -s "$OUT/rtt.csv" ]; then
    bash "$SRC/bench/plot.sh" "$OUT"
else
    echo "bench: gnuplot not installed or no latency data: no plots"
fi
if [ "$smoke" -eq 1 ]; then
    BENCH_IPCS="$IPCS" bash "$SRC/bench/check_csv.sh" "$OUT" "$have_ta" "$ONLY"
fi
echo "bench: results in $OUT"
