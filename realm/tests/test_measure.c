// SPDX-License-Identifier: BSD-2-Clause
/*
 * Realm measurements against an independent computation: the test builds every
 * measurement descriptor byte by byte from the RMM specification's layout (not with the
 * model's code) and hashes it with OpenSSL, for SHA-256 and SHA-512 realms. Then the
 * fixed load sequence: the model's RIM equals tzm_realm_predict_rim() and the output of
 * `tzm realm measure` (argv[1] is the tzm-realm binary).
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "realm_host.h"
#include "rmm_int.h"
#include "tzm_test.h"

static const char *tool;

/* H(data) into a 64-byte slot, zero-padded. */
static void hash(unsigned alg, const void *data, size_t len, uint8_t out[64])
{
	unsigned n = 0;
	memset(out, 0, 64);
	ASSERT_EQ_INT(EVP_Digest(data, len, out, &n,
				 alg == TZM_RMI_HASH_SHA_512 ? EVP_sha512() : EVP_sha256(), NULL),
		      1);
	ASSERT_EQ_U64(n, alg == TZM_RMI_HASH_SHA_512 ? 64 : 32);
}

/* RIM of REALM_CREATE: a zeroed 4096-byte RmiRealmParams with s2sz@0x8, algorithm@0x30. */
static void expect_params(unsigned alg, unsigned s2sz, uint8_t rim[64])
{
	uint8_t p[4096] = { 0 };
	p[0x8] = (uint8_t)s2sz;
	p[0x30] = (uint8_t)alg;
	hash(alg, p, sizeof(p), rim);
}

static void le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

/* RIM = H(desc) with desc_type@0, len 0x100 @8, old RIM @0x10. */
static void extend(unsigned alg, uint8_t rim[64], uint8_t desc[256], uint8_t type)
{
	desc[0] = type;
	le64(desc + 8, 0x100);
	memcpy(desc + 0x10, rim, 64);
	hash(alg, desc, 256, rim);
}

static void expect_data(unsigned alg, uint8_t rim[64], uint64_t ipa, uint64_t flags,
			const uint8_t page[4096])
{
	uint8_t d[256] = { 0 };
	le64(d + 0x50, ipa);
	le64(d + 0x58, flags);
	if (flags == 1) {
		hash(alg, page, 4096, d + 0x60);
	}
	extend(alg, rim, d, 0);
}

static void expect_rec(unsigned alg, uint8_t rim[64], uint64_t flags, uint64_t pc,
		       const uint64_t gprs[8])
{
	uint8_t p[4096] = { 0 }, d[256] = { 0 };
	le64(p + 0x0, flags);
	le64(p + 0x200, pc);
	for (int i = 0; i < 8; i++) {
		le64(p + 0x300 + 8 * i, gprs[i]);
	}
	hash(alg, p, sizeof(p), d + 0x50);
	extend(alg, rim, d, 1);
}

static void expect_ripas(unsigned alg, uint8_t rim[64], uint64_t base, uint64_t top)
{
	uint8_t d[256] = { 0 };
	le64(d + 0x50, base);
	le64(d + 0x58, top);
	extend(alg, rim, d, 2);
}

static const uint8_t *model_rim(struct host *h, uint64_t rd)
{
	struct tzm__rd *r = tzm__realm_granule(h->rmm, rd);
	ASSERT_NOT_NULL(r);
	return r->meas[0];
}

struct rem_prog {
	int done;
	uint8_t rem[64];
	uint8_t rim[64];
};

