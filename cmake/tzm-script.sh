# shellcheck shell=bash
# SPDX-License-Identifier: BSD-2-Clause
# The one shell helper of the tree's test drivers and demos (the C programs' counterpart
# is util/tzm_util.h). Source it; it sets no shell options and starts nothing.
#
#   . "$TZM_SOURCE_DIR/cmake/tzm-script.sh"     # or relative to the script's directory
#
# Test drivers: `step TEXT` (a heading), `ok TEXT`, `fail TEXT` (to stderr, exit 1).
# Demos: `say TEXT` (a bold heading), `info TEXT` (an indented line), `die TEXT`
# (to stderr, exit 1; set TZM_SCRIPT_NAME to prefix it), and `tzm_stop_bg PID`: SIGTERM
# to a background process that is still running, then reap it (an EXIT trap's clean-up).
# Both: `bounded SECONDS CMD...` runs a built program for at most SECONDS (then SIGTERM,
# SIGKILL 5 s later), through the emulator of a cross build (TZM_EXEC_WRAPPER: the
# program must be an ELF file), and tzm_exec / tzm_is_elf from tzm-exec.sh.
# Dev-kit tests: tzm_kit_install (install the build, set the kit's paths), tzm_kit_ta
# (write a minimal TA project) and tzm_kit_cmake (build an outside CMake project), below.
# shellcheck source=tzm-exec.sh
. "$(dirname "${BASH_SOURCE[0]}")/tzm-exec.sh"

step() { echo "== $*"; }
ok() { echo "  ok   $*"; }
fail() {
    echo "  FAIL $*" >&2
    exit 1
}

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
info() { printf '  %s\n' "$*"; }
die() {
    echo "${TZM_SCRIPT_NAME:+$TZM_SCRIPT_NAME: }$*" >&2
    exit 1
}

bounded() {
    local limit=$1
    shift
    # shellcheck disable=SC2086 # the wrapper is a list of words
    timeout -k 5 "$limit" ${TZM_EXEC_WRAPPER:-} "$@"
}

tzm_stop_bg() {
    if [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; then
        kill -TERM "$1" 2>/dev/null || true
        wait "$1" 2>/dev/null || true
    fi
}

# tzm_kit_install: the prologue of the tests of the installed TA dev kit (tee_devkit_make,
# examples_posix_devkit). From CTest's environment it sets build, src, tmp
# (TZM_BUILD_DIR, TZM_SOURCE_DIR, TZM_TEST_TMPDIR: required), wrap (TZM_EXEC_WRAPPER),
# cross (TZM_CROSS_COMPILE), prefix ($tmp/prefix), kit (the TA dev kit installed there)
# the array pack_wrap (make's TA_PACK_WRAPPER=... in cross builds, where the installed
# packer is a target binary) and the array cm_args (an outside CMake project's toolchain
# file and packer wrapper in cross builds), then installs the build tree into prefix.
# shellcheck disable=SC2034 # set for the sourcing script
tzm_kit_install() {
    build=${TZM_BUILD_DIR:?} src=${TZM_SOURCE_DIR:?} tmp=${TZM_TEST_TMPDIR:?}
    wrap=${TZM_EXEC_WRAPPER:-}
    cross=${TZM_CROSS_COMPILE:-}
    prefix=$tmp/prefix
    kit=$prefix/share/tzmediator/ta_dev_kit
    pack_wrap=()
    [ -z "$wrap" ] || pack_wrap=(TA_PACK_WRAPPER="$wrap")
    cm_args=()
    if [ -n "${TZM_TOOLCHAIN_FILE:-}" ]; then
        cm_args+=(-DCMAKE_TOOLCHAIN_FILE="$TZM_TOOLCHAIN_FILE" -DTZM_TA_PACK_WRAPPER="$wrap")
    fi
    step "install the build into $prefix"
    cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
        { tail -20 "$tmp/install.log" >&2; fail "cmake --install"; }
}

# tzm_kit_ta DIR UUID PREAMBLE BODY: a minimal TA project for the dev kit's make path in
# DIR: Makefile (BINARY = UUID), sub.mk (ta.c), user_ta_header_defines.h (TA_UUID from
# UUID, 8 KiB stack, 32 KiB data) and ta.c: tee_internal_api.h, PREAMBLE (C lines), the
# do-nothing entry points and TA_InvokeCommandEntryPoint(s, c, t, p) { BODY }.
tzm_kit_ta() {
    local dir=$1 uuid=$2 preamble=$3 body=$4 hex node="" i
    hex=${uuid//-/}
    for i in 16 18 20 22 24 26 28 30; do
        node+="${node:+, }0x${hex:i:2}"
    done
    mkdir -p "$dir"
    # shellcheck disable=SC2016 # $(TA_DEV_KIT_DIR) is make's
    printf 'BINARY = %s\n-include $(TA_DEV_KIT_DIR)/mk/ta_dev_kit.mk\n' "$uuid" >"$dir/Makefile"
    echo 'srcs-y += ta.c' >"$dir/sub.mk"
    cat >"$dir/user_ta_header_defines.h" <<H
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H
#define TA_UUID { 0x${hex:0:8}, 0x${hex:8:4}, 0x${hex:12:4}, { $node } }
#define TA_FLAGS 0
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (32 * 1024)
#endif
H
    cat >"$dir/ta.c" <<C
#include <tee_internal_api.h>
$preamble
TEE_Result TA_CreateEntryPoint(void) { return TEE_SUCCESS; }
void TA_DestroyEntryPoint(void) {}
TEE_Result TA_OpenSessionEntryPoint(uint32_t t, TEE_Param p[4], void **s)
{ (void)t; (void)p; (void)s; return TEE_SUCCESS; }
void TA_CloseSessionEntryPoint(void *s) { (void)s; }
TEE_Result TA_InvokeCommandEntryPoint(void *s, uint32_t c, uint32_t t, TEE_Param p[4])
{
	(void)s; (void)c; (void)t; (void)p;
	$body
}
C
}

# tzm_kit_cmake DIR: configures (cm_args) and builds the outside CMake project in DIR, in
# DIR/build; on failure prints its log ($tmp/cmake-proj.log) and fails.
tzm_kit_cmake() {
    (cmake -S "$1" -B "$1/build" "${cm_args[@]}" && cmake --build "$1/build") \
        >"$tmp/cmake-proj.log" 2>&1 || { cat "$tmp/cmake-proj.log" >&2; fail "outside CMake project"; }
}
