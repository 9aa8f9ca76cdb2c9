#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Builds a genuine secure-world stack for QEMU's `virt` machine from sources the user
# already has (nothing is fetched): OP-TEE OS (core + TA dev kit export-ta_arm64),
# TF-A (BL1, BL2, BL31, with OP-TEE as BL32 and Debian's U-Boot as BL33) and
# optee_client (libteec + tee-supplicant), all for aarch64, into OUT.
#
#   build-stack.sh --optee-os DIR --tf-a DIR --optee-client DIR --out OUT [-j N]
#
# Outputs: OUT/optee_os/export-ta_arm64 (the TA dev kit), OUT/fw/{bl1,bl2,bl31,bl32,
# bl32_extra1,bl32_extra2,bl33}.bin (the QEMU run directory's firmware),
# OUT/optee_client/export (TEEC_EXPORT: include/, lib/, sbin/tee-supplicant).
# Each component is rebuilt by its own make, so a second run is incremental.
# Host packages: scripts/setup-deps.sh --optee-qemu.
set -euo pipefail

usage() {
	echo "usage: $0 --optee-os DIR --tf-a DIR --optee-client DIR --out OUT [-j N]" >&2
	exit 64
}

optee_os= tfa= client= out= jobs=2
while [ $# -gt 0 ]; do
	case $1 in
	--optee-os) optee_os=$2; shift 2 ;;
	--tf-a) tfa=$2; shift 2 ;;
	--optee-client) client=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	-j) jobs=$2; shift 2 ;;
	*) usage ;;
	esac
done
[ -n "$optee_os" ] && [ -n "$tfa" ] && [ -n "$client" ] && [ -n "$out" ] || usage
for d in "$optee_os/core" "$tfa/plat/qemu" "$client/libteec"; do
	[ -d "$d" ] || { echo "$0: not a source tree: ${d%/*}" >&2; exit 66; }
done
cross=aarch64-linux-gnu-
bl33=/usr/lib/u-boot/qemu_arm64/u-boot.bin
for tool in ${cross}gcc qemu-system-aarch64 dtc cpio; do
	command -v "$tool" >/dev/null || { echo "$0: $tool missing (setup-deps.sh --optee-qemu)" >&2; exit 69; }
done
[ -f "$bl33" ] || { echo "$0: $bl33 missing (package u-boot-qemu)" >&2; exit 69; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

step() { printf '== %s\n' "$*"; }

# OP-TEE OS: flags of OP-TEE/build's qemu_v8.mk that matter for this machine (GICv2, no
# pager, 64-bit core and TAs). Debian's python3 has the modules the build imports.
# CFG_ATTESTATION_PTA=y: OP-TEE's attestation PTA (pta_attestation.h), which the
# attestation example's OP-TEE backend asks for its signed TA measurement.
step "optee_os -> $out/optee_os"
make -C "$optee_os" -j"$jobs" PLATFORM=vexpress-qemu_armv8a CFG_ARM64_core=y \
	CROSS_COMPILE=$cross CROSS_COMPILE_core=$cross CROSS_COMPILE_ta_arm64=$cross \
	CFG_USER_TA_TARGETS=ta_arm64 PYTHON3=/usr/bin/python3 DEBUG=0 CFG_ATTESTATION_PTA=y \
	O="$out/optee_os" >"$out/optee_os.log" 2>&1 ||
	{ tail -20 "$out/optee_os.log"; exit 1; }

# TF-A loads BL32 (OP-TEE's three images) and BL33 (U-Boot) by semihosting from the
# directory QEMU runs in; it is built in its own tree's build/ directory.
step "TF-A -> $out/fw"
core=$out/optee_os/core
make -C "$tfa" -j"$jobs" PLAT=qemu DEBUG=0 LOG_LEVEL=30 CROSS_COMPILE=$cross \
	QEMU_USE_GIC_DRIVER=QEMU_GICV2 BL32_RAM_LOCATION=tdram SPD=opteed \
	BL32="$core/tee-header_v2.bin" BL32_EXTRA1="$core/tee-pager_v2.bin" \
	BL32_EXTRA2="$core/tee-pageable_v2.bin" BL33="$bl33" BUILD_BASE="$out/tf-a" \
	all fip >"$out/tf-a.log" 2>&1 || { tail -20 "$out/tf-a.log"; exit 1; }
mkdir -p "$out/fw"
for f in bl1 bl2 bl31; do
	cp "$out/tf-a/qemu/release/$f.bin" "$out/fw/$f.bin"
done
cp "$core/tee-header_v2.bin" "$out/fw/bl32.bin"
cp "$core/tee-pager_v2.bin" "$out/fw/bl32_extra1.bin"
cp "$core/tee-pageable_v2.bin" "$out/fw/bl32_extra2.bin"
cp "$bl33" "$out/fw/bl33.bin"

# optee_client: libteec and tee-supplicant; TAs are looked up in /lib/optee_armtz.
step "optee_client -> $out/optee_client/export"
cmake -S "$client" -B "$out/optee_client" -DCMAKE_C_COMPILER=${cross}gcc \
	-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=aarch64 -DWITH_TEEACL=OFF \
	-DCFG_WERROR=OFF -DCFG_TEE_FS_PARENT_PATH=/var/lib/tee -DCFG_TEE_CLIENT_LOAD_PATH=/lib \
	-DCMAKE_INSTALL_PREFIX="$out/optee_client/export" >"$out/optee_client.log" 2>&1 &&
	cmake --build "$out/optee_client" -j"$jobs" >>"$out/optee_client.log" 2>&1 &&
	cmake --install "$out/optee_client" >>"$out/optee_client.log" 2>&1 ||
	{ tail -20 "$out/optee_client.log"; exit 1; }

step "done: TA_DEV_KIT_DIR=$out/optee_os/export-ta_arm64 TEEC_EXPORT=$out/optee_client/export"
