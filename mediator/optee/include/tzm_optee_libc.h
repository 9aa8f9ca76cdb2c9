/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libtzm's C library surface for real OP-TEE TAs (mediator/optee/include). OP-TEE's own
 * C library (libutils) has no sockets, files, errno or FILE streams; these headers add
 * the POSIX declarations a program needs, with Linux (aarch64) values and layouts where
 * they travel to the shadow (flags, errno, sockaddr), and libtzm implements them.
 *
 * libutils and libutee already define a few of the same names for the secure console
 * (printf, puts, putchar, fputc, fputs, fwrite, stdout, stderr, write). TZM_NAME gives
 * ours another symbol name (an asm label): the program's source says printf, its object
 * calls tzm_printf, and OP-TEE's console functions stay as they are for OP-TEE's code.
 */
#ifndef TZM_OPTEE_LIBC_H
#define TZM_OPTEE_LIBC_H

#define TZM_NAME(name) __asm__("tzm_" #name)

#endif
