/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Small POSIX helpers shared by the tree's own programs: tests, the benchmark and the
 * examples (README.md here). Not part of the product: nothing installed links it, and
 * no component's library (libteec, libtzm, tzm-run, the core) uses it.
 *
 * Two parts. The portable part (TZM_UTIL_SOURCES: exact-length I/O, endpoint parsing,
 * little-endian fields) calls plain libc only, so a program that is also built as a TA
 * (tzm_add_posix_program, through libtzm) or for wasm32-wasi compiles it too. The host
 * part (starting programs through $TZM_EXEC_WRAPPER) runs natively only: it is in the
 * tzm_util library, not in TZM_UTIL_SOURCES.
 *
 * Functions return 0 (or a count) on success and -errno on failure; they print nothing.
 */
#ifndef TZM_UTIL_H
#define TZM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* ---- exact-length I/O (portable) ---- */

/*
 * Writes all of buf to a blocking descriptor, EINTR retried. is_socket: send() with
 * MSG_NOSIGNAL, so a vanished peer is an EPIPE for this descriptor, not a SIGPIPE for the
 * process; otherwise write(). 0 or -errno (-EPIPE if the descriptor accepts no byte).
 */
int tzm_util_write_all(int fd, const void *buf, size_t len, bool is_socket);
/* Reads exactly len bytes, EINTR retried. 0, -EPIPE on an early end of stream, or -errno. */
int tzm_util_read_all(int fd, void *buf, size_t len);

/* ---- endpoints (portable) ---- */

/*
 * "PATH" or "@NAME" (abstract: no terminating NUL, the length says where the name ends)
 * into a sockaddr_un in ss. 0 or -ENAMETOOLONG (empty, or longer than sun_path holds).
 */
int tzm_util_parse_unix(const char *addr, struct sockaddr_storage *ss, socklen_t *len);
/*
 * "a.b.c.d:PORT" or "[v6]:PORT" (PORT decimal, 0..65535; 0 is the caller's to refuse)
 * into a sockaddr_in or sockaddr_in6 in ss. 0 or -EINVAL.
 */
int tzm_util_parse_inet(const char *addr, struct sockaddr_storage *ss, socklen_t *len);

/* ---- little-endian fields of byte formats (portable) ---- */

static inline void tzm_util_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void tzm_util_put_le32(uint8_t *p, uint32_t v)
{
	tzm_util_put_le16(p, (uint16_t)v);
	tzm_util_put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void tzm_util_put_le64(uint8_t *p, uint64_t v)
{
	tzm_util_put_le32(p, (uint32_t)v);
	tzm_util_put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline uint16_t tzm_util_get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t tzm_util_get_le32(const uint8_t *p)
{
	return (uint32_t)tzm_util_get_le16(p) | (uint32_t)tzm_util_get_le16(p + 2) << 16;
}

/* ---- starting built programs (host only: the tzm_util library) ---- */

/* True when path is a readable ELF file. */
bool tzm_util_is_elf(const char *path);
/*
 * The words to put before program's argv[0]: in a cross build (cmake/tzm-exec.sh)
 * TZM_EXEC_WRAPPER names the emulator ("qemu-aarch64 -L /"), which must start the
 * foreign ELF files; scripts, and everything when it is unset, run as they are.
 * Splits a copy of the variable into store[0..size) and points words[0..n) into it.
 * Returns n (0: start program itself), or -E2BIG when the variable does not fit store or
 * has more than max words.
 */
int tzm_util_exec_wrapper(const char *program, char *store, size_t size, const char **words,
			  int max);

#endif
