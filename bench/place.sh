#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# One bench part with every process of both paths pinned to a CPU, to measure each
# placement of the three processes of the TA path (client, shadow, TA host) and of the two
# of the native path (client, peer) on their own (docs/bench-design-note.md, "Three
# processes on two vCPUs").
#
#   bash bench/place.sh BUILD_DIR PART C S T P OUT_CSV [extra client options...]
#
# PART: rtt (bench_rtt_client), rate (its --mode rate), tput or conc (bench_load_client).
# C, S, T, P: the CPU of the client, of the shadow (tzm-run, through BENCH_TZM_WRAP), of the
# TA host (a tzm-teed started pinned before the shadow: the TA hosts it spawns inherit its
# CPU) and of the native echo peer; "-" leaves that process to the scheduler. E.g. on two
# CPUs "0 0 1 0": client and shadow on CPU 0, the TA on CPU 1, the native peer beside the
# client. The run uses a private emulated TEE like bench/run.sh (bench/lib.sh).
# Knobs (environment): PLACE_IPC (unix), PLACE_SIZES (64,4096), PLACE_ITERS (2000 round trips
# per trial), PLACE_TRIALS (4), PLACE_TPUT_MB (256), PLACE_ROUNDS (3), PLACE_SECONDS (conc,
# rate: 3 / 1). Extra options go to the client, e.g. --skip-native 1 for tput and conc.
set -euo pipefail

if [ $# -lt 7 ] || [ ! -d "$1" ]; then
    echo "usage: bench/place.sh BUILD_DIR rtt|rate|tput|conc C S T P OUT_CSV [client options]" >&2
    exit 2
fi
BUILD=$(cd "$1" && pwd)
PART=$2 C=$3 S=$4 T=$5 P=$6 CSV=$7
shift 7
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=$BUILD/bin
AA=0
UUID=$(sed -n 's/.*TZM_BENCH_PEER_UUID "\([0-9a-f-]*\)".*/\1/p' "$SRC/bench/CMakeLists.txt")
ncpu=$(nproc)
for cpu in "$C" "$S" "$T" "$P"; do
    if [ "$cpu" != - ] && ! { [[ $cpu =~ ^[0-9]+$ ]] && [ "$cpu" -lt "$ncpu" ]; }; then
        echo "bench/place.sh: '$cpu' is not a CPU of this machine (0-$((ncpu - 1))) or -" >&2
        exit 2
    fi
done
case $PART in
rtt | rate | tput | conc) ;;
*)
    echo "bench/place.sh: unknown part '$PART' (rtt, rate, tput, conc)" >&2
    exit 2
    ;;
esac
if ! command -v taskset >/dev/null; then
    echo "bench/place.sh: taskset (util-linux) is needed" >&2
    exit 1
fi

# "taskset -c N" for a CPU, nothing for "-"
pin() { [ "$1" = - ] || echo "taskset -c $1"; }

# shellcheck source=bench/lib.sh
. "$SRC/bench/lib.sh"
bench_private_tee
BENCH_TZM_WRAP=$(pin "$S")
bench_tzm_path
if [ "$have_ta" != 1 ]; then
    echo "bench/place.sh: no TA build of the echo peer in $BUILD" >&2
    exit 1
fi
# shellcheck disable=SC2046 # word splitting of the pin prefix is wanted
$(pin "$T") "$TZM_TEED" --detach
peer=$root/native-peer
printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$(pin "$P")" "$BIN/bench_echo_peer" >"$peer"
chmod +x "$peer"
common=(--ipc "${PLACE_IPC:-unix}" --native "$peer" "${tzm_args[@]}" --workdir "$WORK"
    --csv "$CSV")
client=()
read -r -a client <<<"$(pin "$C")"
case $PART in
rtt)
    "${client[@]}" "$BIN/bench_rtt_client" "${common[@]}" --sizes "${PLACE_SIZES:-64,4096}" \
        --iters "${PLACE_ITERS:-2000}" --warmup 500 --block 100 --trials "${PLACE_TRIALS:-4}" "$@"
    ;;
rate)
    "${client[@]}" "$BIN/bench_rtt_client" --mode rate "${common[@]}" --sizes 64 \
        --seconds "${PLACE_SECONDS:-1}" --trials "${PLACE_ROUNDS:-3}" "$@"
    ;;
tput)
    "${client[@]}" "$BIN/bench_load_client" tput "${common[@]}" --mbytes "${PLACE_TPUT_MB:-256}" \
        --rounds "${PLACE_ROUNDS:-3}" --unit 65536 "$@"
    ;;
conc)
    "${client[@]}" "$BIN/bench_load_client" conc "${common[@]}" --servers 4 --clients 4 \
        --size 64 --seconds "${PLACE_SECONDS:-3}" --rounds "${PLACE_ROUNDS:-3}" "$@"
    ;;
esac
