// SPDX-License-Identifier: BSD-2-Clause
/*
 * Realm measurements as RMM spec 1.0 defines them. Every measurement slot is 64 bytes
 * with the digest in the low bytes and zeroes after. RIM updates hash a descriptor that
 * embeds the current RIM:
 *
 *   DATA (type 0)                REC (type 1)                 RIPAS (type 2)
 *   0x00 desc_type u8 (pad 8)    0x00 desc_type u8            0x00 desc_type u8
 *   0x08 len = 0x100 u64         0x08 len = 0x100             0x08 len = 0x100
 *   0x10 rim       64 B          0x10 rim      64 B           0x10 rim   64 B
 *   0x50 ipa       u64           0x50 content  64 B           0x50 base  u64
 *   0x58 flags     u64                                        0x58 top   u64
 *   0x60 content   64 B
 *
 * The realm parameters' measurement hashes a zeroed 4096-byte RmiRealmParams keeping
 * only flags, s2sz, sve_vl, num_bps, num_wps, pmu_num_ctrs and algorithm.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <string.h>

#include "rmm_int.h"

#define DESC_SIZE 0x100u

size_t tzm__digest_len(unsigned algorithm)
{
	return algorithm == TZM_RMI_HASH_SHA_512 ? 64u : 32u;
}

int tzm__meas_hash(unsigned algorithm, const void *data, size_t len, uint8_t out[64])
{
	unsigned n = 0;
	memset(out, 0, 64);
	const EVP_MD *md = algorithm == TZM_RMI_HASH_SHA_512 ? EVP_sha512() : EVP_sha256();
	return EVP_Digest(data, len, out, &n, md, NULL) == 1 ? 0 : -EIO;
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void extend_rim(unsigned alg, uint8_t rim[64], uint8_t desc[DESC_SIZE])
{
	desc[0x8] = (uint8_t)DESC_SIZE; /* len = 0x100, little-endian u64 */
	desc[0x9] = (uint8_t)(DESC_SIZE >> 8);
	memcpy(desc + 0x10, rim, 64);
	(void)tzm__meas_hash(alg, desc, DESC_SIZE, rim);
}

void tzm__measure_realm_params(const struct tzm__realm_params *p, uint8_t rim[64])
{
	uint8_t buf[TZM_GRANULE_SIZE];
	memset(buf, 0, sizeof(buf));
	put64(buf + TZM_RP_FLAGS, p->flags);
	buf[TZM_RP_S2SZ] = p->s2sz;
	buf[TZM_RP_SVE_VL] = p->sve_vl;
	buf[TZM_RP_NUM_BPS] = p->num_bps;
	buf[TZM_RP_NUM_WPS] = p->num_wps;
	buf[TZM_RP_PMU_NUM_CTRS] = p->pmu_num_ctrs;
	buf[TZM_RP_ALGORITHM] = p->algorithm;
	(void)tzm__meas_hash(p->algorithm, buf, sizeof(buf), rim);
}

void tzm__measure_data(unsigned alg, uint8_t rim[64], uint64_t ipa, uint64_t flags,
		       const uint8_t page[TZM_GRANULE_SIZE])
{
	uint8_t desc[DESC_SIZE];
	memset(desc, 0, sizeof(desc));
	desc[0] = 0;
	put64(desc + 0x50, ipa);
	put64(desc + 0x58, flags);
	if (flags == TZM_RMI_MEASURE_CONTENT) {
		(void)tzm__meas_hash(alg, page, TZM_GRANULE_SIZE, desc + 0x60);
	}
	extend_rim(alg, rim, desc);
}

void tzm__measure_rec(unsigned alg, uint8_t rim[64], const struct tzm__rec_params *p)
{
	uint8_t buf[TZM_GRANULE_SIZE];
	uint8_t desc[DESC_SIZE];
	memset(buf, 0, sizeof(buf));
	put64(buf + TZM_RECP_FLAGS, p->flags);
	put64(buf + TZM_RECP_PC, p->pc);
	for (unsigned i = 0; i < 8; i++) {
		put64(buf + TZM_RECP_GPRS + 8u * i, p->gprs[i]);
	}
	memset(desc, 0, sizeof(desc));
	desc[0] = 1;
	(void)tzm__meas_hash(alg, buf, sizeof(buf), desc + 0x50);
	extend_rim(alg, rim, desc);
}

void tzm__measure_ripas(unsigned alg, uint8_t rim[64], uint64_t base, uint64_t top)
{
	uint8_t desc[DESC_SIZE];
	memset(desc, 0, sizeof(desc));
	desc[0] = 2;
	put64(desc + 0x50, base);
	put64(desc + 0x58, top);
	extend_rim(alg, rim, desc);
}
