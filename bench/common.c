/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Benchmark client helpers (see common.h). The clients are ordinary normal-world
 * programs; everything here runs natively, never inside a TA.
 */
#include "common.h"

#include <tzm_util.h>

#include <arpa/inet.h>
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_PEERS 64

static volatile pid_t peers[MAX_PEERS];

static_assert(sizeof(((struct bench_endpoint *)0)->path) ==
		      sizeof(((struct sockaddr_un *)0)->sun_path),
	      "a UNIX endpoint path must fit sun_path exactly");

static const char *const ipc_names[] = {
	[BENCH_FIFO] = "fifo",
	[BENCH_UNIX] = "unix",
	[BENCH_TCP] = "tcp",
	[BENCH_UDP] = "udp",
};

int bench_parse_ipc(const char *s, enum bench_ipc *out)
{
	for (size_t i = 0; i < sizeof(ipc_names) / sizeof(ipc_names[0]); i++) {
		if (strcmp(s, ipc_names[i]) == 0) {
			*out = (enum bench_ipc)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *bench_ipc_name(enum bench_ipc ipc)
{
	return ipc_names[ipc];
}

uint64_t bench_now_ns(void)
{
	struct timespec ts = { 0, 0 };

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void bench_sleep_ms(unsigned ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
	}
}

static int free_port(int type, unsigned *port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	int rc = 0;

	if (fd < 0) {
		return -errno;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
		rc = -errno;
		goto out;
	}
	*port = ntohs(sa.sin_port);
out:
	close(fd);
	return rc;
}

static int join(char *out, size_t size, const char *a, const char *b, const char *c)
{
	int n = snprintf(out, size, "%s/%s%s", a, b, c);

	return (n < 0 || (size_t)n >= size) ? -ENAMETOOLONG : 0;
}

int bench_endpoint_init(struct bench_endpoint *ep, enum bench_ipc ipc, const char *workdir,
			const char *tag)
{
	char p[300];
	int rc = 0;

	memset(ep, 0, sizeof(*ep));
	ep->ipc = ipc;
	switch (ipc) {
	case BENCH_FIFO:
		if ((rc = join(ep->dir, sizeof(ep->dir), workdir, tag, "-fifo")) != 0) {
			return rc;
		}
		if (mkdir(ep->dir, 0700) != 0 && errno != EEXIST) {
			return -errno;
		}
		if ((rc = join(p, sizeof(p), ep->dir, "c2s", "")) != 0) {
			return rc;
		}
		if (mkfifo(p, 0600) != 0 && errno != EEXIST) {
			return -errno;
		}
		if ((rc = join(p, sizeof(p), ep->dir, "s2c", "")) != 0) {
			return rc;
		}
		if (mkfifo(p, 0600) != 0 && errno != EEXIST) {
			return -errno;
		}
		return 0;
	case BENCH_UNIX:
		if ((rc = join(ep->path, sizeof(ep->path), workdir, tag, ".sock")) != 0) {
			return rc;
		}
		unlink(ep->path);
		return 0;
	case BENCH_TCP:
		return free_port(SOCK_STREAM, &ep->port);
	case BENCH_UDP:
		return free_port(SOCK_DGRAM, &ep->port);
	}
	return -EINVAL;
}

static void register_peer(pid_t pid)
{
	for (int i = 0; i < MAX_PEERS; i++) {
		if (peers[i] == 0) {
			peers[i] = pid;
			return;
		}
	}
}

static void unregister_peer(pid_t pid)
{
	for (int i = 0; i < MAX_PEERS; i++) {
		if (peers[i] == pid) {
			peers[i] = 0;
		}
	}
}

pid_t bench_peer_start(const struct bench_path *p, const struct bench_endpoint *ep,
		       const char *const *extra)
{
	const char *argv[2 * BENCH_MAX_PREFIX + 16];
	char wrapper[512];
	char addr[300];
	int argc = 0;
	pid_t pid = -1;
	posix_spawn_file_actions_t fa;
	int rc = 0;

	if (p->argc < 1 || p->argc > BENCH_MAX_PREFIX) {
		return -EINVAL;
	}
	/* a cross build's peers are foreign ELF files, started through the emulator */
	argc = tzm_util_exec_wrapper(p->argv[0], wrapper, sizeof(wrapper), argv, BENCH_MAX_PREFIX);
	if (argc < 0) {
		fprintf(stderr, "bench: TZM_EXEC_WRAPPER is too long or has too many words\n");
		return argc;
	}
	for (int i = 0; i < p->argc; i++) {
		argv[argc++] = p->argv[i];
	}
	argv[argc++] = bench_ipc_name(ep->ipc);
	switch (ep->ipc) {
	case BENCH_FIFO:
		snprintf(addr, sizeof(addr), "%s", ep->dir);
		break;
	case BENCH_UNIX:
		snprintf(addr, sizeof(addr), "%s", ep->path);
		break;
	case BENCH_TCP:
	case BENCH_UDP:
		snprintf(addr, sizeof(addr), "%u", ep->port);
		break;
	}
	argv[argc++] = addr;
	for (int i = 0; extra && extra[i]; i++) {
		if (argc >= (int)(sizeof(argv) / sizeof(argv[0])) - 1) {
			return -E2BIG;
		}
		argv[argc++] = extra[i];
	}
	argv[argc] = NULL;

	if (posix_spawn_file_actions_init(&fa) != 0) {
		return -ENOMEM;
	}
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	/* spawnp: the wrapper may be a bare command name found in PATH */
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		fprintf(stderr, "bench: cannot start %s: %s\n", argv[0], strerror(rc));
		return -rc;
	}
	register_peer(pid);
	return pid;
}

int bench_peer_stop(pid_t pid, unsigned timeout_ms)
{
	int status = 0;
	unsigned waited = 0;

	if (pid <= 0) {
		return -EINVAL;
	}
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid) {
			break;
		}
		if (r < 0 && errno != EINTR) {
			unregister_peer(pid);
			return -errno;
		}
		if (waited == timeout_ms) {
			fprintf(stderr, "bench: peer %d did not exit, terminating it\n", (int)pid);
			kill(pid, SIGTERM);
		} else if (waited == timeout_ms + 5000) {
			kill(pid, SIGKILL);
		}
		bench_sleep_ms(10);
		waited += 10;
	}
	unregister_peer(pid);
	if (WIFEXITED(status)) {
		return WEXITSTATUS(status);
	}
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

void bench_kill_all_peers(void)
{
	for (int i = 0; i < MAX_PEERS; i++) {
		if (peers[i] > 0) {
			kill(peers[i], SIGTERM);
		}
	}
}

static void on_alarm(int sig)
{
	static const char msg[] = "bench: watchdog expired, a peer is wedged; giving up\n";

	(void)sig;
	bench_kill_all_peers();
	if (write(2, msg, sizeof(msg) - 1) < 0) {
		/* nothing more to do */
	}
	_exit(3);
}

void bench_watchdog(unsigned seconds)
{
	signal(SIGALRM, on_alarm);
	alarm(seconds);
}

static int remaining_ms(uint64_t deadline)
{
	uint64_t now = bench_now_ns();

	return now >= deadline ? 0 : (int)((deadline - now) / 1000000u);
}

/* Waits for one echoed byte on fd; 0, -ETIMEDOUT or -errno. */
static int await_byte(int fd, uint64_t deadline)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	char b = 0;
	ssize_t n = 0;

	for (;;) {
		int r = poll(&pfd, 1, remaining_ms(deadline));

		if (r < 0 && errno == EINTR) {
			continue;
		}
		if (r < 0) {
			return -errno;
		}
		if (r == 0) {
			return -ETIMEDOUT;
		}
		break;
	}
	n = read(fd, &b, 1);
	if (n == 1 && b == 'h') {
		return 0;
	}
	return n < 0 ? -errno : -EPROTO;
}

