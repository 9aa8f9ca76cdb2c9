# SPDX-License-Identifier: BSD-2-Clause
# tzmediator TA dev kit: builds an OP-TEE-layout TA directory unchanged.
#
# A TA's Makefile sets BINARY=<uuid> (or LIBNAME=<name> for a static TA library) and
# includes this file; its sub.mk lists sources and flags the OP-TEE way:
#   srcs-y, global-incdirs-y, incdirs-y, cflags-y, cppflags-y, cflags-remove-y,
#   cflags-<file>-y, cppflags-<file>-y, cflags-remove-<file>-y, subdirs-y
# SHLIBNAME (OP-TEE's shared TA libraries) stops the build with an error: not supported.
# Honoured variables: CROSS_COMPILE, CPPFLAGS, CFLAGS, O (output directory, default .),
# CFG_TEE_TA_LOG_LEVEL, CFG_TA_OPTEE_CORE_API_COMPAT_1_1=y, libnames/libdirs/libdeps,
# V=1 (echo commands), TA_PACK / TA_PACK_WRAPPER (the packer and its command prefix).
# Output: $(O)/<uuid>.so (the TA's ELF shared object) and $(O)/<uuid>.ta (the packed TA
# that the TEE loads), or $(O)/lib<name>.a.
#
# Extensions: every mk/ext/*.mk file in the kit is read once the TA's sources are known
# (see "Extensions" below); tzmediator's CFG_TZM_POSIX=y mode is one (mediator/devkit/).
#
# Why the link flags: -nostartfiles keeps ELF initializers out (the loader refuses them:
# they would run before the sandbox), -Bsymbolic makes the TA's own definitions win over
# the host process's libc, and the TEE_* functions stay undefined until tzm-ta-host binds
# them at load time. _FORTIFY_SOURCE is off so TAs do not depend on glibc's __*_chk.

ta-dev-kit-dir := $(patsubst %/,%,$(abspath $(dir $(lastword $(MAKEFILE_LIST)))..))

.PHONY: all clean
all:

-include $(ta-dev-kit-dir)/mk/conf.mk

