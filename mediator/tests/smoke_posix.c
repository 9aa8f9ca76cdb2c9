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

#include <tzm_test.h>

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

	ASSERT_EQ_INT(argc, 3);
	ASSERT_EQ_INT(ASSERT_SYS(atexit(bye)), 0);
	printf("argc=%d env=%s\n", argc, getenv("SMOKE_VALUE") ? getenv("SMOKE_VALUE") : "(none)");
	ASSERT_NOT_NULL(getenv("SMOKE_VALUE"));
	ASSERT_EQ_STR(getenv("SMOKE_VALUE"), argv[2]);

	/* pipe */
	ASSERT_EQ_INT(ASSERT_SYS(pipe(p)), 0);
	printf("pipe fds adjacent %d\n", p[1] == p[0] + 1);
	ASSERT_EQ_INT(ASSERT_SYS(write(p[1], "hello", 5)), 5);
	ASSERT_EQ_INT(ASSERT_SYS(read(p[0], buf, sizeof(buf))), 5);
	ASSERT_EQ_MEM(buf, "hello", 5);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	ASSERT_EQ_INT(poll(&pfd, 1, 0), 0);
	ASSERT_EQ_INT(ASSERT_SYS(close(p[1])), 0);
	ASSERT_EQ_INT(ASSERT_SYS(read(p[0], buf, 1)), 0);
	ASSERT_EQ_INT(ASSERT_SYS(close(p[0])), 0);
	ASSERT_ERRNO(close(p[0]), EBADF);

	/* files: a transfer larger than one chunk must arrive whole */
	snprintf(path, sizeof(path), "%s/smoke.dat", argv[1]);
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	ASSERT_GE_INT(fd, 0);
	for (size_t i = 0; i < sizeof(big); i++) {
		big[i] = (char)(i * 7);
	}
	for (int k = 0; k < 5; k++) {
		ASSERT_EQ_INT(ASSERT_SYS(write(fd, big, sizeof(big))), (ssize_t)sizeof(big));
	}
	ASSERT_EQ_INT(ASSERT_SYS(fstat(fd, &st)), 0);
	ASSERT_EQ_INT(st.st_size, 5 * (off_t)sizeof(big));
	ASSERT_EQ_INT(ASSERT_SYS(lseek(fd, (off_t)sizeof(big), SEEK_SET)), (off_t)sizeof(big));
	n = (int)read(fd, buf, 100);
	ASSERT_EQ_INT(n, 100);
	ASSERT_EQ_MEM(buf, big, 100);
	ASSERT_EQ_INT(ASSERT_SYS(pread(fd, buf, 10, 3)), 10);
	ASSERT_EQ_MEM(buf, big + 3, 10);
	ASSERT_EQ_INT(ASSERT_SYS(ftruncate(fd, 10)), 0);
	ASSERT_EQ_INT(ASSERT_SYS(fsync(fd)), 0);
	ASSERT_EQ_INT(ASSERT_SYS(close(fd)), 0);
	ASSERT_EQ_INT(ASSERT_SYS(stat(path, &st)), 0);
	ASSERT_EQ_INT(st.st_size, 10);
	ASSERT_TRUE(S_ISREG(st.st_mode));
	printf("file size %lld\n", (long long)st.st_size);
	ASSERT_EQ_INT(open("/nonexistent/x", O_RDONLY), -1);
	printf("open missing errno %s\n", errno == ENOENT ? "ENOENT" : "other");

	/* stdio on files */
	snprintf(path, sizeof(path), "%s/smoke.txt", argv[1]);
	f = fopen(path, "w");
	ASSERT_NOT_NULL(f);
	fprintf(f, "line %d\n", 42);
	ASSERT_EQ_INT(ASSERT_SYS(fclose(f)), 0);
	f = fopen(path, "r");
	ASSERT_NOT_NULL(f);
	ASSERT_TRUE(fgets(buf, sizeof(buf), f));
	ASSERT_EQ_STR(buf, "line 42\n");
	fclose(f);

	/* directories */
	snprintf(path, sizeof(path), "%s/sub", argv[1]);
	ASSERT_EQ_INT(ASSERT_SYS(mkdir(path, 0700)), 0);
	d = opendir(argv[1]);
	ASSERT_NOT_NULL(d);
	while ((de = readdir(d)) != NULL) {
		seen += strcmp(de->d_name, "sub") == 0 || strcmp(de->d_name, "smoke.txt") == 0;
	}
	ASSERT_EQ_INT(ASSERT_SYS(closedir(d)), 0);
	ASSERT_EQ_INT(seen, 2);
	ASSERT_EQ_INT(ASSERT_SYS(rmdir(path)), 0);
	printf("dir entries found %d\n", seen);

	/* UNIX socketpair + epoll */
	ASSERT_EQ_INT(ASSERT_SYS(socketpair(AF_UNIX, SOCK_STREAM, 0, sv)), 0);
	ep = epoll_create1(0);
	ASSERT_GE_INT(ep, 0);
	ev.events = EPOLLIN;
	ev.data.u64 = 0x1122334455667788ull;
	ASSERT_EQ_INT(ASSERT_SYS(epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev)), 0);
	ASSERT_EQ_INT(ASSERT_SYS(send(sv[0], "ping", 4, MSG_NOSIGNAL)), 4);
	memset(&ev, 0, sizeof(ev));
	ASSERT_EQ_INT(ASSERT_SYS(epoll_wait(ep, &ev, 1, 1000)), 1);
	ASSERT_EQ_INT(ev.data.u64, 0x1122334455667788ull);
	ASSERT_EQ_INT(ASSERT_SYS(recv(sv[1], buf, sizeof(buf), MSG_PEEK)), 4);
	ASSERT_EQ_INT(ASSERT_SYS(recv(sv[1], buf, sizeof(buf), 0)), 4);
	ASSERT_EQ_MEM(buf, "ping", 4);
	ASSERT_EQ_INT(ASSERT_SYS(close(sv[1])), 0);
	ASSERT_ERRNO(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
	printf("epipe ok\n");
	close(sv[0]);
	close(ep);

	/* resolver, time */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST;
	ASSERT_EQ_INT(ASSERT_SYS(getaddrinfo("127.0.0.1", "80", &hints, &res)), 0);
	ASSERT_EQ_INT(res->ai_family, AF_INET);
	ASSERT_EQ_INT(((struct sockaddr_in *)res->ai_addr)->sin_port, htons(80));
	freeaddrinfo(res);
	ASSERT_EQ_INT(ASSERT_SYS(clock_gettime(CLOCK_REALTIME, &ts)), 0);
	ASSERT_GT_INT(ts.tv_sec, 1600000000);
	ASSERT_EQ_INT(ASSERT_SYS(clock_gettime(CLOCK_MONOTONIC, &ts)), 0);
	ASSERT_EQ_INT(ASSERT_SYS(usleep(1000)), 0);
	printf("done\n");
	exit(3);
}
