#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# WASI differential runner: runs one test program natively and as a Wasm TA (tzm run,
# the scratch dir preopened and allowed read-write by the policy), each in its own scratch
# dir, with the same arguments, environment (TZM_DIFF_VAR passed, TZM_DIFF_UNSET not) and
# stdin (a pipe carrying one line), and requires for both
#   - the expected exit status and a complete transcript ("# end"),
#   - byte-identical stdout transcripts and identical "stdio-err:" lines on stderr.
# The transcript format is mediator/tests/diff's (tr.h); wasi_diff.h adds the lines for
# documented WASI differences.
#
# With NAME, the Wasm TA sees its scratch dir under that name (TZM_WASM_PREOPEN=DIR=NAME)
# and gets NAME as its argument: a preopen's name need not be its host path.
#
# usage: run_wasi_diff.sh FAMILY NATIVE TZM_RUN UUID STATUS [NAME]
set -euo pipefail
family=$1 native=$2 tzm_run=$3 uuid=$4 status=$5 name=${6:-}
. "$(dirname "$0")/../../../cmake/tzm-exec.sh"
. "$(dirname "$0")/../../../mediator/tests/diff/transcripts.sh"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tzm-wasi-diff.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
scratch=$(cd "$scratch" && pwd -P)
export TZM_DIFF_VAR="value passed to $family"
unset TZM_DIFF_UNSET
args=("word" "two words" "")

# run SIDE CMD...: stdin is a pipe with one line; leaves SIDE.out/.err/.rc
run() {
	local side=$1
	shift
	set +e
	printf 'from stdin\n' | "$@" >"$scratch/$side.out" 2>"$scratch/$side.err"
	echo $? >"$scratch/$side.rc"
	set -e
}

check() {
	local side=$1 rc
	rc=$(cat "$scratch/$side.rc")
	if [ "$rc" != "$status" ] || ! grep -q '^# end$' "$scratch/$side.out"; then
		echo "run_wasi_diff[$family]: $side run exited $rc (expected $status) or its" \
			"transcript is incomplete" >&2
		echo "---- $side stdout (last 30 lines) ----" >&2
		tail -n 30 "$scratch/$side.out" >&2
		echo "---- $side stderr ----" >&2
		tail -n 30 "$scratch/$side.err" >&2
		exit 1
	fi
}

# The native reference is a program of the build machine: not run through the wrapper.
mkdir "$scratch/native"
run native "$native" "$scratch/native" "${args[@]}"
check native
echo "run_wasi_diff[$family]: native run ok ($(grep -c '' "$scratch/native.out") lines)"

mkdir "$scratch/wasm"
printf 'path rw %s\n' "$scratch/wasm" >"$scratch/policy"
preopen=$scratch/wasm guest=$scratch/wasm
if [ -n "$name" ]; then
	preopen=$scratch/wasm=$name guest=$name
fi
run wasm tzm_exec "$tzm_run" --policy "$scratch/policy" --env TZM_DIFF_VAR \
	--env "TZM_WASM_PREOPEN=$preopen" "$uuid" -- "$guest" "${args[@]}"
check wasm
diff_compare "run_wasi_diff[$family]" "$scratch" wasm "Wasm TA"
echo "run_wasi_diff[$family]: native and Wasm TA transcripts identical" \
	"($(grep -c 'differs in WASI' "$scratch/native.out" || true) documented differences)"
