#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `make demo`: the tzmediator tour, run by scripts/demo.sh inside a private emulated TEE.
#  1. the split application: a normal-world service keeps its secret in a POSIX TA;
#  2. echo round trips over the paper's four IPC kinds (FIFO, UNIX socket, TCP, UDP),
#     CA <-> TA through the mediator next to CA <-> CA;
#  3. remote attestation of a TA before a secret is sent to it;
#  4. an unchanged OP-TEE example (hello_world) on the emulated GlobalPlatform TEE.
# Usage: examples/demo.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
parts=(splitapp echo attest_remote hello_world)
failed=()
for part in "${parts[@]}"; do
    script=$here/$part/demo.sh
    printf '\n\033[1;34m==== demo: %s ====\033[0m\n' "$part"
    if [ ! -x "$script" ]; then
        echo "  (no demo script for $part)"
        failed+=("$part")
        continue
    fi
    if ! bash "$script" "$build"; then
        failed+=("$part")
    fi
done
printf '\n\033[1m==== demo summary ====\033[0m\n'
if [ "${#failed[@]}" -eq 0 ]; then
    echo "  all ${#parts[@]} parts ran: ${parts[*]}"
else
    echo "  FAILED: ${failed[*]}" >&2
    exit 1
fi
