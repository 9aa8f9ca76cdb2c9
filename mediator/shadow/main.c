/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm-run: the shadow process. Opens the TA (GP TEE transport) or starts a locally built
 * program (--local, test transport), passes it argv and the chosen environment, serves its
 * POSIX requests under the policy, forwards its stdio (TA fds 0/1/2 are ours), turns
 * Ctrl-C/SIGTERM into a cancellation, and exits with the TA's exit status.
 *
 * Threads: main (runs/waits for the protected side), server (executes requests), signal
 * (sigwait for SIGINT/SIGTERM). SIGUSR1 interrupts a blocking call in the server thread.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

#define CANCEL_GRACE_MS 3000

static struct tzm_run run;

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tzm-run [--policy FILE | --allow-all] [--env NAME[=VALUE]]... [--local]\n"
		"               <uuid | path/<uuid>.ta | program> [-- args...]\n"
		"\n"
		"Runs a TA built with libtzm (or, with --local, a program linked with the local\n"
		"test transport) and executes its POSIX calls in this process under a policy.\n"
		"\n"
		"  --policy FILE      policy to enforce (deny by default; see mediator/README.md)\n"
		"  --allow-all        developer switch: allow everything (loudly logged)\n"
		"  --env NAME[=VALUE] pass NAME (from our environment, or VALUE) to the TA\n"
		"  --local            run a native program over the local test transport (no TEE)\n"
		"  --data-size BYTES  shared data area size (default 1 MiB)\n"
		"  --help             this text\n"
		"\n"
		"Exit status: the TA's; 128+N when interrupted by signal N; 70 on set-up errors;\n"
		"134 when the TA panicked.\n");
}

static void on_usr1(int sig)
{
	(void)sig; /* only interrupts a blocking syscall in the server thread */
}

static void *server_main(void *arg)
{
	struct tzm_run *r = arg;
	int rc = tzm_shadow_serve(r->shadow);

	if (rc != 0) {
		/* the TA broke the protocol: stop serving it; its next call fails with EIO */
		fprintf(stderr, "tzm-run: stopped serving the TA\n");
	}
	return NULL;
}

int tzm__run_begin(struct tzm_run *r)
{
	uint8_t *buf = NULL;
	size_t cap = 0;
	int len = 0;

	if (tzm__chan_format(r->mem, r->chan_size, TZM_CTRL_F_SHADOW_FUTEX) != 0 ||
	    tzm__chan_attach(&r->chan, r->mem, r->chan_size, &tzm__futex_waiter) != 0) {
		fprintf(stderr, "tzm-run: cannot set up the channel\n");
		return -1;
	}
	/* TZM_CHAN_STATS=1: doorbell counters and a per-call timeline, printed at the end */
	if (getenv("TZM_CHAN_STATS") && tzm__chan_timeline_start(&r->chan) != 0) {
		fprintf(stderr, "tzm-run: no memory for the channel statistics\n");
		return -1;
	}
	r->stp.ops = &tzm__chan_server_ops;
	r->stp.priv = &r->chan;
	tzm_shadow_init(r->shadow, r->shadow->pol, &r->stp);
	buf = r->stp.ops->buffer(&r->stp, &cap);
	len = tzm_shadow_setup(r->shadow, buf, cap, r->argc, r->argv, r->envc, r->envp);
	if (len < 0) {
		fprintf(stderr, "tzm-run: arguments and environment too large\n");
		return -1;
	}
	r->chan.ctrl->setup_len = (uint32_t)len;
	if (pthread_create(&r->server, NULL, server_main, r) != 0) {
		fprintf(stderr, "tzm-run: cannot start the server thread\n");
		return -1;
	}
	r->server_started = true;
	return 0;
}

void tzm__run_end(struct tzm_run *r)
{
	struct timespec ts = {0, 20 * 1000000L};

	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	if (r->server_started) {
		r->stp.ops->stop(&r->stp);
		/* the server may sit in a blocking call for a TA that is gone */
		while (pthread_tryjoin_np(r->server, NULL) == EBUSY) {
			pthread_kill(r->server, SIGUSR1);
			nanosleep(&ts, NULL);
		}
		r->server_started = false;
	}
	if (r->chan.tl) {
		char line[768];

		tzm__chan_stats(&r->chan, line, sizeof(line));
		fprintf(stderr, "tzm-run: %s\n", line);
		tzm__chan_timeline_stop(&r->chan);
	}
	tzm_shadow_close_all(r->shadow);
}

