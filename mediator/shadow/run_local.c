/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Local test transport runner (`tzm-run --local PROGRAM`): the channel is a memfd shared
 * with a child process running a program linked with libtzm's local entry
 * (tzm_posix_local); no TEE is involved. The child finds the memfd through
 * TZM_LOCAL_CHAN_FD. This is how the POSIX layer and the shadow are tested without a TEE,
 * and the model for plugging in another protected world.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"

/*
 * Child side: exec the program, through the words of TZM_EXEC_WRAPPER when set (cross
 * builds run foreign-architecture test programs under qemu-user; there is no binfmt_misc
 * on the build machines). Only async-signal-safe work here: stack buffers, no malloc.
 */
static void exec_target(struct tzm_run *r)
{
	const char *wrap = getenv("TZM_EXEC_WRAPPER");
	char words[512];
	char *argv[128];
	char *save = NULL;
	size_t argc = 0;

	if (wrap && *wrap && strlen(wrap) < sizeof(words)) {
		memcpy(words, wrap, strlen(wrap) + 1);
		for (char *w = strtok_r(words, " \t", &save); w && argc < 32;
		     w = strtok_r(NULL, " \t", &save)) {
			argv[argc++] = w;
		}
		argv[argc++] = (char *)r->target; /* execv does not modify it */
		for (size_t i = 1; r->argv[0] && r->argv[i]; i++) {
			if (argc >= sizeof(argv) / sizeof(argv[0]) - 1) {
				errno = E2BIG; /* reported by the caller */
				return;
			}
			argv[argc++] = r->argv[i];
		}
		argv[argc] = NULL;
		execv(argv[0], argv);
		return;
	}
	execv(r->target, r->argv);
}

static void local_cancel(struct tzm_run *r)
{
	(void)r; /* the cancel flag in the channel and EINTR answers are enough */
}

static void local_end(struct tzm_run *r)
{
	/* no TEE to cancel the program's waits: it ends as if its shadow had died */
	kill(r->child, SIGKILL);
}

int tzm__run_local(struct tzm_run *r)
{
	int mfd = -1, st = 0, rc = 70;
	bool begun = false;
	void *mem = MAP_FAILED;
	pid_t pid = -1;

	mfd = memfd_create("tzm-chan", MFD_CLOEXEC);
	if (mfd < 0 || ftruncate(mfd, (off_t)r->chan_size) != 0) {
		fprintf(stderr, "tzm-run: memfd: %s\n", strerror(errno));
		goto out;
	}
	mem = mmap(NULL, r->chan_size, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (mem == MAP_FAILED) {
		fprintf(stderr, "tzm-run: mmap: %s\n", strerror(errno));
		goto out;
	}
	r->mem = mem;
	r->cancel_fn = local_cancel;
	r->end_fn = local_end;
	if (tzm__run_begin(r) != 0) {
		goto out;
	}
	begun = true;
	pid = fork();
	if (pid == 0) {
		char num[16];
		int fd = fcntl(mfd, F_DUPFD, 10); /* without close-on-exec */
		sigset_t none;

		sigemptyset(&none);
		pthread_sigmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		snprintf(num, sizeof(num), "%d", fd);
		setenv("TZM_LOCAL_CHAN_FD", num, 1);
		exec_target(r);
		fprintf(stderr, "tzm-run: cannot run %s: %s\n", r->target, strerror(errno));
		_exit(127);
	}
	close(mfd); /* the child has its own */
	mfd = -1;
	if (pid < 0) {
		fprintf(stderr, "tzm-run: fork: %s\n", strerror(errno));
		goto out;
	}
	__atomic_store_n(&r->child, pid, __ATOMIC_RELEASE); /* the serving thread may read it */
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
	}
	tzm__run_end(r);
	begun = false;
	rc = 0;
	if (WIFEXITED(st)) {
		rc = WEXITSTATUS(st);
	} else if (WIFSIGNALED(st) && WTERMSIG(st) == r->stp.ops->exit_signal(&r->stp) &&
		   tzm__sig_deadly((uint32_t)WTERMSIG(st))) {
		/* the program died of a signal by its disposition (libtzm), not by a crash */
		r->term_sig = WTERMSIG(st);
		rc = 128 + r->term_sig;
	} else if (WIFSIGNALED(st)) {
		fprintf(stderr,
			"tzm-run: the program died (signal %d); everything it held is closed\n",
			WTERMSIG(st));
		rc = 128 + WTERMSIG(st);
	}
	if (r->cancel_sig && rc == 0) {
		rc = 128 + r->cancel_sig;
	}
	rc = tzm__run_status(r, rc);
out:
	if (begun) {
		tzm__run_end(r);
	}
	if (mfd >= 0) {
		close(mfd);
	}
	if (mem != MAP_FAILED) {
		munmap(mem, r->chan_size);
		r->mem = NULL;
	}
	return rc;
}
