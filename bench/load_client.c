/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Load benchmarks, CA<->CA versus CA<->TA in one run:
 *
 *   tput   one-way bulk throughput, CA->peer (peer sinks) and peer->CA (peer sources),
 *          over UNIX and TCP; rounds alternate between the paths (ABBA), one unrecorded
 *          warm-up round first; the median round is reported.
 *   conc   S echo servers (poll-driven) with C clients each, all clients ping-ponging at
 *          once from threads of this process; aggregate round trips per second.
 *   cpu    CPU seconds (utime+stime from /proc/<pid>/stat) of the peer side per 10,000
 *          round trips -- for the TA path the shadow (tzm-run) plus the TA host process
 *          -- and the CPU used by an idle peer blocked in accept() for a while.
 *   threads a thread-per-connection echo server (thread_peer.c) with N concurrent
 *          connections, each driven by a client thread: aggregate round trips/s, latency
 *          percentiles of the single round trips and the peer side's CPU, per message
 *          size. Each trial starts fresh peers per N; the paths alternate (ABBA across
 *          trials and sizes); every echoed byte is compared with what was sent (a wrong
 *          echo fails the run). --csv gets the median over the trials of each figure,
 *          --trials-csv each trial's.
 *
 *   bench_load_client tput|conc|cpu|threads --ipc unix|tcp --native PEER [--tzm ARG]...
 *       --workdir DIR --csv FILE [--mbytes M] [--rounds R] [--servers S] [--clients C]
 *       [--size B] [--seconds T] [--iters N] [--idle-seconds T] [--teed-pidfile F]
 *       [--skip-native 1]   (cpu, conc, tput: measure the TA path only, for profiling)
 *       threads: [--conns LIST] [--sizes LIST] [--ms T] [--trials K] [--warmup N]
 *       [--trials-csv FILE]
 */
#include "common.h"

#include <tzm_util.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PATHS 2
#define MAX_SERVERS 8
#define MAX_CLIENTS 8
#define MAX_ROUNDS 64
#define MAX_TA_HOSTS 16
#define CHUNK 65536
#define UNIT_MAX (1024 * 1024) /* tput --unit: largest read/write of the bulk stream */
#define THR_MAX_CONNS 31       /* thread_peer.c's MAX_CONNS: a TA's 32 lanes minus main's */
#define THR_MAX_LIST 8         /* entries of --conns and --sizes */
#define THR_MAX_TRIALS 64
#define THR_MAX_SIZE 65536

enum test {
	T_TPUT,
	T_CONC,
	T_CPU,
	T_THREADS
};

struct opts {
	enum test test;
	struct bench_cli cli;
	unsigned long mbytes, rounds, servers, clients, size, seconds, iters, idle_seconds;
	const char *teed_pidfile, *trials_csv;
	bool skip_native;
	/* threads */
	unsigned long conns[THR_MAX_LIST], sizes[THR_MAX_LIST];
	int nconns, nsizes;
	unsigned long ms, trials, warmup;
};

static uint8_t chunk[UNIT_MAX];
static size_t unit = CHUNK; /* tput: bytes per read/write, both sides (--unit) */
static char unit_arg[24] = "65536";

static int usage(void)
{
	fprintf(stderr,
		"usage: bench_load_client tput|conc|cpu|threads --ipc unix|tcp --native PEER "
		"[--tzm ARG]... --workdir DIR --csv FILE [--mbytes M] [--rounds R] "
		"[--servers S] [--clients C] [--size B] [--seconds T] [--iters N] "
		"[--idle-seconds T] [--teed-pidfile F] [--skip-native 1] [--unit B] "
		"[--conns LIST] [--sizes LIST] [--ms T] [--trials K] [--warmup N] "
		"[--trials-csv FILE]\n");
	return 2;
}

