/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Round-trip latency and small-message call rate, CA<->CA versus CA<->TA, in one run.
 *
 * Starts one echo peer per path (the native build, and the TA build through tzm-run),
 * connects to both, and measures them interleaved: blocks of round trips alternate
 * between the paths (ABBA order), so drift in machine load hits both paths alike. Each
 * block starts with two unrecorded round trips, because a peer that sat idle while the
 * other path was measured has legitimately gone to sleep and the steady state is what is
 * being compared. Every round trip is timed with CLOCK_MONOTONIC around write+read and
 * the echo is verified (outside the timed region).
 *
 * The run is split into trials, each with freshly started peers: on a 2-core machine
 * where the scheduler puts each process decides a round trip's cost (same-core hand-off
 * versus a cross-core wake-up), so one placement must not decide the comparison. The
 * reported statistics pool all trials; --trials-csv records each trial's median.
 * In rate mode each trial counts round trips for --seconds per path; the median over the
 * trials is reported, with the tail of the single round trips pooled over the trials (p99,
 * max, and the share of the counted time spent in round trips of 1 ms or more): a rare
 * stall of milliseconds leaves the median latency untouched but costs the rate dearly,
 * and these columns say whether a low rate is such stalls or a slow steady state.
 *
 *   bench_rtt_client --ipc fifo|unix|tcp|udp --native PEER [--tzm ARG]... --workdir DIR
 *                    --csv FILE [--mode rtt|rate] [--sizes 64,1024,...] [--iters N]
 *                    [--warmup N] [--block N] [--seconds S] [--trials T]
 *                    [--trials-csv FILE]
 *
 * --tzm ARG... is the command prefix that runs the peer TA (e.g. tzm-run --policy F
 * <uuid> --); without it only the native path is measured.
 */
#include "common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SIZES 16
#define MAX_PATHS 2
#define BLOCK_WARMUP 2
#define MAX_TRIALS 64
#define TAIL_FINE_US 2000u               /* rate tail histogram: 1 us bins below this... */
#define TAIL_COARSE_US 100u              /* ...then bins of 100 us... */
#define TAIL_BINS (TAIL_FINE_US + 1000u) /* ...up to ~102 ms; the last bin takes the rest */
#define STALL_NS 1000000u                /* a round trip this long counts as a stall (rate mode) */

struct opts {
	struct bench_cli cli;
	bool rate;
	unsigned long sizes[MAX_SIZES];
	int nsizes;
	unsigned long iters, warmup, block, seconds, trials;
	const char *trials_csv;
};

struct peer {
	const struct bench_path *path;
	struct bench_endpoint ep;
	struct bench_conn conn;
	pid_t pid;
};

/* Round-trip samples of one size and path, pooled over the trials. */
struct series {
	uint64_t *ns;
	size_t n;
};

/*
 * Single round trips of the rate mode, pooled over the trials: a histogram (no allocation
 * or sorting in the counted loop), the longest, and the time spent in stalls.
 */
struct tail {
	uint64_t bins[TAIL_BINS];
	uint64_t n, max_ns, total_ns, stalled_ns;
};

static struct series series[MAX_SIZES][MAX_PATHS];
static double rates[MAX_SIZES][MAX_PATHS][MAX_TRIALS];
static struct tail tails[MAX_SIZES][MAX_PATHS];
static uint8_t msg[BENCH_MAX_MSG];
static uint8_t back[BENCH_MAX_MSG];

static int usage(void)
{
	fprintf(stderr, "usage: bench_rtt_client --ipc fifo|unix|tcp|udp --native PEER "
			"[--tzm ARG]... --workdir DIR --csv FILE [--mode rtt|rate] "
			"[--sizes LIST] [--iters N] [--warmup N] [--block N] [--seconds S] "
			"[--trials T] [--trials-csv FILE]\n");
	return 2;
}

