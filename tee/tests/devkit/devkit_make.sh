#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# tee_devkit_make: proves the installed dev kit and the OP-TEE build conventions.
#  1. `cmake --install` the build tree into a scratch prefix (the install layout);
#  2. build examples/hello_world unchanged with its OP-TEE Makefiles
#     (make TA_DEV_KIT_DIR=<prefix>/share/tzmediator/ta_dev_kit TEEC_EXPORT=<prefix>),
#     and the counter test TA with O=<dir>, CROSS_COMPILE (a logging tool prefix in native
#     builds), CPPFLAGS, CFLAGS=-Werror and a cflags-<file>-y;
#  3. run the hello_world host (installed libteec, installed tzm-teed found beside it)
#     and the counter test host against the TAs built by make; build the hello_world host
#     once more with only `pkg-config --cflags --libs teec` and run it;
#  4. `make clean` removes what the kit built;
#  5. an outside CMake project builds the TA with the installed TzmTa.cmake, and a second
#     private TEE runs hello_world against that image.
# Environment (from CTest): TZM_BUILD_DIR, TZM_SOURCE_DIR, TZM_TEST_TMPDIR, and in cross
# builds TZM_EXEC_WRAPPER, TZM_CROSS_COMPILE, TZM_TOOLCHAIN_FILE; TZM_SANITIZE_FLAGS in
# sanitizer builds (the installed libteec needs the host linked the same way).
set -euo pipefail

# shellcheck source=../../../cmake/tzm-script.sh
. "$(dirname "$0")/../../../cmake/tzm-script.sh"
hw_uuid=8aaaf200-2450-11e4-abe2-0002a5d5c51b
counter_uuid=19e2a039-1247-4870-b42e-a4a75f185999
# a target-architecture program (through the emulator in cross builds), bounded
run() { bounded 240 "$@"; }

tzm_kit_install
for f in "$kit/mk/ta_dev_kit.mk" "$kit/mk/conf.mk" "$kit/include/tee_internal_api.h" \
    "$kit/include/trace.h" "$kit/src/user_ta_header.c" "$kit/bin/tzm-ta-pack" \
    "$kit/lib/ta_api.syms" "$kit/host_include/conf.mk" "$kit/host_include/conf.h" \
    "$prefix/include/tee_client_api.h" "$prefix/share/tzmediator/cmake/TzmTa.cmake" \
    "$prefix/libexec/tzmediator/tzm-teed" "$prefix/libexec/tzmediator/tzm-ta-host"; do
    [ -e "$f" ] || fail "installed tree lacks ${f#"$prefix"/}"
done
ls "$prefix"/lib*/libteec.so >/dev/null 2>&1 || fail "installed tree lacks libteec.so"
libdir=$(dirname "$(ls "$prefix"/lib*/libteec.so | head -n1)")
ok "dev kit, headers, libteec ($libdir), tzm-teed and tzm-ta-host installed"

# The TEEC_EXPORT convention wants $TEEC_EXPORT/lib; a multiarch libdir gets a link.
if [ "$libdir" != "$prefix/lib" ]; then
    mkdir -p "$prefix/lib"
    ln -sf "$libdir"/libteec.so* "$prefix/lib/"
fi

step "OP-TEE make path: examples/hello_world unchanged"
mkdir -p "$tmp/src"
cp -r "$src/examples/hello_world" "$tmp/src/"
cp -r "$src/tee/tests/counter" "$tmp/src/"
export CFLAGS="${TZM_SANITIZE_FLAGS:-}" LDFLAGS="${TZM_SANITIZE_FLAGS:-}"
make -C "$tmp/src/hello_world" CROSS_COMPILE="$cross" TEEC_EXPORT="$prefix" \
    TA_DEV_KIT_DIR="$kit" "${pack_wrap[@]}" >"$tmp/make-hw.log" 2>&1 ||
    { cat "$tmp/make-hw.log" >&2; fail "make -C hello_world"; }
unset CFLAGS LDFLAGS
hw_ta=$tmp/src/hello_world/ta/$hw_uuid.ta
hw_host=$tmp/src/hello_world/host/optee_example_hello_world
[ -s "$hw_ta" ] && [ -s "${hw_ta%.ta}.so" ] || fail "no $hw_uuid.ta/.so in hello_world/ta"
[ -x "$hw_host" ] || fail "no host binary"
# (no pipes into grep -q below: with pipefail, an early grep exit fails the pipeline)
dry=$(make -C "$tmp/src/hello_world/ta" TA_DEV_KIT_DIR="$kit" -n -B V=1 2>&1)
case "$dry" in
*-D__OPTEE_CORE_API_COMPAT_1_1*) ;;
*) fail "CFG_TA_OPTEE_CORE_API_COMPAT_1_1=y did not define __OPTEE_CORE_API_COMPAT_1_1" ;;
esac
ok "hello_world TA ($hw_uuid.ta, GP 1.1 API) and host built by their own Makefiles"

