/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test: POSIX message queues. mq_open (create, O_EXCL, missing queue, bad
 * name), mq_send/mq_receive with priorities (highest first, FIFO within a priority),
 * EMSGSIZE both ways, EAGAIN on a full or empty queue opened with O_NONBLOCK, mq_close
 * and mq_unlink. The queue name derives from the scratch dir, so runs never collide.
 */
#include "tr.h"

#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define MSGSIZE 64

int main(int argc, char **argv)
{
	const char *dir = tr_begin("mqueue", argc, argv);
	char name[64] = "";
	char buf[MSGSIZE] = "";
	char big[MSGSIZE + 1];
	struct mq_attr attr;
	unsigned prio = 0;
	mqd_t m = (mqd_t)-1, nb = (mqd_t)-1;

	snprintf(name, sizeof(name), "/tzmd-%016llx",
		 (unsigned long long)tr_fnv64(dir, strlen(dir)));
	memset(big, 'b', sizeof(big));
	memset(&attr, 0, sizeof(attr));
	attr.mq_maxmsg = 4;
	attr.mq_msgsize = MSGSIZE;

	EXPECT(-1, ENOENT, mq_open(name, O_RDWR));
	m = EXPECT(TR_FD, 0, mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr));
	EXPECT(-1, EEXIST, mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr));
	EXPECT(-1, EACCES, mq_open("/bad/name", O_RDONLY));

	/* Highest priority first; equal priorities keep their order. */
	EXPECT(0, 0, mq_send(m, "low", 3, 1));
	EXPECT(0, 0, mq_send(m, "high", 4, 9));
	EXPECT(0, 0, mq_send(m, "mid", 3, 5));
	EXPECT(0, 0, mq_send(m, "low2", 4, 1));
	EXPECT(-1, EMSGSIZE, mq_receive(m, buf, MSGSIZE - 1, &prio));
	for (int i = 0; i < 4; i++) {
		EXPECT_DATA(TR_POS, 0, buf, mq_receive(m, buf, sizeof(buf), &prio));
		NOTE("priority %u", prio);
	}
	EXPECT(-1, EMSGSIZE, mq_send(m, big, sizeof(big), 0));
	EXPECT(0, 0, mq_send(m, "", 0, 3));
	EXPECT(0, 0, mq_receive(m, buf, sizeof(buf), NULL));

	/* A second, non-blocking descriptor for the same queue. */
	nb = EXPECT(TR_FD, 0, mq_open(name, O_RDWR | O_NONBLOCK));
	EXPECT(-1, EAGAIN, mq_receive(nb, buf, sizeof(buf), &prio));
	for (unsigned i = 0; i < 4; i++) {
		EXPECT(0, 0, mq_send(nb, "fill", 4, i));
	}
	EXPECT(-1, EAGAIN, mq_send(nb, "full", 4, 0));
	EXPECT_DATA(4, 0, buf, mq_receive(m, buf, sizeof(buf), &prio));
	NOTE("priority %u", prio);
	EXPECT(0, 0, mq_send(nb, "room", 4, 7));
	EXPECT_DATA(4, 0, buf, mq_receive(nb, buf, sizeof(buf), &prio));
	NOTE("priority %u", prio);

	EXPECT(0, 0, mq_close(nb));
	EXPECT(-1, EBADF, mq_close(nb));
	EXPECT(0, 0, mq_close(m));
	EXPECT(0, 0, mq_unlink(name));
	EXPECT(-1, ENOENT, mq_unlink(name));
	EXPECT(-1, ENOENT, mq_open(name, O_RDONLY));
	return tr_end();
}
