#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Runs the preview-1 tests of the WASI conformance suite (WebAssembly/wasi-testsuite)
# UNCHANGED as Wasm TAs:
#  - its C tests (tests/c/src), each compiled with Debian's clang + wasi-libc;
#  - its Rust tests, which the suite ships prebuilt as .wasm files on its branch
#    prod/testsuite-base (tests/rust/testsuite/wasm32-wasip1; there is no Debian Rust
#    toolchain for wasm32-wasip1, so they are not built here).
# Each module is made a TA with `tzm wasm build` and run with `tzm run` as the suite's
# JSON specification says (args, env, the "root" directory preopened as "/" or the legacy
# "dirs" under their own names, expected exit code; stdout and stderr when the
# specification gives them, as the suite's own runner).
#
#   scripts/wasi-testsuite.sh <wasi-testsuite checkout> [<build dir>]
#
# The TAs are built first, $WASI_TESTSUITE_JOBS (default 2) at a time, then the tests run
# one after the other.
#
# <build dir> (default: build) is a configured and built tree (its tzm-wasm, TA dev kit
# and tzm-run are used). Check the suite out at prod/testsuite-base for the Rust tests
# (its main branch has their sources only). Each test gets its own copy of its
# directories in a scratch directory (the checkout is never written); each copy is also
# the one `path rw` rule of the test's policy. Tests run against a private TEE, stopped at
# the end. Prints one line per test and the totals; exits 1 if any test failed, or passed
# while listed below as an expected failure (so the list stays true). Not a CTest: the
# suite is fetched from the network, which CI cannot do. Results of the last run:
# wasm/README.md.
set -uo pipefail

# Expected failures: behaviour this host deliberately refuses or lacks, one line each,
# "<kind>/<test>: reason" (kind c or rust).
expected_failures='
rust/file_allocate: fd_allocate is ENOSYS (libtzm forwards no fallocate); the test accepts only success or NOTSUP
rust/fd_advise: ends with fd_allocate, ENOSYS as in file_allocate
'

