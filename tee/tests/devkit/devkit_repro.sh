#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# tee_devkit_repro: the archives this tree installs (libtzm.a and libtzm_wasm.a, linked
# into users' TAs, and libteec.a) do not depend on where the tree was checked out and
# built. Two copies of the source tree in two directories of different depth, each
# configured like this build (compiler, build type, toolchain) with its build directory
# inside it, build the libraries; they must be equal byte for byte, and the same TA
# (examples/posix_devkit) built with the kit against each copy's libtzm.a must be the same
# .ta, i.e. the same measurement. Before, libtzm.a's debug information named the tree's
# tee/ta_include, so kits installed from two checkouts made two different TAs.
# The installed shared library and programs too: libteec.so is the same bytes in both
# copies, and tzm-run, tzm-teed, tzm-ta-host and tzm name no directory of the tree but
# their build-tree run path (install replaces it with an $ORIGIN-relative one). Before,
# their debug information named every source directory (`strings | grep` found 27 in
# libteec.so).
# Environment (from CTest): TZM_BUILD_DIR, TZM_SOURCE_DIR, TZM_TEST_TMPDIR, and in cross
# builds TZM_CROSS_COMPILE.
set -euo pipefail

build=${TZM_BUILD_DIR:?} src=${TZM_SOURCE_DIR:?} tmp=${TZM_TEST_TMPDIR:?}
cross=${TZM_CROSS_COMPILE:-}
kit=$build/share/tzmediator/ta_dev_kit
uuid=706f7369-7864-4b00-8000-000000000001

fail() { echo "  FAIL $*" >&2; exit 1; }
ok() { echo "  ok   $*"; }
step() { echo "== $*"; }
cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }

args=(-DCMAKE_C_COMPILER="$(cache CMAKE_C_COMPILER)" -DCMAKE_BUILD_TYPE="$(cache CMAKE_BUILD_TYPE)")
toolchain=$(cache CMAKE_TOOLCHAIN_FILE)
[ -z "$toolchain" ] || args+=(-DCMAKE_TOOLCHAIN_FILE="$toolchain")
targets=(tzm_ta_lib teec_static teec tzm-run tzm-teed tzm-ta-host tzm)
archives=(libtzm.a libteec.a libteec.so)
programs=(bin/tzm-run libexec/tzmediator/tzm-teed libexec/tzmediator/tzm-ta-host bin/tzm)
if [ -e "$build/lib/libtzm_wasm.a" ]; then
    targets+=(tzm_wasm_host)
    archives+=(libtzm_wasm.a)
fi

for copy in a/tzmediator b/deeper/checkout/tzmediator; do
    dir=$tmp/$copy
    step "a copy of the tree in $dir: configure, build ${targets[*]}"
    mkdir -p "$dir"
    # the working tree as it is (what this build was made from), without build trees
    tar -C "$src" --anchored --exclude='./build*' --exclude=./.git -cf - . | tar -C "$dir" -xf -
    (cmake -S "$dir" -B "$dir/build" "${args[@]}" &&
        cmake --build "$dir/build" --target "${targets[@]}") >"$tmp/build-${copy%%/*}.log" 2>&1 ||
        { tail -30 "$tmp/build-${copy%%/*}.log" >&2; fail "building the copy in $dir"; }
    ok "built"
done

a=$tmp/a/tzmediator/build/lib b=$tmp/b/deeper/checkout/tzmediator/build/lib
step "the archives of the two copies"
for ar in "${archives[@]}"; do
    [ -s "$a/$ar" ] && [ -s "$b/$ar" ] || fail "no $ar in $a or $b"
    if ! cmp "$a/$ar" "$b/$ar" >"$tmp/cmp.txt" 2>&1; then
        cat "$tmp/cmp.txt" >&2
        strings -a "$a/$ar" | grep -F "$tmp" | sort -u | head -5 >&2 || true
        fail "$ar differs between the two copies (it names the directory it was built in)"
    fi
    ok "$ar: the same bytes"
done
if strings -a "$a/libtzm.a" | grep -qF "$tmp"; then
    fail "libtzm.a names the directory it was built in"
fi
ok "libtzm.a names no directory of the tree"
for p in "${programs[@]}"; do
    f=$tmp/a/tzmediator/build/$p
    [ -s "$f" ] || fail "no $p in the copy"
    # the build-tree run path (DT_RUNPATH) is the one allowed mention of the tree
    runpath=$(readelf -d "$f" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]$/\1/p')
    named=$(strings -a "$f" | grep -F "$tmp" | grep -vxF -- "${runpath:-/}" | head -3 || true)
    [ -z "$named" ] || fail "$p names the directory it was built in: $named"
done
ok "${programs[*]}: no directory of the tree but the build-tree run path"

step "the same TA with each copy's libtzm.a"
cp -r "$src/examples/posix_devkit" "$tmp/ta"
for x in a b; do
    lib=$a
    [ "$x" = b ] && lib=$b
    make -C "$tmp/ta" TA_DEV_KIT_DIR="$kit" O="$tmp/out-$x" CROSS_COMPILE="$cross" \
        TZM_LIBTZM="$lib/libtzm.a" CFLAGS=-Werror V=1 >"$tmp/make-$x.log" 2>&1 ||
        { cat "$tmp/make-$x.log" >&2; fail "make with the libtzm.a of copy $x"; }
    grep -qF -- "$lib/libtzm.a" "$tmp/make-$x.log" || fail "the TA did not link copy $x's libtzm.a"
done
cmp "$tmp/out-a/$uuid.ta" "$tmp/out-b/$uuid.ta" ||
    fail "the same TA built with the libtzm.a of two checkouts differs"
ok "the same .ta (the same measurement) with either copy's libtzm.a"
echo "tee_devkit_repro: all checks passed"
