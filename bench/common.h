/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared helpers of the normal-world benchmark clients (rtt_client.c, load_client.c):
 * starting and stopping echo peers (native or through tzm-run), connecting to them over
 * the four IPC kinds with a liveness handshake, timing, statistics, CSV output and
 * per-process CPU accounting from /proc (exact-length I/O: util/tzm_util.h). Not used by
 * the peer itself, which must stay plain POSIX so that it also builds as a TA.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

enum bench_ipc {
	BENCH_FIFO,
	BENCH_UNIX,
	BENCH_TCP,
	BENCH_UDP,
};

/* Largest UDP payload over IPv4; the 64 KiB size is skipped for UDP. */
#define BENCH_UDP_MAX 65507u
#define BENCH_MAX_MSG 65536u
#define BENCH_MAX_PREFIX 16
#define BENCH_CONNECT_TIMEOUT_MS 30000

/* How to start one kind of peer: argv prefix before the peer's own arguments. */
struct bench_path {
	const char *name; /* "native" or "tzm" */
	const char *argv[BENCH_MAX_PREFIX];
	int argc;
};

/* Where a peer listens. One per started peer. */
struct bench_endpoint {
	enum bench_ipc ipc;
	char dir[256];  /* FIFO directory (holds c2s and s2c) */
	char path[108]; /* UNIX socket path (fits sun_path) */
	unsigned port;  /* TCP/UDP port on 127.0.0.1 */
};

/* A connection from the client to a peer. */
struct bench_conn {
	enum bench_ipc ipc;
	int wfd; /* client -> peer */
	int rfd; /* peer -> client (same as wfd for sockets) */
};

struct bench_stats {
	double median_us;
	double p90_us;
	double p99_us;
	size_t n;
};

int bench_parse_ipc(const char *s, enum bench_ipc *out);
const char *bench_ipc_name(enum bench_ipc ipc);

uint64_t bench_now_ns(void);
void bench_sleep_ms(unsigned ms);

/*
 * Fills ep for a new peer: a fresh FIFO pair / socket path below workdir (tag keeps peers
 * apart) or a currently free loopback port. Returns 0 or -errno.
 */
int bench_endpoint_init(struct bench_endpoint *ep, enum bench_ipc ipc, const char *workdir,
			const char *tag);

/*
 * Starts a peer: path prefix + "<ipc> <address>" + extra (NULL-terminated, may be NULL).
 * stdin and stdout are /dev/null, stderr is inherited. Returns the pid or -errno.
 */
pid_t bench_peer_start(const struct bench_path *p, const struct bench_endpoint *ep,
		       const char *const *extra);
/* Waits up to timeout_ms for the peer to exit, then SIGTERM, then SIGKILL. Exit status. */
int bench_peer_stop(pid_t pid, unsigned timeout_ms);
/* Kills every peer still registered (used by the watchdog and error paths). */
void bench_kill_all_peers(void);
/*
 * Arms a watchdog: if the process is still running after seconds, it kills the peers and
 * exits with status 3 (a wedged peer must not hang the benchmark). 0 disarms.
 */
void bench_watchdog(unsigned seconds);

/*
 * Connects to a started peer and proves it is serving: for echo peers (echo = true) one
 * byte is echoed, with a timeout; for sink/source peers only the connection is made.
 * Retries until BENCH_CONNECT_TIMEOUT_MS. Returns 0 or -errno.
 */
int bench_connect(struct bench_conn *c, const struct bench_endpoint *ep, bool echo);
/* Closes the connection; for UDP first tells the peer that this client is done. */
void bench_close(struct bench_conn *c);

/* One round trip of len bytes; buf holds the message, back receives the echo. */
int bench_roundtrip(const struct bench_conn *c, const uint8_t *buf, uint8_t *back, size_t len);

/* Sorts ns[0..n) and computes median/p90/p99 in microseconds (nearest-rank). */
void bench_stats_compute(uint64_t *ns, size_t n, struct bench_stats *out);
/* Median of a small double array (sorted in place). */
double bench_median(double *v, size_t n);

/*
 * Opens a CSV file for appending; writes header when the file is empty, or checks that the
 * existing first line equals it. NULL with a message on error.
 */
FILE *bench_csv_open(const char *path, const char *header);

/* CPU time (utime + stime, all threads) of pid in seconds; -1 on error. */
double bench_proc_cpu_s(pid_t pid);
/*
 * Context switches of pid summed over its threads: voluntary (it blocked: a sleep and a
 * later wake-up) and involuntary (preempted). 0 or -errno.
 */
int bench_proc_ctxsw(pid_t pid, uint64_t *vol, uint64_t *invol);
/* Reads a pid from a pid file; -errno on error. */
pid_t bench_read_pidfile(const char *path);
/*
 * Lists the processes that descend from ancestor (up to depth 4) into pids (max n);
 * returns the count or -errno.
 */
int bench_descendants(pid_t ancestor, pid_t *pids, int n);

/* Parses a decimal unsigned option value within [min, max]; exits with a message if not. */
unsigned long bench_parse_ulong(const char *opt, const char *s, unsigned long min,
				unsigned long max);
/*
 * Parses a comma-separated list of such values into out[0..max_items); *n gets the count.
 * -EINVAL for an empty or too long list, -E2BIG for more than max_items entries; a value
 * out of range exits as bench_parse_ulong does.
 */
int bench_parse_list(const char *opt, const char *list, unsigned long min, unsigned long max,
		     unsigned long *out, int max_items, int *n);

/*
 * The clients' command lines: "--name VALUE" pairs. Every client takes --ipc, --native
 * PEER, --tzm ARG (repeatable: the prefix that runs the peer as a TA), --workdir and --csv
 * (struct bench_cli); its own options are a table of struct bench_opt.
 */
enum bench_opt_kind {
	BENCH_OPT_TEXT,  /* value: const char **, the argument as given */
	BENCH_OPT_ULONG, /* value: unsigned long *, in [min, max] */
	BENCH_OPT_LIST,  /* value: unsigned long[max_items], count in *n (bench_parse_list) */
};

struct bench_opt {
	const char *name;
	enum bench_opt_kind kind;
	void *value;
	unsigned long min, max;
	int *n;
	int max_items;
};

struct bench_cli {
	enum bench_ipc ipc;
	const char *workdir, *csv;
	struct bench_path paths[2]; /* [0] the native peer, [1] the TA path (npaths == 2) */
	int npaths;
};

/*
 * Parses argv[first..argc): the shared options into cli (all required but --tzm), the
 * client's own through opts[0..nopts). 0, or -EINVAL for an unknown option, a missing
 * value or option, or a bad list (the caller prints its usage); a number out of range
 * exits with a message. Values not given keep what the caller set.
 */
int bench_parse_args(int argc, char **argv, int first, const struct bench_opt *opts, size_t nopts,
		     struct bench_cli *cli);

#endif
