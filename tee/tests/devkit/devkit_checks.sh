#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# tee_devkit_checks: what the dev kit's make path refuses, with a message naming why.
#  1. a TA calling TEE_* / TEEC_* / tee_* functions that tzm-ta-host does not export fails
#     its build (tzm-ta-pack checks the imports against the kit's lib/ta_api.syms), each
#     missing function named, and no .ta is written; the same TA without them builds;
#  2. a TA Makefile with SHLIBNAME (OP-TEE's shared TA libraries) stops with an error
#     saying they are not supported;
#  3. host_include/conf.mk and conf.h exist, are readable by make and cc, and agree.
# Uses the build-tree kit (no install). Environment (from CTest): TZM_BUILD_DIR,
# TZM_TEST_TMPDIR.
set -euo pipefail
# The inner makes are builds of their own: a parent make's jobserver (`make -j2 asan` runs
# ctest) is not theirs, and its "jobserver unavailable" warning would mix into the output
# compared below.
unset MAKEFLAGS MFLAGS MAKELEVEL

build=${TZM_BUILD_DIR:?} tmp=${TZM_TEST_TMPDIR:?}
kit=$build/share/tzmediator/ta_dev_kit
uuid=5f1c7a2e-9b3d-4e8a-a6c1-2d7e9f0b4c13

# shellcheck source=../../../cmake/tzm-script.sh
. "$(dirname "$0")/../../../cmake/tzm-script.sh"

[ -s "$kit/lib/ta_api.syms" ] || fail "the kit has no lib/ta_api.syms"
grep -qx 'TEE_Malloc' "$kit/lib/ta_api.syms" || fail "lib/ta_api.syms lacks TEE_Malloc"
grep -qx 'TEE_AllocateOperation' "$kit/lib/ta_api.syms" ||
    fail "lib/ta_api.syms lacks TEE_AllocateOperation"
ok "lib/ta_api.syms lists $(grep -vc '^#' "$kit/lib/ta_api.syms") functions of tzm-ta-host"

# $1: directory; $2: C body of the command handler (may call missing functions)
make_ta() {
    tzm_kit_ta "$1" "$uuid" '#include <tee_client_api_missing.h>' \
        "if (c == 1) { $2 } return TEE_Malloc(16, 0) ? TEE_SUCCESS : TEE_ERROR_OUT_OF_MEMORY;"
    cat >"$1/tee_client_api_missing.h" <<H
/* Functions no TEE of ours provides: declared so that the TA compiles. */
void TEE_NoSuchFunction(void);
int TEEC_NoSuchFunction(int);
int tee_no_such_function(void);
H
}

step "a TA calling functions the TEE does not provide"
make_ta "$tmp/missing" 'TEE_NoSuchFunction(); return (TEE_Result)TEEC_NoSuchFunction(tee_no_such_function());'
rc=0
make -C "$tmp/missing" TA_DEV_KIT_DIR="$kit" >"$tmp/missing.log" 2>&1 || rc=$?
sed 's/^/       | /' "$tmp/missing.log"
[ "$rc" -ne 0 ] || fail "make succeeded for a TA importing missing functions"
for fn in TEE_NoSuchFunction TEEC_NoSuchFunction tee_no_such_function; do
    grep -q "the TA uses $fn, which tzmediator's TEE does not provide" "$tmp/missing.log" ||
        fail "the build did not name $fn"
done
[ ! -e "$tmp/missing/$uuid.ta" ] || fail "a .ta was written for a TA that cannot load"
grep -q 'TEE_Malloc' "$tmp/missing.log" && fail "TEE_Malloc (provided) reported as missing"
ok "the build failed naming TEE_NoSuchFunction, TEEC_NoSuchFunction, tee_no_such_function"

step "the same TA without them builds"
make_ta "$tmp/good" 'return TEE_SUCCESS;'
make -C "$tmp/good" TA_DEV_KIT_DIR="$kit" >"$tmp/good.log" 2>&1 ||
    { cat "$tmp/good.log" >&2; fail "make of a TA using only provided functions"; }
[ -s "$tmp/good/$uuid.ta" ] || fail "no .ta for the good TA"
ok "a TA importing only provided functions (TEE_Malloc) packs"

step "SHLIBNAME (OP-TEE shared TA library)"
mkdir -p "$tmp/shlib"
cat >"$tmp/shlib/Makefile" <<'MK'
SHLIBNAME = libfoo
SHLIBUUID = 5f1c7a2e-9b3d-4e8a-a6c1-2d7e9f0b4c14
-include $(TA_DEV_KIT_DIR)/mk/ta_dev_kit.mk
MK
echo 'srcs-y += foo.c' >"$tmp/shlib/sub.mk"
echo 'int foo(void); int foo(void) { return 1; }' >"$tmp/shlib/foo.c"
rc=0
make -C "$tmp/shlib" TA_DEV_KIT_DIR="$kit" >"$tmp/shlib.log" 2>&1 || rc=$?
sed 's/^/       | /' "$tmp/shlib.log"
[ "$rc" -ne 0 ] || fail "make succeeded with SHLIBNAME"
grep -q 'SHLIBNAME=libfoo: shared TA libraries .* are not supported' "$tmp/shlib.log" ||
    fail "no 'not supported' error for SHLIBNAME"
ok "SHLIBNAME stops the build with 'shared TA libraries ... are not supported'"
step "host_include/conf.mk and conf.h (OP-TEE's regression suite's host build reads them)"
mkdir -p "$tmp/conf"
cat >"$tmp/conf/Makefile" <<'MK'
include $(TA_DEV_KIT_DIR)/host_include/conf.mk
all:
	@echo "REE_FS=$(CFG_REE_FS) GP_SOCKETS=$(CFG_GP_SOCKETS) SDP=$(CFG_SECURE_DATA_PATH)"
MK
conf=$(make -s -C "$tmp/conf" TA_DEV_KIT_DIR="$kit" 2>&1) || fail "include host_include/conf.mk: $conf"
[ "$conf" = "REE_FS=y GP_SOCKETS=n SDP=n" ] || fail "host_include/conf.mk says: $conf"
cat >"$tmp/conf/t.c" <<'C'
#if !defined(CFG_REE_FS) || defined(CFG_GP_SOCKETS) || defined(CFG_SECURE_DATA_PATH)
#error conf.h disagrees with conf.mk
#endif
int main(void) { return 0; }
C
${CC:-cc} -include conf.h -I"$kit/host_include" -Werror -o "$tmp/conf/t" "$tmp/conf/t.c" ||
    fail "-include conf.h from host_include"
ok "conf.mk: $conf; conf.h agrees"
echo "tee_devkit_checks: all checks passed"