static int set_blocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
		return -errno;
	}
	return 0;
}

static int connect_fifo(struct bench_conn *c, const struct bench_endpoint *ep, uint64_t deadline)
{
	char p[300];

	snprintf(p, sizeof(p), "%s/c2s", ep->dir);
	/* A non-blocking write open fails with ENXIO until the peer opened its read end. */
	while ((c->wfd = open(p, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
		if (errno != ENXIO || remaining_ms(deadline) == 0) {
			return errno == ENXIO ? -ETIMEDOUT : -errno;
		}
		bench_sleep_ms(2);
	}
	snprintf(p, sizeof(p), "%s/s2c", ep->dir);
	c->rfd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (c->rfd < 0) {
		return -errno;
	}
	return set_blocking(c->wfd);
}

static socklen_t make_addr(const struct bench_endpoint *ep, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (ep->ipc == BENCH_UNIX) {
		struct sockaddr_un *un = (struct sockaddr_un *)ss;

		un->sun_family = AF_UNIX;
		memcpy(un->sun_path, ep->path, sizeof(ep->path));
		return (socklen_t)sizeof(*un);
	}
	struct sockaddr_in *in = (struct sockaddr_in *)ss;

	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)ep->port);
	in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return (socklen_t)sizeof(*in);
}

static int connect_stream(struct bench_conn *c, const struct bench_endpoint *ep, uint64_t deadline)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(ep, &ss);
	int domain = ep->ipc == BENCH_UNIX ? AF_UNIX : AF_INET;
	int one = 1;

	for (;;) {
		int fd = socket(domain, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0) {
			return -errno;
		}
		if (connect(fd, (struct sockaddr *)&ss, len) == 0) {
			if (domain == AF_INET) {
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
			}
			c->wfd = c->rfd = fd;
			return 0;
		}
		int err = errno;

		close(fd);
		if ((err != ENOENT && err != ECONNREFUSED) || remaining_ms(deadline) == 0) {
			return err == ENOENT || err == ECONNREFUSED ? -ETIMEDOUT : -err;
		}
		bench_sleep_ms(2);
	}
}

