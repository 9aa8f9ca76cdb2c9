#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# tee_devkit_ext_hook: ta_dev_kit.mk reads every mk/ext/*.mk of the kit, and an extension
# can do what the kit's README promises: add compiler flags (tzm-cppflags), prerequisites
# of the TA (tzm-ext-deps, with its own rules seeing BINARY and out-dir) and files for
# `make clean` (tzm-ext-clean). mediator/ installs CFG_TZM_POSIX=y this way, so if the
# hook stopped being included that mode would silently build plain TAs.
# A copy of the build-tree kit gets a probe extension; a TA that does not compile without
# the probe's flag must build, and the probe's stamp must be made and cleaned. As a
# control, the same build with the include line removed from the copy must fail, so the
# test cannot pass without the hook. Environment (from CTest): TZM_BUILD_DIR,
# TZM_TEST_TMPDIR.
set -euo pipefail

build=${TZM_BUILD_DIR:?} tmp=${TZM_TEST_TMPDIR:?}
uuid=5f1c7a2e-9b3d-4e8a-a6c1-2d7e9f0b4c15

# shellcheck source=../../../cmake/tzm-script.sh
. "$(dirname "$0")/../../../cmake/tzm-script.sh"

[ -f "$build/share/tzmediator/ta_dev_kit/mk/ta_dev_kit.mk" ] || fail "no build-tree kit"
cp -a "$build/share/tzmediator/ta_dev_kit" "$tmp/kit"
kit=$tmp/kit
mkdir -p "$kit/mk/ext"
cat >"$kit/mk/ext/zz_probe.mk" <<'MK'
# Test probe (tee_devkit_ext_hook): a flag for every object, a prerequisite with its own rule.
tzm-cppflags += -DTZM_EXT_PROBE=1
tzm-ext-deps += $(out-dir)/ext-probe.stamp
tzm-ext-clean += $(out-dir)/ext-probe.stamp
$(out-dir)/ext-probe.stamp:
	@mkdir -p $(dir $@)
	@echo "BINARY=$(BINARY)" >$@
MK

ta=$tmp/ta
tzm_kit_ta "$ta" "$uuid" '#ifndef TZM_EXT_PROBE
#error "the dev kit did not read mk/ext/zz_probe.mk"
#endif' 'return TEE_SUCCESS;'

step "a TA built with a kit holding mk/ext/zz_probe.mk"
make -C "$ta" TA_DEV_KIT_DIR="$kit" >"$tmp/make.log" 2>&1 ||
    { sed 's/^/       | /' "$tmp/make.log" >&2; fail "make of a TA needing the probe's flag"; }
[ -s "$ta/$uuid.ta" ] || fail "no .ta"
ok "the probe's tzm-cppflags reached the TA's object"
grep -qx "BINARY=$uuid" "$ta/ext-probe.stamp" 2>/dev/null ||
    fail "the probe's tzm-ext-deps rule did not run (or did not see BINARY)"
ok "the probe's prerequisite was made, seeing BINARY"
make -C "$ta" TA_DEV_KIT_DIR="$kit" clean >"$tmp/clean.log" 2>&1 ||
    { cat "$tmp/clean.log" >&2; fail "make clean"; }
[ ! -e "$ta/ext-probe.stamp" ] || fail "make clean left the probe's tzm-ext-clean file"
ok "make clean removed the probe's file"

step "control: the same kit without the include of mk/ext/*.mk"
# shellcheck disable=SC2016  # the make variables are literal text here
grep -q '^include $(sort $(wildcard $(ta-dev-kit-dir)/mk/ext/\*.mk))$' "$kit/mk/ta_dev_kit.mk" ||
    fail "ta_dev_kit.mk has no line 'include \$(sort \$(wildcard \$(ta-dev-kit-dir)/mk/ext/*.mk))'"
# shellcheck disable=SC2016  # the make variables are literal text here
sed -i '/^include $(sort $(wildcard $(ta-dev-kit-dir)\/mk\/ext\/\*.mk))$/d' "$kit/mk/ta_dev_kit.mk"
rc=0
make -C "$ta" TA_DEV_KIT_DIR="$kit" >"$tmp/control.log" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "the TA built without the hook: this test could not notice its loss"
grep -q 'the dev kit did not read mk/ext/zz_probe.mk' "$tmp/control.log" ||
    { sed 's/^/       | /' "$tmp/control.log" >&2; fail "the control failed for another reason"; }
ok "without the include the TA does not build (the test notices a lost hook)"
echo "tee_devkit_ext_hook: all checks passed"
