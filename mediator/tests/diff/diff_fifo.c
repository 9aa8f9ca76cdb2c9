/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test: named pipes. mkfifo, open in blocking and O_NONBLOCK modes (incl.
 * ENXIO for a write-open without reader), read/write incl. EAGAIN, partial non-blocking
 * writes of more than the pipe capacity, EOF after the last writer closes, close/EBADF.
 * The program is its own peer: it opens the read end non-blocking first, so every later
 * blocking open finds its partner and nothing waits for another process.
 */
#include "tr.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PIPE_CAPACITY 65536 /* Linux default pipe buffer */
/* 128 KiB or more: split into linked chunks in flight (run_diff.sh sets TZM_SPLIT_MIN) */
#define BIG (4 * PIPE_CAPACITY + 10000)

static unsigned char big[BIG];
static unsigned char back[BIG];

int main(int argc, char **argv)
{
	const char *dir = tr_begin("fifo", argc, argv);
	char path[PATH_MAX];
	char missing[PATH_MAX];
	char buf[64] = "";
	int rd = -1;
	int rd2 = -1;
	int wr = -1;
	long got = 0;

	tr_join(path, sizeof(path), dir, "fifo");
	tr_join(missing, sizeof(missing), dir, "no-such-dir/fifo");
	tr_pattern(big, sizeof(big), 1);

	EXPECT(0, 0, mkfifo(path, 0600));
	EXPECT(-1, EEXIST, mkfifo(path, 0600));
	EXPECT(-1, ENOENT, mkfifo(missing, 0600));
	EXPECT(-1, ENXIO, open(path, O_WRONLY | O_NONBLOCK));
	rd = EXPECT(TR_FD, 0, open(path, O_RDONLY | O_NONBLOCK));
	/* No writer has ever opened it: a non-blocking read reports end of file. */
	EXPECT(0, 0, read(rd, buf, sizeof(buf)));
	wr = EXPECT(TR_FD, 0, open(path, O_WRONLY));
	EXPECT(-1, EAGAIN, read(rd, buf, sizeof(buf)));
	EXPECT(5, 0, write(wr, "hello", 5));
	EXPECT_DATA(3, 0, buf, read(rd, buf, 3));
	EXPECT_DATA(2, 0, buf, read(rd, buf, sizeof(buf)));
	EXPECT(-1, EAGAIN, read(rd, buf, sizeof(buf)));

	/* A blocking open for reading succeeds at once while a writer exists. */
	rd2 = EXPECT(TR_FD, 0, open(path, O_RDONLY));
	EXPECT(0, 0, close(rd2));

	/* Several writes arrive as one byte stream. */
	EXPECT(3, 0, write(wr, "abc", 3));
	EXPECT(3, 0, write(wr, "def", 3));
	EXPECT_DATA(6, 0, buf, read(rd, buf, sizeof(buf)));

	/*
	 * Non-blocking writer: more than the capacity is a partial write, then EAGAIN. Through
	 * the mediator the first chunk is short and the linked ones in flight must not run.
	 */
	EXPECT(O_WRONLY, 0, fcntl(wr, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	EXPECT(0, 0, fcntl(wr, F_SETFL, O_NONBLOCK));
	EXPECT(O_WRONLY | O_NONBLOCK, 0, fcntl(wr, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	EXPECT_DATA(PIPE_CAPACITY, 0, big, write(wr, big, sizeof(big)));
	EXPECT(-1, EAGAIN, write(wr, big, 1));
	for (int i = 0; i < PIPE_CAPACITY / 8192; i++) {
		got += EXPECT_DATA(8192, 0, back + got, read(rd, back + got, 8192));
	}
	EXPECT(-1, EAGAIN, read(rd, back, 1));
	ASSERT(memcmp(big, back, PIPE_CAPACITY) == 0);

	/*
	 * A blocking read of 256 KiB, split by libtzm into linked chunks of 64 KiB: with a
	 * full pipe there (one chunk's worth), the read returns it; the next chunk must not
	 * wait for more (a single read would have returned).
	 */
	EXPECT(0, 0, fcntl(rd, F_SETFL, 0));
	EXPECT(PIPE_CAPACITY, 0, write(wr, big, PIPE_CAPACITY));
	EXPECT_DATA(PIPE_CAPACITY, 0, back, read(rd, back, 4 * PIPE_CAPACITY));
	ASSERT(memcmp(big, back, PIPE_CAPACITY) == 0);
	EXPECT(0, 0, fcntl(rd, F_SETFL, O_NONBLOCK));

	/* Last writer gone: the reader sees end of file, not EAGAIN. */
	EXPECT(7, 0, write(wr, "goodbye", 7));
	EXPECT(0, 0, close(wr));
	EXPECT_DATA(7, 0, buf, read(rd, buf, sizeof(buf)));
	EXPECT(0, 0, read(rd, buf, sizeof(buf)));
	EXPECT(0, 0, read(rd, back, 4 * PIPE_CAPACITY)); /* a split read at end of file */
	EXPECT(-1, EBADF, write(rd, "x", 1));
	EXPECT(0, 0, close(rd));
	EXPECT(-1, EBADF, close(rd));
	EXPECT(-1, EBADF, read(rd, buf, 1));

	EXPECT(0, 0, unlink(path));
	EXPECT(-1, ENOENT, unlink(path));
	EXPECT(-1, ENOENT, open(path, O_RDONLY | O_NONBLOCK));
	return tr_end();
}
