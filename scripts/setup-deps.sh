#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Installs the Debian packages tzmediator needs to build, test and benchmark.
# Used by every top-level make target; skips what is already installed, so it is
# cheap to run repeatedly. Uses sudo when not root.
#   scripts/setup-deps.sh            native build + tests + bench
#   scripts/setup-deps.sh --cross    additionally the aarch64 cross toolchain,
#                                    arm64 multiarch -dev packages and qemu-user
#   scripts/setup-deps.sh --valgrind additionally valgrind (make valgrind)
#   scripts/setup-deps.sh --format   additionally clang-format 14 (make format, format-check)
#   scripts/setup-deps.sh --optee-qemu  additionally what scripts/optee-qemu/ needs to build
#                                    OP-TEE, TF-A and optee_client and boot them in QEMU
#                                    (implies --cross; by hand only, never in CI)
set -euo pipefail

native_pkgs=(
    build-essential cmake pkg-config clang lld
    libseccomp-dev libssl-dev libcbor-dev libsodium-dev
    socat netcat-openbsd gnuplot-nox wrk python3
    libclang-rt-14-dev libsqlite3-dev
    wabt wasi-libc libclang-rt-14-dev-wasm32
)
cross_host_pkgs=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user)
cross_arm64_pkgs=(libc6:arm64 libseccomp-dev:arm64 libssl-dev:arm64 libcbor-dev:arm64
    libsodium-dev:arm64)
optee_qemu_pkgs=(qemu-system-arm u-boot-qemu python3-pyelftools python3-cryptography
    device-tree-compiler cpio bc)

want_cross=0
want_valgrind=0
want_format=0
want_optee_qemu=0
for arg in "$@"; do
    case "$arg" in
    --cross) want_cross=1 ;;
    --valgrind) want_valgrind=1 ;;
    --format) want_format=1 ;;
    --optee-qemu) want_optee_qemu=1; want_cross=1 ;;
    *) echo "setup-deps: unknown option '$arg'" >&2; exit 2 ;;
    esac
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

missing=()
is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

pkgs=("${native_pkgs[@]}")
if [ "$want_cross" -eq 1 ]; then
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        echo "setup-deps: enabling arm64 multiarch"
        $SUDO dpkg --add-architecture arm64
        $SUDO apt-get update -qq
    fi
    pkgs+=("${cross_host_pkgs[@]}" "${cross_arm64_pkgs[@]}")
fi
if [ "$want_valgrind" -eq 1 ]; then
    pkgs+=(valgrind)
fi
if [ "$want_format" -eq 1 ]; then
    pkgs+=(clang-format-14)
fi
if [ "$want_optee_qemu" -eq 1 ]; then
    pkgs+=("${optee_qemu_pkgs[@]}")
fi

for p in "${pkgs[@]}"; do
    is_installed "$p" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

echo "setup-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
