# SPDX-License-Identifier: BSD-2-Clause
# Absolute paths: the kit places each object under $(O) by its source path.
diff-dir := $(abspath $(CURDIR)/..)
support-dir := $(abspath $(CURDIR)/../../../../tests/support)
srcs-y += $(diff-dir)/diff_$(FAMILY).c $(diff-dir)/tr.c $(support-dir)/src/tzm_test.c
cflags-y += -I$(support-dir)/include -I$(diff-dir) -DTZM_TEST_GP_TA=0 -DTR_OPTEE_SUBSET
