#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Runs the C tests of the WASI conformance suite (WebAssembly/wasi-testsuite, tests/c)
# UNCHANGED as Wasm TAs: each test is compiled with Debian's clang + wasi-libc, made a TA
# with `tzm wasm build` and run with `tzm run` as the suite's JSON specification says
# (args, env, the "root" directory preopened as "/" or the legacy "dirs" under their own
# names, expected exit code and stdout; stderr when the specification gives it).
#
#   scripts/wasi-testsuite.sh <wasi-testsuite checkout> [<build dir>]
#
# <build dir> (default: build) is a configured and built tree (its tzm-wasm, TA dev kit
# and tzm-run are used). The suite is copied to a scratch directory (the checkout is never
# written). Each preopened directory is also the one `path rw` rule of the test's policy.
# Tests run against a private TEE, stopped at the end. Prints one line per test and the
# totals; exits 1 if any test failed. Not a CTest: the suite is fetched from the network,
# which CI cannot do. Results of the last run: wasm/README.md.
set -uo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] || {
	echo "usage: $0 <wasi-testsuite checkout> [<build dir>]" >&2
	exit 2
}
suite=$(cd "$1" && pwd) || exit 2
build=$(cd "${2:-build}" && pwd) || exit 2
csrc=$suite/tests/c/src
[ -d "$csrc" ] || csrc=$suite/tests/c/testsuite # the layout before 2025
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
cp -r "$csrc" "$scratch/src"
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
print("want_stdout=%s" % shlex.quote(s.get("stdout", "")))
print("check_stderr=%d" % ("stderr" in s))
print("want_stderr=%s" % shlex.quote(s.get("stderr", "")))
print("proposals=%s" % shlex.quote(" ".join(s.get("proposals", []))))
PY
}

pass=0 fail=0 n=0
failed=()
for c in "$scratch"/src/*.c; do
	name=$(basename "$c" .c)
	n=$((n + 1))
	uuid=$(printf '77747374-0000-4000-8000-%012x' "$n")
	out=$scratch/out/$name
	mkdir -p "$out"
	eval "$(spec "${c%.c}.json")"
	if [ -n "$proposals" ]; then
		echo "SKIP $name (needs proposals: $proposals)"
		continue
	fi
	if ! "$clang" --target=wasm32-wasi --sysroot=/usr -O2 -o "$out/$name.wasm" "$c" \
		>"$out/compile.txt" 2>&1; then
		echo "FAIL $name: does not compile (wasm32-wasi): $(head -n 1 "$out/compile.txt")"
		fail=$((fail + 1)) failed+=("$name")
		continue
	fi
	if ! "$build/bin/tzm-wasm" build "$out/$name.wasm" -o "$TZM_TA_DIR/$uuid.ta" \
		--kit "$build/share/tzmediator/ta_dev_kit" >"$out/build.txt" 2>&1; then
		echo "FAIL $name: tzm wasm build: $(grep -m 1 -i 'error\|tzm' "$out/build.txt")"
		fail=$((fail + 1)) failed+=("$name")
		continue
	fi
	find "$scratch/src" -name '*.cleanup' -exec rm -rf {} +
	preopen="" policy=""
	if [ -n "$root" ]; then
		preopen="$scratch/src/$root=/"
		policy+="path rw $scratch/src/$root"$'\n'
	fi
	for d in "${dirs[@]}"; do
		preopen+="${preopen:+:}$scratch/src/$d=$d"
		policy+="path rw $scratch/src/$d"$'\n'
	done
	printf '%s' "$policy" >"$out/policy"
	env_args=()
	for e in "${envs[@]}"; do
		env_args+=(--env "$e")
	done
	[ -z "$preopen" ] || env_args+=(--env "TZM_WASM_PREOPEN=$preopen")
	(cd "$scratch/src" && "$build/bin/tzm-run" --policy "$out/policy" "${env_args[@]}" \
		"$uuid" -- "${args[@]}") </dev/null >"$out/stdout" 2>"$out/stderr"
	rc=$?
	why=""
	[ "$rc" -eq "$want_rc" ] || why="exit status $rc, expected $want_rc"
	if [ -z "$why" ] && [ "$(cat "$out/stdout"; echo x)" != "${want_stdout}x" ]; then
		why="stdout differs: got '$(head -c 200 "$out/stdout")', expected '$want_stdout'"
	fi
	if [ -z "$why" ] && [ "$check_stderr" = 1 ] &&
		[ "$(cat "$out/stderr"; echo x)" != "${want_stderr}x" ]; then
		why="stderr differs: got '$(head -c 200 "$out/stderr")'"
	fi
	if [ -z "$why" ]; then
		echo "PASS $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name: $why; stderr: $(tr '\n' ' ' <"$out/stderr" | head -c 300)"
		fail=$((fail + 1)) failed+=("$name")
	fi
done
echo "wasi-testsuite (C, $(git -C "$suite" rev-parse --short HEAD 2>/dev/null || echo '?')):" \
	"$pass passed, $fail failed of $((pass + fail))${failed[*]:+ (failed: ${failed[*]})}"
echo "outputs kept in $scratch/out"
[ "$fail" -eq 0 ]
