/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm-run: the shadow process. Opens the TA (GP TEE transport) or starts a locally built
 * program (--local, test transport), passes it argv and the chosen environment, serves its
 * POSIX requests under the policy, forwards its stdio (TA fds 0/1/2 are ours), forwards
 * the signals a user or peer sends, and exits with the TA's exit status, or dies of the
 * signal the TA died of.
 *
 * Threads: main (runs/waits for the protected side), server (executes requests), signal
 * (run_signals.c: forwards SIGINT/SIGTERM/... to the TA). TZM_KICK_SIG interrupts a
 * blocking call in the server thread.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

#if defined(TZM_RUN_OPTEE)
/*
 * Real OP-TEE: TEEC_AllocateSharedMemory of 64 MiB fails (TEEC_ERROR_OUT_OF_MEMORY) and a TA
 * there is single-threaded, so the default stays the 4 MiB that v2 ran with (two lanes).
 */
#define RUN_DATA_DEFAULT (4u * 1024u * 1024u)
#define RUN_DATA_DEFAULT_TEXT "4 MiB: 2 lanes; a TA on OP-TEE has one thread"
#else
#define RUN_DATA_DEFAULT TZM_WIRE_DATA_DEFAULT
#define RUN_DATA_DEFAULT_TEXT "64 MiB: 32 TA threads"
#endif

#define CANCEL_GRACE_MS 3000

static struct tzm_run run;

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tzm-run [--policy FILE | --allow-all] [--env NAME[=VALUE]]... [--local | "
		"--realm]\n"
		"               <uuid | path/<uuid>.ta | program | realm image> [-- args...]\n"
		"\n"
		"Runs a TA built with libtzm (or, with --local, a program linked with the local\n"
		"test transport) and executes its POSIX calls in this process under a policy.\n"
		"\n"
		"  --policy FILE      policy to enforce (deny by default; see mediator/README.md)\n"
		"  --allow-all        developer switch: allow everything (loudly logged)\n"
		"  --env NAME[=VALUE] pass NAME (from our environment, or VALUE) to the TA\n"
		"  --local            run a native program over the local test transport (no TEE)\n"
		"  --realm            run a realm image in a Realm of the RMM model (tzm realm "
		"run)\n"
		"  --data-size BYTES  shared data area size (default " RUN_DATA_DEFAULT_TEXT ")\n"
		"  --help             this text\n"
		"\n"
		"Exit status: the TA's; when the TA dies of signal N, tzm-run dies of signal N\n"
		"(a shell shows 128+N); 70 on set-up errors or when the TA broke the wire\n"
		"protocol; 134 when the TA panicked.\n");
}

/*
 * TZM_TEST_STOP_AT (tests only; run.h): the points of a start at which a test kills
 * tzm-run (scripts/optee-qemu/guest/term-case.sh on OP-TEE, mediator/tests/
 * test_startkill.sh on the emulated TEE). The variable only lets the caller stop its own
 * process, as kill -STOP could, but at a point no outside signal can hit reliably.
 */
static const char *const test_stop_points[] = {
	"open",       /* run_gp.c: before TEEC_OpenSession */
	"opened",     /* run_gp.c: the session is open, nothing else is */
	"invoke",     /* run_gp.c: channel and (OP-TEE) watchdog set up, before the invoke */
	"first-call", /* the TA's first call reached us and is not answered */
};
static const char *test_stop_at;

static void test_stop_setup(void)
{
	const char *v = getenv("TZM_TEST_STOP_AT");

	if (!v || !*v) {
		return;
	}
	for (size_t i = 0; i < sizeof(test_stop_points) / sizeof(test_stop_points[0]); i++) {
		if (strcmp(v, test_stop_points[i]) == 0) {
			__atomic_store_n(&test_stop_at, test_stop_points[i], __ATOMIC_RELEASE);
			return;
		}
	}
	fprintf(stderr,
		"tzm-run: TZM_TEST_STOP_AT=%s: no such point (open, opened, invoke, "
		"first-call); ignored\n",
		v);
}

void tzm__run_test_stop(const char *point)
{
	const char *at = __atomic_load_n(&test_stop_at, __ATOMIC_ACQUIRE);
	sigset_t pend;
	bool waiting = true;

	/* the main thread's points, or the server thread's first-call: never both */
	if (!at || strcmp(point, at) != 0) {
		return;
	}
	__atomic_store_n(&test_stop_at, NULL, __ATOMIC_RELEASE); /* once */
	fprintf(stderr, "tzm-run[%d]: TZM_TEST_STOP_AT: stopped at %s\n", (int)getpid(), point);
	fflush(stderr);
	raise(SIGSTOP); /* stops every thread; the test signals us, then sends SIGCONT */
	/*
	 * A forwarded signal sent while we were stopped is the signal thread's to take:
	 * wait until it has (it posts it, or tzm-run dies of it), so that it acts at this
	 * point and not wherever this thread would have got to meanwhile. At most ~10 s:
	 * a test hook must not be what hangs.
	 */
	for (int i = 0; waiting && i < 10000; i++) {
		const struct timespec ms = { 0, 1000000L };

		waiting = false;
		if (sigpending(&pend) == 0) {
			for (int sig = 1; sig < 32; sig++) {
				if ((TZM_WIRE_SIG_FORWARDED & TZM_WIRE_SIG_BIT(sig)) &&
				    sigismember(&pend, sig) == 1) {
					waiting = true;
				}
			}
		}
		if (waiting) {
			nanosleep(&ms, NULL);
		}
	}
}

