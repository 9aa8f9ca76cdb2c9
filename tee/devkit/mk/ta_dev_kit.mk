# SPDX-License-Identifier: BSD-2-Clause
# tzmediator TA dev kit: builds an OP-TEE-layout TA directory unchanged.
#
# A TA's Makefile sets BINARY=<uuid> (or LIBNAME=<name> for a static TA library) and
# includes this file; its sub.mk lists sources and flags the OP-TEE way:
#   srcs-y, global-incdirs-y, incdirs-y, cflags-y, cppflags-y, cflags-remove-y,
#   cflags-<file>-y, cppflags-<file>-y, cflags-remove-<file>-y, subdirs-y
# Honoured variables: CROSS_COMPILE, CPPFLAGS, CFLAGS, O (output directory, default .),
# CFG_TEE_TA_LOG_LEVEL, CFG_TA_OPTEE_CORE_API_COMPAT_1_1=y, libnames/libdirs/libdeps,
# V=1 (echo commands), TA_PACK / TA_PACK_WRAPPER (the packer and its command prefix).
# Output: $(O)/<uuid>.so (the TA's ELF shared object) and $(O)/<uuid>.ta (the packed TA
# that the TEE loads), or $(O)/lib<name>.a.
#
# CFG_TZM_POSIX=y: the sources are an ordinary POSIX program with main() (the same sources
# also build as a normal program with plain cc). The TA is compiled with -DTZM_POSIX_TA=1
# and linked with the whole libtzm (TZM_LIBTZM, default: the libtzm.a installed beside this
# kit), which provides the GP entry points, runs main() and forwards every POSIX call to
# the shadow (`tzm run`). Unless the TA directory has its own user_ta_header_defines.h, one
# is generated from BINARY: TA_FLAGS 0, CFG_TZM_POSIX_STACK_SIZE (default 256 KiB) and
# CFG_TZM_POSIX_DATA_SIZE (default 4 MiB), as tzm_add_posix_program() does in CMake.
#
# Why the link flags: -nostartfiles keeps ELF initializers out (the loader refuses them:
# they would run before the sandbox), -Bsymbolic makes the TA's own definitions win over
# the host process's libc, and the TEE_* functions stay undefined until tzm-ta-host binds
# them at load time. _FORTIFY_SOURCE is off so TAs do not depend on glibc's __*_chk.

ta-dev-kit-dir := $(patsubst %/,%,$(abspath $(dir $(lastword $(MAKEFILE_LIST)))..))

.PHONY: all clean
all:

-include $(ta-dev-kit-dir)/mk/conf.mk

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
# aarch64: libgcc's outline atomics carry an ELF initializer (init_have_lse_atomics) that
# the loader refuses; inline atomics instead.
ifneq ($(filter aarch64%,$(shell $(TA_CC) -dumpmachine 2>/dev/null)),)
tzm-cflags += -mno-outline-atomics
endif
tzm-ldflags := -shared -nostartfiles -Wl,-Bsymbolic -Wl,-z,noexecstack -Wl,-z,relro \
	-Wl,-z,now

# ---- CFG_TZM_POSIX=y: a POSIX program linked with libtzm ----
TZM_KIT_LIBDIR ?= $(ta-dev-kit-dir)/../../../lib
TZM_LIBTZM ?= $(abspath $(TZM_KIT_LIBDIR)/libtzm.a)
CFG_TZM_POSIX_STACK_SIZE ?= 262144
CFG_TZM_POSIX_DATA_SIZE ?= 4194304
tzm-posix := $(filter y,$(CFG_TZM_POSIX))
ifneq ($(tzm-posix),)
ifeq ($(BINARY),)
$(error ta_dev_kit.mk: CFG_TZM_POSIX=y builds a TA: set BINARY=<uuid>)
endif
ifeq ($(wildcard $(TZM_LIBTZM)),)
$(error ta_dev_kit.mk: CFG_TZM_POSIX=y needs libtzm: $(TZM_LIBTZM) does not exist \
	(install tzmediator with `make install PREFIX=...`, or set TZM_LIBTZM=/path/libtzm.a))