static int parse(struct opts *o, int argc, char **argv)
{
	const char *mode = "rtt";
	const struct bench_opt opts[] = {
		{ "--mode", BENCH_OPT_TEXT, &mode, 0, 0, NULL, 0 },
		{ "--sizes", BENCH_OPT_LIST, o->sizes, 1, BENCH_MAX_MSG, &o->nsizes, MAX_SIZES },
		{ "--iters", BENCH_OPT_ULONG, &o->iters, 1, 10000000, NULL, 0 },
		{ "--warmup", BENCH_OPT_ULONG, &o->warmup, 0, 10000000, NULL, 0 },
		{ "--block", BENCH_OPT_ULONG, &o->block, 1, 10000000, NULL, 0 },
		{ "--seconds", BENCH_OPT_ULONG, &o->seconds, 1, 3600, NULL, 0 },
		{ "--trials", BENCH_OPT_ULONG, &o->trials, 1, MAX_TRIALS, NULL, 0 },
		{ "--trials-csv", BENCH_OPT_TEXT, &o->trials_csv, 0, 0, NULL, 0 },
	};
	static const unsigned long default_sizes[] = { 64, 1024, 4096, 16384, 65536 };

	memset(o, 0, sizeof(*o));
	o->iters = 10000;
	o->warmup = 500;
	o->block = 100;
	o->seconds = 1;
	o->trials = 3;
	memcpy(o->sizes, default_sizes, sizeof(default_sizes));
	o->nsizes = (int)(sizeof(default_sizes) / sizeof(default_sizes[0]));
	if (bench_parse_args(argc, argv, 1, opts, sizeof(opts) / sizeof(opts[0]), &o->cli) != 0 ||
	    (strcmp(mode, "rtt") != 0 && strcmp(mode, "rate") != 0)) {
		return usage();
	}
	o->rate = strcmp(mode, "rate") == 0;
	return 0;
}

static bool size_ok(const struct opts *o, size_t size)
{
	return o->cli.ipc != BENCH_UDP || size <= BENCH_UDP_MAX;
}

