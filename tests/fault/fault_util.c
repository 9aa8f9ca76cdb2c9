/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helpers shared by the fault and load tests (see fault_util.h).
 */
#include "fault_util.h"

#include <tzm_util.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- PRNG ---- */

void fu_rng_seed(struct fu_rng *r, uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	r->s = z ? z : 0x2545f4914f6cdd1dull; /* xorshift must not start at 0 */
}

uint64_t fu_rng_next(struct fu_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

uint32_t fu_rng_below(struct fu_rng *r, uint32_t n)
{
	return (uint32_t)((fu_rng_next(r) >> 32) % n);
}

size_t fu_rng_size(struct fu_rng *r, size_t max)
{
	unsigned bits = 0;
	size_t top = 0;

	while (bits < 63 && ((size_t)1 << (bits + 1)) <= max) {
		bits++;
	}
	/* pick a power-of-two range, then a size within it */
	top = (size_t)1 << fu_rng_below(r, bits + 1);
	top = top * 2 - 1 < max ? top * 2 - 1 : max;
	return 1 + (size_t)(fu_rng_next(r) % top);
}

uint64_t fu_seed_from_env(const char *name)
{
	const char *v = getenv(name);
	struct timespec ts;
	uint64_t seed = 0;

	if (v && *v) {
		seed = strtoull(v, NULL, 0);
		printf("seed %llu (from %s)\n", (unsigned long long)seed, name);
	} else {
		clock_gettime(CLOCK_REALTIME, &ts);
		seed = ((uint64_t)ts.tv_sec * 1000003u) ^ (uint64_t)ts.tv_nsec ^
		       ((uint64_t)getpid() << 20);
		printf("seed %llu (reproduce with %s=%llu)\n", (unsigned long long)seed, name,
		       (unsigned long long)seed);
	}
	fflush(stdout);
	return seed;
}

/* ---- time and environment ---- */

uint64_t fu_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void fu_sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000u, (long)(ms % 1000u) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
	}
}

long fu_env_long(const char *name, long dflt)
{
	const char *v = getenv(name);
	char *end = NULL;
	long n = 0;

	if (!v || !*v) {
		return dflt;
	}
	n = strtol(v, &end, 0);
	if (*end != '\0' || n < 0) {
		fprintf(stderr, "%s=%s: not a number; using %ld\n", name, v, dflt);
		return dflt;
	}
	return n;
}

unsigned fu_slow(void)
{
	const char *insecure = getenv("TZM_INSECURE_NO_SANDBOX");
	long slow = fu_env_long("TZM_FAULT_SLOW", 0);

	if (slow > 0) {
		return (unsigned)slow;
	}
	return insecure && strcmp(insecure, "1") == 0 ? 10u : 1u;
}

/* ---- processes ---- */

pid_t fu_spawn(char *const argv[], int *out, const char *err_path)
{
	const char *words[64];
	char wrapper[512];
	int n = 0;
	int pfd[2] = { -1, -1 };
	pid_t pid = -1;

	/* a cross build's programs are foreign ELF files, started through the emulator */
	n = tzm_util_exec_wrapper(argv[0], wrapper, sizeof(wrapper), words, 32);
	if (n < 0) {
		fprintf(stderr, "fu_spawn: TZM_EXEC_WRAPPER is too long or has too many words\n");
		return -1;
	}
	for (int i = 0; argv[i]; i++) {
		if (n == 63) {
			fprintf(stderr, "fu_spawn: too many arguments for %s\n", argv[0]);
			return -1;
		}
		words[n++] = argv[i];
	}
	words[n] = NULL;
	if (out && pipe2(pfd, O_CLOEXEC) != 0) {
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		sigset_t none;
		int devnull = open("/dev/null", O_RDONLY);

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		if (devnull >= 0) {
			dup2(devnull, 0);
		}
		if (out) {
			dup2(pfd[1], 1);
		}
		if (err_path) {
			int e = open(err_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

			if (e >= 0) {
				dup2(e, 2);
			}
		}
		execvp(words[0], (char *const *)words);
		fprintf(stderr, "exec %s: %s\n", words[0], strerror(errno));
		_exit(127);
	}
	if (out) {
		close(pfd[1]);
		if (pid < 0) {
			close(pfd[0]);
		} else {
			*out = pfd[0];
		}
	}
	return pid;
}

int fu_read_line(int fd, const char *prefix, char *line, size_t cap, unsigned timeout_ms)
{
	uint64_t deadline = fu_now_ms() + timeout_ms;
	size_t len = 0;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint64_t now = fu_now_ms();
		char c = 0;
		ssize_t n = 0;

		if (now >= deadline) {
			return -1;
		}
		if (poll(&p, 1, (int)(deadline - now)) <= 0) {
			continue;
		}
		n = read(fd, &c, 1);
		if (n <= 0) {
			return -1;
		}
		if (c != '\n') {
			if (len + 1 < cap) {
				line[len++] = c;
			}
			continue;
		}
		line[len] = '\0';
		if (strncmp(line, prefix, strlen(prefix)) == 0) {
			return 0;
		}
		len = 0;
	}
}

