/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hostile shadow test, shadow half: the state of the malicious server and the fabricator
 * signature (sh_attacks.c). The server reuses the real shadow's executor (tzm_shadow and
 * its handlers) for every request it does not attack.
 */
#ifndef HOSTILE_SH_H
#define HOSTILE_SH_H

#include <stddef.h>
#include <stdint.h>

#include "../../shadow/shadow.h"
#include "../../transport/chan.h"
#include "attacks.h"

/* Bytes the server keeps rewriting after it published an answer (double-fetch races). */
struct hflip {
	volatile uint8_t *at;
	size_t len;
	uint8_t a[8]; /* the published value, restored last */
	uint8_t b[8]; /* the hostile one */
};

struct hsh {
	struct tzm_shadow *s;
	struct tzm__chan *chan;
	struct hflip flip[2];
	int nflip;
};

typedef void (*hsh_fn)(struct hsh *h, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		       struct tzm_wire_resp *rs);

/* A fabricator's parameters; most use only some of them. */
#define SH_ARGS                                                                                    \
	struct hsh *h __attribute__((unused)),                                                     \
		const struct tzm_wire_req *rq __attribute__((unused)),                             \
		uint8_t *buf __attribute__((unused)), size_t cap __attribute__((unused)),          \
		struct tzm_wire_resp *rs

#define SH_DECL(name, op, flags) void sh_##name(SH_ARGS);
HOSTILE_ATTACKS(SH_DECL)
#undef SH_DECL

#endif
