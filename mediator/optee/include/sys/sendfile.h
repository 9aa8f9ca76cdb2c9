/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef TZM_OPTEE_SYS_SENDFILE_H
#define TZM_OPTEE_SYS_SENDFILE_H

#include <sys/types.h>

ssize_t sendfile(int out, int in, off_t *offset, size_t count);
ssize_t sendfile64(int out, int in, off64_t *offset, size_t count);

#endif
