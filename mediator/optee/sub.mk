# SPDX-License-Identifier: BSD-2-Clause
# libtzm's sources that make sense on OP-TEE, with absolute paths (the kit puts each object
# under $(O) by its path). Not here: ta/signal.c (nosignal.c instead), ta/stdio.c (glibc's
# fopencookie; libc/stdio.c instead, both under ta/stdio_common.c). libc/attest.c: tzm_attest_token() through OP-TEE's
# attestation PTA (attest/include/tzm_attest_optee.h).
tzm-m := $(abspath $(tzm-optee-dir)/..)
global-incdirs-y += include
cppflags-y += -DTZM_TA_OPTEE=1 -I$(tzm-m)/include -I$(tzm-m)/../attest/include
srcs-y += $(tzm-m)/ta/rpc.c $(tzm-m)/ta/runtime.c $(tzm-m)/ta/io.c $(tzm-m)/ta/file.c
srcs-y += $(tzm-m)/ta/sock.c $(tzm-m)/ta/netdb.c $(tzm-m)/ta/poll.c $(tzm-m)/ta/time.c
srcs-y += $(tzm-m)/ta/entry_gp.c $(tzm-m)/transport/chan.c $(tzm-m)/transport/chan_timeline.c
srcs-y += $(tzm-m)/ta/fsmeta.c $(tzm-m)/ta/diag.c $(tzm-m)/ta/mq.c $(tzm-m)/ta/proc.c
srcs-y += $(tzm-m)/ta/stdio_common.c
srcs-y += libc/stdio.c libc/libc.c libc/nosignal.c libc/attest.c
