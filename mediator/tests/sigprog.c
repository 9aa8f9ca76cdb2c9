/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helper program for test_signals.sh (built natively, over the local transport and as a
 * TA): signals that come from outside the program, and how the program ends.
 *   block default|handler|restart   SIGTERM/SIGINT/SIGHUP with the default action, a
 *                      handler without SA_RESTART, or with SA_RESTART (the handler then
 *                      writes a byte into the pipe the program reads); prints "ready",
 *                      then blocks in read() on an empty pipe and reports how it ended
 *   accept handler     as `block handler`, blocked in accept() on a TCP listener
 *   thread-accept      as `accept`, in a thread that alone does not block the signals
 *                      while main's thread waits in pthread_join: the handler runs on
 *                      that thread, whose accept returns EINTR (issue 16)
 *   yes                prints "y" lines forever (stdio), like yes(1)
 *   ignpipe            ignores SIGPIPE and writes to stdout until an error: "EPIPE" on stderr
 *   spin               computes without making calls (default dispositions)
 *   mask               blocks SIGTERM, prints "ready", waits for it with sigsuspend's
 *                      counterpart sigwait, prints "sigwait 15", then unblocks nothing
 *   kill PID           kill(PID, SIGTERM): a TA may signal only itself
 *   abort default|handler|blocked|ignored|jump|thread
 *                      prints "ready", then abort(): with SIGABRT's default action, a
 *                      handler that prints "caught 6" and returns, SIGABRT blocked or
 *                      ignored (abort ends the program all the same), a handler that
 *                      leaves with siglongjmp (the program goes on: "jumped", status 8),
 *                      or from a second thread
 *   raise              prints "ready", then raise(SIGTERM) with the default action
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t caught;
static int wake_fd = -1;

static void on_signal(int sig)
{
	caught = sig;
}

static void on_signal_wake(int sig)
{
	caught = sig;
	if (write(wake_fd, "x", 1) != 1) {
		_exit(99);
	}
}

static void install(void (*fn)(int), int flags)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], &sa, NULL) != 0) {
			perror("sigaction");
			exit(2);
		}
	}
}

static int block_mode(const char *how)
{
	int p[2];
	char c = 0;
	ssize_t n = 0;

	if (pipe(p) != 0) {
		perror("pipe");
		return 2;
	}
	wake_fd = p[1];
	if (strcmp(how, "handler") == 0) {
		install(on_signal, 0);
	} else if (strcmp(how, "restart") == 0) {
		install(on_signal_wake, SA_RESTART);
	} else if (strcmp(how, "default") != 0) {
		return 64;
	}
	printf("ready\n");
	fflush(stdout);
	n = read(p[0], &c, 1);
	printf("read %zd %s caught %d\n", n, n < 0 ? strerror(errno) : "ok", (int)caught);
	return n < 0 ? 3 : 4;
}

static int loopback_listener(void)
{
	struct sockaddr_in a;
	int l = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(l, 1) != 0) {
		perror("listen");
		return -1;
	}
	return l;
}

static pthread_t acceptor;
static volatile sig_atomic_t caught_on_acceptor;

static void on_signal_thread(int sig)
{
	caught = sig;
	caught_on_acceptor = pthread_equal(pthread_self(), acceptor);
}

static void *acceptor_main(void *arg)
{
	int l = (int)(intptr_t)arg, c = -1;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	acceptor = pthread_self();
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	printf("ready\n");
	fflush(stdout);
	c = accept(l, NULL, NULL);
	printf("accept %d %s caught %d on the thread %s\n", c, c < 0 ? strerror(errno) : "ok",
	       (int)caught, caught_on_acceptor ? "yes" : "no");
	fflush(stdout);
	return (void *)(intptr_t)(c < 0 ? 3 : 4);
}

static int thread_accept_mode(void)
{
	int l = loopback_listener();
	sigset_t set;
	pthread_t t;
	void *res = NULL;

	if (l < 0) {
		return 2;
	}
	install(on_signal_thread, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* the thread inherits it, then unblocks */
	if (pthread_create(&t, NULL, acceptor_main, (void *)(intptr_t)l) != 0 ||
	    pthread_join(t, &res) != 0) {
		return 2;
	}
	return (int)(intptr_t)res;
}

static int accept_mode(void)
{
	struct sockaddr_in a;
	int l = socket(AF_INET, SOCK_STREAM, 0), c = -1;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(l, 1) != 0) {
		perror("listen");
		return 2;
	}
	install(on_signal, 0);
	printf("ready\n");
	fflush(stdout);
	c = accept(l, NULL, NULL);
	printf("accept %d %s caught %d\n", c, c < 0 ? strerror(errno) : "ok", (int)caught);
	return c < 0 ? 3 : 4;
}

