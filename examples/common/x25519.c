/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * X25519 (RFC 7748). Field elements of GF(2^255 - 19) are 16 signed 64-bit limbs of 16
 * bits each (radix 2^16); 2^256 = 38 (mod p) folds a product's upper half and a carry out
 * of the top limb. Values stay unreduced until pack(), which reduces fully.
 */
#include "x25519.h"

#include <string.h>

typedef int64_t fe[16];

/* Propagates each limb's excess into the next (the top one wraps to limb 0 times 38).
 * The shift is arithmetic for negative limbs (gcc and clang), a floor division. */
static void carry(fe a)
{
	for (int i = 0; i < 16; i++) {
		int64_t c = a[i] >> 16;
		a[i] -= c * 65536;
		if (i < 15) {
			a[i + 1] += c;
		} else {
			a[0] += 38 * c;
		}
	}
}

static void fe_add(fe out, const fe a, const fe b)
{
	for (int i = 0; i < 16; i++) {
		out[i] = a[i] + b[i];
	}
}

static void fe_sub(fe out, const fe a, const fe b)
{
	for (int i = 0; i < 16; i++) {
		out[i] = a[i] - b[i];
	}
}

static void fe_mul(fe out, const fe a, const fe b)
{
	int64_t t[31];
	memset(t, 0, sizeof(t));
	for (int i = 0; i < 16; i++) {
		for (int j = 0; j < 16; j++) {
			t[i + j] += a[i] * b[j];
		}
	}
	for (int i = 0; i < 15; i++) {
		t[i] += 38 * t[i + 16];
	}
	memcpy(out, t, sizeof(fe));
	carry(out);
	carry(out);
}

/* Swaps a and b when bit is 1, without branching on it. */
static void fe_cswap(fe a, fe b, int64_t bit)
{
	int64_t mask = -bit;
	for (int i = 0; i < 16; i++) {
		int64_t t = mask & (a[i] ^ b[i]);
		a[i] ^= t;
		b[i] ^= t;
	}
}

/* a^(p - 2) = 1/a. p - 2 = 2^255 - 21: every bit from 254 down is 1 except bits 4 and 2. */
static void fe_invert(fe out, const fe a)
{
	fe r;
	memcpy(r, a, sizeof(fe));
	for (int bit = 253; bit >= 0; bit--) {
		fe_mul(r, r, r);
		if (bit != 4 && bit != 2) {
			fe_mul(r, r, a);
		}
	}
	memcpy(out, r, sizeof(fe));
}

static void unpack(fe out, const uint8_t in[32])
{
	for (int i = 0; i < 16; i++) {
		out[i] = (int64_t)in[2 * i] | (int64_t)in[2 * i + 1] << 8;
	}
	out[15] &= 0x7fff; /* RFC 7748: the top bit of u is ignored */
}

/* The canonical encoding: limbs normalised to [0, 2^16), then p subtracted while it fits
 * (twice is enough after normalising). */
static void pack(uint8_t out[32], const fe in)
{
	fe t, m;
	memcpy(t, in, sizeof(fe));
	carry(t);
	carry(t);
	carry(t);
	for (int round = 0; round < 2; round++) {
		m[0] = t[0] - 0xffed;
		for (int i = 1; i < 15; i++) {
			m[i] = t[i] - 0xffff - ((m[i - 1] >> 16) & 1);
			m[i - 1] &= 0xffff;
		}
		m[15] = t[15] - 0x7fff - ((m[14] >> 16) & 1);
		m[14] &= 0xffff;
		int64_t borrow = (m[15] >> 16) & 1;
		fe_cswap(t, m, 1 - borrow); /* no borrow: t >= p, take t - p */
	}
	for (int i = 0; i < 16; i++) {
		out[2 * i] = (uint8_t)(t[i] & 0xff);
		out[2 * i + 1] = (uint8_t)((t[i] >> 8) & 0xff);
	}
}

void x25519(uint8_t out[X25519_LEN], const uint8_t scalar[X25519_LEN], const uint8_t u[X25519_LEN])
{
	static const fe a24 = { 0xdb41, 1 }; /* (486662 - 2) / 4 = 121665 */
	uint8_t k[32];
	fe x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb;
	int64_t swap = 0;

	memcpy(k, scalar, sizeof(k));
	k[0] &= 248;
	k[31] &= 127;
	k[31] |= 64;
	unpack(x1, u);
	memset(x2, 0, sizeof(fe));
	x2[0] = 1;
	memset(z2, 0, sizeof(fe));
	memcpy(x3, x1, sizeof(fe));
	memset(z3, 0, sizeof(fe));
	z3[0] = 1;
	for (int t = 254; t >= 0; t--) {
		int64_t bit = (k[t >> 3] >> (t & 7)) & 1;
		swap ^= bit;
		fe_cswap(x2, x3, swap);
		fe_cswap(z2, z3, swap);
		swap = bit;
		fe_add(a, x2, z2);
		fe_mul(aa, a, a);
		fe_sub(b, x2, z2);
		fe_mul(bb, b, b);
		fe_sub(e, aa, bb);
		fe_add(c, x3, z3);
		fe_sub(d, x3, z3);
		fe_mul(da, d, a);
		fe_mul(cb, c, b);
		fe_add(x3, da, cb);
		fe_mul(x3, x3, x3);
		fe_sub(z3, da, cb);
		fe_mul(z3, z3, z3);
		fe_mul(z3, z3, x1);
		fe_mul(x2, aa, bb);
		fe_mul(z2, a24, e);
		fe_add(z2, z2, aa);
		fe_mul(z2, z2, e);
	}
	fe_cswap(x2, x3, swap);
	fe_cswap(z2, z3, swap);
	fe_invert(z2, z2);
	fe_mul(x2, x2, z2);
	pack(out, x2);
	memset(k, 0, sizeof(k));
}

void x25519_public(uint8_t out[X25519_LEN], const uint8_t scalar[X25519_LEN])
{
	static const uint8_t nine[32] = { 9 };
	x25519(out, scalar, nine);
}
