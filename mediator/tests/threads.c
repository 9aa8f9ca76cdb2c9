/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Threads in a POSIX TA (test_threads.sh runs it natively, over the local transport and
 * as a TA). Modes:
 *   echo NAME N   thread-per-connection echo server on the abstract UNIX socket @NAME:
 *                 accepts N connections, one thread each (read, write back, until EOF),
 *                 joins them, prints "served N". A thread blocked in read must not stall
 *                 the others (tzm_thread_clients keeps one client silent).
 *   sync          mutex, condition variable, rwlock, once, TLS keys with destructors,
 *                 _Thread_local, join and detach, C11 thrd/mtx/cnd; every thread also
 *                 makes forwarded calls (a pipe between threads). One line per check.
 *   limit         creates threads (each waits on a condition variable) until
 *                 pthread_create fails; prints how many and the error, lets them end,
 *                 joins them, then creates one more (its lane came back).
 *   sigthread     pthread_kill to main's own thread, to another thread, signal 0, a bad
 *                 signal number (one line each).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONN 64
#define SYNC_THREADS 8
#define SYNC_ROUNDS 2000

static int fail(const char *what, int err)
{
	printf("%s FAILED (%s)\n", what, strerror(err));
	return 1;
}

/* ---- echo ---- */

static void *echo_conn(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char buf[512];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0) {
			break;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(fd, buf + off, (size_t)(n - off));

			if (w <= 0) {
				close(fd);
				return (void *)1;
			}
			off += w;
		}
	}
	close(fd);
	return NULL;
}

static int echo(const char *name, int n)
{
	struct sockaddr_un sa;
	pthread_t th[MAX_CONN];
	socklen_t len = 0;
	int lfd = -1, bad = 0;

	if (n < 1 || n > MAX_CONN || strlen(name) + 2 > sizeof(sa.sun_path)) {
		fprintf(stderr, "echo: bad arguments\n");
		return 64;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path + 1, name, strlen(name)); /* abstract: sun_path[0] == 0 */
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, len) != 0 || listen(lfd, n) != 0) {
		return fail("listen", errno);
	}
	for (int i = 0; i < n; i++) {
		int fd = accept(lfd, NULL, NULL);
		int rc = 0;

		if (fd < 0) {
			return fail("accept", errno);
		}
		rc = pthread_create(&th[i], NULL, echo_conn, (void *)(intptr_t)fd);
		if (rc != 0) {
			return fail("pthread_create", rc);
		}
	}
	for (int i = 0; i < n; i++) {
		void *r = NULL;

		pthread_join(th[i], &r);
		bad += r != NULL;
	}
	close(lfd);
	printf("served %d\n", n - bad);
	return bad ? 1 : 0;
}

/* ---- sync ---- */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t key;
static long counter, rw_value, once_runs, key_dtors;
static int queue[16], q_head, q_count, consumed_sum;
static _Thread_local int tls_id;
static int tls_bad;
static int pipefd[2];

static void once_fn(void)
{
	once_runs++;
}

static void key_dtor(void *v)
{
	(void)v;
	pthread_mutex_lock(&mu);
	key_dtors++;
	pthread_mutex_unlock(&mu);
}

static void *sync_worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	char byte = (char)('a' + id);

	tls_id = id;
	pthread_once(&once, once_fn);
	pthread_setspecific(key, arg);
	for (int i = 0; i < SYNC_ROUNDS; i++) {
		pthread_mutex_lock(&mu);
		counter++;
		pthread_mutex_unlock(&mu);
		if (i % 100 == 0) {
			pthread_rwlock_wrlock(&rw);
			rw_value += 2;
			pthread_rwlock_unlock(&rw);
			pthread_rwlock_rdlock(&rw);
			if (rw_value % 2 != 0) {
				tls_bad++;
			}
			pthread_rwlock_unlock(&rw);
		}
	}
	/* a forwarded call from every thread, concurrently */
	if (write(pipefd[1], &byte, 1) != 1) {
		return (void *)1;
	}
	/* producer: 16 items through a bounded queue */
	for (int i = 1; i <= 16; i++) {
		pthread_mutex_lock(&mu);
		while (q_count == 16) {
			pthread_cond_wait(&cv, &mu);
		}
		queue[(q_head + q_count) % 16] = i;
		q_count++;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&mu);
	}
	if (tls_id != id || (intptr_t)pthread_getspecific(key) != id) {
		tls_bad++;
	}
	return NULL;
}

