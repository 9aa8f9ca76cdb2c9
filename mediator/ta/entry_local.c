/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libtzm entry for the local test transport (no TEE): the program is an ordinary
 * executable linked with -Wl,--wrap=main, started by `tzm-run --local`, which passes a
 * memfd holding the channel in TZM_LOCAL_CHAN_FD. __wrap_main attaches to it and runs the
 * program's real main through the same runtime a TA uses, so the POSIX layer is exercised
 * exactly as in a TA, over a different transport.
 *
 * The shadow is the program's parent: if it dies, the program is killed too
 * (PR_SET_PDEATHSIG), the local counterpart of the TEE ending a TA whose client is gone;
 * otherwise a program waiting for an answer would wait forever.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../transport/chan.h"
#include "../transport/rawsys.h"
#include "entry_process.h"
#include "tzm_int.h"

extern char **environ;
int __wrap_main(int argc, char **argv, char **envp);

static struct tzm__chan chan;
static struct tzm_transport tp;

/* The program died of sig (libtzm's default action): this process dies of it too. */
static void __attribute__((noreturn)) die_of_signal(int sig)
{
	/* the kernel's struct sigaction (same layout on x86_64 and aarch64) */
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		uint64_t mask;
	} dfl = { 0, 0, 0, 0 };
	struct rlimit nocore = { 0, 0 };
	uint64_t set = UINT64_C(1) << (sig - 1);

	(void)TZM__SYS6(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(uint64_t), 0, 0);
	(void)TZM__SYS6(SYS_prlimit64, 0, RLIMIT_CORE, &nocore, NULL, 0, 0); /* no core */
	(void)TZM__SYS6(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, NULL, sizeof(set), 0, 0);
	/*
	 * To this thread, which has sig unblocked: it takes it on the way out of the call.
	 * A kill() of the process could pick another thread (main's, waiting in
	 * pthread_join), and this one's exit_group below could win the race: exit 134.
	 */
	(void)TZM__SYS3(SYS_tgkill, TZM__SYS0(SYS_getpid), TZM__SYS0(SYS_gettid), sig);
	tzm__exit_group(128 + sig);
}

void tzm__raw_exit(int status)
{
	if (tzm__rt.exit_signal != 0) {
		/* a thread other than main's ends the program by a signal (abort) */
		die_of_signal(tzm__rt.exit_signal);
	}
	tzm__exit_group(status);
}

static void die(const char *msg)
{
	(void)TZM__SYS3(SYS_write, 2, msg, strlen(msg));
	tzm__raw_exit(70);
}

int __wrap_main(int argc, char **argv, char **envp)
{
	const char *v = NULL;
	struct stat st;
	void *mem = NULL;
	long fd = -1;
	uint32_t setup_len = 0;
	int status = 0, rc = 0;

	(void)argc;
	(void)argv;
	(void)envp;
	for (char **e = environ; e && *e; e++) {
		if (strncmp(*e, "TZM_LOCAL_CHAN_FD=", 18) == 0) {
			v = *e + 18;
		}
	}
	if (!v) {
		die("tzm: this program is built for the mediator; run it with `tzm-run --local`\n");
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
		die("tzm: cannot tie the program's life to the shadow's\n");
	}
	fd = strtol(v, NULL, 10);
	if (fd < 3 || TZM__SYS2(SYS_fstat, fd, &st) != 0 || st.st_size <= 0) {
		die("tzm: bad TZM_LOCAL_CHAN_FD\n");
	}
	/* the raw call: libtzm's mmap refuses files (a TA's fds are the shadow's numbers) */
	mem = (void *)TZM__SYS6(SYS_mmap, NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE,
				MAP_SHARED, fd, 0);
	(void)TZM__SYS1(SYS_close, fd);
	if (mem == MAP_FAILED || st.st_size < (off_t)TZM_WIRE_CTRL_SIZE) {
		die("tzm: cannot attach to the channel\n");
	}
	/* ours first, so that tzm-run can name a mismatch */
	__atomic_store_n(&((struct tzm_wire_ctrl *)mem)->ta_version, TZM_WIRE_VERSION,
			 __ATOMIC_SEQ_CST);
	rc = tzm__chan_attach(&chan, mem, (size_t)st.st_size, &tzm__futex_waiter);
	if (rc == -EPROTONOSUPPORT) {
		/* the message names the version: a new one must update it */
		_Static_assert(TZM_WIRE_VERSION == 6u, "name the new wire version below");
		die("tzm: the shadow speaks another wire protocol version (this libtzm speaks "
		    "version 6): rebuild tzm-run and the program from one tzmediator\n");
	}
	if (rc != 0) {
		die("tzm: cannot attach to the channel\n");
	}
	tzm__block_forwarded_signals();
	__atomic_store_n(&chan.ctrl->ta_caps, TZM_CAP_TA_FUTEX | TZM_CAP_TA_SIGNALS,
			 __ATOMIC_SEQ_CST);
	__atomic_store_n(&chan.ctrl->ta_attached, 1, __ATOMIC_SEQ_CST);
	setup_len = __atomic_load_n(&chan.ctrl->setup_len, __ATOMIC_ACQUIRE);
	tp.ops = &tzm__chan_transport_ops;
	tp.priv = &chan;
	if (tzm__rt_start(&tp, setup_len) != 0) {
		die("tzm: malformed start record\n");
	}
	/* raw syscall: libtzm's getppid reports the shadow's parent */
	if (TZM__SYS0(SYS_getppid) != tzm__rt.setup.pid) {
		die("tzm: the shadow is gone\n"); /* it died before PR_SET_PDEATHSIG took hold */
	}
	status = tzm__run_main();
	if (tzm__rt.exit_signal != 0) {
		die_of_signal(tzm__rt.exit_signal); /* ta_exit_signal was published before */
	}
	tzm__rt_stop();
	return status;
}
