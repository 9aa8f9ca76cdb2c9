#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Shared by bench/run.sh and bench/profile.sh (sourced, not run). Expects BUILD, BIN, SRC,
# UUID and AA to be set.
#
# bench_private_tee: a private emulated TEE as cmake/run-test.sh gives each test -- fresh
#   TZM_RUNTIME_DIR/TZM_STATE_DIR below $root, the build tree's TAs and tzm-teed -- plus a
#   scratch directory $WORK; on exit the tzm-teed started on demand is stopped (via
#   $TZM_RUNTIME_DIR/tzm-teed.pid) and $root removed.
# bench_tzm_path: sets have_ta (0/1) and tzm_args, the client options that start the peer
#   TA: tzm-run with this run's instance of echo_peer.policy.in, the UUID, and "--".
#   BENCH_TZM_WRAP (words) is put in front of tzm-run, e.g. "valgrind --tool=callgrind".

# shellcheck source=cmake/tzm-proc.sh
. "$SRC/cmake/tzm-proc.sh"

bench_private_tee() {
    root=$(mktemp -d /tmp/tzm-bench.XXXXXX)
    export TZM_RUNTIME_DIR=$root/run
    export TZM_STATE_DIR=$root/state
    export TZM_TA_DIR=$BUILD/lib/optee_armtz
    export TZM_TEED=$BUILD/libexec/tzmediator/tzm-teed
    WORK=$root/work
    mkdir -p "$TZM_RUNTIME_DIR" "$TZM_STATE_DIR" "$WORK"
    chmod 700 "$root" "$TZM_RUNTIME_DIR" "$TZM_STATE_DIR"
    trap bench_cleanup EXIT
}

bench_cleanup() {
    local rc=$?
    if [ -f "$TZM_RUNTIME_DIR/tzm-teed.pid" ]; then
        pid=$(cat "$TZM_RUNTIME_DIR/tzm-teed.pid" 2>/dev/null || true)
        if [ -n "${pid:-}" ] && tzm_alive "$pid"; then
            kill -TERM "$pid" 2>/dev/null || true
            tzm_wait_gone "$pid" 50 || kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    if [ "$rc" -ne 0 ] && [ -s "$TZM_RUNTIME_DIR/tee.log" ]; then
        echo "---- tee.log (last 40 lines) ----" >&2
        tail -n 40 "$TZM_RUNTIME_DIR/tee.log" >&2
    fi
    rm -rf "$root"
    exit "$rc"
}

bench_tzm_path() {
    local c ta_file policy port_lo port_hi w
    TZM_RUN=${TZM_RUN:-}
    if [ -z "$TZM_RUN" ]; then
        for c in "$BIN/tzm-run" "$BUILD/libexec/tzmediator/tzm-run"; do
            if [ -x "$c" ]; then
                TZM_RUN=$c
                break
            fi
        done
    fi
    ta_file=$TZM_TA_DIR/$UUID.ta
    have_ta=0
    tzm_args=()
    if [ "${AA:-0}" = 1 ]; then
        have_ta=1
        tzm_args=(--tzm "$BIN/bench_echo_peer")
        echo "bench: A/A calibration: the 'tzm' column is a second native peer"
    elif [ -f "$ta_file" ]; then
        if [ -z "$TZM_RUN" ]; then
            echo "bench: $ta_file exists but tzm-run was not found (set TZM_RUN)" >&2
            exit 1
        fi
        read -r port_lo port_hi </proc/sys/net/ipv4/ip_local_port_range
        policy=$root/echo_peer.policy
        sed -e "s|@WORKDIR@|$WORK|g" -e "s|@PORTS@|$port_lo-$port_hi|g" \
            "$SRC/bench/echo_peer.policy.in" >"$policy"
        have_ta=1
        for w in ${BENCH_TZM_WRAP:-}; do
            tzm_args+=(--tzm "$w")
        done
        tzm_args+=(--tzm "$TZM_RUN" --tzm --policy --tzm "$policy")
        if [ -n "${BENCH_SPLIT_MIN:-}" ]; then
            # libtzm's split threshold for reads and writes (mediator/ta/io.c)
            tzm_args+=(--tzm --env --tzm "TZM_SPLIT_MIN=$BENCH_SPLIT_MIN")
        fi
        tzm_args+=(--tzm "$UUID" --tzm --)
    else
        echo "bench: no TA build of the echo peer ($ta_file): measuring the native path only"
    fi
}
