/* SPDX-License-Identifier: BSD-2-Clause */
#include "file_read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int tzm_file_read(const char *path, size_t max, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long sz = 0;
	int rc = -EIO;

	if (f == NULL) {
		return -errno;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		goto out;
	}
	if ((unsigned long)sz > max) {
		rc = -EFBIG;
		goto out;
	}
	buf = malloc((size_t)sz + 1);
	if (buf == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	if (fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
		goto out;
	}
	*out = buf;
	*len = (size_t)sz;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	fclose(f);
	return rc;
}
