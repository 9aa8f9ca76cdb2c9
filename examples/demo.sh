#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `make demo`: the tzmediator tour, run by scripts/demo.sh inside a private emulated TEE.
#  1. the split application: a normal-world service keeps its secret in a POSIX TA;
#  2. echo round trips over the paper's four IPC kinds (FIFO, UNIX socket, TCP, UDP),
#     CA <-> TA through the mediator next to CA <-> CA;
#  3. remote attestation of a TA before a secret is sent to it;
#  4. an unchanged OP-TEE example (hello_world) on the emulated GlobalPlatform TEE.
# Each part is its own script (examples/<part>/demo.sh BUILD_DIR). Every part runs under a
# time limit (TZM_DEMO_PART_TIMEOUT seconds, default 300; its whole process group is
# killed when it expires), so the demo always ends; Ctrl-C stops the running part cleanly.
# Exit status 0 only if every part succeeded. Usage: examples/demo.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
limit=${TZM_DEMO_PART_TIMEOUT:-300}
parts=(splitapp echo attest_remote hello_world)
declare -A what=(
    [splitapp]="split application: HMAC key only in a TA (secure storage), used over a UNIX socket"
    [echo]="echo over FIFO, UNIX socket, TCP, UDP: CA <-> TA next to CA <-> CA"
    [attest_remote]="remote attestation of a TA before a secret is sent to it"
    [hello_world]="OP-TEE's hello_world, unchanged, on the emulated GP TEE"
)
declare -A result=()
failed=()
part_pid=""
interrupted=0
on_signal() {
    interrupted=1
    # timeout(1) passes the signal on to the part's process group.
    [ -z "$part_pid" ] || kill -TERM "$part_pid" 2>/dev/null || true
}
trap on_signal INT TERM

printf '\033[1mtzmediator demo\033[0m: %d parts, build %s\n' "${#parts[@]}" "$build"
if [ -n "${TZM_RUNTIME_DIR:-}" ]; then
    echo "A private emulated TEE: started on demand in $TZM_RUNTIME_DIR (log: tee.log),"
    echo "state (device key, secure storage) in ${TZM_STATE_DIR:-the default state dir}; both removed at the end."
fi

for part in "${parts[@]}"; do
    script=$here/$part/demo.sh
    printf '\n\033[1;34m==== demo: %s ====\033[0m\n' "$part"
    printf '\033[34m%s\033[0m\n' "${what[$part]}"
    if [ ! -f "$script" ]; then
        echo "  (no demo script $script)" >&2
        result[$part]="FAILED (no demo script)"
        failed+=("$part")
        continue
    fi
    start=$SECONDS
    rc=0
    timeout -k 10 "$limit" bash "$script" "$build" &
    part_pid=$!
    # wait returns early when a trapped signal arrives; then wait for the part's clean-up.
    wait "$part_pid" || rc=$?
    if [ "$interrupted" = 1 ]; then
        wait "$part_pid" 2>/dev/null || true
        echo "demo: interrupted during $part" >&2
        exit 130
    fi
    part_pid=""
    secs=$((SECONDS - start))
    case $rc in
    0) result[$part]="ok (${secs} s)" ;;
    124 | 137) result[$part]="FAILED: no result after ${limit} s, stopped" ;;
    *) result[$part]="FAILED (exit status $rc, ${secs} s)" ;;
    esac
    [ "$rc" -eq 0 ] || failed+=("$part")
done

printf '\n\033[1m==== demo summary ====\033[0m\n'
for part in "${parts[@]}"; do
    printf '  %-14s %s\n' "$part" "${result[$part]}"
    printf '  %-14s   %s\n' "" "${what[$part]}"
done
if [ "${#failed[@]}" -ne 0 ]; then
    echo "demo: FAILED: ${failed[*]} (output above)" >&2
    exit 1
fi
echo "  all ${#parts[@]} parts ran and checked their results"
