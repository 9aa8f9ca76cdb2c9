/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tampering with object files must give TEE_ERROR_CORRUPT_OBJECT, never wrong data:
 * every byte of a file flipped (header, tag and ciphertext), every truncation, appended
 * bytes, a file swapped between two objects of a TA and between two TAs, a symlink in
 * place of an object, and a change made while the object is open.
 */
#include <string.h>
#include <tee_api_defines.h>
#include <unistd.h>

#include "sut.h"

#define ALL                                                                                        \
	(TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE | TEE_DATA_FLAG_ACCESS_WRITE_META)
#define RD TEE_DATA_FLAG_ACCESS_READ

static const char payload[] = "secret payload of forty-one bytes exactly";

/* Opening and reading must either fail with CORRUPT_OBJECT or (never) return data. */
static void expect_corrupt(const struct core_ta_identity *ta, const char *id, const char *what,
			   size_t at)
{
	uint32_t h = 0;
	TEE_Result res = sut_open(ta, id, RD, &h);

	if (res != TEE_ERROR_CORRUPT_OBJECT) {
		fprintf(stderr, "%s at %zu: open gave 0x%08x, want CORRUPT_OBJECT\n", what, at,
			res);
		exit(1);
	}
}

static void test_bit_flips(void)
{
	struct core_ta_identity ta = sut_ta(10, 1000);
	char path[512];
	uint8_t *orig = NULL;
	size_t len = 0;

	sut_put(&ta, "flip", payload);
	sut_obj_path(10, "flip", path, sizeof(path));
	orig = sut_read_file(path, &len);
	ASSERT_EQ_INT(len, 52 + strlen(payload));
	for (size_t i = 0; i < len; i++) {
		for (unsigned int bit = 0; bit < 8; bit += 7) { /* lowest and highest bit */
			orig[i] ^= (uint8_t)(1u << bit);
			sut_write_file(path, orig, len);
			expect_corrupt(&ta, "flip", "bit flip", i);
			orig[i] ^= (uint8_t)(1u << bit);
		}
	}
	for (size_t cut = 0; cut < len; cut++) {
		sut_write_file(path, orig, cut);
		expect_corrupt(&ta, "flip", "truncation", cut);
	}
	uint8_t *longer = malloc(len + 1);

	ASSERT_NOT_NULL(longer);
	memcpy(longer, orig, len);
	longer[len] = 0;
	sut_write_file(path, longer, len + 1);
	expect_corrupt(&ta, "flip", "appended byte", len);
	free(longer);
	sut_write_file(path, orig, len);
	sut_expect(&ta, "flip", payload);
	free(orig);
	core__storage_instance_gone(g_sut, 1000);
}

static void test_swaps(void)
{
	struct core_ta_identity a = sut_ta(11, 1100);
	struct core_ta_identity b = sut_ta(12, 1200);
	char pa[512];
	char pb[512];
	char pother[512];
	uint8_t *fa = NULL;
	uint8_t *fb = NULL;
	size_t la = 0;
	size_t lb = 0;

	/* Same length, so only authentication can tell them apart. */
	sut_put(&a, "one", "AAAAAAAA");
	sut_put(&a, "two", "BBBBBBBB");
	sut_put(&b, "one", "CCCCCCCC");
	sut_obj_path(11, "one", pa, sizeof(pa));
	sut_obj_path(11, "two", pb, sizeof(pb));
	sut_obj_path(12, "one", pother, sizeof(pother));

	fa = sut_read_file(pa, &la);
	fb = sut_read_file(pb, &lb);
	sut_write_file(pa, fb, lb);
	expect_corrupt(&a, "one", "swap within TA", 0);
	sut_write_file(pa, fa, la);
	sut_expect(&a, "one", "AAAAAAAA");
	free(fb);

	fb = sut_read_file(pother, &lb);
	sut_write_file(pother, fa, la);
	expect_corrupt(&b, "one", "swap between TAs", 0);
	sut_write_file(pother, fb, lb);
	sut_expect(&b, "one", "CCCCCCCC");

	/* A symlink planted as an object is not followed. */
	ASSERT_EQ_INT(unlink(pb), 0);
	ASSERT_EQ_INT(symlink(pa, pb), 0);
	expect_corrupt(&a, "two", "symlink", 0);
	ASSERT_EQ_INT(unlink(pb), 0);
	free(fa);
	free(fb);
	core__storage_instance_gone(g_sut, 1100);
	core__storage_instance_gone(g_sut, 1200);
}

static void test_tamper_while_open(void)
{
	struct core_ta_identity ta = sut_ta(13, 1300);
	struct tsm_obj_rsp o;
	char path[512];
	uint8_t got[64];
	uint8_t *f = NULL;
	size_t len = 0;
	uint32_t h = 0;
	uint32_t n = 0;

	sut_put(&ta, "live", payload);
	ASSERT_TEE_RES(sut_open(&ta, "live", ALL, &h), TEE_SUCCESS);
	sut_obj_path(13, "live", path, sizeof(path));
	/* Past the file system's timestamp granularity, so the in-place edit changes mtime
	 * (the core re-authenticates when inode, size or mtime differ from its last write). */
	usleep(50000);
	f = sut_read_file(path, &len);
	f[len - 1] ^= 1;
	sut_write_file(path, f, len);
	ASSERT_TEE_RES(sut_read(&ta, h, got, sizeof(got), &n), TEE_ERROR_CORRUPT_OBJECT);
	ASSERT_TEE_RES(sut_info(&ta, h, &o), TEE_ERROR_CORRUPT_OBJECT);
	ASSERT_TEE_RES(sut_write(&ta, h, "x", 1), TEE_ERROR_CORRUPT_OBJECT);
	/* Removing the file under an open handle is reported too. */
	ASSERT_EQ_INT(unlink(path), 0);
	ASSERT_TEE_RES(sut_read(&ta, h, got, sizeof(got), &n), TEE_ERROR_CORRUPT_OBJECT);
	/* The TA can still delete what is left and start over. */
	ASSERT_TEE_RES(sut_delete(&ta, h), TEE_SUCCESS);
	sut_put(&ta, "live", "fresh");
	sut_expect(&ta, "live", "fresh");
	free(f);
	core__storage_instance_gone(g_sut, 1300);
}

int main(void)
{
	sut_setup();
	test_bit_flips();
	test_swaps();
	test_tamper_while_open();
	printf("tee_storage_tamper: all checks passed\n");
	return 0;
}
