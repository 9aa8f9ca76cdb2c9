#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# examples_posix_devkit: one POSIX source, built outside the tree both ways from an
# installed tzmediator, gives the same results.
#  1. `cmake --install` the build tree into a scratch prefix; it must carry libtzm.a, the
#     tzm headers, the tzmediator pkg-config file, tzm-run and the TA dev kit;
#  2. build wordcount.c natively with plain cc, and as a TA with the dev kit's
#     `CFG_TZM_POSIX=y` switch (OP-TEE-style Makefile + sub.mk, O=, CROSS_COMPILE);
#     the same TA built from a copy of the project in another directory, and with a
#     copy of the install at another prefix, is the same file (reproducible measurement);
#  3. run the TA with the installed tzm-run (installed libteec and TEE) and the native
#     program on the same arguments, environment and stdin (200 KB: chunked transfers);
#     the outputs must be identical apart from the line naming the build kind, and the
#     counts must be wc's;
#  4. the generated TA metadata honours CFG_TZM_POSIX_DATA_SIZE, and a TA directory's own
#     user_ta_header_defines.h wins over the generated one;
#  5. the CMake twin: an outside project with the installed TzmPosix.cmake
#     (tzm_add_posix_program) builds the same native program and TA, with the same output;
#     two copies of a project (RelWithDebInfo) in two directories give the same .ta;
#  6. a missing libtzm is a clear error.
# Environment (from CTest): TZM_BUILD_DIR, TZM_SOURCE_DIR, TZM_TEST_TMPDIR, TZM_RUNTIME_DIR,
# and in cross builds TZM_EXEC_WRAPPER, TZM_CROSS_COMPILE and TZM_TOOLCHAIN_FILE.
set -euo pipefail

# shellcheck source=../../cmake/tzm-script.sh
. "$(dirname "$0")/../../cmake/tzm-script.sh"
uuid=706f7369-7864-4b00-8000-000000000001
# a target-architecture program (through the emulator in cross builds), bounded
run() { bounded 60 "$@"; }
# data_size TA_FILE: TA_DATA_SIZE from the .ta header (offset 40, little-endian u32)
data_size() { od -An -t u4 -j 40 -N 4 --endian=little "$1" | tr -d ' '; }

tzm_kit_install
libtzm=$(find "$prefix" -name libtzm.a -path "$prefix/lib*" | head -n1)
[ -n "$libtzm" ] || fail "installed tree lacks libtzm.a"
libdir=$(dirname "$libtzm")
for f in "$kit/mk/ta_dev_kit.mk" "$kit/mk/conf.mk" "$kit/bin/tzm-ta-pack" \
    "$prefix/bin/tzm-run" "$prefix/include/tzm/tzm_wire.h" "$libdir/pkgconfig/tzmediator.pc" \
    "$prefix/libexec/tzmediator/tzm-teed"; do
    [ -e "$f" ] || fail "installed tree lacks ${f#"$prefix"/}"
done
ok "libtzm.a, tzm headers, tzmediator.pc, tzm-run, TEE and TA dev kit installed"
# The .pc file records the configured prefix; --define-prefix derives it from the file's
# location instead, as for any relocated install.
pc_libs=$(PKG_CONFIG_PATH=$libdir/pkgconfig pkg-config --define-prefix --libs tzmediator)
[[ "$pc_libs" == *"-L$libdir "* && "$pc_libs" == *-ltzm* && "$pc_libs" == *--whole-archive* ]] ||
    fail "pkg-config --libs tzmediator: '$pc_libs' does not link $libdir/libtzm.a whole"
ok "pkg-config tzmediator: $pc_libs"
if [ "$libdir" != "$prefix/lib" ]; then
    # the kit looks beside itself, in <prefix>/lib (the default, non-multiarch libdir)
    mkdir -p "$prefix/lib" && ln -sf "$libtzm" "$prefix/lib/libtzm.a"
fi

step "the same source, built both ways outside the tree"
mkdir -p "$tmp/src"
cp -r "$src/examples/posix_devkit" "$tmp/src/"
proj=$tmp/src/posix_devkit
native=$tmp/wordcount-native
"${cross}gcc" -std=c11 -Wall -Wextra -Werror -o "$native" "$proj/wordcount.c" ||
    fail "cc wordcount.c"
ok "native: ${cross}gcc -o wordcount wordcount.c"
out=$tmp/out
make -C "$proj" TA_DEV_KIT_DIR="$kit" O="$out" CROSS_COMPILE="$cross" CFLAGS=-Werror V=1 \
    "${pack_wrap[@]}" >"$tmp/make.log" 2>&1 || { cat "$tmp/make.log" >&2; fail "make CFG_TZM_POSIX=y"; }