static int parse(struct opts *o, int argc, char **argv)
{
	const char *skip_native = "0";
	unsigned long unit_opt = CHUNK;
	const struct bench_opt opts[] = {
		/* 1: profile the TA path alone */
		{ "--skip-native", BENCH_OPT_TEXT, &skip_native, 0, 0, NULL, 0 },
		{ "--teed-pidfile", BENCH_OPT_TEXT, &o->teed_pidfile, 0, 0, NULL, 0 },
		{ "--mbytes", BENCH_OPT_ULONG, &o->mbytes, 1, 65536, NULL, 0 },
		{ "--rounds", BENCH_OPT_ULONG, &o->rounds, 1, MAX_ROUNDS, NULL, 0 },
		{ "--servers", BENCH_OPT_ULONG, &o->servers, 1, MAX_SERVERS, NULL, 0 },
		{ "--clients", BENCH_OPT_ULONG, &o->clients, 1, MAX_CLIENTS, NULL, 0 },
		{ "--unit", BENCH_OPT_ULONG, &unit_opt, 8, UNIT_MAX, NULL, 0 },
		{ "--size", BENCH_OPT_ULONG, &o->size, 1, CHUNK, NULL, 0 },
		{ "--seconds", BENCH_OPT_ULONG, &o->seconds, 1, 3600, NULL, 0 },
		{ "--iters", BENCH_OPT_ULONG, &o->iters, 1, 100000000, NULL, 0 },
		/* 0: skip the idle measurement */
		{ "--idle-seconds", BENCH_OPT_ULONG, &o->idle_seconds, 0, 3600, NULL, 0 },
		{ "--conns", BENCH_OPT_LIST, o->conns, 1, THR_MAX_CONNS, &o->nconns, THR_MAX_LIST },
		{ "--sizes", BENCH_OPT_LIST, o->sizes, 1, THR_MAX_SIZE, &o->nsizes, THR_MAX_LIST },
		{ "--ms", BENCH_OPT_ULONG, &o->ms, 1, 3600000, NULL, 0 },
		{ "--trials", BENCH_OPT_ULONG, &o->trials, 1, THR_MAX_TRIALS, NULL, 0 },
		{ "--warmup", BENCH_OPT_ULONG, &o->warmup, 0, 1000000, NULL, 0 },
		{ "--trials-csv", BENCH_OPT_TEXT, &o->trials_csv, 0, 0, NULL, 0 },
	};

	memset(o, 0, sizeof(*o));
	o->mbytes = 256;
	o->rounds = 3;
	o->servers = 4;
	o->clients = 4;
	o->size = 64;
	o->seconds = 2;
	o->iters = 10000;
	o->idle_seconds = 10;
	o->ms = 1000;
	o->trials = 5;
	o->warmup = 100;
	o->conns[0] = 1;
	o->conns[1] = 4;
	o->conns[2] = 16;
	o->nconns = 3;
	o->sizes[0] = 64;
	o->sizes[1] = 4096;
	o->nsizes = 2;
	if (argc < 2) {
		return usage();
	}
	if (strcmp(argv[1], "tput") == 0) {
		o->test = T_TPUT;
	} else if (strcmp(argv[1], "conc") == 0) {
		o->test = T_CONC;
	} else if (strcmp(argv[1], "cpu") == 0) {
		o->test = T_CPU;
	} else if (strcmp(argv[1], "threads") == 0) {
		o->test = T_THREADS;
	} else {
		return usage();
	}
	if (bench_parse_args(argc, argv, 2, opts, sizeof(opts) / sizeof(opts[0]), &o->cli) != 0 ||
	    (o->cli.ipc != BENCH_UNIX && o->cli.ipc != BENCH_TCP)) {
		return usage();
	}
	o->skip_native = strcmp(skip_native, "1") == 0;
	if (o->skip_native && o->cli.npaths < 2) {
		fprintf(stderr, "bench_load_client: --skip-native 1 needs a TA path (--tzm ...)\n");
		return 2;
	}
	unit = unit_opt;
	snprintf(unit_arg, sizeof(unit_arg), "%zu", unit);
	return 0;
}

/*
 * The rest of a summary line: each measured path's median (native unless first is 1:
 * --skip-native) with `decimals` digits and the unit `per`, and the ratio when both
 * were measured.
 */
static void print_paths(const struct opts *o, int first, const double med[MAX_PATHS], int decimals,
			const char *per)
{
	if (first == 0) {
		printf(" native %9.*f %s", decimals, med[0], per);
	}
	if (o->cli.npaths > 1) {
		printf("   tzm %9.*f %s", decimals, med[1], per);
	}
	if (first == 0 && o->cli.npaths > 1) {
		printf("   ratio %.3f", med[0] > 0 ? med[1] / med[0] : 0.0);
	}
	printf("\n");
}

/* ---------------------------------------------------------------- throughput */

/* CA -> peer: the peer counts what arrived and answers with the count. */
static int push(const struct bench_endpoint *ep, uint64_t total, double *mbps)
{
	struct bench_conn c;
	uint64_t left = total, got = 0, t0 = 0;
	int rc = bench_connect(&c, ep, false);

	if (rc != 0) {
		return rc;
	}
	t0 = bench_now_ns();
	while (rc == 0 && left > 0) {
		size_t n = left < unit ? (size_t)left : unit;

		rc = tzm_util_write_all(c.wfd, chunk, n, false);
		left -= n;
	}
	if (rc == 0 && shutdown(c.wfd, SHUT_WR) != 0) {
		rc = -errno;
	}
	if (rc == 0) {
		rc = tzm_util_read_all(c.rfd, &got, sizeof(got));
	}
	if (rc == 0 && got != total) {
		rc = -EPROTO;
	}
	if (rc == 0) {
		*mbps = (double)total / 1e6 / ((double)(bench_now_ns() - t0) / 1e9);
	}
	bench_close(&c);
	return rc;
}

/* peer -> CA: ask for total bytes, read to end of stream. */
static int pull(const struct bench_endpoint *ep, uint64_t total, double *mbps)
{
	static uint8_t sinkbuf[UNIT_MAX];
	struct bench_conn c;
	uint64_t got = 0, t0 = 0;
	int rc = bench_connect(&c, ep, false);

	if (rc != 0) {
		return rc;
	}
	t0 = bench_now_ns();
	rc = tzm_util_write_all(c.wfd, &total, sizeof(total), false);
	while (rc == 0) {
		ssize_t n = read(c.rfd, sinkbuf, unit);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			rc = -errno;
		} else if (n == 0) {
			break;
		} else {
			got += (uint64_t)n;
		}
	}
	if (rc == 0 && got != total) {
		rc = -EPROTO;
	}
	if (rc == 0) {
		*mbps = (double)total / 1e6 / ((double)(bench_now_ns() - t0) / 1e9);
	}
	bench_close(&c);
	return rc;
}

