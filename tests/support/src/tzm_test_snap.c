/* SPDX-License-Identifier: BSD-2-Clause */
/* Directory snapshots for rollback tests (see tzm_test_snap.h). */
#include "tzm_test_snap.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tzm_test.h"

void tzm_test_snap_take(const char *dir, struct tzm_test_snap *s)
{
	char path[PATH_MAX];
	struct dirent *de = NULL;
	DIR *d = opendir(dir);

	memset(s, 0, sizeof(*s));
	TEST_STEP("snapshot %s", dir);
	ASSERT_NOT_NULL(d);
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		int fd = -1;

		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			continue;
		}
		ASSERT_LT_INT(s->count, TZM_TEST_SNAP_MAX);
		memcpy(s->name[s->count], de->d_name, strlen(de->d_name) + 1);
		s->len[s->count] = (size_t)st.st_size;
		s->data[s->count] = malloc((size_t)st.st_size + 1);
		ASSERT_NOT_NULL(s->data[s->count]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		ASSERT_GE_INT(fd, 0);
		ASSERT_EQ_INT(read(fd, s->data[s->count], (size_t)st.st_size), st.st_size);
		close(fd);
		s->count++;
	}
	closedir(d);
}

void tzm_test_snap_restore(const char *dir, const struct tzm_test_snap *s)
{
	char path[PATH_MAX];
	struct dirent *de = NULL;
	DIR *d = NULL;

	TEST_STEP("restore %s", dir);
	mkdir(dir, 0700);
	d = opendir(dir);
	ASSERT_NOT_NULL(d);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			ASSERT_EQ_INT(unlink(path), 0);
		}
	}
	closedir(d);
	for (size_t i = 0; i < s->count; i++) {
		int fd = -1;

		snprintf(path, sizeof(path), "%s/%s", dir, s->name[i]);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		ASSERT_GE_INT(fd, 0);
		ASSERT_EQ_INT(write(fd, s->data[i], s->len[i]), (ssize_t)s->len[i]);
		close(fd);
	}
}

void tzm_test_snap_free(struct tzm_test_snap *s)
{
	for (size_t i = 0; i < s->count; i++) {
		free(s->data[i]);
	}
	memset(s, 0, sizeof(*s));
}
