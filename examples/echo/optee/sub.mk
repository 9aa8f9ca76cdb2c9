# SPDX-License-Identifier: BSD-2-Clause
# Absolute paths: the kit places each object under $(O) by its source path.
srcs-y += $(abspath $(CURDIR)/../echo_server.c) $(abspath $(CURDIR)/../echo_addr.c)
# endpoint parsing and exact-length writes (util/tzm_util.h, its portable part)
srcs-y += $(abspath $(CURDIR)/../../../util/src/util.c)
global-incdirs_ext-y += $(abspath $(CURDIR)/../../../util/include)