/* connect_udp's one-byte probe datagram */
#define UDP_PROBE 'h'

static int connect_udp(struct bench_conn *c, const struct bench_endpoint *ep, uint64_t deadline)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(ep, &ss);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int sz = 1 << 20;

	if (fd < 0) {
		return -errno;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (connect(fd, (struct sockaddr *)&ss, len) != 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	c->wfd = c->rfd = fd;
	/* Probe until the peer answers: datagrams sent before it bound are simply lost, and
	 * the echoes of those it got later are skipped by bench_roundtrip. */
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		char b = UDP_PROBE;

		if (send(fd, &b, 1, 0) < 0 && errno != ECONNREFUSED) {
			return -errno;
		}
		if (poll(&pfd, 1, 20) == 1) {
			ssize_t n = recv(fd, &b, 1, 0);

			if (n == 1 && b == UDP_PROBE) {
				return 0;
			}
			if (n < 0 && errno != ECONNREFUSED) {
				return -errno;
			}
		}
		if (remaining_ms(deadline) == 0) {
			return -ETIMEDOUT;
		}
	}
}

int bench_connect(struct bench_conn *c, const struct bench_endpoint *ep, bool echo)
{
	uint64_t deadline = bench_now_ns() + (uint64_t)BENCH_CONNECT_TIMEOUT_MS * 1000000u;
	int rc = 0;

	c->ipc = ep->ipc;
	c->wfd = c->rfd = -1;
	switch (ep->ipc) {
	case BENCH_FIFO:
		rc = connect_fifo(c, ep, deadline);
		break;
	case BENCH_UNIX:
	case BENCH_TCP:
		rc = connect_stream(c, ep, deadline);
		break;
	case BENCH_UDP:
		rc = echo ? connect_udp(c, ep, deadline) : -EINVAL;
		break;
	}
	if (rc == 0 && echo && ep->ipc != BENCH_UDP) {
		/* Stream handshake: one echoed byte proves both directions work. */
		rc = tzm_util_write_all(c->wfd, "h", 1, false);
		if (rc == 0) {
			rc = await_byte(c->rfd, deadline);
		}
		if (rc == 0 && ep->ipc == BENCH_FIFO) {
			rc = set_blocking(c->rfd);
		}
	}
	if (rc != 0) {
		bench_close(c);
	}
	return rc;
}

void bench_close(struct bench_conn *c)
{
	if (c->ipc == BENCH_UDP && c->wfd >= 0) {
		/* An empty datagram is the UDP peer's "client done". */
		if (send(c->wfd, "", 0, 0) < 0) {
			/* the peer is gone already */
		}
	}
	if (c->rfd >= 0 && c->rfd != c->wfd) {
		close(c->rfd);
	}
	if (c->wfd >= 0) {
		close(c->wfd);
	}
	c->wfd = c->rfd = -1;
}