static void *consumer(void *arg)
{
	int want = (int)(intptr_t)arg;

	for (int got = 0; got < want; got++) {
		pthread_mutex_lock(&mu);
		while (q_count == 0) {
			pthread_cond_wait(&cv, &mu);
		}
		consumed_sum += queue[q_head];
		q_head = (q_head + 1) % 16;
		q_count--;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

static pthread_mutex_t det_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t det_cv = PTHREAD_COND_INITIALIZER;
static int det_done;

static void *detached(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&det_mu);
	det_done = 1;
	pthread_cond_signal(&det_cv);
	pthread_mutex_unlock(&det_mu);
	return NULL;
}

static mtx_t c11_mu;
static int c11_count;

static int c11_fn(void *arg)
{
	for (int i = 0; i < 1000; i++) {
		mtx_lock(&c11_mu);
		c11_count++;
		mtx_unlock(&c11_mu);
	}
	return (int)(intptr_t)arg;
}

static int sync_mode(void)
{
	pthread_t th[SYNC_THREADS], cons, det;
	thrd_t c11[2];
	char seen[SYNC_THREADS + 1];
	int bad = 0, res = 0, sum = 0;

	if (pipe(pipefd) != 0 || pthread_key_create(&key, key_dtor) != 0) {
		return fail("setup", errno);
	}
	res = pthread_create(&cons, NULL, consumer, (void *)(intptr_t)(SYNC_THREADS * 16));
	if (res != 0) {
		return fail("pthread_create", res);
	}
	for (int i = 0; i < SYNC_THREADS; i++) {
		int rc = pthread_create(&th[i], NULL, sync_worker, (void *)(intptr_t)(i + 1));

		if (rc != 0) {
			return fail("pthread_create", rc);
		}
	}
	for (int i = 0; i < SYNC_THREADS; i++) {
		void *r = NULL;

		pthread_join(th[i], &r);
		bad += r != NULL;
	}
	pthread_join(cons, NULL);
	printf("mutex %s\n", counter == (long)SYNC_THREADS * SYNC_ROUNDS ? "OK" : "FAILED");
	printf("rwlock %s\n", rw_value == (long)SYNC_THREADS * (SYNC_ROUNDS / 100) * 2 && !tls_bad
				      ? "OK"
				      : "FAILED");
	printf("once %s\n", once_runs == 1 ? "OK" : "FAILED");
	printf("key_destructors %s\n", key_dtors == SYNC_THREADS ? "OK" : "FAILED");
	printf("cond %s\n", consumed_sum == SYNC_THREADS * (16 * 17 / 2) ? "OK" : "FAILED");
	/* each worker wrote its letter into the pipe */
	memset(seen, 0, sizeof(seen));
	for (int i = 0; i < SYNC_THREADS; i++) {
		char b = 0;

		if (read(pipefd[0], &b, 1) != 1 || b < 'b' || b > 'a' + SYNC_THREADS) {
			bad++;
			break;
		}
		seen[b - 'a' - 1] = 1;
	}
	for (int i = 0; i < SYNC_THREADS; i++) {
		bad += !seen[i];
	}
	printf("calls %s\n", bad == 0 ? "OK" : "FAILED");
	/* a detached thread tells us it ran */
	if (pthread_create(&det, NULL, detached, NULL) != 0 || pthread_detach(det) != 0) {
		return fail("detach", errno);
	}
	pthread_mutex_lock(&det_mu);
	while (!det_done) {
		pthread_cond_wait(&det_cv, &det_mu);
	}
	pthread_mutex_unlock(&det_mu);
	printf("detach OK\n");
	/* C11 threads */
	mtx_init(&c11_mu, mtx_plain);
	for (int i = 0; i < 2; i++) {
		if (thrd_create(&c11[i], c11_fn, (void *)(intptr_t)(i + 40)) != thrd_success) {
			return fail("thrd_create", EAGAIN);
		}
	}
	for (int i = 0; i < 2; i++) {
		thrd_join(c11[i], &res);
		sum += res;
	}
	printf("c11 %s\n", c11_count == 2000 && sum == 81 ? "OK" : "FAILED");
	return 0;
}

/* ---- limit ---- */

static pthread_mutex_t lim_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t lim_cv = PTHREAD_COND_INITIALIZER;
static int lim_go;

static void *lim_wait(void *arg)
{
	pthread_mutex_lock(&lim_mu);
	while (!lim_go) {
		pthread_cond_wait(&lim_cv, &lim_mu);
	}
	pthread_mutex_unlock(&lim_mu);
	return arg;
}

static int limit_mode(void)
{
	static pthread_t th[256];
	pthread_t extra;
	int n = 0, rc = 0;

	for (; n < 256; n++) {
		rc = pthread_create(&th[n], NULL, lim_wait, NULL);
		if (rc != 0) {
			break;
		}
	}
	printf("created %d then %s\n", n, rc == 0 ? "no limit" : strerrorname_np(rc));
	pthread_mutex_lock(&lim_mu);
	lim_go = 1;
	pthread_cond_broadcast(&lim_cv);
	pthread_mutex_unlock(&lim_mu);
	for (int i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
	}
	rc = pthread_create(&extra, NULL, lim_wait, NULL);
	printf("after_join %s\n", rc == 0 ? "OK" : strerrorname_np(rc));
	if (rc == 0) {
		pthread_join(extra, NULL);
	}
	return 0;
}

/* ---- signals for threads ---- */

static volatile sig_atomic_t usr1_seen;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_seen++;
}

