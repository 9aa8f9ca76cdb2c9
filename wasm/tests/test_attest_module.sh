#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# wasm_attest_module: a Wasm TA is attested end to end with its module's hash.
#  1. `tzm wasm build` is reproducible: the same module built in two other work directories
#     (TMPDIR), from another path, gives the same .ta bit for bit as the build tree's;
#     `tzm wasm measure` prints the module's SHA-256, that .ta's SHA-256 as the RIM and the
#     RPV the core puts in the token (UUID, module hash, zeros);
#  2. the TA's token (tzm_attest_token from Wasm) verifies against the platform key, the
#     challenge and measure's reference values, and with --wasm-module app.wasm; its RPV
#     carries sha256(app.wasm) after the UUID;
#  3. the module with one byte changed gives another module hash and another RIM, and its
#     token is refused by a verifier pinned to the first module (reference values or
#     --wasm-module);
#  4. a .ta whose header's module fields were edited after the build does not load, and
#     the core's log says why; a header naming no module but carrying a hash, or an unknown
#     module kind, is refused by name; measure's bad usage gets a message.
#   test_attest_module.sh <tzm-wasm> <kit> <tzm-run> <tzm-attest> <dir of wasm_attest.wasm> <uuid>
set -u
. "$(dirname "$0")/../../cmake/tzm-exec.sh"
tool=$1 kit=$2 run=$3 attest=$4 dir=$5 uuid=$6
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "FAIL: $*"
	for f in "$tmp"/*.txt "$tmp"/*.err "$tmp"/*.rv; do
		[ -f "$f" ] && { echo "--- $f"; head -c 2000 "$f"; echo; }
	done
	[ -f "${TZM_RUNTIME_DIR:-}/tee.log" ] && { echo "--- tee.log"; tail -20 "$TZM_RUNTIME_DIR/tee.log"; }
	exit 1
}
ok() { echo "ok: $*"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
field() { sed -n "s/^$1 //p" "$2"; } # <kind> <reference-value file>
verify() { ${TZM_EXEC_WRAPPER:-} "$attest" verify "$@"; }

wasm=$dir/wasm_attest.wasm
ta=${TZM_TA_DIR:?}/$uuid.ta
[ -f "$wasm" ] && [ -f "$ta" ] || fail "wasm_attest not built"
uuid_hex=$(echo "$uuid" | tr -d -)
zeros=00000000000000000000000000000000

# 1. reproducible builds; measure
mkdir -p "$tmp/t1" "$tmp/t2" "$tmp/o1" "$tmp/elsewhere"
cp "$wasm" "$tmp/elsewhere/app.wasm"
TMPDIR=$tmp/t1 "$tool" build "$tmp/elsewhere/app.wasm" -o "$tmp/o1/$uuid.ta" --kit "$kit" \
	>"$tmp/build1.txt" 2>&1 || fail "build in $tmp/t1"
cmp "$ta" "$tmp/o1/$uuid.ta" >"$tmp/cmp.txt" 2>&1 ||
	fail "two builds of the same module differ (not reproducible)"
ok "the same module built in another work directory from another path: identical .ta"
TMPDIR=$tmp/t2 "$tool" measure "$wasm" --uuid "$uuid" --kit "$kit" >"$tmp/a.rv" 2>"$tmp/measure.err" ||
	fail "measure"
[ "$(grep -cv '^#' "$tmp/a.rv")" = 3 ] || fail "measure: not three reference values on stdout"
[ "$(field wasm-module "$tmp/a.rv")" = "$(sha "$wasm")" ] || fail "measure: module hash"
[ "$(field rim "$tmp/a.rv")" = "$(sha "$ta")" ] || fail "measure: RIM is not the built .ta's SHA-256"
[ "$(field rpv "$tmp/a.rv")" = "$uuid_hex$(sha "$wasm")$zeros" ] || fail "measure: RPV"
[ -z "$(find "$tmp/t1" "$tmp/t2" -mindepth 1)" ] || fail "build or measure left files in TMPDIR"
ok "measure (a third work directory): module $(sha "$wasm" | head -c 16)..., RIM = SHA-256 of the .ta"
# measure's comment line is the command that measures the same .ta again: it names every
# option that changes the .ta (a reader given only the values must be able to redo them)
mkdir -p "$tmp/pol dir" "$tmp/data" "$tmp/extra"
printf 'path ro %s\n' "$tmp/data" >"$tmp/pol dir/app's.policy"
TMPDIR=$tmp/t2 "$tool" measure "$wasm" --uuid "$uuid" --kit "$kit" --policy "$tmp/pol dir/app's.policy" \
	--dir "$tmp/extra" --data-size 8388608 --stack-size 131072 >"$tmp/opts.rv" 2>"$tmp/measure.err" ||
	fail "measure with options"
[ "$(field rim "$tmp/opts.rv")" != "$(field rim "$tmp/a.rv")" ] || fail "measure: the options changed no RIM"
line=$(sed -n '1{s/^# tzm wasm measure //;s/: the reference values of the .ta .*$//;p;}' "$tmp/opts.rv")
for want in "--policy '$tmp/pol dir/app'\\''s.policy'" "--dir $tmp/extra" "--data-size 8388608" \
	"--stack-size 131072" "--bounds-checks guard" "--kit $kit"; do
	case " $line " in
	*" $want "*) ;;
	*) fail "measure's comment line does not name $want: $(head -1 "$tmp/opts.rv")" ;;
	esac
done
eval "TMPDIR=\$tmp/t2 \"\$tool\" measure $line" >"$tmp/again.rv" 2>"$tmp/measure.err" ||
	fail "the command of measure's comment line failed: $line"
cmp "$tmp/opts.rv" "$tmp/again.rv" >"$tmp/cmp.txt" 2>&1 ||
	fail "the command of measure's comment line gives other values"
ok "measure's comment line names --policy, --dir, the sizes, the bounds checks and the kit; run, it gives the same values"

# 2. end to end: the token names the module
ch=$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n')
tzm_exec "$run" "$uuid" -- "$ch" >"$tmp/a.cbor" 2>"$tmp/a-ta.err" || fail "the Wasm TA failed"
${TZM_EXEC_WRAPPER:-} "$attest" platform-key >"$tmp/platform.pem" || fail "platform-key"
verify "$tmp/a.cbor" --platform-key "$tmp/platform.pem" --challenge "$ch" \
	--ref-values "$tmp/a.rv" >"$tmp/verify-a.txt" 2>&1 || fail "token not affirmed with measure's values"
verify "$tmp/a.cbor" --platform-key "$tmp/platform.pem" --challenge "$ch" \
	--wasm-module "$wasm" --json >"$tmp/verify-a-json.txt" 2>&1 || fail "token not affirmed with --wasm-module"
grep -q "\"rpv\":\"$uuid_hex$(sha "$wasm")$zeros\"" "$tmp/verify-a-json.txt" ||
	fail "the token's RPV is not UUID || sha256(app.wasm) || zeros"
ok "token affirmed: RIM pinned by measure, RPV = UUID || sha256(app.wasm)"

# 3. one byte of the module changed
off=$(grep -obUa "usage: attest" "$wasm" | head -1 | cut -d: -f1)
[ -n "$off" ] || fail "no string to change in the module"
mkdir -p "$tmp/b"
cp "$wasm" "$tmp/b/app.wasm"
printf 'U' | dd of="$tmp/b/app.wasm" bs=1 seek="$off" conv=notrunc status=none
[ "$(cmp -l "$wasm" "$tmp/b/app.wasm" | wc -l)" = 1 ] || fail "not a one-byte change"
"$tool" build "$tmp/b/app.wasm" -o "$tmp/b/$uuid.ta" --kit "$kit" >"$tmp/build-b.txt" 2>&1 ||
	fail "build of the changed module"
[ "$(sha "$tmp/b/app.wasm")" != "$(sha "$wasm")" ] || fail "same module hash"
[ "$(sha "$tmp/b/$uuid.ta")" != "$(sha "$ta")" ] || fail "one byte of the module changed, same RIM"
printf 'wasm-module %s\nrim %s\n' "$(sha "$tmp/b/app.wasm")" "$(sha "$tmp/b/$uuid.ta")" >"$tmp/b.rv"
tzm_exec "$run" "$tmp/b/$uuid.ta" -- "$ch" >"$tmp/b.cbor" 2>"$tmp/b-ta.err" || fail "the changed TA failed"
verify "$tmp/b.cbor" --platform-key "$tmp/platform.pem" --challenge "$ch" \
	--ref-values "$tmp/b.rv" >"$tmp/verify-b.txt" 2>&1 || fail "the changed module's own values refused"
verify "$tmp/b.cbor" --platform-key "$tmp/platform.pem" --challenge "$ch" \
	--ref-values "$tmp/a.rv" >"$tmp/verify-ba.txt" 2>&1
[ $? = 2 ] || fail "the changed module's token accepted by a verifier pinned to the first"
grep -q "refval_mismatch.*RIM" "$tmp/verify-ba.txt" && grep -q "Wasm module SHA-256" "$tmp/verify-ba.txt" ||
	fail "the refusal does not name the RIM and the module"
verify "$tmp/b.cbor" --platform-key "$tmp/platform.pem" --challenge "$ch" \
	--wasm-module "$wasm" >"$tmp/verify-bm.txt" 2>&1
[ $? = 2 ] || fail "the changed module's token accepted with --wasm-module of the first"
ok "one byte changed: another module hash and RIM, refused by the verifier pinned to the first"

# 4. headers edited after the build; bad usage
edited() { # <name> <offset> <hex bytes>: a copy of the .ta with those bytes written
	mkdir -p "$tmp/$1"
	cp "$ta" "$tmp/$1/$uuid.ta"
	printf "$(echo "$3" | sed 's/../\\x&/g')" | dd of="$tmp/$1/$uuid.ta" bs=1 seek="$2" conv=notrunc status=none
}
refused() { # <name> <message in tee.log>
	if tzm_exec "$run" "$tmp/$1/$uuid.ta" -- "$ch" >"$tmp/$1.out" 2>"$tmp/$1.err"; then
		fail "$1: the edited .ta ran"
	fi
	grep -qF "$2" "${TZM_RUNTIME_DIR:?}/tee.log" || fail "$1: tee.log does not say '$2'"
	ok "$1: refused ($2); tzm run: $(tail -1 "$tmp/$1.err")"
}
byte=$(od -An -tx1 -j100 -N1 "$ta" | tr -d ' ')
edited hash 100 "$(printf %02x $((0x$byte ^ 1)))"
[ "$(sha "$tmp/hash/$uuid.ta")" != "$(field rim "$tmp/a.rv")" ] || fail "edited .ta has the pinned RIM"
refused hash "Wasm module hash in the header differs from the one built into the TA"
edited kind 88 07000000
refused kind "unknown module kind in the header"
edited nokind 88 00000000
refused nokind "module hash set without a module kind"

"$tool" measure "$wasm" >"$tmp/usage.txt" 2>&1
[ $? = 64 ] && grep -q "give --uuid" "$tmp/usage.txt" || fail "measure without --uuid"
"$tool" measure "$wasm" --uuid "$uuid" -o "$tmp/x.ta" >"$tmp/usage.txt" 2>&1
[ $? = 64 ] && grep -q "writes no TA" "$tmp/usage.txt" || fail "measure with -o"
verify "$tmp/a.cbor" --wasm-module "$tmp/none.wasm" >"$tmp/usage.txt" 2>&1
[ $? = 66 ] && grep -q "none.wasm" "$tmp/usage.txt" || fail "verify --wasm-module of a missing file"
ok "bad usage named"
echo "PASS"