int bench_roundtrip(const struct bench_conn *c, const uint8_t *buf, uint8_t *back, size_t len)
{
	int rc = 0;

	if (c->ipc == BENCH_UDP) {
		ssize_t n = send(c->wfd, buf, len, 0);

		if (n != (ssize_t)len) {
			return n < 0 ? -errno : -EMSGSIZE;
		}
		/* Skips the echoes of connect_udp's surplus probes: a slow peer answers
		 * probes sent while it was still starting after the client went on. */
		do {
			n = recv(c->rfd, back, len, 0);
		} while (n == 1 && back[0] == UDP_PROBE && !(len == 1 && buf[0] == UDP_PROBE));
		if (n != (ssize_t)len) {
			return n < 0 ? -errno : -EPROTO;
		}
		return 0;
	}
	if ((rc = tzm_util_write_all(c->wfd, buf, len, false)) != 0) {
		return rc;
	}
	return tzm_util_read_all(c->rfd, back, len);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a;
	uint64_t y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a;
	double y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array. */
static double rank_us(const uint64_t *ns, size_t n, unsigned pct)
{
	size_t k = (n * pct + 99) / 100;

	return (double)ns[k > 0 ? k - 1 : 0] / 1000.0;
}

void bench_stats_compute(uint64_t *ns, size_t n, struct bench_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (n == 0) {
		return;
	}
	qsort(ns, n, sizeof(ns[0]), cmp_u64);
	out->n = n;
	out->median_us = (n % 2) ? (double)ns[n / 2] / 1000.0
				 : ((double)ns[n / 2 - 1] + (double)ns[n / 2]) / 2000.0;
	out->p90_us = rank_us(ns, n, 90);
	out->p99_us = rank_us(ns, n, 99);
}

double bench_median(double *v, size_t n)
{
	if (n == 0) {
		return 0.0;
	}
	qsort(v, n, sizeof(v[0]), cmp_double);
	return (n % 2) ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

FILE *bench_csv_open(const char *path, const char *header)
{
	FILE *f = fopen(path, "a+");
	char line[512] = "";

	if (!f) {
		fprintf(stderr, "bench: cannot open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	rewind(f);
	if (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, header) != 0) {
			fprintf(stderr, "bench: %s has a different header; remove it first\n",
				path);
			fclose(f);
			return NULL;
		}
	}
	/* C requires a positioning call between reading and writing a stream */
	fseek(f, 0, SEEK_END);
	if (ftell(f) == 0) {
		fprintf(f, "%s\n", header);
	}
	return f;
}

/* Fields of /proc/<pid>/stat after the ")" that ends the command name. */
static int proc_stat_fields(pid_t pid, char *buf, size_t size, char **rest)
{
	char path[64];
	int fd = -1;
	ssize_t n = 0;
	char *p = NULL;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0) {
		return -EIO;
	}
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ') {
		return -EPROTO;
	}
	*rest = p + 2;
	return 0;
}

double bench_proc_cpu_s(pid_t pid)
{
	char buf[1024];
	char *rest = NULL;
	unsigned long long utime = 0, stime = 0;

	if (proc_stat_fields(pid, buf, sizeof(buf), &rest) != 0) {
		return -1.0;
	}
	/* rest starts at field 3 (state); utime and stime are fields 14 and 15. */
	if (sscanf(rest, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) !=
	    2) {
		return -1.0;
	}
	return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

int bench_proc_ctxsw(pid_t pid, uint64_t *vol, uint64_t *invol)
{
	char path[64];
	DIR *d = NULL;
	struct dirent *e = NULL;

	*vol = *invol = 0;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if (!(d = opendir(path))) {
		return -errno;
	}
	while ((e = readdir(d)) != NULL) {
		char spath[sizeof(path) + sizeof(e->d_name) + 8];
		char line[128];
		FILE *f = NULL;
		unsigned long long v = 0;

		if (e->d_name[0] == '.') {
			continue;
		}
		snprintf(spath, sizeof(spath), "%s/%s/status", path, e->d_name);
		if (!(f = fopen(spath, "re"))) {
			continue; /* the thread ended meanwhile */
		}
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "voluntary_ctxt_switches: %llu", &v) == 1) {
				*vol += v;
			} else if (sscanf(line, "nonvoluntary_ctxt_switches: %llu", &v) == 1) {
				*invol += v;
			}
		}
		fclose(f);
	}
	closedir(d);
	return 0;
}

pid_t bench_read_pidfile(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = 0;

	if (!f) {
		return -errno;
	}
	if (fscanf(f, "%ld", &v) != 1 || v <= 0) {
		fclose(f);
		return -EPROTO;
	}
	fclose(f);
	return (pid_t)v;
}