ta=$out/$uuid.ta
[ -s "$ta" ] || fail "no $uuid.ta in O=$out"
grep -q -- '-DTZM_POSIX_TA=1' "$tmp/make.log" || fail "TA not compiled with -DTZM_POSIX_TA=1"
grep -q -- "--whole-archive $prefix/lib/libtzm.a" "$tmp/make.log" ||
    fail "TA not linked with the installed libtzm.a (whole archive)"
[ "$(data_size "$ta")" = 4194304 ] || fail "TA_DATA_SIZE $(data_size "$ta"), expected the 4 MiB default"
ok "TA: make CFG_TZM_POSIX=y -> $uuid.ta (generated metadata, libtzm linked whole)"

step "reproducible: the same TA from another directory and from a moved install"
# The debug information must not name the TA's directory or the kit's: a verifier that
# builds the same sources with the same kit elsewhere pins the same measurement (RIM).
mkdir -p "$tmp/elsewhere/deeper"
cp -r "$src/examples/posix_devkit" "$tmp/elsewhere/deeper/"
make -C "$tmp/elsewhere/deeper/posix_devkit" TA_DEV_KIT_DIR="$kit" O="$tmp/elsewhere/out" \
    CROSS_COMPILE="$cross" CFLAGS=-Werror V=1 "${pack_wrap[@]}" >"$tmp/make-b.log" 2>&1 ||
    { cat "$tmp/make-b.log" >&2; fail "make in another directory"; }
cmp "$ta" "$tmp/elsewhere/out/$uuid.ta" ||
    fail "the same TA built in $tmp/elsewhere differs from $ta ($(sha256sum "$ta" \
        "$tmp/elsewhere/out/$uuid.ta" | cut -c1-16 | tr '\n' ' '))"
ok "built in another directory (O= elsewhere too): the same .ta, bit for bit"
moved=$tmp/moved/tzm
mkdir -p "$tmp/moved"
cp -a "$prefix" "$moved"
make -C "$tmp/elsewhere/deeper/posix_devkit" TA_DEV_KIT_DIR="$moved/share/tzmediator/ta_dev_kit" \
    O="$tmp/moved-out" CROSS_COMPILE="$cross" CFLAGS=-Werror V=1 "${pack_wrap[@]}" \
    >"$tmp/make-c.log" 2>&1 || { cat "$tmp/make-c.log" >&2; fail "make with the moved install"; }
cmp "$ta" "$tmp/moved-out/$uuid.ta" || fail "the TA built with the moved install's kit differs"
rm -rf "$tmp/moved"
ok "built with a copy of the install at another prefix: the same .ta"

step "run both: installed tzm-run (installed libteec and TEE) and the native program"
seq 1 30000 | sed 's/$/ word/' >"$tmp/input" # 2 words a line, 200 KB: several chunks
printf '# wordcount needs nothing beyond its stdin and stdout\n' >"$tmp/none.policy"
unset TZM_TEED TZM_TA_DIR # the installed libteec must find the installed tzm-teed
export POSIX_DEVKIT_GREETING="hello from the normal world"
rc=0
LD_LIBRARY_PATH=$libdir run "$prefix/bin/tzm-run" --policy "$tmp/none.policy" \
    --env POSIX_DEVKIT_GREETING "$ta" -- one "two words" <"$tmp/input" >"$tmp/ta.out" \
    2>"$tmp/ta.err" || rc=$?
[ "$rc" -eq 0 ] || { cat "$tmp/ta.out" "$tmp/ta.err" >&2; fail "the TA exited with $rc"; }
if [ -z "$wrap" ] && [ -s "$TZM_RUNTIME_DIR/tzm-teed.pid" ]; then
    teed_exe=$(readlink "/proc/$(cat "$TZM_RUNTIME_DIR/tzm-teed.pid")/exe" 2>/dev/null || true)
    [ -z "$teed_exe" ] || [ "$teed_exe" = "$prefix/libexec/tzmediator/tzm-teed" ] ||
        fail "started $teed_exe, not the installed tzm-teed"
fi
run "$native" one "two words" <"$tmp/input" >"$tmp/native.out" || fail "the native program failed"
sed 's/^/       | /' "$tmp/ta.out"
grep -qx 'wordcount: built as a TA (libtzm, dev kit CFG_TZM_POSIX=y)' "$tmp/ta.out" ||
    fail "the TA did not report a TA build"
grep -qx 'wordcount: built as a native program' "$tmp/native.out" ||
    fail "the native program did not report a native build"
diff -u <(tail -n +2 "$tmp/native.out") <(tail -n +2 "$tmp/ta.out") ||
    fail "TA and native outputs differ"
read -r lines words bytes < <(wc -l -w -c <"$tmp/input")
grep -qx "stdin: $lines lines, $words words, $bytes bytes" "$tmp/ta.out" ||
    fail "counts differ from wc ($lines lines, $words words, $bytes bytes)"
grep -qx 'POSIX_DEVKIT_GREETING: hello from the normal world' "$tmp/ta.out" ||
    fail "the TA did not see the variable passed with --env"