static int run_tput(const struct opts *o, FILE *csv)
{
	static const char *const dirs[2] = { "ca_to_ta", "ta_to_ca" };
	struct bench_endpoint ep[MAX_PATHS][2];
	pid_t pid[MAX_PATHS][2] = { { -1, -1 }, { -1, -1 } };
	double r[2][MAX_PATHS][MAX_ROUNDS];
	double med[2][MAX_PATHS];
	uint64_t total = (uint64_t)o->mbytes * 1000000u;
	int first = o->skip_native ? 1 : 0; /* --skip-native 1: the TA path alone (profiling) */
	char conns[16];
	int rc = 0;

	snprintf(conns, sizeof(conns), "%lu", o->rounds + 1);
	for (int p = first; p < o->cli.npaths && rc == 0; p++) {
		for (int d = 0; d < 2 && rc == 0; d++) {
			const char *extra[] = { "--role",  d == 0 ? "sink" : "source",
						"--conns", conns,
						"--unit",  unit_arg,
						NULL };
			char tag[32];

			snprintf(tag, sizeof(tag), "%s-%s", o->cli.paths[p].name, extra[1]);
			rc = bench_endpoint_init(&ep[p][d], o->cli.ipc, o->cli.workdir, tag);
			if (rc == 0) {
				pid[p][d] = bench_peer_start(&o->cli.paths[p], &ep[p][d], extra);
				rc = pid[p][d] < 0 ? (int)pid[p][d] : 0;
			}
		}
	}
	/* round 0 is the warm-up */
	for (unsigned long k = 0; k <= o->rounds && rc == 0; k++) {
		bench_watchdog(BENCH_CONNECT_TIMEOUT_MS / 1000 + 120);
		for (int d = 0; d < 2 && rc == 0; d++) {
			for (int j = 0; j < o->cli.npaths && rc == 0; j++) {
				int p = (k % 2 == 0) ? j : o->cli.npaths - 1 - j;
				double v = 0;

				if (p < first) {
					continue;
				}
				rc = d == 0 ? push(&ep[p][d], total, &v)
					    : pull(&ep[p][d], total, &v);
				if (rc != 0) {
					fprintf(stderr, "bench: tput %s %s %s: %s\n",
						bench_ipc_name(o->cli.ipc), dirs[d],
						o->cli.paths[p].name, strerror(-rc));
				} else if (k > 0) {
					r[d][p][k - 1] = v;
				}
			}
		}
	}
	bench_watchdog(60);
	for (int p = 0; p < o->cli.npaths; p++) {
		for (int d = 0; d < 2; d++) {
			if (pid[p][d] > 0 && bench_peer_stop(pid[p][d], 10000) != 0 && rc == 0) {
				rc = -EIO;
			}
		}
	}
	bench_watchdog(0);
	if (rc != 0) {
		return rc;
	}
	for (int d = 0; d < 2; d++) {
		for (int p = first; p < o->cli.npaths; p++) {
			med[d][p] = bench_median(r[d][p], o->rounds);
			fprintf(csv, "%s,%s,%s,%.1f,%llu,%lu\n", bench_ipc_name(o->cli.ipc),
				dirs[d], o->cli.paths[p].name, med[d][p], (unsigned long long)total,
				o->rounds);
		}
		printf("%-5s %-8s", bench_ipc_name(o->cli.ipc), dirs[d]);
		print_paths(o, first, med[d], 1, "MB/s");
	}
	return 0;
}

/* --------------------------------------------------------------- concurrency */

struct worker {
	pthread_t th;
	struct bench_conn conn;
	size_t size;
	const volatile uint64_t *end_ns;
	pthread_barrier_t *start;
	uint64_t count;
	int rc;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	uint8_t *back = malloc(w->size);

	w->count = 0;
	w->rc = back ? 0 : -ENOMEM;
	pthread_barrier_wait(w->start);
	while (w->rc == 0 && bench_now_ns() < *w->end_ns) {
		w->rc = bench_roundtrip(&w->conn, chunk, back, w->size);
		w->count++;
	}
	free(back);
	return NULL;
}

static int conc_round(struct worker *ws, int n, unsigned long seconds, double *rate)
{
	pthread_barrier_t start;
	volatile uint64_t end_ns = 0;
	uint64_t total = 0, t0 = 0;
	int rc = 0, started = 0;

	if (pthread_barrier_init(&start, NULL, (unsigned)n + 1) != 0) {
		return -ENOMEM;
	}
	end_ns = UINT64_MAX;
	for (int i = 0; i < n; i++) {
		ws[i].end_ns = &end_ns;
		ws[i].start = &start;
		if (pthread_create(&ws[i].th, NULL, worker_main, &ws[i]) != 0) {
			rc = -EAGAIN;
			break;
		}
		started++;
	}
	if (rc != 0) {
		/* cannot release a partial barrier: give up on the run */
		fprintf(stderr, "bench: cannot start client threads\n");
		exit(1);
	}
	t0 = bench_now_ns();
	end_ns = t0 + seconds * 1000000000u;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	pthread_barrier_wait(&start);
	for (int i = 0; i < started; i++) {
		pthread_join(ws[i].th, NULL);
		total += ws[i].count;
		if (ws[i].rc != 0 && rc == 0) {
			rc = ws[i].rc;
		}
	}
	pthread_barrier_destroy(&start);
	*rate = (double)total / ((double)(bench_now_ns() - t0) / 1e9);
	return rc;
}

