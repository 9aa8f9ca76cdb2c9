# SPDX-License-Identifier: BSD-2-Clause
# tzm-run (the shadow) for a normal world running real OP-TEE: the same sources as the
# CMake build, linked with OP-TEE's libteec (optee_client) instead of the emulated TEE's:
#   make -f mediator/optee/normal-world.mk TEEC_EXPORT=<optee_client install prefix> \
#        CC=aarch64-linux-gnu-gcc O=<out>
# gives $(O)/tzm-run, statically linked (the guest then needs no libteec.so). It talks
# to /dev/tee0 through libteec like any OP-TEE client, next to tee-supplicant.
tzm-m := $(patsubst %/,%,$(abspath $(dir $(lastword $(MAKEFILE_LIST)))..))
ifeq ($(TEEC_EXPORT),)
$(error set TEEC_EXPORT=<optee_client install prefix> (include/tee_client_api.h, lib/libteec.a))
endif
O ?= .
CC ?= cc
CFLAGS ?= -O2
tzm-cflags := -std=gnu11 -D_GNU_SOURCE -DTZM_RUN_OPTEE=1 -Wall -Wextra -Werror -I$(tzm-m)/include \
	-I$(tzm-m)/policy -I$(tzm-m)/../tee/common -I$(TEEC_EXPORT)/include
tzm-srcs := shadow/main.c shadow/run_chan.c shadow/run_local.c shadow/run_gp.c shadow/run_signals.c \
	shadow/run_watchdog.c \
	shadow/serve.c shadow/h_io.c shadow/h_file.c shadow/h_sock.c shadow/h_poll.c \
	shadow/h_mq.c shadow/h_proc.c shadow/h_fsmeta.c shadow/h_signal.c shadow/h_lock.c \
	transport/chan.c transport/chan_timeline.c transport/futex.c policy/policy.c \
	optee/run_realm_none.c
# from tee/: the UUID parser (tzm-run parses a TA's UUID as the emulated TEE does)
tzm-tee-srcs := common/uuid.c
tzm-objs := $(addprefix $(O)/tzm-run.o/,$(tzm-srcs:.c=.o)) \
	$(addprefix $(O)/tzm-run.o/tee/,$(tzm-tee-srcs:.c=.o))

.PHONY: all clean
all: $(O)/tzm-run

# -MMD -MP: an object is rebuilt when a header it includes changed (run.h's struct
# tzm_run growing: objects that include it were kept, and that tzm-run failed its
# TEE_IOC_OPEN_SESSION in two runs, which a clean build did not)
$(O)/tzm-run.o/tee/%.o: $(tzm-m)/../tee/%.c
	@mkdir -p $(dir $@)
	$(CC) $(tzm-cflags) $(CFLAGS) -MMD -MP -c -o $@ $<

$(O)/tzm-run.o/%.o: $(tzm-m)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(tzm-cflags) $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(tzm-objs:.o=.d)

$(O)/tzm-run: $(tzm-objs) $(TEEC_EXPORT)/lib/libteec.a
	$(CC) -static -o $@ $(tzm-objs) $(TEEC_EXPORT)/lib/libteec.a -lpthread -lrt

clean:
	rm -rf $(O)/tzm-run $(O)/tzm-run.o
