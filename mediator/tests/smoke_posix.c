/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mediator smoke program: one pass over the call families with self-checks. Built natively,
 * over the local test transport and as a TA (tzm_add_posix_program); the three runs must
 * print the same transcript. Usage: smoke_posix <scratch-dir> <expected-env-value>
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "smoke: %s:%d: check failed: %s (errno %d)\n", __FILE__,   \
				__LINE__, #c, errno);                                              \
			exit(2);                                                                   \
		}                                                                                  \
	} while (0)

static void bye(void)
{
	printf("atexit handler ran\n");
}

int main(int argc, char **argv)
{
	char path[512], buf[4096], big[300000];
	int p[2], sv[2], fd = -1, n = 0;
	struct stat st;
	struct pollfd pfd;
	struct timespec ts;
	DIR *d = NULL;
	struct dirent *de = NULL;
	int seen = 0, ep = -1;
	struct epoll_event ev;
	struct addrinfo hints, *res = NULL;
	FILE *f = NULL;

	CHECK(argc == 3);
	CHECK(atexit(bye) == 0);
	printf("argc=%d env=%s\n", argc, getenv("SMOKE_VALUE") ? getenv("SMOKE_VALUE") : "(none)");
	CHECK(getenv("SMOKE_VALUE") && strcmp(getenv("SMOKE_VALUE"), argv[2]) == 0);

	/* pipe */
	CHECK(pipe(p) == 0);
	printf("pipe fds adjacent %d\n", p[1] == p[0] + 1);
	CHECK(write(p[1], "hello", 5) == 5);
	CHECK(read(p[0], buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	CHECK(poll(&pfd, 1, 0) == 0);
	CHECK(close(p[1]) == 0);
	CHECK(read(p[0], buf, 1) == 0);
	CHECK(close(p[0]) == 0);
	CHECK(close(p[0]) == -1 && errno == EBADF);

	/* files: a transfer larger than one chunk must arrive whole */
	snprintf(path, sizeof(path), "%s/smoke.dat", argv[1]);
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	CHECK(fd >= 0);
	for (size_t i = 0; i < sizeof(big); i++) {
		big[i] = (char)(i * 7);
	}
	for (int k = 0; k < 5; k++) {
		CHECK(write(fd, big, sizeof(big)) == (ssize_t)sizeof(big));
	}
	CHECK(fstat(fd, &st) == 0 && st.st_size == 5 * (off_t)sizeof(big));
	CHECK(lseek(fd, (off_t)sizeof(big), SEEK_SET) == (off_t)sizeof(big));
	n = (int)read(fd, buf, 100);
	CHECK(n == 100 && memcmp(buf, big, 100) == 0);
	CHECK(pread(fd, buf, 10, 3) == 10 && memcmp(buf, big + 3, 10) == 0);
	CHECK(ftruncate(fd, 10) == 0 && fsync(fd) == 0);
	CHECK(close(fd) == 0);
	CHECK(stat(path, &st) == 0 && st.st_size == 10 && S_ISREG(st.st_mode));
	printf("file size %lld\n", (long long)st.st_size);
	CHECK(open("/nonexistent/x", O_RDONLY) == -1);
	printf("open missing errno %s\n", errno == ENOENT ? "ENOENT" : "other");

	/* stdio on files */
	snprintf(path, sizeof(path), "%s/smoke.txt", argv[1]);
	f = fopen(path, "w");
	CHECK(f != NULL);
	fprintf(f, "line %d\n", 42);
	CHECK(fclose(f) == 0);
	f = fopen(path, "r");
	CHECK(f && fgets(buf, sizeof(buf), f) && strcmp(buf, "line 42\n") == 0);
	fclose(f);

	/* directories */
	snprintf(path, sizeof(path), "%s/sub", argv[1]);
	CHECK(mkdir(path, 0700) == 0);
	d = opendir(argv[1]);
	CHECK(d != NULL);
	while ((de = readdir(d)) != NULL) {
		seen += strcmp(de->d_name, "sub") == 0 || strcmp(de->d_name, "smoke.txt") == 0;
	}
	CHECK(closedir(d) == 0 && seen == 2);
	CHECK(rmdir(path) == 0);
	printf("dir entries found %d\n", seen);

	/* UNIX socketpair + epoll */
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	ep = epoll_create1(0);
	CHECK(ep >= 0);
	ev.events = EPOLLIN;
	ev.data.u64 = 0x1122334455667788ull;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev) == 0);
	CHECK(send(sv[0], "ping", 4, MSG_NOSIGNAL) == 4);
	memset(&ev, 0, sizeof(ev));
	CHECK(epoll_wait(ep, &ev, 1, 1000) == 1 && ev.data.u64 == 0x1122334455667788ull);
	CHECK(recv(sv[1], buf, sizeof(buf), MSG_PEEK) == 4);
	CHECK(recv(sv[1], buf, sizeof(buf), 0) == 4 && memcmp(buf, "ping", 4) == 0);
	CHECK(close(sv[1]) == 0);
	CHECK(send(sv[0], "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE);
	printf("epipe ok\n");
	close(sv[0]);
	close(ep);

	/* resolver, time */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST;
	CHECK(getaddrinfo("127.0.0.1", "80", &hints, &res) == 0);
	CHECK(res->ai_family == AF_INET &&
	      ((struct sockaddr_in *)res->ai_addr)->sin_port == htons(80));
	freeaddrinfo(res);
	CHECK(clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec > 1600000000);
	CHECK(clock_gettime(CLOCK_MONOTONIC, &ts) == 0);
	CHECK(usleep(1000) == 0);
	printf("done\n");
	exit(3);
}
