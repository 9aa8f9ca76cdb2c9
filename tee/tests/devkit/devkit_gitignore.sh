#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# tee_devkit_gitignore: building the examples in the tree as their READMEs say leaves
# nothing that `git status` shows. In a scratch git repository holding the tree's
# .gitignore and copies of examples/posix_devkit and examples/hello_world (with their own
# .gitignore files) at their places: posix_devkit's native `cc -o wordcount` and its TA
# with the kit, in place and with O=out; hello_world's host program and TA with
# `make -C examples/hello_world`.
# Uses the build-tree kit and libteec. Environment (from CTest): TZM_BUILD_DIR,
# TZM_SOURCE_DIR, TZM_TEST_TMPDIR, and in cross builds TZM_CROSS_COMPILE.
set -euo pipefail

build=${TZM_BUILD_DIR:?} src=${TZM_SOURCE_DIR:?} tmp=${TZM_TEST_TMPDIR:?}
cross=${TZM_CROSS_COMPILE:-}
kit=$build/share/tzmediator/ta_dev_kit

fail() { echo "  FAIL $*" >&2; exit 1; }
ok() { echo "  ok   $*"; }

repo=$tmp/repo
mkdir -p "$repo/examples" "$tmp/teec/lib"
cp "$src/.gitignore" "$repo/"
cp -r "$src/examples/posix_devkit" "$src/examples/hello_world" "$repo/examples/"
git -C "$repo" init -q
git -C "$repo" add -A
git -C "$repo" -c user.name=t -c user.email=t@t commit -qm "the sources"
[ -z "$(git -C "$repo" status --porcelain)" ] || fail "a fresh copy is not clean"

# posix_devkit/README.md: cc -o wordcount wordcount.c; make TA_DEV_KIT_DIR=... O=out
pd=$repo/examples/posix_devkit
(cd "$pd" && "${cross}gcc" -o wordcount wordcount.c) || fail "cc wordcount.c"
make -C "$pd" TA_DEV_KIT_DIR="$kit" O=out CROSS_COMPILE="$cross" >"$tmp/make1.log" 2>&1 ||
    { cat "$tmp/make1.log" >&2; fail "make O=out"; }
make -C "$pd" TA_DEV_KIT_DIR="$kit" CROSS_COMPILE="$cross" >"$tmp/make2.log" 2>&1 ||
    { cat "$tmp/make2.log" >&2; fail "make in place"; }
# hello_world/README.md: make -C examples/hello_world TEEC_EXPORT=... TA_DEV_KIT_DIR=...
ln -s "$src/tee/include" "$tmp/teec/include"
ln -s "$build/lib/libteec.so" "$tmp/teec/lib/libteec.so"
make -C "$repo/examples/hello_world" TEEC_EXPORT="$tmp/teec" TA_DEV_KIT_DIR="$kit" \
    CROSS_COMPILE="$cross" >"$tmp/make3.log" 2>&1 || { cat "$tmp/make3.log" >&2; fail "make hello_world"; }
for f in posix_devkit/wordcount posix_devkit/out/706f7369-7864-4b00-8000-000000000001.ta \
    posix_devkit/706f7369-7864-4b00-8000-000000000001.ta hello_world/host/optee_example_hello_world \
    hello_world/ta/8aaaf200-2450-11e4-abe2-0002a5d5c51b.ta; do
    [ -s "$repo/examples/$f" ] || fail "the build made no examples/$f"
done
left=$(git -C "$repo" status --porcelain)
[ -z "$left" ] || fail "git status shows what the builds made: $(echo "$left" | tr '\n' ' ')"
ok "examples built in the tree as their READMEs say: git status is clean"
