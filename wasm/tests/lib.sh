# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the wasm/tests shell drivers: tzm_exec (cmake/tzm-exec.sh), a scratch
# directory $tmp removed on exit, $out and $err for the command under test, fail (prints
# both and exits 1), and the steps from a WAT text to a TA.
. "$(dirname "${BASH_SOURCE[0]}")/../../cmake/tzm-exec.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out err=$tmp/err
fail() { echo "FAIL: $*"; echo "--- stdout"; cat "$out"; echo "--- stderr"; cat "$err"; exit 1; }

# Exits 77 (skipped) where wabt's wat2wasm is not installed.
need_wat2wasm() {
	command -v wat2wasm >/dev/null || { echo "no wat2wasm (wabt): skipped"; exit 77; }
}

# $tmp/<name>.wat -> $tmp/<uuid>.ta with `$tool build` (tzm wasm) and the dev kit $kit.
wat_to_ta() { # <name> <uuid>
	wat2wasm "$tmp/$1.wat" -o "$tmp/$1.wasm" >"$out" 2>"$err" || fail "$1: wat2wasm"
	"$tool" build "$tmp/$1.wasm" -o "$tmp/$2.ta" --kit "$kit" >"$out" 2>"$err" ||
		fail "$1: tzm wasm build"
}
