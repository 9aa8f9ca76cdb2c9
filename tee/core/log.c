/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee.log: core messages and TA traces, one line each:
 *   2026-01-02T03:04:05.678Z core[1234] E: message
 *   2026-01-02T03:04:05.678Z ta 8aaaf200-2450-11e4-abe2-0002a5d5c51b#3 I: text
 * Written with O_APPEND so that lines from concurrent writers do not interleave.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "teed.h"

int core_log_open(struct core *core, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

	if (fd < 0) {
		return -errno;
	}
	core->log_fd = fd;
	return 0;
}

int core_log_fd(const struct core *core)
{
	return core ? core->log_fd : 2;
}

static size_t stamp(char *buf, size_t cap)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, cap, "%Y-%m-%dT%H:%M:%S", &tm);
	n += (size_t)snprintf(buf + n, cap - n, ".%03ldZ ", ts.tv_nsec / 1000000);
	return n;
}

static void emit(int fd, char *line, size_t n, size_t cap)
{
	if (n >= cap) {
		n = cap - 1;
	}
	line[n - 1] = '\n';
	if (write(fd, line, n) < 0) {
		/* nowhere left to report it */
	}
}

void core_log(const struct core *core, char level, const char *fmt, ...)
{
	char line[2048];
	size_t n = stamp(line, sizeof(line));
	va_list ap;
	int k;

	n += (size_t)snprintf(line + n, sizeof(line) - n, "core[%d] %c: ", (int)getpid(), level);
	va_start(ap, fmt);
	k = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	n += k > 0 ? (size_t)k : 0;
	if (n < sizeof(line) - 1) {
		n++; /* room for the newline */
	}
	emit(core_log_fd(core), line, n, sizeof(line));
}

void core_log_ta(const struct core *core, const struct instance *inst, uint32_t level,
		 const char *text, size_t len)
{
	static const char lv[] = "?EIDF";
	char line[TEE_MSG_MAX_LOG_LINE + 256];
	size_t n = stamp(line, sizeof(line));

	n += (size_t)snprintf(line + n, sizeof(line) - n, "ta %s#%llu %c: ", inst->uuid_str,
			      (unsigned long long)inst->id, level < 5 ? lv[level] : '?');
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r')) {
		len--;
	}
	for (size_t i = 0; i < len && n < sizeof(line) - 2; i++) {
		char ch = text[i];
		/* TA text is untrusted: no control characters, so one trace = one log line */
		line[n++] = (ch >= 0x20 && ch != 0x7f) || ch == '\t' ? ch : '.';
	}
	n++;
	emit(core_log_fd(core), line, n, sizeof(line));
}
