# SPDX-License-Identifier: BSD-2-Clause
# Absolute paths: the kit places each object under $(O) by its source path.
srcs-y += $(abspath $(addprefix $(CURDIR)/../,signer.c keystore.c signer_mac.c splitapp_proto.c))
srcs-y += $(abspath $(CURDIR)/../../common/hmac_sha256.c)
global-incdirs_ext-y += $(abspath $(CURDIR)/../../common)
# little-endian fields of the wire format (util/tzm_util.h, header-only here)
global-incdirs_ext-y += $(abspath $(CURDIR)/../../../util/include)