#define MAX_REAPED 512
static struct {
	pid_t pid;
	int status;
} g_reaped[MAX_REAPED];
static int g_nreaped;

void fu_subreaper(void)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
		printf("note: cannot become a child subreaper (%s): orphans go to init and "
		       "are found through their recorded pids only\n",
		       strerror(errno));
	}
}

void fu_reap(void)
{
	for (;;) {
		int st = 0;
		pid_t p = waitpid(-1, &st, WNOHANG);

		if (p <= 0) {
			return;
		}
		if (g_nreaped == MAX_REAPED) {
			memmove(g_reaped, g_reaped + 1, sizeof(g_reaped[0]) * (MAX_REAPED - 1));
			g_nreaped--;
		}
		g_reaped[g_nreaped].pid = p;
		g_reaped[g_nreaped].status = st;
		g_nreaped++;
	}
}

int fu_wait(pid_t pid, unsigned timeout_ms, int *status)
{
	uint64_t deadline = fu_now_ms() + timeout_ms;

	for (;;) {
		fu_reap();
		for (int i = g_nreaped - 1; i >= 0; i--) {
			if (g_reaped[i].pid == pid) {
				*status = g_reaped[i].status;
				g_reaped[i] = g_reaped[--g_nreaped];
				return 0;
			}
		}
		if (fu_now_ms() >= deadline) {
			return -1;
		}
		fu_sleep_ms(5);
	}
}

const char *fu_status_text(int status, char *buf, size_t cap)
{
	if (WIFEXITED(status)) {
		snprintf(buf, cap, "exit %d", WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		snprintf(buf, cap, "signal %d", WTERMSIG(status));
	} else {
		snprintf(buf, cap, "status 0x%x", (unsigned)status);
	}
	return buf;
}

int fu_proc_stat(pid_t pid, pid_t *ppid, unsigned long long *start, char *state)
{
	char path[64], buf[1024];
	char *p = NULL;
	ssize_t n = 0;
	int fd = -1;
	int field = 3;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		return -1;
	}
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the command name may hold spaces and parentheses */
	if (!p || p[1] != ' ') {
		return -1;
	}
	p += 2;
	/* fields after the name: 3 state, 4 ppid, ..., 22 starttime */
	for (char *save = NULL, *tok = strtok_r(p, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save), field++) {
		if (field == 3 && state) {
			*state = tok[0];
		} else if (field == 4 && ppid) {
			*ppid = (pid_t)strtol(tok, NULL, 10);
		} else if (field == 22) {
			if (start) {
				*start = strtoull(tok, NULL, 10);
			}
			return 0;
		}
	}
	return -1;
}

bool fu_alive(const struct fu_proc *p)
{
	unsigned long long start = 0;
	char state = 0;

	fu_reap(); /* our own zombies (we are a subreaper) */
	if (fu_proc_stat(p->pid, NULL, &start, &state) != 0 || start != p->start) {
		return false;
	}
	return state != 'Z' && state != 'X';
}

int fu_children(pid_t parent, struct fu_proc *out, int cap)
{
	DIR *d = opendir("/proc");
	struct dirent *e = NULL;
	int n = 0;

	if (!d) {
		return 0;
	}
	while ((e = readdir(d))) {
		pid_t pid = 0, ppid = 0;
		unsigned long long start = 0;
		char state = 0;

		if (e->d_name[0] < '1' || e->d_name[0] > '9') {
			continue;
		}
		pid = (pid_t)strtol(e->d_name, NULL, 10);
		if (fu_proc_stat(pid, &ppid, &start, &state) != 0 || ppid != parent ||
		    state == 'Z' || state == 'X') {
			continue;
		}
		if (n < cap) {
			out[n].pid = pid;
			out[n].start = start;
		}
		n++;
	}
	closedir(d);
	return n;
}

int fu_wait_gone(const struct fu_proc *p, unsigned timeout_ms)
{
	uint64_t deadline = fu_now_ms() + timeout_ms;

	while (fu_alive(p)) {
		if (fu_now_ms() >= deadline) {
			return -1;
		}
		fu_sleep_ms(10);
	}
	return 0;
}

int fu_fd_count(pid_t pid, int *memfds)
{
	char path[64];
	DIR *d = NULL;
	struct dirent *e = NULL;
	int n = 0, m = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (!d) {
		return -1;
	}
	while ((e = readdir(d))) {
		char lp[384], target[256];
		ssize_t len = 0;

		if (e->d_name[0] == '.') {
			continue;
		}
		n++;
		snprintf(lp, sizeof(lp), "%s/%s", path, e->d_name);
		len = readlink(lp, target, sizeof(target) - 1);
		if (len > 0) {
			target[len] = '\0';
			if (strncmp(target, "/memfd:", 7) == 0) {
				m++;
			}
		}
	}
	closedir(d);
	if (memfds) {
		*memfds = m;
	}
	return n;
}