static void rem_vcpu(void *arg, struct tzm_vcpu *v)
{
	struct rem_prog *p = arg;
	uint64_t *x = tzm_vcpu_gprs(v);
	for (int round = 0; round < 2; round++) {
		memset(x, 0, 31 * 8);
		x[0] = TZM_RSI_MEASUREMENT_EXTEND;
		x[1] = 1;
		x[2] = round == 0 ? 64 : 3;
		memset(&x[3], 0x70 + round, 64);
		ASSERT_EQ_INT(tzm_vcpu_smc(v), 0);
		ASSERT_EQ_U64(x[0], TZM_RSI_SUCCESS);
	}
	memset(x, 0, 31 * 8);
	x[0] = TZM_RSI_MEASUREMENT_READ;
	x[1] = 1;
	tzm_vcpu_smc(v);
	memcpy(p->rem, &x[1], 64);
	x[0] = TZM_RSI_MEASUREMENT_READ;
	x[1] = 0;
	tzm_vcpu_smc(v);
	memcpy(p->rim, &x[1], 64);
	p->done = 1;
}

static void scripted(unsigned alg)
{
	struct host h;
	host_init(&h, 128);
	struct realm_cfg c;
	realm_cfg_default(&c, 1);
	c.algorithm = (uint8_t)alg;
	struct realm r;
	uint8_t want[64];

	TEST_STEP("%s: REALM_CREATE measures the parameters", alg ? "SHA-512" : "SHA-256");
	host_realm_create(&h, &c, &r);
	expect_params(alg, 32, want);
	ASSERT_EQ_MEM(model_rim(&h, r.rd), want, 64);

	TEST_STEP("RTT_INIT_RIPAS descriptors carry the processed range");
	host_rtt_map_to(&h, &r, 0, 3);
	host_rtt_map_to(&h, &r, 0x200000, 3);
	struct rmi_result ir = rmi(&h, TZM_RMI_RTT_INIT_RIPAS, r.rd, 0x1F0000, 0x204000, 0, 0);
	RMI_OK(ir.x0);
	ASSERT_EQ_U64(ir.x[0], 0x200000); /* stopped at the end of the first level-3 table */
	expect_ripas(alg, want, 0x1F0000, 0x200000);
	ASSERT_EQ_MEM(model_rim(&h, r.rd), want, 64);
	RMI_OK(rmi(&h, TZM_RMI_RTT_INIT_RIPAS, r.rd, 0x200000, 0x204000, 0, 0).x0);
	expect_ripas(alg, want, 0x200000, 0x204000);
	ASSERT_EQ_MEM(model_rim(&h, r.rd), want, 64);

	TEST_STEP("DATA_CREATE measures ipa, flags and (with MEASURE_CONTENT) the content");
	uint8_t page[4096];
	for (int i = 0; i < 4096; i++) {
		page[i] = (uint8_t)(i * 7 + 1);
	}
	uint64_t src = host_granule(&h);
	ASSERT_OK(tzm_rmm_ns_write(h.rmm, src, page, sizeof(page), NULL));
	RMI_OK(rmi(&h, TZM_RMI_DATA_CREATE, r.rd, host_delegated(&h), 0x1F0000, src, 1).x0);
	expect_data(alg, want, 0x1F0000, 1, page);
	ASSERT_EQ_MEM(model_rim(&h, r.rd), want, 64);
	RMI_OK(rmi(&h, TZM_RMI_DATA_CREATE, r.rd, host_delegated(&h), 0x201000, src, 0).x0);
	expect_data(alg, want, 0x201000, 0, page); /* content not measured, ipa and flags are */
	ASSERT_EQ_MEM(model_rim(&h, r.rd), want, 64);
	TEST_STEP("DATA_CREATE_UNKNOWN is not measured");
	RMI_OK(rmi(&h, TZM_RMI_DATA_CREATE_UNKNOWN, r.rd, host_delegated(&h), 0x202000, 0, 0).x0);
	ASSERT_EQ_MEM(model_rim(&h, r.rd), want, 64);

	TEST_STEP("REC_CREATE measures flags, pc and gprs (not mpidr or aux)");
	uint64_t gprs[8] = { 1, 2, 3, 4, 5, 6, 7, 0xFFFFFFFFFFFFFFFFull };
	uint64_t params = host_rec_params(&h, 0, 0x1F0000, gprs, 1, 4, NULL);
	uint64_t rec = host_delegated(&h);
	RMI_OK(rmi(&h, TZM_RMI_REC_CREATE, r.rd, rec, params, 0, 0).x0);
	expect_rec(alg, want, 1, 0x1F0000, gprs);
	ASSERT_EQ_MEM(model_rim(&h, r.rd), want, 64);

	TEST_STEP("REM extension: REM = H(REM[digest] || data), read back through RSI");
	RMI_OK(rmi(&h, TZM_RMI_REALM_ACTIVATE, r.rd, 0, 0, 0, 0).x0);
	struct rem_prog p = { 0 };
	tzm_rmm_set_vcpu_fn(h.rmm, rem_vcpu, &p);
	uint64_t run = host_granule(&h);
	RMI_OK(rmi(&h, TZM_RMI_REC_ENTER, rec, run, 0, 0, 0).x0);
	ASSERT_EQ_INT(p.done, 1);
	size_t dl = alg == TZM_RMI_HASH_SHA_512 ? 64 : 32;
	uint8_t rem[64] = { 0 }, in[128];
	for (int round = 0; round < 2; round++) {
		size_t n = round == 0 ? 64 : 3;
		memcpy(in, rem, dl);
		memset(in + dl, 0x70 + round, n);
		hash(alg, in, dl + n, rem);
	}
	ASSERT_EQ_MEM(p.rem, rem, 64);
	ASSERT_EQ_MEM(p.rim, want, 64);
	host_fini(&h);
}

