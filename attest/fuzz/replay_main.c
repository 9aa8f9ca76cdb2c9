// SPDX-License-Identifier: BSD-2-Clause
/*
 * Replays files through the fuzz entry point when libFuzzer is not available (gcc
 * builds): every seed (*.cbor, or *REPLAY_SEED_EXT when the build defines it; realm/
 * uses this file for its RMI fuzzer with ".bin") and every committed regression input.
 * A crash or sanitizer report fails the test; so does finding no seeds (a broken path
 * must not pass silently).
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef REPLAY_SEED_EXT
#define REPLAY_SEED_EXT ".cbor"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	static uint8_t buf[70000];
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		perror(path);
		return -1;
	}
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	/* Also every prefix: truncations are the most common malformation. */
	for (size_t k = 0; k < n; k += 7) {
		LLVMFuzzerTestOneInput(buf, k);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int seeds = 0;
	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		struct dirent *de;
		if (d == NULL) {
			perror(argv[i]);
			return 1;
		}
		while ((de = readdir(d)) != NULL) {
			size_t n = strlen(de->d_name);
			bool regression =
				strstr(argv[i], "regressions") != NULL && de->d_name[0] != '.';
			size_t ext = strlen(REPLAY_SEED_EXT);
			if (!regression &&
			    (n < ext || strcmp(de->d_name + n - ext, REPLAY_SEED_EXT) != 0)) {
				continue;
			}
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
			if (replay_file(path) != 0) {
				closedir(d);
				return 1;
			}
			printf("replayed %s\n", path);
			seeds++;
		}
		closedir(d);
	}
	if (seeds == 0) {
		fprintf(stderr, "no seeds found\n");
		return 1;
	}
	printf("%d inputs replayed without crashes\n", seeds);
	return 0;
}
