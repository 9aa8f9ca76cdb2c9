/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef TZM_OPTEE_DIRENT_H
#define TZM_OPTEE_DIRENT_H

#include <sys/types.h>

#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12
#define DT_WHT 14

struct dirent {
	ino_t d_ino;
	off_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[256];
};

/* libtzm (ta/file.c) defines the stream, under glibc's name for it */
typedef struct __dirstream DIR;

DIR *opendir(const char *path);
DIR *fdopendir(int fd);
struct dirent *readdir(DIR *d);
int closedir(DIR *d);
int dirfd(DIR *d);
struct dirent64;
struct dirent64 *readdir64(DIR *d);

int scandir(const char *path, struct dirent ***out, int (*filter)(const struct dirent *),
	    int (*compar)(const struct dirent **, const struct dirent **));
#endif
