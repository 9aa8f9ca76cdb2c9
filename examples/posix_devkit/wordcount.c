/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A plain POSIX program that builds, unchanged, as a native program (`cc wordcount.c`) and
 * as a TA through the OP-TEE-style dev kit (`make CFG_TZM_POSIX=y`, see README.md). It
 * counts lines, words and bytes on its standard input with read(2), like `wc`, and reports
 * its arguments and one environment variable. As a TA, every read() and printf() below is
 * an RPC to the shadow (`tzm run`), whose stdin/stdout are the TA's fds 0/1.
 *
 *   wordcount [ARGS...] < input
 *
 * Output (stdout): the build kind, each argument, POSIX_DEVKIT_GREETING, the counts.
 * Exit status: 0, or 1 when reading fails.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static unsigned char buf[4096];
	unsigned long lines = 0, words = 0, bytes = 0;
	const char *greeting = getenv("POSIX_DEVKIT_GREETING");
	int in_word = 0;

#ifdef TZM_POSIX_TA
	printf("wordcount: built as a TA (libtzm, dev kit CFG_TZM_POSIX=y)\n");
#else
	printf("wordcount: built as a native program\n");
#endif
	for (int i = 1; i < argc; i++) {
		printf("arg %d: %s\n", i, argv[i]);
	}
	printf("POSIX_DEVKIT_GREETING: %s\n", greeting != NULL ? greeting : "(unset)");

	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			fprintf(stderr, "wordcount: read: %s\n", strerror(errno));
			return 1;
		}
		if (n == 0) {
			break;
		}
		bytes += (unsigned long)n;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				lines++;
			}
			if (isspace(buf[i])) {
				in_word = 0;
			} else if (!in_word) {
				in_word = 1;
				words++;
			}
		}
	}
	printf("stdin: %lu lines, %lu words, %lu bytes\n", lines, words, bytes);
	return 0;
}
