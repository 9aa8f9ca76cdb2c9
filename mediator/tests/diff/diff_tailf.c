/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A third-party-style program in the differential suite: `tail -f` as an event loop would
 * write it. It follows a log file with poll() over a timerfd (periodic check, no busy
 * loop), an eventfd (the "stop" request) and stdin-less reads of the file from its last
 * offset; after printing the last lines it follows appended data until told to stop.
 * The producer is part of the same loop (on each timer tick it appends one line through
 * its own descriptor, and after the last line it signals the eventfd), so the run needs no
 * other process; the follower only ever learns about new data from the file itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define LAST_LINES 3
#define APPENDED 5

static void die(const char *what)
{
	fprintf(stderr, "tailf: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* prints the last n lines of fd (from offset 0), leaves *pos at the end */
static void print_tail(int fd, int n, off_t *pos)
{
	char buf[4096];
	ssize_t len = pread(fd, buf, sizeof(buf), 0);
	int seen = 0;
	ssize_t start = 0;

	if (len < 0) {
		die("pread");
	}
	for (ssize_t i = len - 1; i >= 0; i--) {
		if (buf[i] == '\n' && i != len - 1 && ++seen == n) {
			start = i + 1;
			break;
		}
	}
	fwrite(buf + start, 1, (size_t)(len - start), stdout);
	*pos = len;
}

/* prints what was appended since *pos */
static int follow(int fd, off_t *pos)
{
	char buf[256];
	ssize_t n = 0;
	int got = 0;

	while ((n = pread(fd, buf, sizeof(buf), *pos)) > 0) {
		fwrite(buf, 1, (size_t)n, stdout);
		*pos += n;
		got = 1;
	}
	if (n < 0) {
		die("pread");
	}
	return got;
}

int main(int argc, char **argv)
{
	struct itimerspec every = { { 0, 2 * 1000 * 1000 }, { 0, 2 * 1000 * 1000 } };
	struct pollfd pfd[2];
	char path[4096];
	off_t pos = 0;
	int log = -1, writer = -1, timer = -1, stop = -1, appended = 0, stopping = 0, done = 0;

	if (argc < 2) {
		return 2;
	}
	printf("# tailf: tail -f over poll, timerfd and eventfd\n");
	snprintf(path, sizeof(path), "%s/app.log", argv[1]);
	writer = open(path, O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC, 0644);
	if (writer < 0) {
		die("open for writing");
	}
	for (int i = 1; i <= 6; i++) {
		dprintf(writer, "old line %d\n", i);
	}
	log = open(path, O_RDONLY | O_CLOEXEC);
	timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	stop = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (log < 0 || timer < 0 || stop < 0) {
		die("set-up");
	}
	print_tail(log, LAST_LINES, &pos);
	printf("-- following --\n");
	if (timerfd_settime(timer, 0, &every, NULL) != 0) {
		die("timerfd_settime");
	}
	pfd[0].fd = timer;
	pfd[0].events = POLLIN;
	pfd[1].fd = stop;
	pfd[1].events = POLLIN;
	while (!done) {
		if (poll(pfd, 2, 10000) <= 0) {
			die("poll");
		}
		if (pfd[0].revents & POLLIN) {
			uint64_t ticks = 0;

			if (read(timer, &ticks, sizeof(ticks)) != sizeof(ticks) || ticks == 0) {
				die("timer read");
			}
			(void)follow(log, &pos);
			/* the producer side of the loop */
			if (appended < APPENDED) {
				dprintf(writer, "new line %d\n", ++appended);
			} else if (!stopping) {
				stopping = 1;
				if (eventfd_write(stop, 1) != 0) {
					die("eventfd_write");
				}
			}
		}
		if (pfd[1].revents & POLLIN) {
			eventfd_t v = 0;

			if (eventfd_read(stop, &v) != 0 || v != 1) {
				die("eventfd_read");
			}
			(void)follow(log, &pos);
			done = 1;
		}
	}
	printf("-- stopped at offset %lld --\n", (long long)pos);
	close(log);
	close(writer);
	close(timer);
	close(stop);
	printf("# end\n");
	return 0;
}
