/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helper program for the mediator's system tests, built natively, over the local
 * transport and as a TA. Each mode prints a small transcript the test scripts check:
 *   echo tcp|udp|unix|unixdgram <addr> <count>  echo server; prints "ready <port|path>"
 *   client tcp <port> <msg>                     TCP client of a normal-world server
 *   fdcycle <n>        n x (socket, connect, accept, close, close); waits on stdin before
 *                      and after so the script can count the shadow's fds
 *   panic              listen, print port, accept, send "hi", then crash (SIGSEGV: the TA dies)
 *   disconnect         accept one client, read to EOF, then send until an error
 *   block              accept on a listener nobody connects to (for cancellation)
 *   policy <dir> <outside-dir>                  denied operations, one line per result
 *   ops <op> <path> [<op> <path>]...            one line "<op> <name> <result>" per op:
 *                      open-r open-w open-c opendir stat lstat unlink rmdir mkdir mkfifo
 *                      chmod bind-unix connect-unix send-unix (path), rename and link
 *                      (path:newpath)
 *   unixhit <path> stream|dgram <n>             n connects (or datagrams) to path; prints
 *                                               counts of each result
 *   unixserve <path> stream|dgram               counts connections/datagrams until stdin
 *                                               ends, then prints "received <n>"
 *   net <op>...        listen-unbound, sendto-unbound <port>, autobind (prints results
 *                      and the address the socket ended up bound to)
 *   udpreply           UDP server on 127.0.0.1: answers the first datagram's source, then
 *                      tries the same host on another port
 *   udpclient <port> <msg> [ms]                 sends msg, prints the answer (waits ms)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static const char *ename(int e)
{
	switch (e) {
	case 0:
		return "OK";
	case EACCES:
		return "EACCES";
	case EPERM:
		return "EPERM";
	case ENOENT:
		return "ENOENT";
	case EPIPE:
		return "EPIPE";
	case ECONNRESET:
		return "ECONNRESET";
	case EINTR:
		return "EINTR";
	case EIO:
		return "EIO";
	case ENOSYS:
		return "ENOSYS";
	case EEXIST:
		return "EEXIST";
	case ECONNREFUSED:
		return "ECONNREFUSED";
	case EISDIR:
		return "EISDIR";
	case ENOTDIR:
		return "ENOTDIR";
	case EADDRINUSE:
		return "EADDRINUSE";
	case ELOOP:
		return "ELOOP";
	case EINVAL:
		return "EINVAL";
	case ENXIO:
		return "ENXIO";
	case ENOTEMPTY:
		return "ENOTEMPTY";
	default:
		return "OTHER";
	}
}

static int tcp_listener(int port, int *bound)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0) {
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 64) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &l) != 0) {
		close(fd);
		return -1;
	}
	*bound = ntohs(a.sin_port);
	return fd;
}