# OP-TEE's shared TA libraries (SHLIBNAME/SHLIBUUID, loaded by UUID at run time) have no
# counterpart here: the TA loader accepts C runtime dependencies only.
ifneq ($(SHLIBNAME),)
$(error ta_dev_kit.mk: SHLIBNAME=$(SHLIBNAME): shared TA libraries (OP-TEE's SHLIBNAME/SHLIBUUID) are not supported by tzmediator's TA dev kit; build the library as a static TA library (LIBNAME=$(SHLIBNAME:lib%=%)) and link it into the TA with libnames/libdirs)
endif
ifeq ($(BINARY)$(LIBNAME),)
$(error ta_dev_kit.mk: set BINARY=<uuid> for a TA or LIBNAME=<name> for a TA library)
endif
ifneq ($(BINARY),)
ifneq ($(LIBNAME),)
$(error ta_dev_kit.mk: set only one of BINARY and LIBNAME)
endif
endif

CROSS_COMPILE ?= $(TZM_KIT_CROSS_COMPILE)
TA_CC ?= $(CROSS_COMPILE)gcc
TA_AR ?= $(CROSS_COMPILE)ar
TA_PACK ?= $(ta-dev-kit-dir)/bin/tzm-ta-pack
TA_PACK_WRAPPER ?=
CFG_TEE_TA_LOG_LEVEL ?= 1

out-dir := $(if $(O),$(patsubst %/,%,$(O)),.)
q := $(if $(filter 1,$(V)),,@)
tzm-echo = $(if $(q),@echo '  $(1)',@true)

# ---- Flags every TA object gets (user CPPFLAGS/CFLAGS come last and win) ----
tzm-cppflags := -I. -I$(ta-dev-kit-dir)/include -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=0 \
	-DCFG_TEE_TA_LOG_LEVEL=$(CFG_TEE_TA_LOG_LEVEL)
ifeq ($(CFG_TA_OPTEE_CORE_API_COMPAT_1_1),y)
tzm-cppflags += -D__OPTEE_CORE_API_COMPAT_1_1=1
endif
tzm-cflags := -fPIC -O2 -g -fstack-protector-strong -Wall -Wextra -Wmissing-prototypes \
	-Wstrict-prototypes -Wshadow -Wpointer-arith -Wwrite-strings -Wno-unused-parameter \
	-Wno-missing-field-initializers
# Stack clash protection where the compiler implements it: gcc, and clang on x86-64 (clang
# 14 for aarch64 only warns that the flag is unused, an error with -Werror).
ifneq ($(shell $(TA_CC) -fstack-clash-protection -Werror -x c -c /dev/null -o /dev/null \
	2>/dev/null && echo y),)
tzm-cflags += -fstack-clash-protection
endif
# Reproducible: the debug information names the TA's directory as "." and the kit as
# "ta_dev_kit", so the same sources, flags and kit give the same .ta (and measurement)
# whatever directory they are built in and wherever the kit is installed.
tzm-cflags += -ffile-prefix-map=$(CURDIR)=. -ffile-prefix-map=$(ta-dev-kit-dir)=ta_dev_kit
# aarch64: libgcc's outline atomics carry an ELF initializer (init_have_lse_atomics) that
# the loader refuses; inline atomics instead.
ifneq ($(filter aarch64%,$(shell $(TA_CC) -dumpmachine 2>/dev/null)),)
tzm-cflags += -mno-outline-atomics
endif
tzm-ldflags := -shared -nostartfiles -Wl,-Bsymbolic -Wl,-z,noexecstack -Wl,-z,relro \
	-Wl,-z,now

# ---- Walk sub.mk files ----
# $(call tzm-path,<dir>,<names>): names relative to dir, kept as-is when absolute.
tzm-path = $(foreach n,$(2),$(if $(filter /%,$(n)),$(n),$(patsubst ./%,%,$(1)/$(n))))
# Object for a source: mirrored under $(out-dir); ../ becomes __/ to stay inside it.
tzm-obj-of = $(out-dir)/$(subst ../,__/,$(basename $(1))).o

tzm-objs :=
tzm-global-incdirs :=

# $(call tzm-add-src,<dir>,<file as written in sub.mk>)
define tzm-add-src
tzm-objs += $(call tzm-obj-of,$(call tzm-path,$(1),$(2)))
tzm-src-$(call tzm-obj-of,$(call tzm-path,$(1),$(2))) := $(call tzm-path,$(1),$(2))
tzm-cflags-$(call tzm-obj-of,$(call tzm-path,$(1),$(2))) := $$(filter-out \
	$$(cflags-remove-y) $$(cflags-remove-$(2)-y),$$(cflags-y) $$(cflags-$(2)-y))
tzm-cppflags-$(call tzm-obj-of,$(call tzm-path,$(1),$(2))) := $$(cppflags-y) \
	$$(cppflags-$(2)-y) $$(addprefix -I,$$(call tzm-path,$(1),$$(incdirs-y)))
cflags-$(2)-y :=
cppflags-$(2)-y :=
cflags-remove-$(2)-y :=
endef

# $(call tzm-process-subdir,<dir>): reads <dir>/sub.mk, then its subdirs-y.
define tzm-process-subdir
srcs-y :=
global-incdirs-y :=
incdirs-y :=
cflags-y :=
cppflags-y :=
cflags-remove-y :=
subdirs-y :=
sub-dir := $(1)
include $(1)/sub.mk
tzm-global-incdirs += $$(call tzm-path,$(1),$$(global-incdirs-y))
$$(foreach f,$$(srcs-y),$$(eval $$(call tzm-add-src,$(1),$$(f))))
tzm-subdirs-$(1) := $$(subdirs-y)
$$(foreach d,$$(tzm-subdirs-$(1)),$$(eval $$(call tzm-process-subdir,$$(call tzm-path,$(1),$$(d)))))
endef

$(eval $(call tzm-process-subdir,.))

ifneq ($(BINARY),)
# The TA metadata object, built from the TA's user_ta_header_defines.h.
tzm-hdr-obj := $(out-dir)/user_ta_header.o
tzm-src-$(tzm-hdr-obj) := $(ta-dev-kit-dir)/src/user_ta_header.c
tzm-objs-all := $(tzm-objs) $(tzm-hdr-obj)
else
tzm-objs-all := $(tzm-objs)
endif

tzm-all-cppflags = $(tzm-cppflags) $(addprefix -I,$(tzm-global-incdirs))

# ---- Extensions ----
# An extension (mk/ext/<name>.mk) may add to tzm-cppflags (every object) and to
# tzm-cppflags-$(tzm-hdr-obj) (the TA metadata object: e.g. the directory of a generated
# user_ta_header_defines.h, which then comes after the TA's own include directories), set
# tzm-ext-libs (linked into the TA after its objects and libraries), tzm-ext-deps
# (prerequisites of the TA's .so) and tzm-ext-clean (removed by `make clean`), and add
# rules. It sees BINARY/LIBNAME, out-dir, tzm-objs and tzm-hdr-obj.
tzm-ext-libs :=
tzm-ext-deps :=
tzm-ext-clean :=
include $(sort $(wildcard $(ta-dev-kit-dir)/mk/ext/*.mk))


# Sanitizer flags in the user's CFLAGS (e.g. exported for the host build of the same
# application) are dropped: a sanitized TA needs ELF initializers and a runtime that the
# loader and the sandbox refuse.
tzm-no-san = $(filter-out -fsanitize=% -fsanitize-% -fno-sanitize=% -fno-sanitize-%,$(1))

# $(call tzm-obj-rule,<object>)
define tzm-obj-rule
$(1): $$(tzm-src-$(1))
	@mkdir -p $$(dir $$@)
	$$(call tzm-echo,CC      $$<)
	$$(q)$$(TA_CC) $$(tzm-all-cppflags) $$(tzm-cppflags-$(1)) $$(CPPFLAGS) $$(tzm-cflags) \
		$$(tzm-cflags-$(1)) $$(call tzm-no-san,$$(CFLAGS)) -MMD -MP -c $$< -o $$@
endef
$(foreach o,$(tzm-objs-all),$(eval $(call tzm-obj-rule,$(o))))

-include $(tzm-objs-all:.o=.d)

ifneq ($(BINARY),)
tzm-so := $(out-dir)/$(BINARY).so
tzm-ta := $(out-dir)/$(BINARY).ta
tzm-outputs := $(tzm-so) $(tzm-ta)

all: $(tzm-ta)

$(tzm-so): $(tzm-objs-all) $(libdeps) $(tzm-ext-deps)
	$(call tzm-echo,LD      $@)
	$(q)$(TA_CC) $(tzm-ldflags) -o $@ $(tzm-objs-all) $(addprefix -L,$(libdirs)) \
		$(libdeps) $(addprefix -l,$(libnames)) $(tzm-ext-libs)

# lib/ta_api.syms lists the functions the TEE provides: a TA importing a TEE_*/TEEC_*/
# tee_*/utee_* function outside it fails here, each missing name on a line.
tzm-api-syms := $(wildcard $(ta-dev-kit-dir)/lib/ta_api.syms)

$(tzm-ta): $(tzm-so) $(tzm-api-syms)
	$(call tzm-echo,PACK    $@)
	$(q)$(TA_PACK_WRAPPER) $(TA_PACK) --uuid $(BINARY) --in $< --out $@ \
		$(addprefix --api ,$(tzm-api-syms))
else
tzm-outputs := $(out-dir)/lib$(LIBNAME).a

all: $(tzm-outputs)

$(tzm-outputs): $(tzm-objs-all)
	$(call tzm-echo,AR      $@)
	$(q)rm -f $@ && $(TA_AR) rcs $@ $^
endif

clean:
	$(call tzm-echo,CLEAN   $(out-dir))
	$(q)rm -f $(tzm-objs-all) $(tzm-objs-all:.o=.d) $(tzm-outputs) $(tzm-ext-clean)
