/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helpers shared by the fault and load tests: a seeded PRNG, starting the real binaries
 * (through $TZM_EXEC_WRAPPER in cross builds), reaping, process and fd inspection through
 * /proc, and the stream client whose every echoed byte is checked.
 */
#ifndef FAULT_UTIL_H
#define FAULT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- PRNG (splitmix64 seeding an xorshift64*): reproducible from a printed seed ---- */
struct fu_rng {
	uint64_t s;
};
void fu_rng_seed(struct fu_rng *r, uint64_t seed);
uint64_t fu_rng_next(struct fu_rng *r);
uint32_t fu_rng_below(struct fu_rng *r, uint32_t n); /* 0..n-1, n > 0 */
/* A size in 1..max, log-uniform: as many small messages as large ones. */
size_t fu_rng_size(struct fu_rng *r, size_t max);
/* The seed: $name if set (decimal or 0x hex), else one from the clock; printed. */
uint64_t fu_seed_from_env(const char *name);

/* ---- time and environment ---- */
uint64_t fu_now_ms(void);
void fu_sleep_ms(unsigned ms);
/* Slow-down factor for liveness bounds: 10 under qemu-user/valgrind (recognised by
 * TZM_INSECURE_NO_SANDBOX=1, which both set), else 1; TZM_FAULT_SLOW overrides. */
unsigned fu_slow(void);
long fu_env_long(const char *name, long dflt);

/* ---- processes ---- */
/* Starts argv (prefixed by the words of $TZM_EXEC_WRAPPER when argv[0] is an ELF file);
 * stdout to a pipe whose read end is *out (when out is not NULL), stderr to err_path
 * (or inherited when NULL). Returns the pid or -1. */
pid_t fu_spawn(char *const argv[], int *out, const char *err_path);
/* Reads lines from fd until one starts with prefix; copies it (without the newline).
 * 0, or -1 on EOF / timeout. */
int fu_read_line(int fd, const char *prefix, char *line, size_t cap, unsigned timeout_ms);
/* We adopt orphans (PR_SET_CHILD_SUBREAPER), so every process of the test ends as our
 * child or the test's: fu_reap() collects every exited child and keeps the statuses. */
void fu_subreaper(void);
void fu_reap(void);
/* Waits (bounded) for pid, our child, to end: 0 with *status, or -1 on timeout. */
int fu_wait(pid_t pid, unsigned timeout_ms, int *status);
/* Describes a wait status ("exit 134", "signal 9"). */
const char *fu_status_text(int status, char *buf, size_t cap);

/* A process identified by pid and start time, so that a re-used pid is not mistaken. */
struct fu_proc {
	pid_t pid;
	unsigned long long start;
};
/* Reads /proc/pid/stat: 0 and ppid/start/state, or -1 if the process is gone. */
int fu_proc_stat(pid_t pid, pid_t *ppid, unsigned long long *start, char *state);
/* True while p exists and has not ended (a zombie has ended). */
bool fu_alive(const struct fu_proc *p);
/* The children of parent (any state but zombie), up to cap; returns the count. */
int fu_children(pid_t parent, struct fu_proc *out, int cap);
/* Waits (bounded) until p has ended. 0, or -1 on timeout. */
int fu_wait_gone(const struct fu_proc *p, unsigned timeout_ms);

/* Open fds of pid (/proc/pid/fd), and how many of them are memfds; -1 if unreadable. */
int fu_fd_count(pid_t pid, int *memfds);
/* Prints pid's fd table to stderr, for a failure report. */
void fu_fd_dump(pid_t pid, const char *who);

/* ---- the stream client (the CA) ---- */
enum fu_ca_result {
	FU_CA_OK = 0,        /* all messages echoed intact */
	FU_CA_EOF = 10,      /* the server side closed */
	FU_CA_RESET = 11,    /* ECONNRESET */
	FU_CA_PIPE = 12,     /* EPIPE on send */
	FU_CA_MISMATCH = 20, /* a byte came back wrong: never acceptable */
	FU_CA_TIMEOUT = 21,  /* no progress within the bound: a hang */
	FU_CA_ERROR = 22,    /* any other errno */
	FU_CA_CONNECT = 23,  /* could not connect */
};
const char *fu_ca_result_text(int r);
/* Connects to "tcp HOST:PORT" / "unix PATH|@NAME" (the server's ready line without
 * "ready "). Returns the fd or -1. */
int fu_connect(const char *endpoint);
/* Streams messages of random sizes (1..max_msg) from rng-derived data and checks every
 * echoed byte. messages == 0: until the connection fails. After the first intact echo,
 * writes one byte to progress_fd (if >= 0). Every wait is bounded by stall_ms. */
enum fu_ca_result fu_ca_stream(const char *endpoint, uint64_t seed, size_t max_msg,
			       unsigned long messages, int progress_fd, unsigned stall_ms);

/* Reads the pid of the running tzm-teed from $TZM_RUNTIME_DIR/tzm-teed.pid; 0 if none. */
pid_t fu_teed_pid(void);

#endif
