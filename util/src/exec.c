/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host part of tzm_util.h: which words start a built program (the emulator of a
 * cross build for ELF files, nothing for scripts). Natively only.
 */
#include "tzm_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool tzm_util_is_elf(const char *path)
{
	unsigned char m[4] = { 0, 0, 0, 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = -1;

	if (fd < 0) {
		return false;
	}
	n = read(fd, m, sizeof(m));
	close(fd);
	return n == 4 && m[0] == 0x7f && m[1] == 'E' && m[2] == 'L' && m[3] == 'F';
}

int tzm_util_exec_wrapper(const char *program, char *store, size_t size, const char **words,
			  int max)
{
	const char *env = getenv("TZM_EXEC_WRAPPER");
	char *save = NULL, *w = NULL;
	int n = 0;

	if (!env || !*env || !tzm_util_is_elf(program)) {
		return 0;
	}
	if (strlen(env) >= size) {
		return -E2BIG;
	}
	strcpy(store, env);
	for (w = strtok_r(store, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (n == max) {
			return -E2BIG;
		}
		words[n++] = w;
	}
	return n;
}
