#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `make demo`: runs the project's demo against the freshly built tree, with a private
# emulated TEE in a temporary directory. Usage: scripts/demo.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
exec "$src/cmake/run-test.sh" env TZM_BUILD_DIR="$build" TZM_TA_DIR="$build/lib/optee_armtz" \
    TZM_TEED="$build/libexec/tzmediator/tzm-teed" bash "$src/examples/demo.sh" "$build"