static int run_conc(const struct opts *o, FILE *csv)
{
	int nserv = (int)o->servers, ncli = (int)o->clients, n = nserv * ncli;
	int first = o->skip_native ? 1 : 0; /* --skip-native 1: the TA path alone (profiling) */
	struct worker ws[MAX_PATHS][MAX_SERVERS * MAX_CLIENTS];
	pid_t pid[MAX_PATHS][MAX_SERVERS];
	double r[MAX_PATHS][MAX_ROUNDS];
	double med[MAX_PATHS] = { 0, 0 };
	char conns[16];
	int rc = 0;

	memset(ws, 0, sizeof(ws));
	for (int p = 0; p < MAX_PATHS; p++) {
		for (int i = 0; i < MAX_SERVERS * MAX_CLIENTS; i++) {
			ws[p][i].conn.wfd = ws[p][i].conn.rfd = -1;
			ws[p][i].size = o->size;
		}
		for (int s = 0; s < MAX_SERVERS; s++) {
			pid[p][s] = -1;
		}
	}
	snprintf(conns, sizeof(conns), "%d", ncli);
	bench_watchdog(BENCH_CONNECT_TIMEOUT_MS / 1000 + 60);
	for (int p = first; p < o->cli.npaths && rc == 0; p++) {
		for (int s = 0; s < nserv && rc == 0; s++) {
			const char *extra[] = { "--multi", "--conns", conns, NULL };
			struct bench_endpoint ep;
			char tag[32];

			snprintf(tag, sizeof(tag), "%s-srv%d", o->cli.paths[p].name, s);
			rc = bench_endpoint_init(&ep, o->cli.ipc, o->cli.workdir, tag);
			if (rc == 0) {
				pid[p][s] = bench_peer_start(&o->cli.paths[p], &ep, extra);
				rc = pid[p][s] < 0 ? (int)pid[p][s] : 0;
			}
			for (int c = 0; c < ncli && rc == 0; c++) {
				rc = bench_connect(&ws[p][s * ncli + c].conn, &ep, true);
			}
			if (rc != 0) {
				fprintf(stderr, "bench: conc %s server %d: %s\n",
					o->cli.paths[p].name, s, strerror(-rc));
			}
		}
	}
	/* round 0 is the warm-up */
	for (unsigned long k = 0; k <= o->rounds && rc == 0; k++) {
		bench_watchdog((unsigned)o->seconds * 4 + 60);
		for (int j = 0; j < o->cli.npaths && rc == 0; j++) {
			int p = (k % 2 == 0) ? j : o->cli.npaths - 1 - j;
			double v = 0;

			if (p < first) {
				continue;
			}
			rc = conc_round(ws[p], n, k == 0 ? 1 : o->seconds, &v);
			if (rc != 0) {
				fprintf(stderr, "bench: conc %s: %s\n", o->cli.paths[p].name,
					strerror(-rc));
			} else if (k > 0) {
				r[p][k - 1] = v;
			}
		}
	}
	bench_watchdog(60);
	for (int p = 0; p < MAX_PATHS; p++) {
		for (int i = 0; i < n; i++) {
			bench_close(&ws[p][i].conn);
		}
		for (int s = 0; s < nserv; s++) {
			if (pid[p][s] > 0 && bench_peer_stop(pid[p][s], 10000) != 0 && rc == 0) {
				rc = -EIO;
			}
		}
	}
	bench_watchdog(0);
	if (rc != 0) {
		return rc;
	}
	for (int p = first; p < o->cli.npaths; p++) {
		med[p] = bench_median(r[p], o->rounds);
		fprintf(csv, "%s,%d,%d,%lu,%s,%.0f,%lu,%lu\n", bench_ipc_name(o->cli.ipc), nserv,
			ncli, o->size, o->cli.paths[p].name, med[p], o->rounds, o->seconds);
	}
	printf("%-5s %dx%d %5lu B", bench_ipc_name(o->cli.ipc), nserv, ncli, o->size);
	print_paths(o, first, med, 0, "rt/s");
	return 0;
}

/* ----------------------------------------------------------------------- cpu */

struct procs {
	pid_t peer;                  /* the native peer, or the shadow (tzm-run) */
	pid_t ta_host[MAX_TA_HOSTS]; /* TA path: the TA host process(es) of this peer */
	int n_ta_host;
	pid_t teed;
};

struct cpu_snap {
	double peer, ta_host, teed, client;
	uint64_t cs_peer[2], cs_ta_host[2], cs_client[2]; /* voluntary, involuntary */
};

static pid_t teed_pid(const struct opts *o)
{
	return o->teed_pidfile ? bench_read_pidfile(o->teed_pidfile) : -ENOENT;
}

/* TA hosts that appeared below tzm-teed since 'before' was taken. */
static void find_ta_hosts(const struct opts *o, struct procs *pr, const pid_t *before, int nbefore)
{
	pid_t now[MAX_TA_HOSTS * 4];
	int n = 0;

	pr->n_ta_host = 0;
	pr->teed = teed_pid(o);
	if (pr->teed <= 0) {
		return;
	}
	n = bench_descendants(pr->teed, now, MAX_TA_HOSTS * 4);
	for (int i = 0; i < n && pr->n_ta_host < MAX_TA_HOSTS; i++) {
		bool old = false;

		for (int j = 0; j < nbefore; j++) {
			old = old || before[j] == now[i];
		}
		if (!old) {
			pr->ta_host[pr->n_ta_host++] = now[i];
		}
	}
}

static int snapshot_before(const struct opts *o, pid_t *before)
{
	pid_t teed = teed_pid(o);
	int n = teed > 0 ? bench_descendants(teed, before, MAX_TA_HOSTS * 4) : 0;

	return n < 0 ? 0 : n;
}

static void snap(const struct procs *pr, struct cpu_snap *s)
{
	uint64_t v = 0, i = 0;

	memset(s, 0, sizeof(*s));
	s->peer = bench_proc_cpu_s(pr->peer);
	bench_proc_ctxsw(pr->peer, &s->cs_peer[0], &s->cs_peer[1]);
	for (int k = 0; k < pr->n_ta_host; k++) {
		s->ta_host += bench_proc_cpu_s(pr->ta_host[k]);
		if (bench_proc_ctxsw(pr->ta_host[k], &v, &i) == 0) {
			s->cs_ta_host[0] += v;
			s->cs_ta_host[1] += i;
		}
	}
	s->teed = pr->teed > 0 ? bench_proc_cpu_s(pr->teed) : 0;
	s->client = bench_proc_cpu_s(getpid());
	bench_proc_ctxsw(getpid(), &s->cs_client[0], &s->cs_client[1]);
}

