#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The by-hand run of tzmediator on a genuine OP-TEE stack (scripts/optee-qemu/README.md):
# builds OP-TEE OS, TF-A and optee_client from the user's source trees (build-stack.sh),
# libtzm for OP-TEE and the echo TA with OP-TEE's own TA dev kit, tzm-run against
# OP-TEE's libteec, hello_world; boots QEMU with TrustZone and prints a pass/fail table
# and the 4 KiB round-trip medians, TA vs native server, in the same guest.
#
#   run.sh --optee-os DIR --tf-a DIR --optee-client DIR [--optee-examples DIR]
#          --out OUT [-j N] [--rounds N] [--only REGEX]
#
# --only: run only the cases whose name matches REGEX (grep -E), e.g. --only 'term|kill'
# while working on one of them; the table then lists only those.
# --optee-examples: hello_world from linaro-swg/optee_examples; without it the copy in
# examples/hello_world is used. Nothing is fetched except the two Debian packages of
# run-guest.sh (apt-get download). Exit status: 0 when every case passed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

usage() {
	echo "usage: $0 --optee-os DIR --tf-a DIR --optee-client DIR [--optee-examples DIR]" \
		"--out OUT [-j N] [--rounds N] [--only REGEX]" >&2
	exit 64
}
optee_os= tfa= client= examples= out= jobs=2 rounds=200 only=
while [ $# -gt 0 ]; do
	case $1 in
	--optee-os) optee_os=$2; shift 2 ;;
	--tf-a) tfa=$2; shift 2 ;;
	--optee-client) client=$2; shift 2 ;;
	--optee-examples) examples=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	-j) jobs=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--only) only=$2; shift 2 ;;
	*) usage ;;
	esac
done
[ -n "$optee_os" ] && [ -n "$tfa" ] && [ -n "$client" ] && [ -n "$out" ] || usage
mkdir -p "$out"
out=$(cd "$out" && pwd)

"$here/build-stack.sh" --optee-os "$optee_os" --tf-a "$tfa" --optee-client "$client" \
	--out "$out" -j "$jobs"
kit=$out/optee_os/export-ta_arm64
teec=$out/optee_client/export
cross=aarch64-linux-gnu-
t=$out/tzm
mkdir -p "$t"
step() { printf '== %s\n' "$*"; }

step "libtzm for OP-TEE (TA dev kit) -> $t/optee-kit"
make -C "$top/mediator/optee" -j"$jobs" TA_DEV_KIT_DIR="$kit" CROSS_COMPILE=$cross \
	O="$t/libtzm" install DESTDIR="$t/optee-kit" >"$t/libtzm.log" 2>&1 ||
	{ tail -20 "$t/libtzm.log"; exit 1; }

step "echo TA (examples/echo/echo_server.c, CFG_TZM_POSIX=y)"
make -C "$top/examples/echo/optee" -j"$jobs" TA_DEV_KIT_DIR="$kit" \
	TZM_OPTEE_DIR="$t/optee-kit" CROSS_COMPILE=$cross O="$t/echo-ta" >"$t/echo-ta.log" 2>&1 ||
	{ tail -20 "$t/echo-ta.log"; exit 1; }
echo_uuid=6563686f-7a6d-4e00-8000-000000000001

step "splitapp signer TA (examples/splitapp/signer.c, CFG_TZM_POSIX=y)"
make -C "$top/examples/splitapp/optee" -j"$jobs" TA_DEV_KIT_DIR="$kit" \
	TZM_OPTEE_DIR="$t/optee-kit" CROSS_COMPILE=$cross O="$t/signer-ta" >"$t/signer-ta.log" 2>&1 ||
	{ tail -20 "$t/signer-ta.log"; exit 1; }
signer_uuid=73706c74-7369-4e00-8000-000000000001

step "attest_server TA (examples/attest_remote/attest_server.c, tzm_attest_token() via OP-TEE's attestation PTA)"
make -C "$top/examples/attest_remote/optee" -j"$jobs" TA_DEV_KIT_DIR="$kit" \
	TZM_OPTEE_DIR="$t/optee-kit" CROSS_COMPILE=$cross O="$t/attest-ta" >"$t/attest-ta.log" 2>&1 ||
	{ tail -20 "$t/attest-ta.log"; exit 1; }
attest_uuid=61747465-7374-4d72-8000-000000000001

step "normal world: tzm-run (OP-TEE libteec), echo_client, native echo_server"
make -f "$top/mediator/optee/normal-world.mk" -j"$jobs" TEEC_EXPORT="$teec" CC=${cross}gcc \
	O="$t/nw" >"$t/nw.log" 2>&1 || { tail -20 "$t/nw.log"; exit 1; }
for p in echo_client echo_server; do
	${cross}gcc -std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -static -I"$top/util/include" \
		-o "$t/nw/$p" "$top/examples/echo/$p.c" "$top/examples/echo/echo_addr.c" \
		"$top/util/src/util.c"
