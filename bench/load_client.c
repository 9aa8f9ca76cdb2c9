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
 *
 *   bench_load_client tput|conc|cpu --ipc unix|tcp --native PEER [--tzm ARG]...
 *       --workdir DIR --csv FILE [--mbytes M] [--rounds R] [--servers S] [--clients C]
 *       [--size B] [--seconds T] [--iters N] [--idle-seconds T] [--teed-pidfile F]
 *       [--skip-native 1]   (cpu: measure the TA path only, for profiling)
 */
#include "common.h"

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

enum test {
	T_TPUT,
	T_CONC,
	T_CPU
};

struct opts {
	enum test test;
	enum bench_ipc ipc;
	unsigned long mbytes, rounds, servers, clients, size, seconds, iters, idle_seconds;
	const char *workdir, *csv, *teed_pidfile;
	bool skip_native;
	struct bench_path paths[MAX_PATHS];
	int npaths;
};

static uint8_t chunk[UNIT_MAX];
static size_t unit = CHUNK; /* tput: bytes per read/write, both sides (--unit) */
static char unit_arg[24] = "65536";

static int usage(void)
{
	fprintf(stderr, "usage: bench_load_client tput|conc|cpu --ipc unix|tcp --native PEER "
			"[--tzm ARG]... --workdir DIR --csv FILE [--mbytes M] [--rounds R] "
			"[--servers S] [--clients C] [--size B] [--seconds T] [--iters N] "
			"[--idle-seconds T] [--teed-pidfile F] [--skip-native 1] [--unit B]\n");
	return 2;
}

