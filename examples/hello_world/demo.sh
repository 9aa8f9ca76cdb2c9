#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Part of `make demo`: runs the hello_world sample (an unchanged OP-TEE example) against the
# emulated TEE and explains each step. Called by scripts/demo.sh as
# `examples/hello_world/demo.sh BUILD_DIR` (from examples/demo.sh) inside a private TEE environment (TZM_RUNTIME_DIR,
# TZM_STATE_DIR, TZM_TA_DIR, TZM_TEED set); works standalone with the defaults too.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
# shellcheck source=../../cmake/tzm-script.sh
. "$(dirname "$0")/../../cmake/tzm-script.sh"
host=$build/bin/optee_example_hello_world
uuid=8aaaf200-2450-11e4-abe2-0002a5d5c51b
ta_dir=${TZM_TA_DIR:-$build/lib/optee_armtz}
export TZM_TA_DIR=$ta_dir
runtime=${TZM_RUNTIME_DIR:-${XDG_RUNTIME_DIR:+$XDG_RUNTIME_DIR/tzmediator}}
runtime=${runtime:-/tmp/tzmediator-$(id -u)}
log=$runtime/tee.log

for f in "$host" "$ta_dir/$uuid.ta"; do
    if [ ! -e "$f" ]; then
        echo "demo: $f is missing; build first (make demo does)" >&2
        exit 1
    fi
done

say "tzmediator demo: OP-TEE's hello_world on the emulated GlobalPlatform TEE"
info "Normal world: $host"
info "  a plain TEE Client API program (libteec), built from examples/hello_world/host."
info "Secure world: $ta_dir/$uuid.ta"
info "  the Trusted Application, built from examples/hello_world/ta with the TA dev kit"
info "  ($(stat -c %s "$ta_dir/$uuid.ta") bytes: a .ta header with the SHA-256 of the ELF image)."
info "No set-up step: libteec starts the TEE core (tzm-teed) on demand, and the core"
info "starts the TA in its own sandboxed process (tzm-ta-host: seccomp, no inherited fds,"
info "not dumpable, heap capped at TA_DATA_SIZE)."
if [ -s "$log" ]; then
    start_line=$(($(wc -l <"$log") + 1))
else
    start_line=1
fi

say "Running the host program"
info "It opens a session to TA $uuid, invokes TA_HELLO_WORLD_CMD_INC_VALUE with a"
info "VALUE_INOUT parameter of 42, and checks that the TA returned 43."
echo
"$host" | sed 's/^/  | /'
sleep 0.3 # the core writes the TA's trace lines asynchronously

say "What the TA logged (CFG_TEE_TA_LOG_LEVEL=4), from $log"
if [ -s "$log" ]; then
    tail -n "+$start_line" "$log" | grep -E "$uuid|hello|Hello|value|Goodbye" | sed 's/^/  | /' || true
else
    info "(no log yet at $log)"
fi

say "Done"
info "The TA ran in a separate, locked-down process; the host only saw libteec."
info "Try it yourself: make install PREFIX=/tmp/tzm, then build an OP-TEE TA with"
info "  make -C ta TA_DEV_KIT_DIR=/tmp/tzm/share/tzmediator/ta_dev_kit"
info "(see tee/devkit/README.md)."