static int echo(const char *kind, const char *addr, int count)
{
	char buf[65536];
	int fd = -1, port = 0;

	if (strcmp(kind, "tcp") == 0) {
		fd = tcp_listener(atoi(addr), &port);
		if (fd < 0) {
			perror("listen");
			return 1;
		}
		printf("ready %d\n", port);
		fflush(stdout);
		for (int i = 0; i < count; i++) {
			int c = accept(fd, NULL, NULL);
			ssize_t n = 0;

			if (c < 0) {
				perror("accept");
				return 1;
			}
			while ((n = recv(c, buf, sizeof(buf), 0)) > 0) {
				if (send(c, buf, (size_t)n, MSG_NOSIGNAL) != n) {
					break;
				}
			}
			close(c);
		}
	} else if (strcmp(kind, "udp") == 0) {
		struct sockaddr_in a, peer;
		socklen_t l = sizeof(a);

		fd = socket(AF_INET, SOCK_DGRAM, 0);
		memset(&a, 0, sizeof(a));
		a.sin_family = AF_INET;
		a.sin_port = htons((uint16_t)atoi(addr));
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
		    getsockname(fd, (struct sockaddr *)&a, &l) != 0) {
			perror("udp bind");
			return 1;
		}
		printf("ready %d\n", ntohs(a.sin_port));
		fflush(stdout);
		for (int i = 0; i < count; i++) {
			socklen_t pl = sizeof(peer);
			ssize_t n =
				recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &pl);

			if (n < 0 ||
			    sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&peer, pl) != n) {
				perror("udp echo");
				return 1;
			}
		}
	} else if (strcmp(kind, "unix") == 0) {
		struct sockaddr_un a;

		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		memset(&a, 0, sizeof(a));
		a.sun_family = AF_UNIX;
		snprintf(a.sun_path, sizeof(a.sun_path), "%s", addr);
		if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
		    listen(fd, 8) != 0) {
			perror("unix bind");
			return 1;
		}
		printf("ready %s\n", addr);
		fflush(stdout);
		for (int i = 0; i < count; i++) {
			int c = accept(fd, NULL, NULL);
			ssize_t n = 0;

			while (c >= 0 && (n = read(c, buf, sizeof(buf))) > 0) {
				if (write(c, buf, (size_t)n) != n) {
					break;
				}
			}
			close(c);
		}
		unlink(addr);
	} else {
		return 64;
	}
	close(fd);
	printf("served %d\n", count);
	return 0;
}

static int client(int port, const char *msg)
{
	struct sockaddr_in a;
	char buf[256];
	ssize_t n = 0;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		printf("connect %s\n", ename(errno));
		return 1;
	}
	if (send(fd, msg, strlen(msg), 0) != (ssize_t)strlen(msg) || shutdown(fd, SHUT_WR) != 0) {
		perror("send");
		return 1;
	}
	while ((n = recv(fd, buf, sizeof(buf) - 1, 0)) > 0) {
		buf[n] = '\0';
		printf("got %s\n", buf);
	}
	close(fd);
	return 0;
}

static void wait_line(void)
{
	char line[64];

	if (!fgets(line, sizeof(line), stdin)) {
		exit(5);
	}
}

static int fdcycle(int n)
{
	int port = 0, l = tcp_listener(0, &port);
	struct sockaddr_in a;

	if (l < 0) {
		perror("listen");
		return 1;
	}
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	printf("ready\n");
	fflush(stdout);
	wait_line();
	for (int i = 0; i < n; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0), s = -1;

		if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) != 0 ||
		    (s = accept(l, NULL, NULL)) < 0) {
			printf("cycle %d failed: %s\n", i, strerror(errno));
			return 1;
		}
		close(s);
		close(c);
	}
	printf("cycled %d\n", n);
	fflush(stdout);
	wait_line();
	close(l);
	return 0;
}

static int panic_mode(void)
{
	int port = 0, l = tcp_listener(0, &port), c = -1;

	printf("ready %d\n", port);
	fflush(stdout);
	c = accept(l, NULL, NULL);
	if (c < 0 || send(c, "hi\n", 3, 0) != 3) {
		return 1;
	}
	/*
	 * The TA dies holding c and l: a crash, which the TEE reports as a panic (abort() is
	 * a death by SIGABRT, which tzm-run reports by dying of it: test_signals.sh).
	 */
	volatile int *volatile nowhere = NULL;

	*nowhere = 1;
	return 1;
}

static int disconnect_mode(void)
{
	int port = 0, l = tcp_listener(0, &port), c = -1;
	char buf[4096];
	ssize_t n = 0;

	printf("ready %d\n", port);
	fflush(stdout);
	c = accept(l, NULL, NULL);
	while ((n = recv(c, buf, sizeof(buf), 0)) > 0) {
	}
	printf("eof %zd\n", n);
	memset(buf, 'x', sizeof(buf));
	for (int i = 0; i < 1000; i++) {
		if (send(c, buf, sizeof(buf), MSG_NOSIGNAL) < 0) {
			printf("send %s\n", ename(errno));
			return 0;
		}
		usleep(1000);
	}
	printf("send never failed\n");
	return 1;
}