endif
tzm-cppflags += -DTZM_POSIX_TA=1
# The whole archive: libtzm's definitions of read(), socket(), printf(), ... must all be
# in the TA (bound inside it by -Bsymbolic), not only those the program happens to use.
tzm-posix-libs := -Wl,--whole-archive $(TZM_LIBTZM) -Wl,--no-whole-archive
endif

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

ifneq ($(tzm-posix),)
# Generated user_ta_header_defines.h for a POSIX program. Its directory comes last in the
# include path, so a header of the TA's own (in . or an incdir) wins. Rewritten only when
# its content changes (BINARY or a size changed), so that rebuilds stay incremental.
tzm-posix-dir := $(out-dir)/.tzm-posix
tzm-posix-hdr := $(tzm-posix-dir)/user_ta_header_defines.h
tzm-cppflags-$(tzm-hdr-obj) += -I$(tzm-posix-dir)
$(tzm-hdr-obj): $(tzm-posix-hdr)

.PHONY: tzm-posix-force
$(tzm-posix-hdr): tzm-posix-force
	@mkdir -p $(dir $@)
	$(q)set -e; u='$(BINARY)'; h=$$(printf '%s' "$$u" | tr -d -); \
	case "$$u" in \
	[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]) ;; \
	*) echo "ta_dev_kit.mk: BINARY=$$u is not a lower-case canonical UUID" >&2; exit 1 ;; \
	esac; \
	case '$(CFG_TZM_POSIX_STACK_SIZE)$(CFG_TZM_POSIX_DATA_SIZE)' in \
	*[!0-9]*) echo "ta_dev_kit.mk: CFG_TZM_POSIX_*_SIZE must be decimal byte counts" >&2; exit 1 ;; \
	esac; \
	node=$$(printf '%s' "$$h" | cut -c17-32 | sed 's/../0x&, /g; s/, $$//'); \
	{ echo '/* Generated by ta_dev_kit.mk (CFG_TZM_POSIX=y): metadata of a libtzm TA. */'; \
	  echo '#ifndef USER_TA_HEADER_DEFINES_H'; \
	  echo '#define USER_TA_HEADER_DEFINES_H'; \
	  printf '#define TA_UUID {0x%s, 0x%s, 0x%s, {%s}}\n' "$$(printf '%s' "$$h" | cut -c1-8)" \
	    "$$(printf '%s' "$$h" | cut -c9-12)" "$$(printf '%s' "$$h" | cut -c13-16)" "$$node"; \
	  echo '/* not single instance: every tzm run gets a fresh instance of the program */'; \
	  echo '#define TA_FLAGS 0'; \
	  echo '#define TA_STACK_SIZE $(CFG_TZM_POSIX_STACK_SIZE)'; \
	  echo '#define TA_DATA_SIZE $(CFG_TZM_POSIX_DATA_SIZE)'; \
	  echo '#define TA_VERSION "1.0"'; \
	  echo '#define TA_DESCRIPTION "POSIX program via TZmediator"'; \
	  echo '#endif'; } >$@.tmp; \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
endif
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

$(tzm-so): $(tzm-objs-all) $(libdeps) $(if $(tzm-posix),$(TZM_LIBTZM))
	$(call tzm-echo,LD      $@)
	$(q)$(TA_CC) $(tzm-ldflags) -o $@ $(tzm-objs-all) $(addprefix -L,$(libdirs)) \
		$(libdeps) $(addprefix -l,$(libnames)) $(tzm-posix-libs)

$(tzm-ta): $(tzm-so)
	$(call tzm-echo,PACK    $@)
	$(q)$(TA_PACK_WRAPPER) $(TA_PACK) --uuid $(BINARY) --in $< --out $@
else
tzm-outputs := $(out-dir)/lib$(LIBNAME).a

all: $(tzm-outputs)

$(tzm-outputs): $(tzm-objs-all)
	$(call tzm-echo,AR      $@)
	$(q)rm -f $@ && $(TA_AR) rcs $@ $^
endif

clean:
	$(call tzm-echo,CLEAN   $(out-dir))
	$(q)rm -f $(tzm-objs-all) $(tzm-objs-all:.o=.d) $(tzm-outputs) $(tzm-posix-hdr)