/* Runs the load sequence of l through RMI, as a host would. */
static void load(struct host *h, const struct tzm_realm_layout *l, const uint8_t *img, size_t len,
		 uint8_t rim[64])
{
	struct realm_cfg c;
	struct realm r;
	realm_cfg_default(&c, 2);
	c.s2sz = (uint8_t)l->s2sz;
	c.algorithm = (uint8_t)l->algorithm;
	c.level_start = l->s2sz > 39 ? 0 : 1;
	c.num_start = (uint32_t)tzm__rtt_num_start(l->s2sz, c.level_start);
	host_realm_create(h, &c, &r);
	uint64_t top = l->ipa_base + l->ram_size;
	for (uint64_t a = l->ipa_base & ~0x1FFFFFull; a < top; a += 0x200000) {
		host_rtt_map_to(h, &r, a, 3);
	}
	for (uint64_t base = l->ipa_base; base < top;) {
		struct rmi_result ir = rmi(h, TZM_RMI_RTT_INIT_RIPAS, r.rd, base, top, 0, 0);
		RMI_OK(ir.x0);
		base = ir.x[0];
	}
	uint64_t src = host_granule(h);
	uint8_t page[4096];
	for (size_t off = 0; off < len; off += 4096) {
		memset(page, 0, sizeof(page));
		memcpy(page, img + off, len - off < 4096 ? len - off : 4096);
		ASSERT_OK(tzm_rmm_ns_write(h->rmm, src, page, sizeof(page), NULL));
		RMI_OK(rmi(h, TZM_RMI_DATA_CREATE, r.rd, host_delegated(h), l->ipa_base + off, src,
			   TZM_RMI_MEASURE_CONTENT)
			       .x0);
	}
	for (unsigned i = 0; i < l->num_recs; i++) {
		uint64_t params =
			host_rec_params(h, i, i == 0 ? l->entry : 0, NULL, i == 0, 4, NULL);
		RMI_OK(rmi(h, TZM_RMI_REC_CREATE, r.rd, host_delegated(h), params, 0, 0).x0);
	}
	memcpy(rim, model_rim(h, r.rd), 64);
}