static int block_mode(void)
{
	int port = 0, l = tcp_listener(0, &port), c = -1;

	printf("ready %d\n", port);
	fflush(stdout);
	c = accept(l, NULL, NULL);
	printf("accept %d %s\n", c, ename(c < 0 ? errno : 0));
	fflush(stdout);
	return c < 0 ? 9 : 0;
}

/* Not an assertion, and so not tzm_test.h: TRY prints one "<name> OK|<errno name>" line per
 * call, the transcript the shell driver compares against what the policy allows (the
 * same program runs natively and as a TA; the expectation lives in the driver). */
#define TRY(name, expr)                                                                            \
	do {                                                                                       \
		errno = 0;                                                                         \
		int r_ = (expr);                                                                   \
		printf("%s %s\n", name, r_ < 0 ? ename(errno) : "OK");                             \
	} while (0)

static int policy_mode(const char *dir, const char *outside)
{
	char p[600];
	struct sockaddr_in a;
	struct sockaddr_un u;
	int s = -1, fd = -1;

	snprintf(p, sizeof(p), "%s/rw/file", dir);
	TRY("create_rw", fd = open(p, O_CREAT | O_WRONLY, 0600));
	close(fd);
	snprintf(p, sizeof(p), "%s/ro/data", dir);
	TRY("read_ro", fd = open(p, O_RDONLY));
	close(fd);
	TRY("write_ro", open(p, O_WRONLY));
	TRY("unlink_ro", unlink(p));
	snprintf(p, sizeof(p), "%s/secret", outside);
	TRY("read_outside", open(p, O_RDONLY));
	TRY("stat_outside", ({
		    struct stat st;
		    stat(p, &st);
	    }));
	snprintf(p, sizeof(p), "%s/rw/../../%s/secret", dir, strrchr(outside, '/') + 1);
	TRY("dotdot_escape", open(p, O_RDONLY));
	snprintf(p, sizeof(p), "%s/rw/link/secret", dir);
	TRY("symlink_escape", open(p, O_RDONLY));
	snprintf(p, sizeof(p), "%s/rw/filelink", dir);
	TRY("symlink_file_escape", open(p, O_RDONLY));
	/* the directories above a rule may be examined (stat, access without W_OK), no more */
	TRY("stat_above_rule", ({
		    struct stat st;
		    stat(dir, &st);
	    }));
	TRY("stat_fs_root", ({
		    struct stat st;
		    stat("/", &st);
	    }));
	TRY("access_above_rule", access(dir, R_OK | X_OK));
	TRY("list_above_rule", fd = open(dir, O_RDONLY | O_DIRECTORY));
	if (fd >= 0) {
		close(fd);
	}
	TRY("access_w_above_rule", access(dir, W_OK));
	/* the driver's rule <base>/alias/inner: <base>/alias is a symlink, never answered */
	snprintf(p, sizeof(p), "%s", dir);
	char *slash = strrchr(p, '/');
	snprintf(slash ? slash : p, sizeof(p) - (size_t)((slash ? slash : p) - p), "/alias");
	TRY("stat_above_rule_symlink", ({
		    struct stat st;
		    lstat(p, &st);
	    }));
	TRY("mkdir_root", mkdir("/tzm-policy-test-dir", 0700));
	snprintf(p, sizeof(p), "%s/fifo", outside);
	TRY("mkfifo_outside", mkfifo(p, 0600));
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&u, 0, sizeof(u));
	u.sun_family = AF_UNIX;
	snprintf(u.sun_path, sizeof(u.sun_path), "%s/sock", outside);
	TRY("unix_bind_outside", bind(s, (struct sockaddr *)&u, sizeof(u)));
	memset(u.sun_path, 0, sizeof(u.sun_path));
	memcpy(u.sun_path + 1, "tzm-denied", 10);
	TRY("unix_abstract", bind(s, (struct sockaddr *)&u,
				  (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 11)));
	close(s);
	s = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(9);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	TRY("tcp_connect", connect(s, (struct sockaddr *)&a, sizeof(a)));
	a.sin_port = htons(7999);
	TRY("tcp_bind", bind(s, (struct sockaddr *)&a, sizeof(a)));
	close(s);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	a.sin_port = htons(9);
	TRY("udp_sendto", (int)sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)));
	close(s);
	TRY("mq_open", (int)mq_open("/tzm-denied-q", O_CREAT | O_RDWR, 0600, NULL));
	TRY("fork", (int)fork());
	return 0;
}

