/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * syslog for a TA: openlog syslog vsyslog closelog setlogmask.
 *
 * glibc's connects a UNIX datagram socket of its own to /dev/log, a system call for which
 * the TA sandbox kills the TA. A TA has no system logger: each message that passes the
 * log mask becomes one line on tzm-run's stderr, "tzm: syslog: <ident>[<pid>]: <text>"
 * (libtzm's log line, at most about 250 bytes), and the first call says once where the
 * messages go. With LOG_PERROR the message also goes to the TA's own stderr, as glibc's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "tzm_int.h"

static const char *log_ident;
static int log_option;
static int log_mask = 0xff;

void openlog(const char *ident, int option, int facility)
{
	(void)facility;
	log_ident = ident;
	log_option = option;
}

void closelog(void)
{
	log_ident = NULL;
	log_option = 0;
}

int setlogmask(int mask)
{
	int old = log_mask;

	if (mask != 0) {
		log_mask = mask;
	}
	return old;
}

void vsyslog(int priority, const char *fmt, va_list ap)
{
	char small[TZM_STDIO_FORMAT_STACK];
	char *text = small;
	const char *ident = log_ident ? log_ident : program_invocation_short_name;
	int saved = errno;
	int n = 0;

	if (!(log_mask & LOG_MASK(LOG_PRI(priority)))) {
		return;
	}
	n = tzm__vformat(small, sizeof(small), &text, fmt, ap);
	if (n < 0) {
		errno = saved;
		return;
	}
	tzm__log_once("syslog", "syslog(): a TA has no /dev/log; its messages go here");
	if (log_option & LOG_PID) {
		tzm__log("syslog: %s[%d]: %s", ident ? ident : "", (int)getpid(), text);
	} else {
		tzm__log("syslog: %s: %s", ident ? ident : "", text);
	}
	if (log_option & LOG_PERROR) {
		dprintf(STDERR_FILENO, "%s: %s%s", ident ? ident : "", text,
			n > 0 && text[n - 1] == '\n' ? "" : "\n");
	}
	if (text != small) {
		free(text);
	}
	errno = saved;
}

void syslog(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsyslog(priority, fmt, ap);
	va_end(ap);
}