step "OP-TEE make path: O=, CROSS_COMPILE, CPPFLAGS, CFLAGS, per-file cflags"
echo 'cflags-counter_ta.c-y += -DTZM_DEVKIT_PER_FILE_FLAG=1' >>"$tmp/src/counter/ta/sub.mk"
out=$tmp/out/counter
xcross=$cross
if [ -z "$cross" ]; then
    # Native build: a logging compiler prefix proves that CROSS_COMPILE selects the tools.
    mkdir -p "$tmp/xbin"
    for tool in gcc ar; do
        printf '#!/bin/sh\necho "%s $*" >>"%s/xbin/used.log"\nexec %s "$@"\n' \
            "$tool" "$tmp" "$tool" >"$tmp/xbin/tzmx-$tool"
        chmod +x "$tmp/xbin/tzmx-$tool"
    done
    xcross=$tmp/xbin/tzmx-
fi
make -C "$tmp/src/counter/ta" TA_DEV_KIT_DIR="$kit" O="$out" CROSS_COMPILE="$xcross" \
    CPPFLAGS=-DTZM_DEVKIT_CPPFLAG=1 CFLAGS=-Werror V=1 "${pack_wrap[@]}" \
    >"$tmp/make-counter.log" 2>&1 ||
    { cat "$tmp/make-counter.log" >&2; fail "make -C counter/ta O=$out"; }
if [ -z "$cross" ]; then
    grep -q 'gcc .*counter_ta.c' "$tmp/xbin/used.log" 2>/dev/null ||
        fail "CROSS_COMPILE=$xcross did not select the compiler"
    ok "CROSS_COMPILE selected the (logging) tools $xcross*"
fi
[ -s "$out/$counter_uuid.ta" ] || fail "no $counter_uuid.ta in O=$out"
[ ! -e "$tmp/src/counter/ta/$counter_uuid.ta" ] || fail "output written outside O="
grep -q -- '-Werror' "$tmp/make-counter.log" || fail "CFLAGS not passed to the compiler"
cc_main=$(grep -e '-c counter_ta.c' "$tmp/make-counter.log" || true)
cc_hdr=$(grep -e 'user_ta_header.c' "$tmp/make-counter.log" || true)
[[ "$cc_main" == *-DTZM_DEVKIT_PER_FILE_FLAG=1* ]] || fail "cflags-counter_ta.c-y not applied"
[[ "$cc_main" == *-DTZM_DEVKIT_CPPFLAG=1* ]] || fail "CPPFLAGS not passed to the compiler"
[[ "$cc_hdr" != *-DTZM_DEVKIT_PER_FILE_FLAG* ]] || fail "cflags-counter_ta.c-y leaked to another file"
grep -q -- '-nostartfiles' "$tmp/make-counter.log" || fail "TA not linked with -nostartfiles"
ok "counter TA built into O=$out with CPPFLAGS, CFLAGS=-Werror and a per-file flag"

step "run the make-built TAs (installed libteec and TEE)"
mkdir -p "$tmp/tadir"
cp "$hw_ta" "$out/$counter_uuid.ta" "$tmp/tadir/"
export TZM_TA_DIR=$tmp/tadir
unset TZM_TEED # the installed libteec must find the installed tzm-teed by itself
out_hw=$(LD_LIBRARY_PATH=$prefix/lib run "$hw_host") || fail "hello_world host failed"
echo "$out_hw" | sed 's/^/       | /'
[[ "$out_hw" == *"TA incremented value to 43"* ]] || fail "hello_world did not increment"
ok "hello_world host talked to its make-built TA"

step "pkg-config teec: an outside host program built with the installed teec.pc"
pcdir=$libdir/pkgconfig
[ -s "$pcdir/teec.pc" ] || fail "installed tree lacks ${pcdir#"$prefix"/}/teec.pc"
pc_cflags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags teec) || fail "pkg-config --cflags teec"
pc_libs=$(PKG_CONFIG_PATH=$pcdir pkg-config --libs teec) || fail "pkg-config --libs teec"
echo "       cflags: $pc_cflags"
echo "       libs:   $pc_libs"
pc_inc=$(PKG_CONFIG_PATH=$pcdir pkg-config --variable=includedir teec)
[ "$(cd "$pc_inc" && pwd -P)" = "$(cd "$prefix/include" && pwd -P)" ] ||
    fail "teec.pc points at $pc_inc, not at the install prefix $prefix"
# shellcheck disable=SC2086 # word splitting of the pkg-config output is intended
"${cross}gcc" ${TZM_SANITIZE_FLAGS:-} $pc_cflags -I"$src/examples/hello_world/ta/include" \
    -o "$tmp/pc_hello" "$src/examples/hello_world/host/main.c" $pc_libs \
    >"$tmp/pc-build.log" 2>&1 || { cat "$tmp/pc-build.log" >&2; fail "build with pkg-config teec"; }