static int unix_addr(const char *path, struct sockaddr_un *u)
{
	memset(u, 0, sizeof(*u));
	u->sun_family = AF_UNIX;
	snprintf(u->sun_path, sizeof(u->sun_path), "%s", path);
	return (int)sizeof(*u);
}

static int one_op(const char *op, const char *path)
{
	struct sockaddr_un u;
	struct stat st;
	int fd = -1, r = -1;

	if (strcmp(op, "open-r") == 0 || strcmp(op, "open-w") == 0 || strcmp(op, "open-c") == 0 ||
	    strcmp(op, "opendir") == 0) {
		int fl = op[5] == 'r'   ? O_RDONLY | O_NONBLOCK
			 : op[5] == 'w' ? O_WRONLY | O_NONBLOCK
			 : op[5] == 'c' ? O_WRONLY | O_CREAT
					: O_RDONLY | O_DIRECTORY;

		fd = open(path, fl, 0600);
		r = fd;
		if (fd >= 0) {
			close(fd);
		}
		return r;
	}
	if (strcmp(op, "stat") == 0) {
		return stat(path, &st);
	}
	if (strcmp(op, "lstat") == 0) {
		return lstat(path, &st);
	}
	if (strcmp(op, "unlink") == 0) {
		return unlink(path);
	}
	if (strcmp(op, "rmdir") == 0) {
		return rmdir(path);
	}
	if (strcmp(op, "mkdir") == 0) {
		return mkdir(path, 0700);
	}
	if (strcmp(op, "mkfifo") == 0) {
		return mkfifo(path, 0600);
	}
	if (strcmp(op, "chmod") == 0) {
		return chmod(path, 0600);
	}
	if (strcmp(op, "rename") == 0 || strcmp(op, "link") == 0) {
		char from[600];
		const char *colon = strchr(path, ':');

		if (!colon || (size_t)(colon - path) >= sizeof(from)) {
			errno = EINVAL;
			return -1;
		}
		memcpy(from, path, (size_t)(colon - path));
		from[colon - path] = '\0';
		return op[0] == 'r' ? rename(from, colon + 1) : link(from, colon + 1);
	}
	if (strcmp(op, "bind-unix") == 0 || strcmp(op, "connect-unix") == 0 ||
	    strcmp(op, "send-unix") == 0) {
		socklen_t l = (socklen_t)unix_addr(path, &u);

		fd = socket(AF_UNIX, op[0] == 's' ? SOCK_DGRAM : SOCK_STREAM, 0);
		if (fd < 0) {
			return -1;
		}
		r = op[0] == 'b'   ? bind(fd, (struct sockaddr *)&u, l)
		    : op[0] == 'c' ? connect(fd, (struct sockaddr *)&u, l)
				   : (int)sendto(fd, "x", 1, 0, (struct sockaddr *)&u, l);
		{
			int e = errno;

			close(fd);
			errno = e;
		}
		return r < 0 ? -1 : 0;
	}
	errno = EINVAL;
	return -1;
}

static int ops_mode(int argc, char **argv)
{
	for (int i = 0; i + 1 < argc; i += 2) {
		const char *name = strrchr(argv[i + 1], '/');
		int r = 0;

		errno = 0;
		r = one_op(argv[i], argv[i + 1]);
		printf("%s %s %s\n", argv[i], name ? name + 1 : argv[i + 1],
		       r < 0 ? ename(errno) : "OK");
	}
	return 0;
}