done
sa=$top/examples/splitapp
${cross}gcc -std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -static -I"$top/util/include" \
	-o "$t/nw/splitapp_service" "$sa/service.c" "$sa/splitapp_proto.c"
${cross}gcc -std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -static -I"$top/tee/common" \
	-I"$top/examples/common" -o "$t/nw/splitapp_key_scan" "$sa/key_scan.c" \
	"$top/examples/common/hmac_sha256.c" "$top/tee/common/sha256.c"
# the attestation example's verifier (attest/, OpenSSL's arm64 libcrypto.a) and the
# provisioning tool that reads the PTA's public key (OP-TEE's libteec)
ar=$top/examples/attest_remote
attest_srcs=$(ls "$top"/attest/src/*.c | grep -v '/cli\.c$')
# shellcheck disable=SC2086 # one word per source file
ec=$top/examples/common
${cross}gcc -std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -static -I"$top/attest/include" \
	-I"$top/attest/src" -I"$ec" -I"$top/tee/common" -o "$t/nw/attest_client" \
	"$ar/attest_client.c" "$ar/proto.c" "$ec/io_all.c" "$ec/chanbind.c" "$ec/chanbind_openssl.c" \
	"$ec/hmac_sha256.c" "$top/tee/common/sha256.c" $attest_srcs -lcrypto -lpthread 2>"$t/nw/attest_client.log" ||
	{ cat "$t/nw/attest_client.log"; exit 1; }
${cross}gcc -std=gnu11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -static -I"$top/attest/include" \
	-I"$teec/include" -o "$t/nw/optee_pta_pubkey" "$ar/optee/pta_pubkey.c" \
	"$top/attest/src/optee.c" "$teec/lib/libteec.a" -lcrypto -lpthread \
	2>"$t/nw/optee_pta_pubkey.log" || { cat "$t/nw/optee_pta_pubkey.log"; exit 1; }

# The differential suite's families whose calls the OP-TEE build has: each program as an
# OP-TEE TA (dev kit) and natively (glibc), compared in the guest by diff-case.sh.
diff_families="files fsmeta proc mqueue events"
diff_adds=()
step "differential suite as OP-TEE TAs: $diff_families"
for fam in $diff_families; do
	make -C "$top/mediator/tests/diff/optee" -j"$jobs" FAMILY=$fam TA_DEV_KIT_DIR="$kit" \
		TZM_OPTEE_DIR="$t/optee-kit" CROSS_COMPILE=$cross O="$t/diff-$fam" \
		>"$t/diff-$fam.log" 2>&1 || { tail -20 "$t/diff-$fam.log"; exit 1; }
	${cross}gcc -std=gnu11 -D_GNU_SOURCE -DTR_OPTEE_SUBSET -O2 -Wall -Wextra -Werror -static \
		-I"$top/tests/support/include" -I"$top/tee/ta_include" -o "$t/nw/tzm_diff_$fam" \
		"$top/mediator/tests/diff/diff_$fam.c" "$top/mediator/tests/diff/tr.c" \
		"$top/tests/support/src/tzm_test.c" -lrt
	uuid=$(sed -n "s/^uuid-$fam := //p" "$top/mediator/tests/diff/optee/Makefile")
	diff_adds+=(--add "$t/nw/tzm_diff_$fam:/usr/bin/tzm_diff_$fam"
		--add "$t/diff-$fam/$uuid.ta:/lib/optee_armtz/$uuid.ta")
done

step "hello_world (${examples:-examples/hello_world})"
hw_src=${examples:+$examples/hello_world}
hw_src=${hw_src:-$top/examples/hello_world}
rm -rf "$t/hello_world"
cp -R "$hw_src" "$t/hello_world"
make -C "$t/hello_world/ta" CROSS_COMPILE=$cross TA_DEV_KIT_DIR="$kit" >"$t/hello.log" 2>&1 &&
	make -C "$t/hello_world/host" CROSS_COMPILE=$cross CC=${cross}gcc TEEC_EXPORT="$teec" \
		LDFLAGS=-static >>"$t/hello.log" 2>&1 || { tail -20 "$t/hello.log"; exit 1; }

cases=$t/cases
run="tzm-run --policy /etc/tzm/echo.policy $echo_uuid --"
{
	echo "hello_world|optee_example_hello_world"
	for k in "fifo /tmp/tzm-echo" "unix /tmp/tzm-echo.sock" "tcp 127.0.0.1:7001" \
		"udp 127.0.0.1:7002"; do
		set -- $k
		echo "echo_$1_ta|echo-case.sh $1_ta $1 $2 $rounds 4096 $run"
		echo "echo_$1_native|echo-case.sh $1_native $1 $2 $rounds 4096 echo_server"
	done
	echo "kill9_ta|kill-case.sh $echo_uuid 7005"
	echo "splitapp|splitapp-case.sh $signer_uuid"
	echo "attest|attest-case.sh $attest_uuid 7010 /lib/optee_armtz/$echo_uuid.ta"
	for fam in $diff_families; do
		echo "diff_$fam|diff-case.sh $fam $(sed -n "s/^uuid-$fam := //p" \
			"$top/mediator/tests/diff/optee/Makefile")"
	done
	echo "term_ta|term-case.sh $echo_uuid 7007"
	echo "term_sweep_kill|sweep-case.sh $echo_uuid 7009 10 400 KILL"
	echo "term_sweep_term|sweep-case.sh $echo_uuid 7009 10 400 TERM"
} >"$cases.all"
# term_sweep_kill / _term (SIGKILL / SIGTERM at 10 ms steps of the first 400 ms of a
# start, which takes ~250 ms in an idle guest; not deterministic: a search) run only when
# --only names them
if [ -n "$only" ]; then
	grep -E "^($only)[|]" "$cases.all" >"$cases" || { echo "--only '$only': no such case" >&2; exit 64; }
else
	grep -v '^term_sweep' "$cases.all" >"$cases"
fi
case_timeout=120 boot_timeout=900
grep -q '^term_sweep' "$cases" && case_timeout=900 boot_timeout=1800

step "boot"
set +e
"$here/run-guest.sh" --stack "$out" --cases "$cases" --work "$out/run" \
	--case-timeout "$case_timeout" --timeout "$boot_timeout" \
	--add "$t/nw/tzm-run:/usr/bin/tzm-run" --add "$t/nw/echo_client:/usr/bin/echo_client" \
	--add "$t/nw/echo_server:/usr/bin/echo_server" \
	--add "$here/guest/case-lib.sh:/usr/bin/case-lib.sh" \
	--add "$here/guest/echo-case.sh:/usr/bin/echo-case.sh" \
	--add "$here/guest/splitapp-case.sh:/usr/bin/splitapp-case.sh" \
	--add "$here/guest/attest-case.sh:/usr/bin/attest-case.sh" \
	--add "$t/nw/attest_client:/usr/bin/attest_client" \
	--add "$t/nw/optee_pta_pubkey:/usr/bin/optee_pta_pubkey" \
	--add "$ar/attest_server.policy:/etc/tzm/attest_server.policy" \
	--add "$t/attest-ta/$attest_uuid.ta:/lib/optee_armtz/$attest_uuid.ta" \
	--add "$here/guest/kill-case.sh:/usr/bin/kill-case.sh" \
	--add "$here/guest/term-case.sh:/usr/bin/term-case.sh" \
	--add "$here/guest/sweep-case.sh:/usr/bin/sweep-case.sh" \
	--add "$here/guest/diff-case.sh:/usr/bin/diff-case.sh" \
	--add "$top/mediator/tests/diff/policies:/etc/tzm/diff" "${diff_adds[@]}" \
	--add "$t/nw/splitapp_service:/usr/bin/splitapp_service" \
	--add "$t/nw/splitapp_key_scan:/usr/bin/splitapp_key_scan" \
	--add "$top/examples/splitapp/signer.policy:/etc/tzm/signer.policy" \
	--add "$t/signer-ta/$signer_uuid.ta:/lib/optee_armtz/$signer_uuid.ta" \
	--add "$top/examples/echo/echo.policy:/etc/tzm/echo.policy" \
	--add "$t/echo-ta/$echo_uuid.ta:/lib/optee_armtz/$echo_uuid.ta" \
	--add "$t/hello_world/host/optee_example_hello_world:/usr/bin/optee_example_hello_world" \
	--add "$(ls "$t"/hello_world/ta/*.ta | head -1):/lib/optee_armtz/$(basename "$(ls "$t"/hello_world/ta/*.ta | head -1)")"
rc=$?
set -e

echo
echo "4 KiB echo round trips, median over $rounds (TCG-emulated CPU: ratios only, not hardware timing)"
printf '%-6s %12s %12s %8s\n' kind "TA us" "native us" ratio
for k in fifo unix tcp udp; do
	ta=$(sed -n "s/^@@TZM-MEDIAN ${k}_ta //p" "$out/run/console.txt" | tr -d '\r' | tail -1)
	nat=$(sed -n "s/^@@TZM-MEDIAN ${k}_native //p" "$out/run/console.txt" | tr -d '\r' | tail -1)
	ratio=-
	[ -n "$ta" ] && [ -n "$nat" ] && ratio=$(awk -v a="$ta" -v b="$nat" 'BEGIN { printf "%.1f", a / b }')
	printf '%-6s %12s %12s %8s\n' "$k" "${ta:--}" "${nat:--}" "$ratio"
done
exit $rc