static int ignpipe_mode(void)
{
	char buf[4096];

	memset(buf, 'n', sizeof(buf));
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		if (write(1, buf, sizeof(buf)) < 0) {
			fprintf(stderr, "%s\n", errno == EPIPE ? "EPIPE" : strerror(errno));
			return 5;
		}
	}
}

static int spin_mode(void)
{
	volatile unsigned long x = 0;

	printf("ready\n");
	fflush(stdout);
	for (;;) {
		x++;
	}
	return 0;
}

static int mask_mode(void)
{
	sigset_t set;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("ready\n");
	fflush(stdout);
	if (sigwait(&set, &sig) != 0) {
		return 2;
	}
	printf("sigwait %d\n", sig);
	return 6;
}

static sigjmp_buf abort_jump;

static void on_abort_print(int sig)
{
	char line[] = "caught 0\n";

	line[7] = (char)('0' + sig % 10);
	if (write(1, line, sizeof(line) - 1) < 0) {
		_exit(99);
	}
}

static void on_abort_jump(int sig)
{
	(void)sig;
	siglongjmp(abort_jump, 1);
}

static void *abort_thread(void *arg)
{
	(void)arg;
	abort();
}

static int abort_mode(const char *how)
{
	struct sigaction sa;
	sigset_t set;
	pthread_t t;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sigemptyset(&set);
	sigaddset(&set, SIGABRT);
	if (strcmp(how, "handler") == 0) {
		sa.sa_handler = on_abort_print;
	} else if (strcmp(how, "jump") == 0) {
		sa.sa_handler = on_abort_jump;
	} else if (strcmp(how, "ignored") == 0) {
		sa.sa_handler = SIG_IGN;
	} else if (strcmp(how, "blocked") == 0 || strcmp(how, "default") == 0 ||
		   strcmp(how, "thread") == 0) {
		sa.sa_handler = SIG_DFL;
	} else {
		return 64;
	}
	if (sigaction(SIGABRT, &sa, NULL) != 0 ||
	    (strcmp(how, "blocked") == 0 && sigprocmask(SIG_BLOCK, &set, NULL) != 0)) {
		perror("sigaction");
		return 2;
	}
	printf("ready\n");
	fflush(stdout);
	if (strcmp(how, "thread") == 0) {
		if (pthread_create(&t, NULL, abort_thread, NULL) != 0) {
			return 2;
		}
		pthread_join(t, NULL);
		return 9;
	}
	if (sigsetjmp(abort_jump, 1) == 0) {
		if (sa.sa_handler != on_abort_jump) {
			printf("not flushed"); /* abort() does not flush stdio */
		}
		abort();
	}
	printf("jumped\n");
	return 8;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "block") == 0) {
		return block_mode(argv[2]);
	}
	if (argc >= 2 && strcmp(argv[1], "accept") == 0) {
		return accept_mode();
	}
	if (argc >= 2 && strcmp(argv[1], "thread-accept") == 0) {
		return thread_accept_mode();
	}
	if (argc >= 2 && strcmp(argv[1], "yes") == 0) {
		for (;;) {
			fputs("y\n", stdout);
		}
	}
	if (argc >= 2 && strcmp(argv[1], "ignpipe") == 0) {
		return ignpipe_mode();
	}
	if (argc >= 2 && strcmp(argv[1], "spin") == 0) {
		return spin_mode();
	}
	if (argc >= 2 && strcmp(argv[1], "mask") == 0) {
		return mask_mode();
	}
	if (argc >= 3 && strcmp(argv[1], "kill") == 0) {
		int r = kill((pid_t)atoi(argv[2]), SIGTERM);

		printf("kill %d %s\n", r, r < 0 ? strerror(errno) : "ok");
		return r < 0 ? 7 : 0;
	}
	if (argc >= 3 && strcmp(argv[1], "abort") == 0) {
		return abort_mode(argv[2]);
	}
	if (argc >= 2 && strcmp(argv[1], "raise") == 0) {
		printf("ready\n");
		fflush(stdout);
		raise(SIGTERM);
		return 10;
	}
	fprintf(stderr, "usage: sigprog block default|handler|restart | accept | thread-accept | "
			"yes | ignpipe | spin | mask | kill PID | abort default|handler|blocked|"
			"ignored|jump|thread | raise\n");
	return 64;
}
