# SPDX-License-Identifier: BSD-2-Clause
# Absolute paths: the kit places each object under $(O) by its source path.
srcs-y += $(abspath $(CURDIR)/../echo_server.c) $(abspath $(CURDIR)/../echo_addr.c)