[ $# -ge 1 ] && [ $# -le 2 ] || {
	echo "usage: $0 <wasi-testsuite checkout> [<build dir>]" >&2
	exit 2
}
suite=$(cd "$1" && pwd) || exit 2
build=$(cd "${2:-build}" && pwd) || exit 2
csrc=$suite/tests/c/src
[ -d "$csrc" ] || csrc=$suite/tests/c/testsuite # the layout before 2025
rustdir=$suite/tests/rust/testsuite/wasm32-wasip1
ls "$csrc"/*.c >/dev/null 2>&1 || {
	echo "$0: $suite has no tests/c/src/*.c: not a wasi-testsuite checkout" >&2
	exit 2
}
[ -x "$build/bin/tzm-run" ] && [ -x "$build/bin/tzm-wasm" ] || {
	echo "$0: $build has no bin/tzm-run and bin/tzm-wasm: build it first" >&2
	exit 2
}
clang=$(command -v clang-14 || command -v clang) || {
	echo "$0: no clang" >&2
	exit 2
}
command -v python3 >/dev/null || {
	echo "$0: python3 is needed to read the JSON specifications" >&2
	exit 2
}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/wasi-testsuite.XXXXXX")
export TZM_RUNTIME_DIR=$scratch/run TZM_STATE_DIR=$scratch/state TZM_TA_DIR=$scratch/ta
export TZM_TEED=$build/libexec/tzmediator/tzm-teed
mkdir -m 700 "$TZM_RUNTIME_DIR" "$TZM_STATE_DIR"
mkdir "$TZM_TA_DIR"
stop_tee() {
	if [ -s "$TZM_RUNTIME_DIR/tzm-teed.pid" ]; then
		kill "$(cat "$TZM_RUNTIME_DIR/tzm-teed.pid")" 2>/dev/null || true
	fi
}
trap stop_tee EXIT

# spec TEST.json: shell assignments of the specification's fields (defaults when absent)
spec() {
	python3 - "$1" <<'PY'
import json, shlex, sys
s = {}
try:
    with open(sys.argv[1]) as f:
        s = json.load(f)
except FileNotFoundError:
    pass
run = {}
for op in s.get("operations", []):
    if op.get("type") == "run":
        run = op
    elif op.get("type") == "wait":
        s["exit_code"] = op.get("exit_code", 0)
    elif op.get("type") == "read":
        s[op.get("id", "stdout")] = op.get("payload", "")
args = run.get("args", s.get("args", []))
env = run.get("env", s.get("env", {}))
root = run.get("root", s.get("root"))
print("args=(%s)" % " ".join(shlex.quote(a) for a in args))
print("envs=(%s)" % " ".join(shlex.quote("%s=%s" % kv) for kv in env.items()))
print("root=%s" % shlex.quote(root or ""))
print("dirs=(%s)" % " ".join(shlex.quote(d) for d in s.get("dirs", [])))
print("want_rc=%d" % s.get("exit_code", 0))
print("check_stdout=%d" % ("stdout" in s))
print("want_stdout=%s" % shlex.quote(s.get("stdout", "")))
print("check_stderr=%d" % ("stderr" in s))
print("want_stderr=%s" % shlex.quote(s.get("stderr", "")))
print("proposals=%s" % shlex.quote(" ".join(s.get("proposals", []))))
PY
}

# expected_failure KIND/NAME: the reason it is listed, or nothing
expected_failure() {
	printf '%s\n' "$expected_failures" | sed -n "s|^$1: ||p"
}

pass=0 fail=0 xfail=0
failed=()
# verdict ID WHY: counts and prints one test's result (WHY empty: it passed)
verdict() {
	local id=$1 why=$2 reason
	reason=$(expected_failure "$id")
	if [ -z "$why" ] && [ -z "$reason" ]; then
		echo "PASS $id"
		pass=$((pass + 1))
	elif [ -z "$why" ]; then
		echo "XPASS $id: passes but is listed as an expected failure ($reason)"
		fail=$((fail + 1)) failed+=("$id")
	elif [ -n "$reason" ]; then
		echo "XFAIL $id: $reason [$why]"
		xfail=$((xfail + 1))
	else
		echo "FAIL $id: $why"
		fail=$((fail + 1)) failed+=("$id")
	fi
}

# The tests: kind, name, module, specification, directory holding its directories
kinds=() names=() modules=() specs=() srcdirs=()
add_test() {
	kinds+=("$1") names+=("$2") modules+=("$3") specs+=("$4") srcdirs+=("$5")
	mkdir -p "$scratch/out/$1/$2"
}
# C tests: compiled here (the sources are copied: the checkout is never written)
cp -r "$csrc" "$scratch/c"
for c in "$scratch"/c/*.c; do
	add_test c "$(basename "$c" .c)" "$scratch/out/c/$(basename "$c" .c)/test.wasm" \
		"${c%.c}.json" "$scratch/c"
done
# Rust tests: prebuilt
nrust=0
if ls "$rustdir"/*.wasm >/dev/null 2>&1; then
	for w in "$rustdir"/*.wasm; do
		add_test rust "$(basename "$w" .wasm)" "$w" "${w%.wasm}.json" "$rustdir"
		nrust=$((nrust + 1))
	done
else
	echo "NOTE no prebuilt Rust tests ($rustdir): check the suite out at prod/testsuite-base"
fi

uuid_of() {
	printf '77747374-0000-4000-8000-%012x' "$(($1 + 1))"
}

# build I: the TA of test I (compiled first for C); leaves out/build.rc and the messages
build() {
	local i=$1 out=$scratch/out/${kinds[$1]}/${names[$1]} rc=0
	if [ "${kinds[$i]}" = c ]; then
		"$clang" --target=wasm32-wasi --sysroot=/usr -O2 -o "${modules[$i]}" \
			"$scratch/c/${names[$i]}.c" >"$out/compile.txt" 2>&1 || rc=1
	fi
	if [ "$rc" = 0 ]; then
		"$build/bin/tzm-wasm" build "${modules[$i]}" -o "$TZM_TA_DIR/$(uuid_of "$i").ta" \
			--kit "$build/share/tzmediator/ta_dev_kit" >"$out/build.txt" 2>&1 || rc=2
	fi
	echo "$rc" >"$out/build.rc"
}

jobs=${WASI_TESTSUITE_JOBS:-2}
for i in "${!names[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	build "$i" &
done
wait

# run I: runs test I as its specification says and prints its verdict
run() {
	local i=$1 id=${kinds[$1]}/${names[$1]} out=$scratch/out/${kinds[$1]}/${names[$1]}
	local dir=${srcdirs[$1]} rc why preopen policy d
	eval "$(spec "${specs[$i]}")"
	if [ -n "$proposals" ]; then
		echo "SKIP $id (needs proposals: $proposals)"
		return
	fi
	case $(cat "$out/build.rc") in
	0) ;;
	1)
		verdict "$id" "does not compile (wasm32-wasi): $(head -n 1 "$out/compile.txt")"
		return
		;;
	*)
		verdict "$id" "tzm wasm build: $(grep -m 3 -i 'error\|tzm\|import' "$out/build.txt" |
			tr '\n' ' ')"
		return
		;;
	esac
	preopen="" policy=""
	if [ -n "$root" ]; then
		cp -r "$dir/$root" "$out/root"
		preopen="$out/root=/"
		policy+="path rw $out/root"$'\n'
	fi
	for d in "${dirs[@]}"; do
		mkdir -p "$out/dirs"
		cp -r "$dir/$d" "$out/dirs/"
		preopen+="${preopen:+:}$out/dirs/$(basename "$d")=$d"
		policy+="path rw $out/dirs/$(basename "$d")"$'\n'
	done
	printf '%s' "$policy" >"$out/policy"
	env_args=()
	for e in "${envs[@]}"; do
		env_args+=(--env "$e")
	done
	[ -z "$preopen" ] || env_args+=(--env "TZM_WASM_PREOPEN=$preopen")
	(cd "$out" && "$build/bin/tzm-run" --policy "$out/policy" "${env_args[@]}" \
		"$(uuid_of "$i")" -- "${args[@]}") </dev/null >"$out/stdout" 2>"$out/stderr"
	rc=$?
	why=""
	[ "$rc" -eq "$want_rc" ] || why="exit status $rc, expected $want_rc"
	if [ -z "$why" ] && [ "$check_stdout" = 1 ] &&
		[ "$(cat "$out/stdout"; echo x)" != "${want_stdout}x" ]; then
		why="stdout differs: got '$(head -c 200 "$out/stdout")', expected '$want_stdout'"
	fi
	if [ -z "$why" ] && [ "$check_stderr" = 1 ] &&
		[ "$(cat "$out/stderr"; echo x)" != "${want_stderr}x" ]; then
		why="stderr differs: got '$(head -c 200 "$out/stderr")'"
	fi
	[ -z "$why" ] || why+="; stderr: $(tr '\n' ' ' <"$out/stderr" | head -c 400)"
	verdict "$id" "$why"
}

for i in "${!names[@]}"; do
	run "$i"
done

rev=$(git -C "$suite" rev-parse --short HEAD 2>/dev/null || echo '?')
echo "wasi-testsuite ($rev; C and $nrust Rust): $pass passed, $xfail expected failures," \
	"$fail failed of $((pass + xfail + fail))${failed[*]:+ (failed: ${failed[*]})}"
echo "outputs kept in $scratch/out"
[ "$fail" -eq 0 ]