/* Context switches per round trip of one process between two snapshots. */
static void cs_per_rt(const uint64_t a[2], const uint64_t b[2], unsigned long rts, double out[2])
{
	out[0] = rts ? (double)(b[0] - a[0]) / (double)rts : 0.0;
	out[1] = rts ? (double)(b[1] - a[1]) / (double)rts : 0.0;
}

static void cpu_row(FILE *csv, const struct opts *o, const char *test, const char *path,
		    const char *proc, double cpu, unsigned long rts, double wall,
		    const double cs[2])
{
	double per10k = rts > 0 ? cpu * 10000.0 / (double)rts : 0.0;

	fprintf(csv, "%s,%s,%lu,%s,%s,%.3f,%lu,%.3f,%.3f,%.3f,%.3f,%.3f\n", test,
		bench_ipc_name(o->cli.ipc), test[0] == 'r' ? o->size : 0ul, path, proc, cpu, rts,
		wall, wall > 0 ? cpu / wall * 100.0 : 0.0, per10k, cs[0], cs[1]);
}

static void cpu_rows(FILE *csv, const struct opts *o, const char *test, int p,
		     const struct cpu_snap *a, const struct cpu_snap *b, unsigned long rts,
		     double wall, double *total)
{
	const char *path = o->cli.paths[p].name;
	double cs_peer[2], cs_ta[2], cs_cli[2], cs_sum[2];
	const double none[2] = { 0, 0 };

	cs_per_rt(a->cs_peer, b->cs_peer, rts, cs_peer);
	cs_per_rt(a->cs_ta_host, b->cs_ta_host, rts, cs_ta);
	cs_per_rt(a->cs_client, b->cs_client, rts, cs_cli);
	cs_sum[0] = cs_peer[0] + cs_ta[0];
	cs_sum[1] = cs_peer[1] + cs_ta[1];
	if (p == 0) {
		*total = b->peer - a->peer;
		cpu_row(csv, o, test, path, "peer", *total, rts, wall, cs_peer);
	} else {
		*total = (b->peer - a->peer) + (b->ta_host - a->ta_host);
		cpu_row(csv, o, test, path, "shadow", b->peer - a->peer, rts, wall, cs_peer);
		cpu_row(csv, o, test, path, "ta_host", b->ta_host - a->ta_host, rts, wall, cs_ta);
		cpu_row(csv, o, test, path, "teed", b->teed - a->teed, rts, wall, none);
		cpu_row(csv, o, test, path, "peer", *total, rts, wall, cs_sum);
	}
	cpu_row(csv, o, test, path, "client", b->client - a->client, rts, wall, cs_cli);
}

static int start_cpu_peer(const struct opts *o, int p, const char *tag, struct bench_endpoint *ep,
			  struct procs *pr)
{
	pid_t before[MAX_TA_HOSTS * 4];
	int nbefore = snapshot_before(o, before);
	int rc = bench_endpoint_init(ep, o->cli.ipc, o->cli.workdir, tag);

	memset(pr, 0, sizeof(*pr));
	if (rc != 0) {
		return rc;
	}
	pr->peer = bench_peer_start(&o->cli.paths[p], ep, NULL);
	if (pr->peer < 0) {
		return (int)pr->peer;
	}
	/* Ready when the listening socket exists (no connection: that would end accept). */
	for (int i = 0; i < BENCH_CONNECT_TIMEOUT_MS / 5; i++) {
		struct stat st;
		bool ready = ep->ipc == BENCH_UNIX ? stat(ep->path, &st) == 0 : i >= 200;

		if (ready) {
			break;
		}
		bench_sleep_ms(5);
	}
	if (p > 0) {
		find_ta_hosts(o, pr, before, nbefore);
		if (pr->n_ta_host == 0) {
			fprintf(stderr, "bench: cpu: no TA host process found below tzm-teed\n");
		}
	}
	return 0;
}

static int run_cpu(const struct opts *o, FILE *csv)
{
	static uint8_t back[CHUNK];
	int rc = 0;

	for (int p = o->skip_native ? 1 : 0; p < o->cli.npaths && rc == 0; p++) {
		struct bench_endpoint ep;
		struct procs pr;
		struct cpu_snap a, b;
		struct bench_conn c = { o->cli.ipc, -1, -1 };
		uint64_t t0 = 0;
		double wall = 0, total = 0;
		char tag[32];

		/* 1. idle: the peer sits in accept() */
		snprintf(tag, sizeof(tag), "%s-cpu", o->cli.paths[p].name);
		bench_watchdog(BENCH_CONNECT_TIMEOUT_MS / 1000 + (unsigned)o->idle_seconds + 60);
		if ((rc = start_cpu_peer(o, p, tag, &ep, &pr)) != 0) {
			break;
		}
		if (o->idle_seconds > 0) {
			bench_sleep_ms(1000); /* let start-up work and the spin budget run out */
			snap(&pr, &a);
			t0 = bench_now_ns();
			bench_sleep_ms((unsigned)o->idle_seconds * 1000u);
			snap(&pr, &b);
			wall = (double)(bench_now_ns() - t0) / 1e9;
			cpu_rows(csv, o, "idle_accept", p, &a, &b, 0, wall, &total);
			printf("cpu   idle in accept %4.0f s  %-6s %.3f CPU s = %.2f%% of a "
			       "core%s\n",
			       wall, o->cli.paths[p].name, total, total / wall * 100.0,
			       total / wall < 0.01 ? "" : "  (above the 1% target)");
		}

		/* 2. per 10,000 round trips on the same peer */
		if ((rc = bench_connect(&c, &ep, true)) != 0) {
			fprintf(stderr, "bench: cpu: %s peer: %s\n", o->cli.paths[p].name,
				strerror(-rc));
			break;
		}
		for (unsigned long i = 0; i < o->iters / 10 + 10 && rc == 0; i++) {
			rc = bench_roundtrip(&c, chunk, back, o->size);
		}
		snap(&pr, &a);
		t0 = bench_now_ns();
		for (unsigned long i = 0; i < o->iters && rc == 0; i++) {
			rc = bench_roundtrip(&c, chunk, back, o->size);
		}
		wall = (double)(bench_now_ns() - t0) / 1e9;
		snap(&pr, &b);
		bench_close(&c);
		if (rc != 0) {
			fprintf(stderr, "bench: cpu: round trip: %s\n", strerror(-rc));
			break;
		}
		cpu_rows(csv, o, "roundtrips", p, &a, &b, o->iters, wall, &total);
		printf("cpu   %lu x %lu B round trips  %-6s %.3f CPU s per 10k (peer side), "
		       "wall %.3f s\n",
		       o->iters, o->size, o->cli.paths[p].name, total * 10000.0 / (double)o->iters,
		       wall);
		if (bench_peer_stop(pr.peer, 10000) != 0) {
			rc = -EIO;
		}
	}
	bench_watchdog(0);
	return rc;
}

