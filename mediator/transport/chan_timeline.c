/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The shadow's per-call timeline (TZM_CHAN_STATS, see tzm__chan_timeline_start in
 * chan.h): histograms of each phase of a forwarded call, from CPU counter stamps of both
 * sides, and their printout. Diagnostics only: nothing here decides anything, and the
 * TA's stamps (untrusted numbers) only ever reach the printout. The channel itself is
 * chan.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chan.h"

#define TL_BIN_NS 250u /* histogram bins of 0.25 us... */
#define TL_BINS 256u   /* ...up to 64 us; longer phases (idle waits) are counted apart */
#define TL_PHASES 10u  /* 3 classes x (to shadow, shadow, to TA), TA between calls */

struct tzm__chan_timeline {
	uint32_t hist[TL_PHASES][TL_BINS];
	uint32_t over[TL_PHASES];
	uint32_t pickup, reply; /* shadow's counter at pick-up / reply of the current call */
	uint8_t cls;            /* class of the current call */
};

static void tl_add(struct tzm__chan_timeline *t, unsigned phase, uint32_t from, uint32_t to)
{
	uint64_t ns =
		tzm__chan_ticks_ns((uint32_t)(to - from)); /* modulo 2^32: any phase under ~1 s */

	if (ns / TL_BIN_NS < TL_BINS) {
		t->hist[phase][ns / TL_BIN_NS]++;
	} else {
		t->over[phase]++;
	}
}

/* Median of a phase in us (middle of its bin), and how many samples it has. */
static double tl_median_us(const struct tzm__chan_timeline *t, unsigned phase, uint32_t *n)
{
	uint32_t total = t->over[phase], seen = 0;

	for (unsigned i = 0; i < TL_BINS; i++) {
		total += t->hist[phase][i];
	}
	*n = total;
	for (unsigned i = 0; i < TL_BINS && total > 0; i++) {
		seen += t->hist[phase][i];
		if (seen * 2 >= total) {
			return (i + 0.5) * TL_BIN_NS / 1000.0;
		}
	}
	return total > 0 ? TL_BINS * TL_BIN_NS / 1000.0 : 0.0;
}

int tzm__chan_timeline_start(struct tzm__chan *c)
{
	c->tl = calloc(1, sizeof(*c->tl));
	return c->tl ? 0 : -ENOMEM;
}

void tzm__chan_timeline_stop(struct tzm__chan *c)
{
	free(c->tl);
	c->tl = NULL;
}

/* snprintf at *at in buf, keeping *at within len (output beyond it is cut). */
void tzm__chan_append(char *buf, size_t len, size_t *at, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (*at + 1 >= len) {
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(buf + *at, len - *at, fmt, ap);
	va_end(ap);
	if (n > 0) {
		*at = *at + (size_t)n < len ? *at + (size_t)n : len - 1;
	}
}

void tzm__chan_timeline_request(struct tzm__chan_timeline *t, bool after_reply, uint8_t cls,
				uint32_t post, uint32_t seen, uint32_t now)
{
	if (after_reply) {
		tl_add(t, t->cls * 3u + 2u, t->reply, seen);
		tl_add(t, 9, seen, post);
	}
	t->cls = cls;
	tl_add(t, t->cls * 3u, post, now);
	t->pickup = now;
}

void tzm__chan_timeline_reply(struct tzm__chan_timeline *t, uint32_t now)
{
	t->reply = now;
	tl_add(t, t->cls * 3u + 1u, t->pickup, t->reply);
}

void tzm__chan_timeline_print(const struct tzm__chan_timeline *t, char *buf, size_t len, size_t *at)
{
	static const char *const names[3] = { "read", "write", "other" };

	tzm__chan_append(buf, len, at, "\ntimeline (median us: TA->shadow / shadow / shadow->TA):");
	for (unsigned k = 0; k < 3; k++) {
		uint32_t n[3];
		double m[3];

		for (unsigned p = 0; p < 3; p++) {
			m[p] = tl_median_us(t, k * 3 + p, &n[p]);
		}
		if (n[1] > 0) {
			tzm__chan_append(buf, len, at, " %s %.2f / %.2f / %.2f (%u calls);",
					 names[k], m[0], m[1], m[2], n[1]);
		}
	}
	{
		uint32_t n = 0;
		double m = tl_median_us(t, 9, &n);

		tzm__chan_append(buf, len, at, " TA from answer to next request %.2f", m);
	}
}
