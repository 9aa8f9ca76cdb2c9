#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# tzm_install_clean_env: `cmake --install` into a scratch prefix, then the installed
# programs run from a clean environment (env -i: no LD_LIBRARY_PATH, no TZM_TEED, no
# TZM_TA_DIR): they must find libteec through their $ORIGIN-relative run path, and
# libteec must start the installed tzm-teed.
#  1. every installed ELF program that needs libteec.so.2 resolves it inside the prefix;
#  2. $PREFIX/bin/optee_example_hello_world runs the installed hello_world TA;
#  3. $PREFIX/bin/tzm run <installed TA> runs a POSIX TA through the installed tzm-run.
# Environment (from CTest): TZM_BUILD_DIR, TZM_TEST_TMPDIR.
set -euo pipefail

build=${TZM_BUILD_DIR:?} tmp=${TZM_TEST_TMPDIR:?}
if [ -n "${TZM_EXEC_WRAPPER:-}" ]; then
    echo "SKIP: cross build (the emulator cannot follow tzm's exec of tzm-run)"
    exit 77
fi
prefix=$tmp/prefix
hello_uuid=8aaaf200-2450-11e4-abe2-0002a5d5c51b
mtest_uuid=7a2d0c11-3e5b-4a6c-9d8e-0f1a2b3c4d5f

fail() { echo "  FAIL $*" >&2; exit 1; }
ok() { echo "  ok   $*"; }

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
    { tail -20 "$tmp/install.log" >&2; fail "cmake --install"; }
libteec=$(find "$prefix" -name libteec.so.2 | head -n1)
[ -n "$libteec" ] || fail "no libteec.so.2 installed"
tadir=$(dirname "$libteec")/optee_armtz
[ -f "$tadir/$hello_uuid.ta" ] || fail "hello_world TA not installed in $tadir"

# 1. run paths: ldd in a clean environment finds our libraries inside the prefix
for f in "$prefix"/bin/* "$prefix"/libexec/tzmediator/*; do
    head -c 4 "$f" | grep -q ELF || continue
    deps=$(env -i PATH=/usr/bin:/bin ldd "$f" 2>&1) || true
    if grep -q "not found" <<<"$deps"; then
        echo "$deps" >&2
        fail "${f#"$prefix"/}: a library is not found without LD_LIBRARY_PATH"
    fi
    if grep -q libteec <<<"$deps"; then
        grep -q "libteec.so.2 => $libteec\|libteec.so.2 => $(dirname "$libteec")/" <<<"$deps" ||
            grep -q "libteec.so.2 => $prefix/bin/../" <<<"$deps" ||
            fail "${f#"$prefix"/} takes libteec from outside the prefix: $(grep libteec <<<"$deps")"
    fi
done
ok "installed programs resolve their libraries without LD_LIBRARY_PATH"

runtime=$tmp/run-clean
state=$tmp/state-clean
mkdir -p "$runtime" "$state"
chmod 700 "$runtime" "$state"
stop_teed() {
    local pid
    pid=$(cat "$runtime/tzm-teed.pid" 2>/dev/null || true)
    [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
}
trap stop_teed EXIT
clean() { env -i PATH=/usr/bin:/bin TZM_RUNTIME_DIR="$runtime" TZM_STATE_DIR="$state" \
    TZM_TA_DIR="$tadir" TZM_IDLE_EXIT_MS=2000 "$@"; }

# 2. a GP host program linked with libteec
out=$(clean timeout -k 5 60 "$prefix/bin/optee_example_hello_world" 2>&1) ||
    { echo "$out" >&2; fail "installed optee_example_hello_world failed"; }
grep -q "TA incremented value to 43" <<<"$out" || { echo "$out" >&2; fail "hello_world output"; }
teed=$(readlink "/proc/$(cat "$runtime/tzm-teed.pid" 2>/dev/null)/exe" 2>/dev/null || true)
[ -z "$teed" ] || [ "$teed" = "$prefix/libexec/tzmediator/tzm-teed" ] ||
    fail "libteec started $teed, not the installed tzm-teed"
ok "env -i \$PREFIX/bin/optee_example_hello_world: TA incremented value to 43"

# 3. tzm run: the front end, tzm-run and libteec from the prefix; an installed POSIX TA
cp "$build/lib/optee_armtz/$mtest_uuid.ta" "$tadir/"
rc=0
out=$(clean timeout -k 5 60 "$prefix/bin/tzm" run "$tadir/$mtest_uuid.ta" 2>&1) || rc=$?
# mtest without a mode prints its usage (from inside the TA) and exits 64
[ "$rc" -eq 64 ] && grep -q "usage: see the comment at the top of mtest.c" <<<"$out" ||
    { echo "$out" >&2; fail "tzm run exited $rc"; }
ok "env -i \$PREFIX/bin/tzm run \$PREFIX/.../$mtest_uuid.ta: the TA ran (exit 64, its usage)"
echo "install: all checks passed"