/* ------------------------------------------- thread-per-connection echo server */

/* One client connection, driven by a thread of its own. */
struct thr_worker {
	pthread_t th;
	struct bench_conn conn;
	int index; /* connection number: stamped into every message */
	size_t size;
	unsigned long warmup;
	const volatile uint64_t *end_ns;
	pthread_barrier_t *warm, *go;
	uint64_t seq;  /* round trips made on this connection: varies every message */
	uint64_t *lat; /* the measured round trips, ns */
	size_t n, cap;
	int rc;
};

/* What one path achieved in one trial, for one connection count and message size. */
struct thr_result {
	double rate, median_us, p90_us, p99_us, cpu_s, wall_s;
	uint64_t rts;
};

enum thr_metric {
	M_RATE,
	M_MEDIAN,
	M_P90,
	M_P99,
	M_CPU10K,
	M_CPUPCT,
	M_COUNT
};

/*
 * One round trip whose echo is compared byte for byte with the message. The message
 * differs from the one before and from other connections' (its offset in the pattern and
 * a stamp of connection and round-trip number), so a stale or misrouted echo fails too.
 * Only write and read are timed (*ns).
 */
static int thr_roundtrip(struct thr_worker *w, uint8_t *msg, uint8_t *back, uint64_t *ns)
{
	size_t off = (size_t)((w->seq * 7u + (uint64_t)w->index * 131u) % 4096u);
	uint32_t index = (uint32_t)w->index;
	uint64_t t0 = 0;
	int rc = 0;

	memcpy(msg, chunk + off, w->size);
	if (w->size >= sizeof(w->seq) + sizeof(index)) {
		memcpy(msg, &w->seq, sizeof(w->seq));
		memcpy(msg + sizeof(w->seq), &index, sizeof(index));
	}
	t0 = bench_now_ns();
	rc = bench_roundtrip(&w->conn, msg, back, w->size);
	*ns = bench_now_ns() - t0;
	if (rc == 0 && memcmp(msg, back, w->size) != 0) {
		fprintf(stderr, "bench: threads: wrong echo on connection %d, round trip %llu\n",
			w->index, (unsigned long long)w->seq);
		rc = -EPROTO;
	}
	w->seq++;
	return rc;
}

static int thr_record(struct thr_worker *w, uint64_t ns)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 4096;
		uint64_t *lat = realloc(w->lat, cap * sizeof(*lat));

		if (!lat) {
			return -ENOMEM;
		}
		w->lat = lat;
		w->cap = cap;
	}
	w->lat[w->n++] = ns;
	return 0;
}

static void *thr_worker_main(void *arg)
{
	struct thr_worker *w = arg;
	uint8_t *msg = malloc(w->size);
	uint8_t *back = malloc(w->size);
	uint64_t ns = 0;

	w->n = 0;
	w->rc = msg && back ? 0 : -ENOMEM;
	/* unrecorded: a peer that idled while the other path was measured wakes up first */
	for (unsigned long i = 0; i < w->warmup && w->rc == 0; i++) {
		w->rc = thr_roundtrip(w, msg, back, &ns);
	}
	pthread_barrier_wait(w->warm);
	pthread_barrier_wait(w->go);
	while (w->rc == 0 && bench_now_ns() < *w->end_ns) {
		w->rc = thr_roundtrip(w, msg, back, &ns);
		if (w->rc == 0) {
			w->rc = thr_record(w, ns);
		}
	}
	free(back);
	free(msg);
	return NULL;
}

/* Peer-side CPU seconds: the native peer, or the shadow plus the TA host(s). */
static double thr_peer_cpu(const struct cpu_snap *a, const struct cpu_snap *b)
{
	return (b->peer - a->peer) + (b->ta_host - a->ta_host);
}

