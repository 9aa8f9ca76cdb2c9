/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hostile shadow test, TA half: shared state and checking helpers of the TA test program
 * (hostile_ta.c runs the cases, ta_cases.c defines one checker per attack).
 */
#ifndef HOSTILE_TA_H
#define HOSTILE_TA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attacks.h"

/* Descriptors the cases use; real ones, created through the (benign) shadow. */
struct hta {
	int p[2];  /* pipe */
	int sv[2]; /* UNIX stream socketpair */
	int ep;    /* epoll set: p[0] registered with H_EP_DATA */
	int lk;    /* record locks: p[0] (the attack answers, the shadow never runs them) */
};
extern struct hta H;

/* A caller buffer with guard bytes on both sides. */
#define G_PAD 32
#define G_MAX 512
struct guarded {
	uint8_t b[G_PAD + G_MAX + G_PAD];
	size_t n;
};
uint8_t *g_init(struct guarded *g, size_t n);
/* the guard bytes are intact */
bool g_intact(const struct guarded *g);
/* nothing changed at all, buffer included (validate before act) */
bool g_untouched(const struct guarded *g);

/* Reports a failed expectation of the running case through tzm_test.h and ends the run. */
int h_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* r == -1 with errno EIO */
int h_want_eio(long r, const char *what);

struct sockaddr_in;
/* 127.0.0.1:80, the address the resolver cases ask about */
void gni_addr(struct sockaddr_in *sin);

#define TA_DECL(name, op, flags) int ta_##name(void);
HOSTILE_ATTACKS(TA_DECL)
#undef TA_DECL

#endif