static void *signal_main(void *arg)
{
	struct tzm_run *r = arg;
	sigset_t set;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigwait(&set, &sig) != 0) {
		return NULL;
	}
	r->cancel_sig = sig;
	__atomic_store_n(&r->shadow->cancelled, 1, __ATOMIC_RELEASE);
	r->stp.ops->cancel(&r->stp);
	if (r->cancel_fn) {
		r->cancel_fn(r);
	}
	/* keep kicking the server out of blocking calls until the TA ends, bounded */
	for (int waited = 0; waited < CANCEL_GRACE_MS; waited += 50) {
		struct timespec ts = {0, 50 * 1000000L};

		if (__atomic_load_n(&r->done, __ATOMIC_ACQUIRE)) {
			return NULL;
		}
		if (r->server_started) {
			pthread_kill(r->server, SIGUSR1);
		}
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "tzm-run: the TA did not stop within %d ms after %s; giving up\n",
		CANCEL_GRACE_MS, strsignal(sig));
	if (r->child > 0) {
		kill(r->child, SIGKILL);
		return NULL;
	}
	/* our exit closes the TEE session socket: the TEE ends the TA instance */
	_exit(128 + sig);
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
	bool allow_all = false, local = false;
	char err[512];
	sigset_t set;
	pthread_t sigthr;
	struct sigaction sa;
	int i = 1, rc = 0;

	run.chan_size = TZM_WIRE_CTRL_SIZE + TZM_WIRE_DATA_DEFAULT;
	for (; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--policy") == 0 && i + 1 < argc) {
			policy_file = argv[++i];
		} else if (strcmp(a, "--allow-all") == 0) {
			allow_all = true;
		} else if (strcmp(a, "--local") == 0) {
			local = true;
		} else if (strcmp(a, "--env") == 0 && i + 1 < argc) {
			if (add_env(&run.envp, &run.envc, argv[++i]) != 0) {
				fprintf(stderr, "tzm-run: out of memory\n");
				return 70;
			}
		} else if (strcmp(a, "--data-size") == 0 && i + 1 < argc) {
			unsigned long v = strtoul(argv[++i], NULL, 0);

			if (v < TZM_WIRE_DATA_MIN || v > TZM_WIRE_DATA_MAX) {
				fprintf(stderr, "tzm-run: --data-size must be %u..%u\n",
					TZM_WIRE_DATA_MIN, TZM_WIRE_DATA_MAX);
				return 64;
			}
			run.chan_size = TZM_WIRE_CTRL_SIZE + v;
		} else if (a[0] == '-' && a[1] == '-' && a[2] != '\0') {
			fprintf(stderr, "tzm-run: unknown option %s\n", a);
			usage(stderr);
			return 64;
		} else {
			break;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 64;
	}
	run.target = argv[i++];
	if (i < argc && strcmp(argv[i], "--") == 0) {
		i++;
	}
	/* argv for the TA: its name, then the arguments after -- */
	run.argc = 1 + (argc - i);
	run.argv = calloc((size_t)run.argc + 1, sizeof(char *));
	if (!run.argv) {
		return 70;
	}
	run.argv[0] = (char *)run.target;
	for (int k = 1; k < run.argc; k++) {
		run.argv[k] = argv[i + k - 1];
	}
	if (!run.envp) {
		run.envp = calloc(1, sizeof(char *));
	}
	if (allow_all && policy_file) {
		fprintf(stderr, "tzm-run: --policy and --allow-all are exclusive\n");
		return 64;
	}
	if (allow_all) {
		fprintf(stderr, "tzm-run: WARNING: --allow-all: the TA may use any file, socket "
				"and address this user can (developer mode)\n");
		pol = tzm_policy_allow_all();
	} else if (policy_file) {
		if (tzm_policy_load(policy_file, &pol, err, sizeof(err)) != 0) {
			fprintf(stderr, "tzm-run: policy: %s\n", err);
			return 64;
		}
	} else {
		/* deny by default: an empty policy */
		if (tzm_policy_load("/dev/null", &pol, err, sizeof(err)) != 0) {
			fprintf(stderr, "tzm-run: policy: %s\n", err);
			return 70;
		}
	}
	if (!pol) {
		return 70;
	}
	shadow.pol = pol;
	run.shadow = &shadow;

	/* A vanished peer must give the TA EPIPE, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1; /* no SA_RESTART: blocking calls return EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	/* a background start may have inherited SIGINT ignored: Ctrl-C must still cancel */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (pthread_create(&sigthr, NULL, signal_main, &run) != 0) {
		return 70;
	}
	pthread_detach(sigthr);

	rc = local ? tzm__run_local(&run) : tzm__run_gp(&run);
	tzm_policy_free(pol);
	return rc;
}