/* All n connections ping-pong at once for ms milliseconds, after a warm-up each. */
static int thr_measure(struct thr_worker *ws, int n, size_t size, const struct opts *o,
		       const struct procs *pr, struct thr_result *res)
{
	pthread_barrier_t warm, go;
	volatile uint64_t end_ns = UINT64_MAX;
	struct cpu_snap a, b;
	uint64_t *all = NULL, t0 = 0;
	size_t total = 0;
	struct bench_stats st;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if (pthread_barrier_init(&warm, NULL, (unsigned)n + 1) != 0) {
		return -ENOMEM;
	}
	if (pthread_barrier_init(&go, NULL, (unsigned)n + 1) != 0) {
		pthread_barrier_destroy(&warm);
		return -ENOMEM;
	}
	for (int i = 0; i < n; i++) {
		ws[i].size = size;
		ws[i].warmup = o->warmup;
		ws[i].end_ns = &end_ns;
		ws[i].warm = &warm;
		ws[i].go = &go;
		if (pthread_create(&ws[i].th, NULL, thr_worker_main, &ws[i]) != 0) {
			/* cannot release a partial barrier: give up on the run */
			fprintf(stderr, "bench: threads: cannot start client threads\n");
			bench_kill_all_peers();
			exit(1);
		}
	}
	pthread_barrier_wait(&warm);
	snap(pr, &a);
	t0 = bench_now_ns();
	end_ns = t0 + (uint64_t)o->ms * 1000000u;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	pthread_barrier_wait(&go);
	for (int i = 0; i < n; i++) {
		pthread_join(ws[i].th, NULL);
		if (ws[i].rc != 0 && rc == 0) {
			rc = ws[i].rc;
		}
		total += ws[i].n;
	}
	res->wall_s = (double)(bench_now_ns() - t0) / 1e9;
	snap(pr, &b);
	pthread_barrier_destroy(&go);
	pthread_barrier_destroy(&warm);
	if (rc != 0) {
		return rc;
	}
	if (total == 0) {
		fprintf(stderr, "bench: threads: no round trip completed in %lu ms\n", o->ms);
		return -ETIMEDOUT;
	}
	if (!(all = malloc(total * sizeof(*all)))) {
		return -ENOMEM;
	}
	total = 0;
	for (int i = 0; i < n; i++) {
		memcpy(all + total, ws[i].lat, ws[i].n * sizeof(*all));
		total += ws[i].n;
	}
	bench_stats_compute(all, total, &st);
	free(all);
	res->rts = total;
	res->rate = (double)total / res->wall_s;
	res->median_us = st.median_us;
	res->p90_us = st.p90_us;
	res->p99_us = st.p99_us;
	res->cpu_s = thr_peer_cpu(&a, &b);
	return 0;
}

/* Starts path p's thread peer for nconns connections and connects them all. */
static int thr_start(const struct opts *o, int p, unsigned long nconns, unsigned long trial,
		     struct thr_worker *ws, struct procs *pr)
{
	pid_t before[MAX_TA_HOSTS * 4];
	int nbefore = p > 0 ? snapshot_before(o, before) : 0;
	struct bench_endpoint ep;
	char conns_arg[16], tag[48];
	const char *extra[] = { "--conns", conns_arg, NULL };
	int rc = 0;

	memset(pr, 0, sizeof(*pr));
	snprintf(conns_arg, sizeof(conns_arg), "%lu", nconns);
	snprintf(tag, sizeof(tag), "%s-thr%lu-%lu", o->cli.paths[p].name, nconns, trial);
	if ((rc = bench_endpoint_init(&ep, o->cli.ipc, o->cli.workdir, tag)) != 0) {
		return rc;
	}
	pr->peer = bench_peer_start(&o->cli.paths[p], &ep, extra);
	if (pr->peer < 0) {
		return (int)pr->peer;
	}
	for (unsigned long c = 0; c < nconns && rc == 0; c++) {
		ws[c].index = (int)c;
		rc = bench_connect(&ws[c].conn, &ep, true);
	}
	if (rc != 0) {
		fprintf(stderr, "bench: threads: %s peer, %lu connections: %s\n",
			o->cli.paths[p].name, nconns, strerror(-rc));
		return rc;
	}
	/* every connection answered: the TA host exists by now */
	if (p > 0 && o->teed_pidfile) {
		find_ta_hosts(o, pr, before, nbefore);
		if (pr->n_ta_host == 0) {
			fprintf(stderr, "bench: threads: no TA host process found below tzm-teed "
					"(CPU is the shadow's only)\n");
		}
	}
	return 0;
}

/* Closes the connections and checks that the peer then exits 0 (all of it served). */
static int thr_stop(const struct opts *o, int p, unsigned long nconns, struct thr_worker *ws,
		    const struct procs *pr)
{
	int status = 0;

	for (unsigned long c = 0; c < nconns; c++) {
		bench_close(&ws[c].conn);
	}
	if (pr->peer <= 0) {
		return 0;
	}
	status = bench_peer_stop(pr->peer, 10000);
	if (status != 0) {
		fprintf(stderr, "bench: threads: %s peer exited with status %d\n",
			o->cli.paths[p].name, status);
		return -EIO;
	}
	return 0;
}

