# SPDX-License-Identifier: BSD-2-Clause
# Absolute paths: the kit places each object under $(O) by its source path.
srcs-y += $(abspath $(CURDIR)/../attest_server.c) $(abspath $(CURDIR)/../proto.c)
# the channel binding (examples/common): X25519, HMAC-SHA256 on tee/common's SHA-256
srcs-y += $(abspath $(addprefix $(CURDIR)/../../common/,chanbind.c x25519.c hmac_sha256.c))
# full-length socket I/O (examples/common/io_all.c)
srcs-y += $(abspath $(CURDIR)/../../common/io_all.c)
srcs-y += $(abspath $(CURDIR)/../../../tee/common/sha256.c)
global-incdirs_ext-y += $(abspath $(CURDIR)/../../common) $(abspath $(CURDIR)/../../../tee/common)
cflags-y += -DTZM_PORTABLE_HMAC=1
