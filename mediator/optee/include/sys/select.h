/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef TZM_OPTEE_SYS_SELECT_H
#define TZM_OPTEE_SYS_SELECT_H

#include <signal.h>
#include <sys/time.h>

#define FD_SETSIZE 1024
typedef struct {
	unsigned long fds_bits[FD_SETSIZE / (8 * sizeof(unsigned long))];
} fd_set;
#define TZM__FD_WORD(fd) ((unsigned)(fd) / (8 * sizeof(unsigned long)))
#define TZM__FD_BIT(fd) (1ul << ((unsigned)(fd) % (8 * sizeof(unsigned long))))
#define FD_ZERO(s) __builtin_memset((s), 0, sizeof(fd_set))
#define FD_SET(fd, s) ((s)->fds_bits[TZM__FD_WORD(fd)] |= TZM__FD_BIT(fd))
#define FD_CLR(fd, s) ((s)->fds_bits[TZM__FD_WORD(fd)] &= ~TZM__FD_BIT(fd))
#define FD_ISSET(fd, s) (((s)->fds_bits[TZM__FD_WORD(fd)] & TZM__FD_BIT(fd)) != 0)

int select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv);
int pselect(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, const struct timespec *ts,
	    const sigset_t *mask);

#endif