static int unixhit(const char *path, bool stream, int n)
{
	struct sockaddr_un u;
	socklen_t l = (socklen_t)unix_addr(path, &u);
	int ok = 0, denied = 0, missing = 0, other = 0;

	for (int i = 0; i < n; i++) {
		int fd = socket(AF_UNIX, stream ? SOCK_STREAM : SOCK_DGRAM, 0);
		int r = fd < 0   ? -1
			: stream ? connect(fd, (struct sockaddr *)&u, l)
				 : (int)sendto(fd, "x", 1, 0, (struct sockaddr *)&u, l);

		if (r >= 0) {
			ok++;
		} else if (errno == EACCES || errno == EPERM) {
			denied++;
		} else if (errno == ENOENT || errno == ECONNREFUSED) {
			missing++;
		} else {
			other++;
			fprintf(stderr, "unixhit: %s\n", strerror(errno));
		}
		if (fd >= 0) {
			close(fd);
		}
	}
	printf("ok %d denied %d missing %d other %d\n", ok, denied, missing, other);
	return 0;
}

static int unixserve(const char *path, bool stream)
{
	struct sockaddr_un u;
	socklen_t l = (socklen_t)unix_addr(path, &u);
	int fd = socket(AF_UNIX, (stream ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK, 0);
	long received = 0;
	bool done = false;
	char buf[64];

	if (fd < 0 || bind(fd, (struct sockaddr *)&u, l) != 0 || (stream && listen(fd, 512) != 0)) {
		perror("unixserve");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (!done) {
		struct pollfd p[2] = { { fd, POLLIN, 0 }, { 0, POLLIN, 0 } };

		if (poll(p, 2, -1) < 0) {
			continue;
		}
		if (p[1].revents) {
			done = true; /* stdin ended: drain what is queued, then report */
		}
		for (;;) {
			int c = stream ? accept(fd, NULL, NULL)
				       : (int)recv(fd, buf, sizeof(buf), 0);

			if (c < 0) {
				break;
			}
			if (stream) {
				close(c);
			}
			received++;
		}
	}
	printf("received %ld\n", received);
	close(fd);
	unlink(path);
	return 0;
}

static void print_local(int fd)
{
	struct sockaddr_storage ss;
	socklen_t l = sizeof(ss);
	char host[64] = "?";

	if (getsockname(fd, (struct sockaddr *)&ss, &l) == 0) {
		if (ss.ss_family == AF_INET) {
			inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host,
				  sizeof(host));
		} else if (ss.ss_family == AF_UNIX) {
			snprintf(host, sizeof(host), "unix:%s",
				 l > sizeof(sa_family_t) ? "named" : "unnamed");
		}
	}
	printf("bound %s\n", host);
}

static int net_mode(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		const char *op = argv[i];
		int fd = -1, r = 0;

		errno = 0;
		if (strcmp(argv[i], "listen-unbound") == 0) {
			fd = socket(AF_INET, SOCK_STREAM, 0);
			r = listen(fd, 4);
		} else if (strcmp(argv[i], "sendto-unbound") == 0 && i + 1 < argc) {
			struct sockaddr_in a;

			memset(&a, 0, sizeof(a));
			a.sin_family = AF_INET;
			a.sin_port = htons((uint16_t)atoi(argv[++i]));
			a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			fd = socket(AF_INET, SOCK_DGRAM, 0);
			r = (int)sendto(fd, "x", 1, 0, (struct sockaddr *)&a, sizeof(a));
		} else if (strcmp(argv[i], "connect-mapped") == 0 && i + 1 < argc) {
			/* TCP over IPv6 to ::ffff:127.0.0.1, i.e. the IPv4 loopback */
			struct sockaddr_in6 a6;

			memset(&a6, 0, sizeof(a6));
			a6.sin6_family = AF_INET6;
			a6.sin6_port = htons((uint16_t)atoi(argv[++i]));
			inet_pton(AF_INET6, "::ffff:127.0.0.1", &a6.sin6_addr);
			fd = socket(AF_INET6, SOCK_STREAM, 0);
			r = connect(fd, (struct sockaddr *)&a6, sizeof(a6));
			printf("%s %s\n", op, r < 0 ? ename(errno) : "OK");
			close(fd);
			continue;
		} else if (strcmp(argv[i], "autobind") == 0) {
			struct sockaddr_un u;

			memset(&u, 0, sizeof(u));
			u.sun_family = AF_UNIX;
			fd = socket(AF_UNIX, SOCK_DGRAM, 0);
			r = bind(fd, (struct sockaddr *)&u, sizeof(sa_family_t));
		} else {
			return 64;
		}
		printf("%s %s\n", op, r < 0 ? ename(errno) : "OK");
		print_local(fd);
		close(fd);
	}
	return 0;
}