static int run_threads(const struct opts *o, FILE *csv, FILE *tcsv)
{
	static struct thr_worker ws[MAX_PATHS][THR_MAX_CONNS];
	static double m[THR_MAX_LIST][THR_MAX_LIST][MAX_PATHS][M_COUNT][THR_MAX_TRIALS];
	double med[MAX_PATHS][M_COUNT];
	int rc = 0;

	for (int p = 0; p < MAX_PATHS; p++) {
		for (int c = 0; c < THR_MAX_CONNS; c++) {
			ws[p][c].conn.wfd = ws[p][c].conn.rfd = -1;
		}
	}
	for (unsigned long k = 0; k < o->trials && rc == 0; k++) {
		for (int ci = 0; ci < o->nconns && rc == 0; ci++) {
			unsigned long nc = o->conns[ci];
			struct procs pr[MAX_PATHS];

			memset(pr, 0, sizeof(pr));
			bench_watchdog(BENCH_CONNECT_TIMEOUT_MS / 1000 * 2 + 60);
			for (int p = 0; p < o->cli.npaths && rc == 0; p++) {
				rc = thr_start(o, p, nc, k, ws[p], &pr[p]);
			}
			for (int si = 0; si < o->nsizes && rc == 0; si++) {
				for (int j = 0; j < o->cli.npaths && rc == 0; j++) {
					/* ABBA: the order flips with every trial and size */
					int p = ((k + (unsigned long)si) % 2 == 0)
							? j
							: o->cli.npaths - 1 - j;
					struct thr_result r;

					bench_watchdog((unsigned)(o->ms / 1000) * 4 + 120);
					rc = thr_measure(ws[p], (int)nc, o->sizes[si], o, &pr[p],
							 &r);
					if (rc != 0) {
						fprintf(stderr,
							"bench: threads %s %lu x %lu B %s: %s\n",
							bench_ipc_name(o->cli.ipc), nc,
							o->sizes[si], o->cli.paths[p].name,
							strerror(-rc));
						break;
					}
					m[ci][si][p][M_RATE][k] = r.rate;
					m[ci][si][p][M_MEDIAN][k] = r.median_us;
					m[ci][si][p][M_P90][k] = r.p90_us;
					m[ci][si][p][M_P99][k] = r.p99_us;
					m[ci][si][p][M_CPU10K][k] =
						r.cpu_s * 10000.0 / (double)r.rts;
					m[ci][si][p][M_CPUPCT][k] = r.cpu_s / r.wall_s * 100.0;
					if (tcsv) {
						fprintf(tcsv,
							"%s,%lu,%lu,%s,%lu,%.0f,%.1f,%.1f,%.1f,%."
							"3f,"
							"%llu,%.3f\n",
							bench_ipc_name(o->cli.ipc), nc,
							o->sizes[si], o->cli.paths[p].name, k,
							r.rate, r.median_us, r.p90_us, r.p99_us,
							r.cpu_s, (unsigned long long)r.rts,
							r.wall_s);
					}
				}
			}
			bench_watchdog(60);
			for (int p = 0; p < o->cli.npaths; p++) {
				int src = thr_stop(o, p, nc, ws[p], &pr[p]);

				rc = rc != 0 ? rc : src;
			}
		}
	}
	bench_watchdog(0);
	for (int p = 0; p < MAX_PATHS; p++) {
		for (int c = 0; c < THR_MAX_CONNS; c++) {
			free(ws[p][c].lat);
		}
	}
	if (rc != 0) {
		return rc;
	}
	for (int ci = 0; ci < o->nconns; ci++) {
		for (int si = 0; si < o->nsizes; si++) {
			for (int p = 0; p < o->cli.npaths; p++) {
				for (int x = 0; x < M_COUNT; x++) {
					med[p][x] = bench_median(m[ci][si][p][x], o->trials);
				}
				fprintf(csv, "%s,%lu,%lu,%s,%.0f,%.1f,%.1f,%.1f,%.3f,%.1f,%lu\n",
					bench_ipc_name(o->cli.ipc), o->conns[ci], o->sizes[si],
					o->cli.paths[p].name, med[p][M_RATE], med[p][M_MEDIAN],
					med[p][M_P90], med[p][M_P99], med[p][M_CPU10K],
					med[p][M_CPUPCT], o->trials);
			}
			printf("%-5s %2lu conns %5lu B  native %8.0f rt/s p50 %7.1f us CPU %.3f "
			       "s/10k",
			       bench_ipc_name(o->cli.ipc), o->conns[ci], o->sizes[si],
			       med[0][M_RATE], med[0][M_MEDIAN], med[0][M_CPU10K]);
			if (o->cli.npaths > 1) {
				printf("   tzm %8.0f rt/s p50 %7.1f us CPU %.3f s/10k   ratio %.3f",
				       med[1][M_RATE], med[1][M_MEDIAN], med[1][M_CPU10K],
				       med[0][M_RATE] > 0 ? med[1][M_RATE] / med[0][M_RATE] : 0.0);
			}
			printf("\n");
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const headers[] = {
		[T_TPUT] = "ipc,direction,path,mb_per_s,bytes,rounds",
		[T_CONC] =
			"ipc,servers,clients_per_server,bytes,path,roundtrips_per_s,rounds,seconds",
		/* one header split over two lines (parenthesised: not a missing comma) */
		[T_CPU] = ("test,ipc,bytes,path,process,cpu_s,roundtrips,wall_s,cpu_pct_of_core,"
			   "cpu_s_per_10k,vol_cs_per_rt,invol_cs_per_rt"),
		[T_THREADS] = ("ipc,conns,bytes,path,roundtrips_per_s,median_us,p90_us,p99_us,"
			       "peer_cpu_s_per_10k,peer_cpu_pct_of_core,trials"),
	};
	static const char threads_trials_header[] =
		"ipc,conns,bytes,path,trial,roundtrips_per_s,median_us,p90_us,p99_us,peer_cpu_s,"
		"roundtrips,wall_s";
	struct opts o;
	FILE *csv = NULL, *tcsv = NULL;
	int rc = 0;

	if (parse(&o, argc, argv) != 0) {
		return 2;
	}
	if (!(csv = bench_csv_open(o.cli.csv, headers[o.test]))) {
		return 1;
	}
	if (o.test == T_THREADS && o.trials_csv &&
	    !(tcsv = bench_csv_open(o.trials_csv, threads_trials_header))) {
		fclose(csv);
		return 1;
	}
	for (size_t i = 0; i < sizeof(chunk); i++) {
		chunk[i] = (uint8_t)(i * 131u + 7u);
	}
	switch (o.test) {
	case T_TPUT:
		rc = run_tput(&o, csv);
		break;
	case T_CONC:
		rc = run_conc(&o, csv);
		break;
	case T_CPU:
		rc = run_cpu(&o, csv);
		break;
	case T_THREADS:
		rc = run_threads(&o, csv, tcsv);
		break;
	}
	fflush(stdout);
	if (rc != 0) {
		bench_kill_all_peers();
	}
	if (tcsv) {
		fclose(tcsv);
	}
	fclose(csv);
	return rc == 0 ? 0 : 1;
}