static int start_peers(const struct opts *o, struct peer *peers)
{
	for (int p = 0; p < o->cli.npaths; p++) {
		int rc = bench_endpoint_init(&peers[p].ep, o->cli.ipc, o->cli.workdir,
					     o->cli.paths[p].name);

		peers[p].path = &o->cli.paths[p];
		peers[p].conn.wfd = peers[p].conn.rfd = -1;
		if (rc != 0) {
			fprintf(stderr, "bench: endpoint: %s\n", strerror(-rc));
			return rc;
		}
		peers[p].pid = bench_peer_start(&o->cli.paths[p], &peers[p].ep, NULL);
		if (peers[p].pid < 0) {
			return (int)peers[p].pid;
		}
		rc = bench_connect(&peers[p].conn, &peers[p].ep, true);
		if (rc != 0) {
			fprintf(stderr, "bench: %s %s peer not reachable: %s\n",
				bench_ipc_name(o->cli.ipc), o->cli.paths[p].name, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

static int stop_peers(const struct opts *o, struct peer *peers)
{
	int rc = 0;

	for (int p = 0; p < o->cli.npaths; p++) {
		bench_close(&peers[p].conn);
	}
	for (int p = 0; p < o->cli.npaths; p++) {
		if (peers[p].pid > 0) {
			int st = bench_peer_stop(peers[p].pid, 10000);

			if (st != 0) {
				fprintf(stderr, "bench: %s peer exited with status %d\n",
					o->cli.paths[p].name, st);
				rc = -EIO;
			}
		}
	}
	return rc;
}

/*
 * One round trip of size bytes, its echo checked. With ns, its time (write + read, the
 * echo check outside); untimed round trips (warm-up, rate) read no clock.
 */
static int roundtrip(const struct peer *p, size_t size, uint64_t *ns)
{
	uint64_t t0 = ns ? bench_now_ns() : 0;
	int rc = bench_roundtrip(&p->conn, msg, back, size);

	if (ns) {
		*ns = bench_now_ns() - t0;
	}
	if (rc == 0 && memcmp(msg, back, size) != 0) {
		rc = -EILSEQ;
	}
	if (rc != 0) {
		fprintf(stderr, "bench: %s %s round trip of %zu bytes failed: %s\n",
			bench_ipc_name(p->ep.ipc), p->path->name, size, strerror(-rc));
	}
	return rc;
}

/*
 * One trial of one size: warm-up, then blocks alternating between the paths, appended to
 * the pooled series. Also records the trial's own median (placement of the processes on
 * the CPUs is decided afresh in every trial and shows up as trial-to-trial spread).
 */
static int trial_rtt(const struct opts *o, struct peer *peers, int si, unsigned trial, size_t iters,
		     FILE *tcsv)
{
	size_t size = o->sizes[si];
	size_t start[MAX_PATHS] = { 0, 0 };
	size_t nblocks = (iters + o->block - 1) / o->block;
	int rc = 0;

	for (int p = 0; p < o->cli.npaths; p++) {
		start[p] = series[si][p].n;
		for (size_t i = 0; i < o->warmup; i++) {
			if ((rc = roundtrip(&peers[p], size, NULL)) != 0) {
				return rc;
			}
		}
	}
	for (size_t b = 0; b < nblocks; b++) {
		bench_watchdog(60);
		for (int k = 0; k < o->cli.npaths; k++) {
			/* ABBA: the path measured first alternates from block to block and trial.
			 */
			int p = ((b + trial) % 2 == 0) ? k : o->cli.npaths - 1 - k;
			struct series *sr = &series[si][p];
			size_t left = start[p] + iters - sr->n;
			size_t n = left < o->block ? left : o->block;

			for (int w = 0; w < BLOCK_WARMUP; w++) {
				if ((rc = roundtrip(&peers[p], size, NULL)) != 0) {
					return rc;
				}
			}
			for (size_t i = 0; i < n; i++) {
				if ((rc = roundtrip(&peers[p], size, &sr->ns[sr->n])) != 0) {
					return rc;
				}
				sr->n++;
			}
		}
	}
	bench_watchdog(0);
	for (int p = 0; tcsv && p < o->cli.npaths; p++) {
		struct bench_stats st;

		bench_stats_compute(series[si][p].ns + start[p], series[si][p].n - start[p], &st);
		fprintf(tcsv, "%s,%zu,%s,%u,%.2f,%zu\n", bench_ipc_name(o->cli.ipc), size,
			o->cli.paths[p].name, trial + 1, st.median_us, st.n);
	}
	return 0;
}

static void report_rtt(const struct opts *o, int si, FILE *csv)
{
	struct bench_stats st[MAX_PATHS];
	size_t size = o->sizes[si];

	memset(st, 0, sizeof(st));
	for (int p = 0; p < o->cli.npaths; p++) {
		bench_stats_compute(series[si][p].ns, series[si][p].n, &st[p]);
		fprintf(csv, "%s,%zu,%s,%.2f,%.2f,%.2f,%zu\n", bench_ipc_name(o->cli.ipc), size,
			o->cli.paths[p].name, st[p].median_us, st[p].p90_us, st[p].p99_us, st[p].n);
	}
	fflush(csv);
	printf("%-5s %6zu B  native %8.1f %8.1f %8.1f us", bench_ipc_name(o->cli.ipc), size,
	       st[0].median_us, st[0].p90_us, st[0].p99_us);
	if (o->cli.npaths > 1) {
		printf("   tzm %8.1f %8.1f %8.1f us   ratio %.3f", st[1].median_us, st[1].p90_us,
		       st[1].p99_us, st[0].median_us > 0 ? st[1].median_us / st[0].median_us : 0.0);
	}
	printf("\n");
	fflush(stdout);
}

/* Adds one round trip of ns to the tail: the counted loop reads the clock anyway. */
static void tail_add(struct tail *t, uint64_t ns)
{
	uint64_t us = ns / 1000u;
	uint64_t bin = us < TAIL_FINE_US ? us : TAIL_FINE_US + (us - TAIL_FINE_US) / TAIL_COARSE_US;

	t->bins[bin < TAIL_BINS ? bin : TAIL_BINS - 1]++;
	t->n++;
	t->total_ns += ns;
	if (ns >= STALL_NS) {
		t->stalled_ns += ns;
	}
	if (ns > t->max_ns) {
		t->max_ns = ns;
	}
}

/* Nearest-rank percentile of the tail in us (a bin's middle; the max in the last bin). */
static double tail_pct_us(const struct tail *t, unsigned pct)
{
	uint64_t k = (t->n * pct + 99) / 100, seen = 0;

	for (uint64_t b = 0; b < TAIL_BINS && k > 0; b++) {
		seen += t->bins[b];
		if (seen >= k) {
			if (b == TAIL_BINS - 1) {
				return (double)t->max_ns / 1000.0;
			}
			return b < TAIL_FINE_US ? (double)b + 0.5
						: (double)(TAIL_FINE_US +
							   (b - TAIL_FINE_US) * TAIL_COARSE_US) +
							  TAIL_COARSE_US / 2.0;
		}
	}
	return 0.0;
}

/*
 * Round trips completed in o->seconds against one peer; each one's time (between the two
 * clock reads around it, which the loop needs for its end anyway) goes to tail.
 */
static int count_rate(const struct opts *o, const struct peer *p, size_t size, double *rate,
		      struct tail *tail)
{
	uint64_t t0 = 0, end = 0, now = 0, prev = 0, n = 0;
	int rc = 0;

	for (int w = 0; w < BLOCK_WARMUP; w++) {
		if ((rc = roundtrip(p, size, NULL)) != 0) {
			return rc;
		}
	}
	t0 = now = bench_now_ns();
	end = t0 + (uint64_t)o->seconds * 1000000000u;
	while (now < end) {
		if ((rc = bench_roundtrip(&p->conn, msg, back, size)) != 0) {
			return roundtrip(p, size, NULL); /* reports the failure */
		}
		n++;
		prev = now;
		now = bench_now_ns();
		tail_add(tail, now - prev);
	}
	*rate = (double)n / ((double)(now - t0) / 1e9);
	return 0;
}

static int trial_rate(const struct opts *o, struct peer *peers, int si, unsigned trial)
{
	bench_watchdog((unsigned)(o->seconds * 4 + 60));
	for (int j = 0; j < o->cli.npaths; j++) {
		int p = (trial % 2 == 0) ? j : o->cli.npaths - 1 - j;
		int rc =
			count_rate(o, &peers[p], o->sizes[si], &rates[si][p][trial], &tails[si][p]);

		if (rc != 0) {
			return rc;
		}
	}
	bench_watchdog(0);
	return 0;
}

/* Share of the counted time spent in round trips of STALL_NS or more, in percent. */
static double tail_stalled_pct(const struct tail *t)
{
	return t->total_ns ? 100.0 * (double)t->stalled_ns / (double)t->total_ns : 0.0;
}

static void report_rate(const struct opts *o, int si, FILE *csv)
{
	double med[MAX_PATHS] = { 0, 0 };
	size_t size = o->sizes[si];

	for (int p = 0; p < o->cli.npaths; p++) {
		const struct tail *t = &tails[si][p];

		med[p] = bench_median(rates[si][p], o->trials);
		fprintf(csv, "%s,%zu,%s,%.0f,%lu,%lu,%.1f,%.1f,%.1f\n", bench_ipc_name(o->cli.ipc),
			size, o->cli.paths[p].name, med[p], o->trials, o->seconds,
			tail_pct_us(t, 99), (double)t->max_ns / 1000.0, tail_stalled_pct(t));
	}
	fflush(csv);
	printf("%-5s %6zu B", bench_ipc_name(o->cli.ipc), size);
	for (int p = 0; p < o->cli.npaths; p++) {
		const struct tail *t = &tails[si][p];

		printf("  %s %8.0f rt/s (p99 %.0f us, max %.0f us, %.1f%% of the time in >= 1 ms)",
		       o->cli.paths[p].name, med[p], tail_pct_us(t, 99), (double)t->max_ns / 1000.0,
		       tail_stalled_pct(t));
	}
	if (o->cli.npaths > 1) {
		printf("  ratio %.3f", med[0] > 0 ? med[1] / med[0] : 0.0);
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	struct opts o;
	struct peer peers[MAX_PATHS];
	FILE *csv = NULL, *tcsv = NULL;
	size_t per_trial = 0;
	int rc = 0;

	if (parse(&o, argc, argv) != 0) {
		return 2;
	}
	csv = bench_csv_open(
		o.cli.csv, o.rate ? "ipc,bytes,path,roundtrips_per_s,trials,seconds,p99_us,max_us,"
				    "stalled_pct"
				  : "ipc,bytes,path,median_us,p90_us,p99_us,iterations");
	if (!csv) {
		return 1;
	}
	if (!o.rate && o.trials_csv &&
	    !(tcsv = bench_csv_open(o.trials_csv, "ipc,bytes,path,trial,median_us,iterations"))) {
		fclose(csv);
		return 1;
	}
	for (size_t i = 0; i < sizeof(msg); i++) {
		msg[i] = (uint8_t)(i * 131u + 7u);
	}
	for (int si = 0; !o.rate && si < o.nsizes; si++) {
		for (int p = 0; p < o.cli.npaths; p++) {
			if (!(series[si][p].ns = calloc(o.iters, sizeof(uint64_t)))) {
				fprintf(stderr, "bench: out of memory\n");
				return 1;
			}
		}
	}
	per_trial = (o.iters + o.trials - 1) / o.trials;
	for (unsigned t = 0; rc == 0 && t < o.trials; t++) {
		/* Fresh peers every trial: the scheduler places them anew. */
		memset(peers, 0, sizeof(peers));
		for (int p = 0; p < MAX_PATHS; p++) {
			peers[p].conn.wfd = peers[p].conn.rfd = -1;
		}
		bench_watchdog(BENCH_CONNECT_TIMEOUT_MS / 1000 + 30);
		rc = start_peers(&o, peers);
		for (int si = 0; rc == 0 && si < o.nsizes; si++) {
			size_t done = (size_t)t * per_trial;
			size_t n = o.iters > done ? o.iters - done : 0;

			if (!size_ok(&o, o.sizes[si])) {
				continue;
			}
			n = n < per_trial ? n : per_trial;
			rc = o.rate ? trial_rate(&o, peers, si, t)
				    : trial_rtt(&o, peers, si, t, n, tcsv);
		}
		bench_watchdog(60);
		if (stop_peers(&o, peers) != 0 && rc == 0) {
			rc = -EIO;
		}
		bench_watchdog(0);
	}
	for (int si = 0; rc == 0 && si < o.nsizes; si++) {
		if (!size_ok(&o, o.sizes[si])) {
			printf("%-5s %6lu B  skipped (larger than a UDP datagram)\n",
			       bench_ipc_name(o.cli.ipc), o.sizes[si]);
		} else if (o.rate) {
			report_rate(&o, si, csv);
		} else {
			report_rtt(&o, si, csv);
		}
	}
	if (rc != 0) {
		bench_kill_all_peers();
	}
	for (int si = 0; si < MAX_SIZES; si++) {
		for (int p = 0; p < MAX_PATHS; p++) {
			free(series[si][p].ns);
		}
	}
	if (tcsv) {
		fclose(tcsv);
	}
	fclose(csv);
	return rc == 0 ? 0 : 1;
}
