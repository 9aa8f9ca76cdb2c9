/* SPDX-License-Identifier: BSD-2-Clause */
/* POSIX types with Linux aarch64 (LP64) sizes, then OP-TEE's own sys/types.h. */
#ifndef TZM_OPTEE_SYS_TYPES_H
#define TZM_OPTEE_SYS_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifndef __ssize_t_defined
#define __ssize_t_defined
typedef intptr_t ssize_t;
#endif
typedef long off_t;
typedef long off64_t;
typedef unsigned int mode_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned long dev_t;
typedef unsigned long ino_t;
typedef unsigned int nlink_t;
typedef int blksize_t;
typedef long blkcnt_t;
typedef long suseconds_t;
typedef int clockid_t;
typedef unsigned int useconds_t;
typedef unsigned int socklen_t;
typedef unsigned short sa_family_t;

#include_next <sys/types.h>

#endif