static int udpreply(void)
{
	struct sockaddr_in a, peer;
	socklen_t l = sizeof(a), pl = sizeof(peer);
	char buf[256];
	ssize_t n = 0;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &l) != 0) {
		perror("udpreply");
		return 1;
	}
	printf("ready %d\n", ntohs(a.sin_port));
	fflush(stdout);
	n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &pl);
	if (n < 0) {
		perror("recvfrom");
		return 1;
	}
	errno = 0;
	printf("reply %s\n", sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&peer, pl) == n
				     ? "OK"
				     : ename(errno));
	peer.sin_port = htons((uint16_t)(ntohs(peer.sin_port) ^ 1));
	errno = 0;
	printf("other_port %s\n",
	       sendto(fd, "y", 1, 0, (struct sockaddr *)&peer, pl) == 1 ? "OK" : ename(errno));
	close(fd);
	return 0;
}

static int udpclient(int port, const char *msg, int wait_ms)
{
	struct sockaddr_in a;
	struct pollfd p;
	char buf[256];
	ssize_t n = 0;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("udpclient");
		return 1;
	}
	p.fd = fd;
	p.events = POLLIN;
	if (poll(&p, 1, wait_ms) != 1 || (n = recv(fd, buf, sizeof(buf) - 1, 0)) < 0) {
		printf("no answer\n");
		return 1;
	}
	buf[n] = '\0';
	printf("got %s\n", buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "ops") == 0) {
		return ops_mode(argc - 2, argv + 2);
	}
	if (argc >= 5 && strcmp(argv[1], "unixhit") == 0) {
		return unixhit(argv[2], strcmp(argv[3], "stream") == 0, atoi(argv[4]));
	}
	if (argc >= 4 && strcmp(argv[1], "unixserve") == 0) {
		return unixserve(argv[2], strcmp(argv[3], "stream") == 0);
	}
	if (argc >= 2 && strcmp(argv[1], "net") == 0) {
		return net_mode(argc - 2, argv + 2);
	}
	if (argc >= 2 && strcmp(argv[1], "udpreply") == 0) {
		return udpreply();
	}
	if (argc >= 4 && strcmp(argv[1], "udpclient") == 0) {
		return udpclient(atoi(argv[2]), argv[3], argc >= 5 ? atoi(argv[4]) : 10000);
	}
	if (argc >= 5 && strcmp(argv[1], "echo") == 0) {
		return echo(argv[2], argv[3], atoi(argv[4]));
	}
	if (argc >= 4 && strcmp(argv[1], "client") == 0) {
		return client(atoi(argv[2]), argv[3]);
	}
	if (argc >= 3 && strcmp(argv[1], "fdcycle") == 0) {
		return fdcycle(atoi(argv[2]));
	}
	if (argc >= 2 && strcmp(argv[1], "panic") == 0) {
		return panic_mode();
	}
	if (argc >= 2 && strcmp(argv[1], "disconnect") == 0) {
		return disconnect_mode();
	}
	if (argc >= 2 && strcmp(argv[1], "block") == 0) {
		return block_mode();
	}
	if (argc >= 4 && strcmp(argv[1], "policy") == 0) {
		return policy_mode(argv[2], argv[3]);
	}
	fprintf(stderr, "usage: see the comment at the top of mtest.c\n");
	return 64;
}
