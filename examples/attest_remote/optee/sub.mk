# SPDX-License-Identifier: BSD-2-Clause
# Absolute paths: the kit places each object under $(O) by its source path.
srcs-y += $(abspath $(CURDIR)/../attest_server.c) $(abspath $(CURDIR)/../proto.c)