/* TZM_TEST_STOP_AT=first-call: the channel's server ops, with a stop after the first call */
static const struct tzm_server_transport_ops *test_real_ops;
static struct tzm_server_transport_ops test_ops;

static int test_next_slot(struct tzm_server_transport *t, struct tzm_wire_req *req, uint32_t *slot)
{
	int rc = test_real_ops->next_slot(t, req, slot);

	if (rc == 0) {
		tzm__run_test_stop("first-call");
	}
	return rc;
}

static int test_next(struct tzm_server_transport *t, struct tzm_wire_req *req)
{
	int rc = test_real_ops->next(t, req);

	if (rc == 0) {
		tzm__run_test_stop("first-call");
	}
	return rc;
}

static void *server_main(void *arg)
{
	struct tzm_run *r = arg;
	int rc = tzm_shadow_serve(r->shadow);

	if (rc != 0) {
		tzm__run_abandon(r); /* the TA broke the protocol: it must not wait for us */
	}
	return NULL;
}

int tzm__run_begin(struct tzm_run *r)
{
	const char *stop_at = __atomic_load_n(&test_stop_at, __ATOMIC_ACQUIRE);
	uint8_t *buf = NULL;
	size_t cap = 0;

	if (tzm__run_chan_open(r, "tzm-run", &buf, &cap) < 0) {
		return -1;
	}
	/* TZM_CHAN_STATS=1: doorbell counters and a per-call timeline, printed at the end */
	if (getenv("TZM_CHAN_STATS") && tzm__chan_timeline_start(&r->chan) != 0) {
		fprintf(stderr, "tzm-run: no memory for the channel statistics\n");
		goto fail;
	}
	if (stop_at && strcmp(stop_at, "first-call") == 0) {
		test_real_ops = r->stp.ops;
		test_ops = *test_real_ops;
		test_ops.next_slot = test_real_ops->next_slot ? test_next_slot : NULL;
		test_ops.next = test_next;
		r->stp.ops = &test_ops;
	}
	r->shadow->interrupt_wake = tzm__sig_wake; /* the signal thread's, tzm-run only */
	__atomic_store_n(&r->chan_ready, 1, __ATOMIC_RELEASE);
	if (pthread_create(&r->server, NULL, server_main, r) != 0) {
		fprintf(stderr, "tzm-run: cannot start the server thread\n");
		goto fail;
	}
	r->server_started = true;
	return 0;
fail:
	/* the signal thread must not post into a channel the caller is about to unmap */
	__atomic_store_n(&r->chan_ready, 0, __ATOMIC_RELEASE);
	tzm__chan_timeline_stop(&r->chan);
	return -1;
}

void tzm__run_end(struct tzm_run *r)
{
	struct timespec ts = { 0, 20 * 1000000L };

	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	tzm__sig_channel_gone(r);
	if (r->server_started) {
		r->stp.ops->stop(&r->stp);
		/* the server may sit in a blocking call for a TA that is gone */
		while (tzm__sig_join_server(r) == EBUSY) {
			pthread_kill(r->server, TZM_KICK_SIG);
			nanosleep(&ts, NULL);
		}
	}
	if (r->chan.tl) {
		char line[768];

		tzm__chan_stats(&r->chan, line, sizeof(line));
		fprintf(stderr, "tzm-run: %s\n", line);
		tzm__chan_timeline_stop(&r->chan);
	}
	if (r->chan.ctrl && __atomic_load_n(&r->chan.ctrl->ta_attached, __ATOMIC_ACQUIRE) == 0) {
		uint32_t v = __atomic_load_n(&r->chan.ctrl->ta_version, __ATOMIC_ACQUIRE);

		if (v != TZM_WIRE_VERSION) {
			/* a version-1 libtzm never writes ta_version; it refuses our channel */
			fprintf(stderr,
				"tzm-run: the TA refused the channel: this tzm-run speaks wire "
				"protocol version %u, the TA %s; rebuild the TA against this "
				"tzmediator\n",
				TZM_WIRE_VERSION,
				v == 0 ? "version 1 (or it has no libtzm)" : "another version");
		}
	}
	tzm_shadow_close_all(r->shadow);
}

