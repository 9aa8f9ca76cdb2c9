#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# tee_crypto_headers: every TA header (and the OP-TEE kit extras: util.h, atomic.h,
# memtag.h, signed_hdr.h, pta_*.h, the socket defines) compiles on its own (as OP-TEE TAs include them by
# name), for GP 1.3.1 and with __OPTEE_CORE_API_COMPAT_1_1, warnings as errors; and the
# values and layouts in header_values.c (from the GP 1.3.1 facts) hold in both modes.
# usage: header_check.sh <cc> <ta include dir> <header_values.c>
set -u
cc=$1 inc=$2 values=$3
flags=(-std=c11 -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes -Wshadow)
fails=0
for mode in "" "-D__OPTEE_CORE_API_COMPAT_1_1=1"; do
	for name in tee_internal_api.h tee_internal_api_extensions.h tee_api.h tee_ta_api.h \
		tee_api_defines.h tee_api_defines_extensions.h tee_api_types.h tee_api_compat.h \
		utee_defines.h trace.h util.h atomic.h memtag.h signed_hdr.h pta_system.h \
		pta_invoke_tests.h pta_stats.h pta_attestation.h pta_secstor_ta_mgmt.h \
		__tee_isocket_defines.h __tee_tcpsocket_defines.h __tee_udpsocket_defines.h; do
		[ -f "$inc/$name" ] || { echo "  FAIL missing header $name"; fails=$((fails + 1)); continue; }
		if ! echo "#include <$name>" | "$cc" "${flags[@]}" $mode -I"$inc" -x c -fsyntax-only -; then
			echo "  FAIL $name ${mode:-(GP 1.3.1)}"
			fails=$((fails + 1))
		fi
	done
	if "$cc" "${flags[@]}" $mode -I"$inc" -fsyntax-only "$values"; then
		echo "  ok   values and layouts ${mode:-(GP 1.3.1)}"
	else
		echo "  FAIL values and layouts ${mode:-(GP 1.3.1)}"
		fails=$((fails + 1))
	fi
done
[ "$fails" -eq 0 ] || exit 1
echo "  ok   all headers compile alone in both modes"