ok "TA and native outputs identical; counts match wc"

step "TA metadata: CFG_TZM_POSIX_DATA_SIZE, and a TA's own user_ta_header_defines.h"
make -C "$proj" TA_DEV_KIT_DIR="$kit" O="$out" CROSS_COMPILE="$cross" "${pack_wrap[@]}" \
    CFG_TZM_POSIX_DATA_SIZE=8388608 >"$tmp/make2.log" 2>&1 || { cat "$tmp/make2.log" >&2; fail "make DATA_SIZE"; }
[ "$(data_size "$ta")" = 8388608 ] || fail "CFG_TZM_POSIX_DATA_SIZE not applied ($(data_size "$ta"))"
cat >"$proj/user_ta_header_defines.h" <<'H'
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H
#define TA_UUID {0x706f7369, 0x7864, 0x4b00, {0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}}
#define TA_FLAGS 0
#define TA_STACK_SIZE (128 * 1024)
#define TA_DATA_SIZE (2 * 1024 * 1024)
#endif
H
make -C "$proj" TA_DEV_KIT_DIR="$kit" O="$out" CROSS_COMPILE="$cross" "${pack_wrap[@]}" -B \
    >"$tmp/make3.log" 2>&1 || { cat "$tmp/make3.log" >&2; fail "make with own header"; }
[ "$(data_size "$ta")" = 2097152 ] || fail "the TA's own user_ta_header_defines.h was not used"
ok "TA_DATA_SIZE follows CFG_TZM_POSIX_DATA_SIZE; the TA's own header wins"

step "CMake twin: an outside project with the installed TzmPosix.cmake"
cm=$tmp/cmake-proj
mkdir -p "$cm"
cat >"$cm/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.20)
project(outside_posix C)
include($prefix/share/tzmediator/cmake/TzmPosix.cmake)
tzm_add_posix_program(NAME wordcount UUID $uuid SOURCES $proj/wordcount.c)
CM
tzm_kit_cmake "$cm"
[ -x "$cm/build/wordcount" ] || fail "outside project built no native wordcount"
[ -s "$cm/build/$uuid.ta" ] || fail "outside project built no $uuid.ta"
LD_LIBRARY_PATH=$libdir run "$prefix/bin/tzm-run" --policy "$tmp/none.policy" \
    --env POSIX_DEVKIT_GREETING "$cm/build/$uuid.ta" -- one "two words" <"$tmp/input" \
    >"$tmp/cmake-ta.out" 2>"$tmp/cmake-ta.err" || { cat "$tmp/cmake-ta.err" >&2; fail "CMake-built TA"; }
run "$cm/build/wordcount" one "two words" <"$tmp/input" >"$tmp/cmake-native.out" ||
    fail "CMake-built native program"
diff -u "$tmp/ta.out" "$tmp/cmake-ta.out" >&2 || fail "CMake-built TA differs from the dev-kit TA"
diff -u "$tmp/native.out" "$tmp/cmake-native.out" >&2 || fail "CMake-built native program differs"
ok "tzm_add_posix_program() from the install: the same native program and TA output"
# reproducible there too: two copies of a project, with debug information, same .ta
for d in repro-a repro-b/deeper; do
    mkdir -p "$tmp/$d"
    cp "$proj/wordcount.c" "$tmp/$d/"
    cat >"$tmp/$d/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.20)
project(outside_repro C)
include($prefix/share/tzmediator/cmake/TzmPosix.cmake)
tzm_add_posix_program(NAME wordcount UUID $uuid SOURCES \${CMAKE_CURRENT_SOURCE_DIR}/wordcount.c)
CM
    (cmake -S "$tmp/$d" -B "$tmp/$d/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${cm_args[@]}" &&
        cmake --build "$tmp/$d/build" --target wordcount-ta) >"$tmp/repro.log" 2>&1 ||
        { cat "$tmp/repro.log" >&2; fail "outside CMake project in $d"; }
done
cmp "$tmp/repro-a/build/$uuid.ta" "$tmp/repro-b/deeper/build/$uuid.ta" ||
    fail "tzm_add_posix_program(): the same project in two directories gives two .ta files"
ok "tzm_add_posix_program() with debug information in two directories: the same .ta"

rc=0
make -C "$proj" TA_DEV_KIT_DIR="$kit" O="$tmp/out2" TZM_LIBTZM="$tmp/missing/libtzm.a" \
    >"$tmp/make4.log" 2>&1 || rc=$?
if [ "$rc" -eq 0 ] || ! grep -q 'CFG_TZM_POSIX=y needs libtzm' "$tmp/make4.log"; then
    cat "$tmp/make4.log" >&2
    fail "a missing libtzm.a was not reported clearly"
fi
ok "a missing libtzm.a stops make with a clear message"
echo "examples_posix_devkit: all checks passed"