static int add_env(char ***envp, int *envc, const char *spec)
{
	char *val = NULL;
	char **n = NULL;

	if (strchr(spec, '=')) {
		val = strdup(spec);
	} else {
		const char *v = getenv(spec);

		if (!v) {
			return 0; /* not set here: not passed */
		}
		if (asprintf(&val, "%s=%s", spec, v) < 0) {
			val = NULL;
		}
	}
	n = realloc(*envp, sizeof(char *) * (size_t)(*envc + 2));
	if (!val || !n) {
		free(val);
		free(n == *envp ? NULL : n);
		return -1;
	}
	n[(*envc)++] = val;
	n[*envc] = NULL;
	*envp = n;
	return 0;
}

int main(int argc, char **argv)
{
	static struct tzm_shadow shadow;
	const char *policy_file = NULL;
	struct tzm_policy *pol = NULL;
	bool allow_all = false, local = false, realm = false;
	char err[512];
	int i = 1, rc = 0;

	run.chan_size = TZM_WIRE_CTRL_SIZE + RUN_DATA_DEFAULT;
	for (; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			goto out;
		} else if (strcmp(a, "--policy") == 0 && i + 1 < argc) {
			policy_file = argv[++i];
		} else if (strcmp(a, "--allow-all") == 0) {
			allow_all = true;
		} else if (strcmp(a, "--local") == 0) {
			local = true;
		} else if (strcmp(a, "--realm") == 0) {
			realm = true;
		} else if (strcmp(a, "--env") == 0 && i + 1 < argc) {
			if (add_env(&run.envp, &run.envc, argv[++i]) != 0) {
				fprintf(stderr, "tzm-run: out of memory\n");
				rc = 70;
				goto out;
			}
		} else if (strcmp(a, "--data-size") == 0 && i + 1 < argc) {
			unsigned long v = strtoul(argv[++i], NULL, 0);

			if (v < TZM_WIRE_DATA_MIN || v > TZM_WIRE_DATA_MAX) {
				fprintf(stderr, "tzm-run: --data-size must be %u..%u\n",
					TZM_WIRE_DATA_MIN, TZM_WIRE_DATA_MAX);
				rc = 64;
				goto out;
			}
			run.chan_size = TZM_WIRE_CTRL_SIZE + v;
		} else if (a[0] == '-' && a[1] == '-' && a[2] != '\0') {
			fprintf(stderr, "tzm-run: unknown option %s\n", a);
			usage(stderr);
			rc = 64;
			goto out;
		} else {
			break;
		}
	}
	if (i >= argc) {
		usage(stderr);
		rc = 64;
		goto out;
	}
	run.target = argv[i++];
	if (i < argc && strcmp(argv[i], "--") == 0) {
		i++;
	}
	/* argv for the TA: its name, then the arguments after -- */
	run.argc = 1 + (argc - i);
	run.argv = calloc((size_t)run.argc + 1, sizeof(char *));
	if (!run.argv) {
		rc = 70;
		goto out;
	}
	run.argv[0] = (char *)run.target;
	for (int k = 1; k < run.argc; k++) {
		run.argv[k] = argv[i + k - 1];
	}
	if (!run.envp) {
		run.envp = calloc(1, sizeof(char *));
	}
	if (local && realm) {
		fprintf(stderr, "tzm-run: --local and --realm are exclusive\n");
		rc = 64;
		goto out;
	}
	if (allow_all && policy_file) {
		fprintf(stderr, "tzm-run: --policy and --allow-all are exclusive\n");
		rc = 64;
		goto out;
	}
	if (allow_all) {
		fprintf(stderr, "tzm-run: WARNING: --allow-all: the TA may use any file, socket "
				"and address this user can (developer mode)\n");
		pol = tzm_policy_allow_all();
	} else if (tzm_policy_load(policy_file ? policy_file : "/dev/null", &pol, err,
				   sizeof(err)) != 0) {
		/* without --policy: deny by default, an empty policy */
		fprintf(stderr, "tzm-run: policy: %s\n", err);
		rc = policy_file ? 64 : 70;
		goto out;
	}
	if (!pol) {
		rc = 70;
		goto out;
	}
	shadow.pol = pol;
	run.shadow = &shadow;
	test_stop_setup();

	if (tzm__sig_setup() != 0 || tzm__sig_start(&run) != 0) {
		fprintf(stderr, "tzm-run: cannot set up signal handling\n");
		rc = 70;
		goto out;
	}

	rc = realm ? tzm__run_realm(&run) : local ? tzm__run_local(&run) : tzm__run_gp(&run);
out:
	tzm_policy_free(pol);
	for (int k = 0; k < run.envc; k++) {
		free(run.envp[k]);
	}
	free(run.envp);
	free(run.argv);
	if (run.term_sig) {
		tzm__sig_reraise(run.term_sig); /* the TA died of it: so do we */
	}
	return rc;
}