static pid_t parent_of(pid_t pid)
{
	char buf[1024];
	char *rest = NULL;
	int ppid = 0;

	if (proc_stat_fields(pid, buf, sizeof(buf), &rest) != 0 ||
	    sscanf(rest, "%*c %d", &ppid) != 1) {
		return -1;
	}
	return (pid_t)ppid;
}

int bench_descendants(pid_t ancestor, pid_t *pids, int n)
{
	DIR *d = opendir("/proc");
	struct dirent *e = NULL;
	int count = 0;

	if (!d) {
		return -errno;
	}
	while ((e = readdir(d)) != NULL) {
		char *end = NULL;
		long v = strtol(e->d_name, &end, 10);
		pid_t p = 0;

		if (*end != '\0' || v <= 0 || v == ancestor) {
			continue;
		}
		p = (pid_t)v;
		for (int depth = 0; depth < 4 && p > 1; depth++) {
			p = parent_of(p);
			if (p == ancestor) {
				if (count < n) {
					pids[count++] = (pid_t)v;
				}
				break;
			}
		}
	}
	closedir(d);
	return count;
}

unsigned long bench_parse_ulong(const char *opt, const char *s, unsigned long min,
				unsigned long max)
{
	char *end = NULL;
	unsigned long v = 0;

	errno = 0;
	v = strtoul(s ? s : "", &end, 10);
	if (!s || *s == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
		fprintf(stderr, "bench: %s wants a number in [%lu, %lu], got '%s'\n", opt, min, max,
			s ? s : "");
		exit(2);
	}
	return v;
}

int bench_parse_list(const char *opt, const char *list, unsigned long min, unsigned long max,
		     unsigned long *out, int max_items, int *n)
{
	char tmp[256];
	char *save = NULL;
	int count = 0;

	if (strlen(list) >= sizeof(tmp)) {
		return -EINVAL;
	}
	strcpy(tmp, list);
	for (char *t = strtok_r(tmp, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (count == max_items) {
			return -E2BIG;
		}
		out[count++] = bench_parse_ulong(opt, t, min, max);
	}
	if (count == 0) {
		return -EINVAL;
	}
	*n = count;
	return 0;
}

static const struct bench_opt *find_opt(const struct bench_opt *opts, size_t nopts,
					const char *name)
{
	for (size_t k = 0; k < nopts; k++) {
		if (strcmp(opts[k].name, name) == 0) {
			return &opts[k];
		}
	}
	return NULL;
}

static int set_opt(const struct bench_opt *o, const char *v)
{
	switch (o->kind) {
	case BENCH_OPT_TEXT:
		*(const char **)o->value = v;
		return 0;
	case BENCH_OPT_ULONG:
		*(unsigned long *)o->value = bench_parse_ulong(o->name, v, o->min, o->max);
		return 0;
	case BENCH_OPT_LIST:
		return bench_parse_list(o->name, v, o->min, o->max, o->value, o->max_items, o->n);
	}
	return -EINVAL;
}

int bench_parse_args(int argc, char **argv, int first, const struct bench_opt *opts, size_t nopts,
		     struct bench_cli *cli)
{
	const char *ipc = NULL, *native = NULL;
	struct bench_path *tzm = &cli->paths[1];

	memset(cli, 0, sizeof(*cli));
	tzm->name = "tzm";
	for (int i = first; i < argc; i += 2) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		const struct bench_opt *o = NULL;

		if (!v) {
			return -EINVAL;
		}
		if (strcmp(a, "--ipc") == 0) {
			ipc = v;
		} else if (strcmp(a, "--native") == 0) {
			native = v;
		} else if (strcmp(a, "--tzm") == 0) {
			if (tzm->argc == BENCH_MAX_PREFIX) {
				return -EINVAL;
			}
			tzm->argv[tzm->argc++] = v;
		} else if (strcmp(a, "--workdir") == 0) {
			cli->workdir = v;
		} else if (strcmp(a, "--csv") == 0) {
			cli->csv = v;
		} else if (!(o = find_opt(opts, nopts, a)) || set_opt(o, v) != 0) {
			return -EINVAL;
		}
	}
	if (!ipc || !native || !cli->workdir || !cli->csv || bench_parse_ipc(ipc, &cli->ipc) != 0) {
		return -EINVAL;
	}
	cli->paths[0].name = "native";
	cli->paths[0].argv[0] = native;
	cli->paths[0].argc = 1;
	cli->npaths = tzm->argc > 0 ? 2 : 1;
	return 0;
}
