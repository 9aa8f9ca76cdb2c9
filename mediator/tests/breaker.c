/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mediator_breaker: a TA that breaks the wire protocol on purpose (test_breach.sh). After
 * one honest call it submits a request naming a call slot that does not exist, then makes
 * an ordinary call. tzm-run must stop serving it and still not leave it waiting: that call
 * fails with EIO (a TA in the TEE; a local program is ended instead), and tzm-run exits
 * with status 70. The program reaches into libtzm's channel, which no TA should do.
 *
 * usage: mediator_breaker [warm-up]   (exit 42: the call failed with EIO; 64: warm-up)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../ta/tzm_int.h"
#include "../transport/chan.h"

/* the native build of this program has no libtzm (and nothing to break) */
#pragma weak tzm__rt

int main(int argc, char **argv)
{
	struct tzm__chan *c = NULL;
	uint32_t seq = 0;
	time_t t = 0;

	if (argc > 1 && strcmp(argv[1], "warm-up") == 0) {
		return 64;
	}
	if (&tzm__rt == NULL) {
		fprintf(stderr, "mediator_breaker: only as a TA or with --local\n");
		return 77;
	}
	c = tzm__rt.tp->priv;
	if (time(NULL) == (time_t)-1) {
		return 10; /* the first call is served honestly */
	}
	printf("breaking the protocol\n");
	fflush(stdout);
	/*
	 * Our own sequence count moves past the bogus request, so the ordinary call below
	 * follows it in the ring and cannot overwrite it.
	 */
	seq = c->seq + 1;
	__atomic_store_n(&c->ctrl->sq[(seq - 1) % TZM_WIRE_RING], 0xffffu, __ATOMIC_RELAXED);
	c->seq = seq;
	__atomic_store_n(&c->ctrl->req_seq, seq, __ATOMIC_SEQ_CST);
	errno = 0;
	t = time(NULL); /* no answer will come: it must fail, not wait */
	return t == (time_t)-1 && errno == EIO ? 42 : 43;
}