out_pc=$(LD_LIBRARY_PATH=$libdir run "$tmp/pc_hello") || fail "pkg-config-built host failed"
[[ "$out_pc" == *"TA incremented value to 43"* ]] || fail "pkg-config-built host did not increment"
ok "teec.pc gives the install prefix's headers and libteec; the host it built works"

if [ -s "$TZM_RUNTIME_DIR/tzm-teed.pid" ]; then
    teed_exe=$(readlink "/proc/$(cat "$TZM_RUNTIME_DIR/tzm-teed.pid")/exe" 2>/dev/null || true)
    [ -z "$wrap" ] && [ -n "$teed_exe" ] && [ "$teed_exe" != "$prefix/libexec/tzmediator/tzm-teed" ] &&
        fail "started $teed_exe, not the installed tzm-teed"
    ok "the TEE was started on demand (${teed_exe:-tzm-teed})"
fi
# The build tree's libteec refuses the installed core (another install: the version
# handshake) and starts its own, in a runtime directory of its own.
mkdir -m 700 "$tmp/run-build"
rc=0
TZM_RUNTIME_DIR=$tmp/run-build TZM_TEED=$build/libexec/tzmediator/tzm-teed \
    run "$build/bin/tee_counter_host" >"$tmp/counter.log" 2>&1 || rc=$?
if [ -s "$tmp/run-build/tzm-teed.pid" ]; then
    kill "$(cat "$tmp/run-build/tzm-teed.pid")" 2>/dev/null || true
fi
[ "$rc" -eq 0 ] || { cat "$tmp/counter.log" >&2; fail "tee_counter against the make-built counter TA"; }
ok "the whole tee_counter test passes against the make-built counter TA"

step "make clean"
make -C "$tmp/src/counter/ta" TA_DEV_KIT_DIR="$kit" O="$out" clean >/dev/null
[ ! -e "$out/$counter_uuid.ta" ] && [ ! -e "$out/$counter_uuid.so" ] &&
    [ ! -e "$out/counter_ta.o" ] || fail "make clean left outputs behind"
make -C "$tmp/src/hello_world" TA_DEV_KIT_DIR="$kit" clean >/dev/null
[ ! -e "$hw_ta" ] && [ ! -e "$hw_host" ] || fail "make clean (hello_world) left outputs"
ok "make clean removed the TA, its ELF and objects"

step "CMake path: an outside project with the installed TzmTa.cmake"
proj=$tmp/cmake-proj
mkdir -p "$proj"
cat >"$proj/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.20)
project(outside_ta C)
include($prefix/share/tzmediator/cmake/TzmTa.cmake)
tzm_add_ta($hw_uuid
           SOURCES $src/examples/hello_world/ta/hello_world_ta.c
           INCLUDE_DIRECTORIES $src/examples/hello_world/ta $src/examples/hello_world/ta/include
           COMPILE_DEFINITIONS __OPTEE_CORE_API_COMPAT_1_1=1
           OUTPUT_DIRECTORY \${CMAKE_BINARY_DIR}/ta)
CM
tzm_kit_cmake "$proj"
[ -s "$proj/build/ta/$hw_uuid.ta" ] || fail "outside project produced no .ta"
ok "outside project built $hw_uuid.ta"
mkdir -p "$tmp/tadir2" "$tmp/run2"
chmod 700 "$tmp/run2"
cp "$proj/build/ta/$hw_uuid.ta" "$tmp/tadir2/"
# The host Makefile appends to CFLAGS/LDFLAGS: pass extra flags through the environment.
CFLAGS="${TZM_SANITIZE_FLAGS:-}" LDFLAGS="${TZM_SANITIZE_FLAGS:-}" \
    make -C "$tmp/src/hello_world/host" --no-builtin-variables CROSS_COMPILE="$cross" \
    TEEC_EXPORT="$prefix" >/dev/null || fail "rebuild the hello_world host"
rc=0
out_hw=$(TZM_RUNTIME_DIR=$tmp/run2 TZM_TA_DIR=$tmp/tadir2 TZM_IDLE_EXIT_MS=500 \
    LD_LIBRARY_PATH=$prefix/lib run "$hw_host") || rc=$?
if [ -s "$tmp/run2/tzm-teed.pid" ]; then
    kill "$(cat "$tmp/run2/tzm-teed.pid")" 2>/dev/null || true
fi
[ "$rc" -eq 0 ] || fail "hello_world against the CMake-built TA (rc $rc)"
[[ "$out_hw" == *"TA incremented value to 43"* ]] || fail "hello_world did not increment"
ok "hello_world host talked to the TA built by the outside CMake project"
echo "tee_devkit_make: all checks passed"