void fu_fd_dump(pid_t pid, const char *who)
{
	char path[64];
	DIR *d = NULL;
	struct dirent *e = NULL;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	fprintf(stderr, "  fds of %s (pid %d):\n", who, (int)pid);
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "    (unreadable: %s)\n", strerror(errno));
		return;
	}
	while ((e = readdir(d))) {
		char lp[384], target[256];
		ssize_t len = 0;

		if (e->d_name[0] == '.') {
			continue;
		}
		snprintf(lp, sizeof(lp), "%s/%s", path, e->d_name);
		len = readlink(lp, target, sizeof(target) - 1);
		target[len > 0 ? len : 0] = '\0';
		fprintf(stderr, "    %s -> %s\n", e->d_name, target);
	}
	closedir(d);
}

/* ---- the stream client ---- */

const char *fu_ca_result_text(int r)
{
	switch (r) {
	case FU_CA_OK:
		return "ok";
	case FU_CA_EOF:
		return "EOF";
	case FU_CA_RESET:
		return "ECONNRESET";
	case FU_CA_PIPE:
		return "EPIPE";
	case FU_CA_MISMATCH:
		return "DATA MISMATCH";
	case FU_CA_TIMEOUT:
		return "TIMEOUT (hang)";
	case FU_CA_ERROR:
		return "other error";
	case FU_CA_CONNECT:
		return "connect failed";
	default:
		return "killed or crashed";
	}
}

int fu_connect(const char *endpoint)
{
	struct sockaddr_storage ss;
	socklen_t len = 0;
	int fd = -1;
	int rc = -EINVAL;

	if (strncmp(endpoint, "tcp ", 4) == 0) {
		rc = tzm_util_parse_inet(endpoint + 4, &ss, &len);
	} else if (strncmp(endpoint, "unix ", 5) == 0) {
		rc = tzm_util_parse_unix(endpoint + 5, &ss, &len);
	}
	if (rc != 0) {
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&ss, len) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static enum fu_ca_result errno_result(int err)
{
	switch (err) {
	case ECONNRESET:
		return FU_CA_RESET;
	case EPIPE:
		return FU_CA_PIPE;
	default:
		fprintf(stderr, "ca: %s\n", strerror(err));
		return FU_CA_ERROR;
	}
}

enum fu_ca_result fu_ca_stream(const char *endpoint, uint64_t seed, size_t max_msg,
			       unsigned long messages, int progress_fd, unsigned stall_ms)
{
	struct fu_rng rng;
	unsigned char *msg = malloc(max_msg), *in = malloc(max_msg);
	enum fu_ca_result res = FU_CA_OK;
	int fd = fu_connect(endpoint);

	if (fd < 0 || !msg || !in) {
		res = FU_CA_CONNECT;
		goto out;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	fu_rng_seed(&rng, seed);
	for (unsigned long m = 0; messages == 0 || m < messages; m++) {
		size_t size = fu_rng_size(&rng, max_msg), sent = 0, got = 0;

		for (size_t i = 0; i < size; i += 8) {
			uint64_t v = fu_rng_next(&rng);

			memcpy(msg + i, &v, size - i < 8 ? size - i : 8);
		}
		while (got < size) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			int pr = 0;

			if (sent < size) {
				p.events |= POLLOUT;
			}
			pr = poll(&p, 1, (int)stall_ms);
			if (pr == 0) {
				res = FU_CA_TIMEOUT;
				goto out;
			}
			if (pr < 0) {
				if (errno == EINTR) {
					continue;
				}
				res = errno_result(errno);
				goto out;
			}
			if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
				ssize_t n = recv(fd, in, size - got, 0);

				if (n == 0) {
					res = FU_CA_EOF;
					goto out;
				}
				if (n < 0 && errno != EAGAIN && errno != EINTR) {
					res = errno_result(errno);
					goto out;
				}
				if (n > 0) {
					if (memcmp(in, msg + got, (size_t)n) != 0) {
						fprintf(stderr,
							"ca: echoed bytes differ at offset %zu "
							"of a %zu-byte message\n",
							got, size);
						res = FU_CA_MISMATCH;
						goto out;
					}
					got += (size_t)n;
				}
			}
			if (sent < size && (p.revents & POLLOUT)) {
				ssize_t n = send(fd, msg + sent, size - sent, MSG_NOSIGNAL);

				if (n < 0 && errno != EAGAIN && errno != EINTR) {
					res = errno_result(errno);
					goto out;
				}
				if (n > 0) {
					sent += (size_t)n;
				}
			}
		}
		if (m == 0 && progress_fd >= 0) {
			char c = 'S';

			if (write(progress_fd, &c, 1) != 1) {
				res = FU_CA_ERROR;
				goto out;
			}
		}
	}
out:
	if (fd >= 0) {
		close(fd);
	}
	free(msg);
	free(in);
	return res;
}

pid_t fu_teed_pid(void)
{
	const char *dir = getenv("TZM_RUNTIME_DIR");
	char path[4096], buf[32];
	ssize_t n = 0;
	int fd = -1;

	if (!dir) {
		return 0;
	}
	snprintf(path, sizeof(path), "%s/tzm-teed.pid", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return 0;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		return 0;
	}
	buf[n] = '\0';
	return (pid_t)strtol(buf, NULL, 10);
}