static void tool_rim(const char *args, char *out, size_t cap)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "%s%s%s measure %s",
		 getenv("TZM_EXEC_WRAPPER") ? getenv("TZM_EXEC_WRAPPER") : "",
		 getenv("TZM_EXEC_WRAPPER") ? " " : "", tool, args);
	FILE *p = popen(cmd, "r");
	ASSERT_NOT_NULL(p);
	out[0] = '\0';
	if (fgets(out, (int)cap, p) == NULL) {
		out[0] = '\0';
	}
	ASSERT_EQ_INT(pclose(p), 0);
	out[strcspn(out, "\n")] = '\0';
}

static void prediction(void)
{
	static uint8_t img[3 * 4096 + 1000];
	for (size_t i = 0; i < sizeof(img); i++) {
		img[i] = (uint8_t)(i ^ (i >> 8));
	}
	char path[] = "/tmp/realm_image_XXXXXX";
	int fd = mkstemp(path);
	ASSERT_GE_INT(fd, 0);
	FILE *f = fdopen(fd, "wb");
	ASSERT_EQ_U64(fwrite(img, 1, sizeof(img), f), sizeof(img));
	fclose(f);

	struct {
		const char *args;
		unsigned alg, s2sz, recs;
		uint64_t base, ram, entry;
	} cases[] = {
		{ "", TZM_RMI_HASH_SHA_256, 32, 1, 0, 0x200000, 0 },
		{ "--hash sha512 --s2sz 40 --base 0x1ff000 --ram 0x202000 --entry 0x1ff800 --recs "
		  "3",
		  TZM_RMI_HASH_SHA_512, 40, 3, 0x1FF000, 0x202000, 0x1FF800 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		TEST_STEP("load sequence %zu: model RIM == prediction == tzm realm measure", i);
		struct tzm_realm_layout l;
		tzm_realm_layout_default(&l, sizeof(img));
		l.algorithm = cases[i].alg;
		l.s2sz = cases[i].s2sz;
		l.num_recs = cases[i].recs;
		l.ipa_base = cases[i].base;
		l.ram_size = cases[i].ram;
		l.entry = cases[i].entry;
		struct host h;
		host_init(&h, 256);
		uint8_t model[64], predicted[64];
		load(&h, &l, img, sizeof(img), model);
		host_fini(&h);
		ASSERT_OK(tzm_realm_predict_rim(&l, img, sizeof(img), predicted));
		ASSERT_EQ_MEM(predicted, model, 64);
		char hex[160], want[160], args[512];
		size_t dl = l.algorithm == TZM_RMI_HASH_SHA_512 ? 64 : 32;
		strcpy(want, "rim ");
		for (size_t k = 0; k < dl; k++) {
			snprintf(want + 4 + 2 * k, 3, "%02x", model[k]);
		}
		snprintf(args, sizeof(args), "%s %s", path, cases[i].args);
		tool_rim(args, hex, sizeof(hex));
		ASSERT_EQ_STR(hex, want);
	}
	TEST_STEP("layouts the RMM would refuse are refused");
	struct tzm_realm_layout l;
	uint8_t rim[64];
	tzm_realm_layout_default(&l, sizeof(img));
	l.ram_size = 0x1000; /* smaller than the image */
	ASSERT_EQ_ERRNO(tzm_realm_predict_rim(&l, img, sizeof(img), rim), -EINVAL);
	tzm_realm_layout_default(&l, sizeof(img));
	l.ipa_base = 0x7FFFF000; /* RAM reaches the unprotected half */
	ASSERT_EQ_ERRNO(tzm_realm_predict_rim(&l, img, sizeof(img), rim), -EINVAL);
	l.ipa_base = 0x800;
	ASSERT_EQ_ERRNO(tzm_realm_predict_rim(&l, img, sizeof(img), rim), -EINVAL);
	unlink(path);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		TEST_FAIL("usage: realm_test_measure TZM-REALM-BINARY");
	}
	tool = argv[1];
	scripted(TZM_RMI_HASH_SHA_256);
	scripted(TZM_RMI_HASH_SHA_512);
	prediction();
	return 0;
}