/*
 * pthread_kill: main's thread to itself runs the handler (as raise); to another thread
 * it is delivered there (that thread runs the handler at its next call); signal 0 only
 * checks. Prints one line per check.
 */
static int sigthread_mode(void)
{
	struct sigaction sa;
	pthread_t t;
	int rc = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	if (sigaction(SIGUSR1, &sa, NULL) != 0) {
		return fail("sigaction", errno);
	}
	rc = pthread_kill(pthread_self(), SIGUSR1);
	printf("self %s\n", rc == 0 && usr1_seen == 1 ? "OK" : "FAILED");
	rc = pthread_create(&t, NULL, lim_wait, NULL);
	if (rc != 0) {
		return fail("pthread_create", rc);
	}
	printf("probe %s\n", pthread_kill(t, 0) == 0 ? "OK" : "FAILED");
	rc = pthread_kill(t, SIGUSR1);
	printf("other %s\n", rc == 0 ? "delivered" : strerrorname_np(rc));
	printf("bad signal %s\n", pthread_kill(t, 1000) == EINVAL ? "OK" : "FAILED");
	pthread_mutex_lock(&lim_mu);
	lim_go = 1;
	pthread_cond_broadcast(&lim_cv);
	pthread_mutex_unlock(&lim_mu);
	pthread_join(t, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "echo") == 0) {
		return echo(argv[2], atoi(argv[3]));
	}
	if (argc >= 2 && strcmp(argv[1], "sync") == 0) {
		return sync_mode();
	}
	if (argc >= 2 && strcmp(argv[1], "limit") == 0) {
		return limit_mode();
	}
	if (argc >= 2 && strcmp(argv[1], "sigthread") == 0) {
		return sigthread_mode();
	}
	fprintf(stderr, "usage: threads echo NAME N | sync | limit | sigthread\n");
	return 64;
}