static int parse(struct opts *o, int argc, char **argv)
{
	const char *ipc = NULL, *native = NULL;
	struct bench_path *tzm = &o->paths[1];

	memset(o, 0, sizeof(*o));
	o->mbytes = 256;
	o->rounds = 3;
	o->servers = 4;
	o->clients = 4;
	o->size = 64;
	o->seconds = 2;
	o->iters = 10000;
	o->idle_seconds = 10;
	tzm->name = "tzm";
	if (argc < 2) {
		return usage();
	}
	if (strcmp(argv[1], "tput") == 0) {
		o->test = T_TPUT;
	} else if (strcmp(argv[1], "conc") == 0) {
		o->test = T_CONC;
	} else if (strcmp(argv[1], "cpu") == 0) {
		o->test = T_CPU;
	} else {
		return usage();
	}
	for (int i = 2; i < argc; i += 2) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v) {
			return usage();
		}
		if (strcmp(a, "--ipc") == 0) {
			ipc = v;
		} else if (strcmp(a, "--native") == 0) {
			native = v;
		} else if (strcmp(a, "--tzm") == 0) {
			if (tzm->argc == BENCH_MAX_PREFIX) {
				return usage();
			}
			tzm->argv[tzm->argc++] = v;
		} else if (strcmp(a, "--workdir") == 0) {
			o->workdir = v;
		} else if (strcmp(a, "--csv") == 0) {
			o->csv = v;
		} else if (strcmp(a, "--skip-native") == 0) {
			o->skip_native = strcmp(v, "1") == 0; /* profiling the TA path alone */
		} else if (strcmp(a, "--teed-pidfile") == 0) {
			o->teed_pidfile = v;
		} else if (strcmp(a, "--mbytes") == 0) {
			o->mbytes = bench_parse_ulong(a, v, 1, 65536);
		} else if (strcmp(a, "--rounds") == 0) {
			o->rounds = bench_parse_ulong(a, v, 1, MAX_ROUNDS);
		} else if (strcmp(a, "--servers") == 0) {
			o->servers = bench_parse_ulong(a, v, 1, MAX_SERVERS);
		} else if (strcmp(a, "--clients") == 0) {
			o->clients = bench_parse_ulong(a, v, 1, MAX_CLIENTS);
		} else if (strcmp(a, "--unit") == 0) {
			unit = bench_parse_ulong(a, v, 8, UNIT_MAX);
			snprintf(unit_arg, sizeof(unit_arg), "%zu", unit);
		} else if (strcmp(a, "--size") == 0) {
			o->size = bench_parse_ulong(a, v, 1, CHUNK);
		} else if (strcmp(a, "--seconds") == 0) {
			o->seconds = bench_parse_ulong(a, v, 1, 3600);
		} else if (strcmp(a, "--iters") == 0) {
			o->iters = bench_parse_ulong(a, v, 1, 100000000);
		} else if (strcmp(a, "--idle-seconds") == 0) {
			o->idle_seconds = bench_parse_ulong(a, v, 0, 3600); /* 0: skip */
		} else {
			return usage();
		}
	}
	if (!ipc || !native || !o->workdir || !o->csv || bench_parse_ipc(ipc, &o->ipc) != 0 ||
	    (o->ipc != BENCH_UNIX && o->ipc != BENCH_TCP)) {
		return usage();
	}
	o->paths[0].name = "native";
	o->paths[0].argv[0] = native;
	o->paths[0].argc = 1;
	o->npaths = tzm->argc > 0 ? 2 : 1;
	return 0;
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

		rc = bench_write_all(c.wfd, chunk, n);
		left -= n;
	}
	if (rc == 0 && shutdown(c.wfd, SHUT_WR) != 0) {
		rc = -errno;
	}
	if (rc == 0) {
		rc = bench_read_all(c.rfd, &got, sizeof(got));
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
	rc = bench_write_all(c.wfd, &total, sizeof(total));
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
	char conns[16];
	int rc = 0;

	snprintf(conns, sizeof(conns), "%lu", o->rounds + 1);
	for (int p = 0; p < o->npaths && rc == 0; p++) {
		for (int d = 0; d < 2 && rc == 0; d++) {
			const char *extra[] = { "--role",  d == 0 ? "sink" : "source",
						"--conns", conns,
						"--unit",  unit_arg,
						NULL };
			char tag[32];

			snprintf(tag, sizeof(tag), "%s-%s", o->paths[p].name, extra[1]);
			rc = bench_endpoint_init(&ep[p][d], o->ipc, o->workdir, tag);
			if (rc == 0) {
				pid[p][d] = bench_peer_start(&o->paths[p], &ep[p][d], extra);
				rc = pid[p][d] < 0 ? (int)pid[p][d] : 0;
			}
		}
	}
	/* round 0 is the warm-up */
	for (unsigned long k = 0; k <= o->rounds && rc == 0; k++) {
		bench_watchdog(BENCH_CONNECT_TIMEOUT_MS / 1000 + 120);
		for (int d = 0; d < 2 && rc == 0; d++) {
			for (int j = 0; j < o->npaths && rc == 0; j++) {
				int p = (k % 2 == 0) ? j : o->npaths - 1 - j;
				double v = 0;

				rc = d == 0 ? push(&ep[p][d], total, &v)
					    : pull(&ep[p][d], total, &v);
				if (rc != 0) {
					fprintf(stderr, "bench: tput %s %s %s: %s\n",
						bench_ipc_name(o->ipc), dirs[d], o->paths[p].name,
						strerror(-rc));
				} else if (k > 0) {
					r[d][p][k - 1] = v;
				}
			}
		}
	}
	bench_watchdog(60);
	for (int p = 0; p < o->npaths; p++) {
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
		for (int p = 0; p < o->npaths; p++) {
			med[d][p] = bench_median(r[d][p], o->rounds);
			fprintf(csv, "%s,%s,%s,%.1f,%llu,%lu\n", bench_ipc_name(o->ipc), dirs[d],
				o->paths[p].name, med[d][p], (unsigned long long)total, o->rounds);
		}
		printf("%-5s %-8s native %9.1f MB/s", bench_ipc_name(o->ipc), dirs[d], med[d][0]);
		if (o->npaths > 1) {
			printf("   tzm %9.1f MB/s   ratio %.3f", med[d][1],
			       med[d][0] > 0 ? med[d][1] / med[d][0] : 0.0);
		}
		printf("\n");
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
	for (int p = 0; p < o->npaths && rc == 0; p++) {
		for (int s = 0; s < nserv && rc == 0; s++) {
			const char *extra[] = { "--multi", "--conns", conns, NULL };
			struct bench_endpoint ep;
			char tag[32];

			snprintf(tag, sizeof(tag), "%s-srv%d", o->paths[p].name, s);
			rc = bench_endpoint_init(&ep, o->ipc, o->workdir, tag);
			if (rc == 0) {
				pid[p][s] = bench_peer_start(&o->paths[p], &ep, extra);
				rc = pid[p][s] < 0 ? (int)pid[p][s] : 0;
			}
			for (int c = 0; c < ncli && rc == 0; c++) {
				rc = bench_connect(&ws[p][s * ncli + c].conn, &ep, true);
			}
			if (rc != 0) {
				fprintf(stderr, "bench: conc %s server %d: %s\n", o->paths[p].name,
					s, strerror(-rc));
			}
		}
	}
	/* round 0 is the warm-up */
	for (unsigned long k = 0; k <= o->rounds && rc == 0; k++) {
		bench_watchdog((unsigned)o->seconds * 4 + 60);
		for (int j = 0; j < o->npaths && rc == 0; j++) {
			int p = (k % 2 == 0) ? j : o->npaths - 1 - j;
			double v = 0;

			rc = conc_round(ws[p], n, k == 0 ? 1 : o->seconds, &v);
			if (rc != 0) {
				fprintf(stderr, "bench: conc %s: %s\n", o->paths[p].name,
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
	for (int p = 0; p < o->npaths; p++) {
		med[p] = bench_median(r[p], o->rounds);
		fprintf(csv, "%s,%d,%d,%lu,%s,%.0f,%lu,%lu\n", bench_ipc_name(o->ipc), nserv, ncli,
			o->size, o->paths[p].name, med[p], o->rounds, o->seconds);
	}
	printf("%-5s %dx%d %5lu B native %9.0f rt/s", bench_ipc_name(o->ipc), nserv, ncli, o->size,
	       med[0]);
	if (o->npaths > 1) {
		printf("   tzm %9.0f rt/s   ratio %.3f", med[1],
		       med[0] > 0 ? med[1] / med[0] : 0.0);
	}
	printf("\n");
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
		bench_ipc_name(o->ipc), test[0] == 'r' ? o->size : 0ul, path, proc, cpu, rts, wall,
		wall > 0 ? cpu / wall * 100.0 : 0.0, per10k, cs[0], cs[1]);
}

static void cpu_rows(FILE *csv, const struct opts *o, const char *test, int p,
		     const struct cpu_snap *a, const struct cpu_snap *b, unsigned long rts,
		     double wall, double *total)
{
	const char *path = o->paths[p].name;
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
	int rc = bench_endpoint_init(ep, o->ipc, o->workdir, tag);

	memset(pr, 0, sizeof(*pr));
	if (rc != 0) {
		return rc;
	}
	pr->peer = bench_peer_start(&o->paths[p], ep, NULL);
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

	for (int p = o->skip_native ? 1 : 0; p < o->npaths && rc == 0; p++) {
		struct bench_endpoint ep;
		struct procs pr;
		struct cpu_snap a, b;
		struct bench_conn c = { o->ipc, -1, -1 };
		uint64_t t0 = 0;
		double wall = 0, total = 0;
		char tag[32];

		/* 1. idle: the peer sits in accept() */
		snprintf(tag, sizeof(tag), "%s-cpu", o->paths[p].name);
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
			       wall, o->paths[p].name, total, total / wall * 100.0,
			       total / wall < 0.01 ? "" : "  (above the 1% target)");
		}

		/* 2. per 10,000 round trips on the same peer */
		if ((rc = bench_connect(&c, &ep, true)) != 0) {
			fprintf(stderr, "bench: cpu: %s peer: %s\n", o->paths[p].name,
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
		       o->iters, o->size, o->paths[p].name, total * 10000.0 / (double)o->iters,
		       wall);
		if (bench_peer_stop(pr.peer, 10000) != 0) {
			rc = -EIO;
		}
	}
	bench_watchdog(0);
	return rc;
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
	};
	struct opts o;
	FILE *csv = NULL;
	int rc = 0;

	if (parse(&o, argc, argv) != 0) {
		return 2;
	}
	if (!(csv = bench_csv_open(o.csv, headers[o.test]))) {
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
	}
	fflush(stdout);
	if (rc != 0) {
		bench_kill_all_peers();
	}
	fclose(csv);
	return rc == 0 ? 0 : 1;
}
