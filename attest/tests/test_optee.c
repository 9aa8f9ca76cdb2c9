// SPDX-License-Identifier: BSD-2-Clause
/*
 * The OP-TEE attestation token (tzm_attest_optee.h): tokens signed here the way OP-TEE's
 * attestation PTA signs (RSASSA-PSS SHA-256, salt 32, over SHA-256(nonce | measurement),
 * with an RSA key generated at test time) verify; a wrong nonce, a wrong measurement,
 * another key, a substituted nonce or measurement, every single-byte change, every
 * truncation and any extension are rejected with their reason. The expected measurement
 * of a .ta file is computed over exactly the read-only regions ldelf maps (a TA file
 * built here, regions hashed independently), and the GET_PUBKEY -> PEM conversion
 * round-trips.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <tzm_util.h>

#include "attest_test.h"
#include "tzm_attest_optee.h"

static EVP_PKEY *pta_key, *other_key, *small_key;
static char pta_pem[4096], other_pem[4096], small_pem[4096];
static uint8_t nonce[64], measurement[32];

static EVP_PKEY *rsa_key(unsigned bits, char *pem, size_t cap)
{
	EVP_PKEY *k = EVP_RSA_gen(bits);
	ASSERT_NOT_NULL(k);
	BIO *bio = BIO_new(BIO_s_mem());
	ASSERT_NOT_NULL(bio);
	ASSERT_EQ_INT(PEM_write_bio_PUBKEY(bio, k), 1);
	char *data = NULL;
	long n = BIO_get_mem_data(bio, &data);
	ASSERT_TRUE(n > 0 && (size_t)n < cap);
	memcpy(pem, data, (size_t)n);
	pem[n] = '\0';
	BIO_free(bio);
	return k;
}

/* What OP-TEE's PTA does in sign_buffer(): PSS over SHA-256(nonce | hash). */
static size_t pta_sign(EVP_PKEY *key, const uint8_t *n, size_t n_len, const uint8_t m[32],
		       uint8_t *sig, size_t cap)
{
	uint8_t digest[32];
	uint8_t msg[64 + 32];
	memcpy(msg, n, n_len);
	memcpy(msg + n_len, m, 32);
	ASSERT_EQ_INT(EVP_Digest(msg, n_len + 32, digest, NULL, EVP_sha256(), NULL), 1);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
	size_t len = cap;
	ASSERT_NOT_NULL(ctx);
	ASSERT_EQ_INT(EVP_PKEY_sign_init(ctx), 1);
	ASSERT_EQ_INT(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING), 1);
	ASSERT_EQ_INT(EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()), 1);
	ASSERT_EQ_INT(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()), 1);
	ASSERT_EQ_INT(EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, 32), 1);
	ASSERT_EQ_INT(EVP_PKEY_sign(ctx, sig, &len, digest, sizeof(digest)), 1);
	EVP_PKEY_CTX_free(ctx);
	return len;
}

/* The layout of the header comment, written out independently of libc/attest.c. */
static size_t make_token(EVP_PKEY *key, const uint8_t *n, size_t n_len, const uint8_t m[32],
			 uint8_t *out)
{
	uint8_t sig[512];
	size_t sig_len = pta_sign(key, n, n_len, m, sig, sizeof(sig));
	memcpy(out, "TZOP", 4);
	out[4] = 1;
	out[5] = 1;
	out[6] = (uint8_t)(n_len >> 8);
	out[7] = (uint8_t)n_len;
	out[8] = (uint8_t)(sig_len >> 8);
	out[9] = (uint8_t)sig_len;
	out[10] = out[11] = 0;
	memcpy(out + 12, n, n_len);
	memcpy(out + 12 + n_len, m, 32);
	memcpy(out + 44 + n_len, sig, sig_len);
	return 44 + n_len + sig_len;
}

static enum tzm_attest_optee_result check(const uint8_t *tok, size_t len, const char *pem,
					  const uint8_t *n, size_t n_len, const uint8_t *m)
{
	struct tzm_attest_optee_expect e = { .pta_key_pem = pem,
					     .pta_key_pem_len = strlen(pem),
					     .nonce = n,
					     .nonce_len = n_len,
					     .measurement = m };
	enum tzm_attest_optee_result r = TZM_ATTEST_OPTEE_OK;
	ASSERT_EQ_INT(tzm_attest_optee_verify(tok, len, &e, &r, NULL), 0);
	return r;
}

static void test_good_and_wrong_expectations(void)
{
	uint8_t tok[TZM_ATTEST_OPTEE_MAX_TOKEN], other[64], wrong_m[32];
	size_t len = make_token(pta_key, nonce, sizeof(nonce), measurement, tok);
	ASSERT_EQ_U64(len, 12 + 64 + 32 + 384);
	ASSERT_EQ_INT(check(tok, len, pta_pem, nonce, 64, measurement), TZM_ATTEST_OPTEE_OK);

	struct tzm_attest_optee_token t;
	ASSERT_EQ_INT(tzm_attest_optee_decode(tok, len, &t), 0);
	ASSERT_EQ_U64(t.nonce_len, 64);
	ASSERT_EQ_U64(t.sig_len, 384);
	ASSERT_EQ_MEM(t.measurement, measurement, 32);

	memcpy(other, nonce, sizeof(other));
	other[63] ^= 1;
	ASSERT_EQ_INT(check(tok, len, pta_pem, other, 64, measurement), TZM_ATTEST_OPTEE_NONCE);
	ASSERT_EQ_INT(check(tok, len, pta_pem, nonce, 32, measurement), TZM_ATTEST_OPTEE_NONCE);
	memcpy(wrong_m, measurement, sizeof(wrong_m));
	wrong_m[0] ^= 0x80;
	ASSERT_EQ_INT(check(tok, len, pta_pem, nonce, 64, wrong_m), TZM_ATTEST_OPTEE_MEASUREMENT);
	/* a key of the same size that is not the PTA's, and one of another size */
	ASSERT_EQ_INT(check(tok, len, other_pem, nonce, 64, measurement),
		      TZM_ATTEST_OPTEE_SIGNATURE);
	ASSERT_EQ_INT(check(tok, len, small_pem, nonce, 64, measurement), TZM_ATTEST_OPTEE_KEY);

	/* a shorter nonce works when both sides use it (the PTA takes any non-empty nonce) */
	len = make_token(pta_key, nonce, 16, measurement, tok);
	ASSERT_EQ_INT(check(tok, len, pta_pem, nonce, 16, measurement), TZM_ATTEST_OPTEE_OK);
	ASSERT_EQ_INT(check(tok, len, pta_pem, nonce, 64, measurement), TZM_ATTEST_OPTEE_NONCE);
}

/* An attacker edits the echoed nonce or measurement to what the verifier expects: the
 * signature still covers the originals. */
static void test_substitution(void)
{
	uint8_t tok[TZM_ATTEST_OPTEE_MAX_TOKEN], old_nonce[64], old_m[32];
	memcpy(old_nonce, nonce, 64);
	old_nonce[5] ^= 0x55;
	size_t len = make_token(pta_key, old_nonce, 64, measurement, tok);
	memcpy(tok + 12, nonce, 64); /* replayed token, nonce field rewritten */
	ASSERT_EQ_INT(check(tok, len, pta_pem, nonce, 64, measurement), TZM_ATTEST_OPTEE_SIGNATURE);

	memcpy(old_m, measurement, 32);
	old_m[31] ^= 0x01;
	len = make_token(pta_key, nonce, 64, old_m, tok); /* another TA's genuine token */
	memcpy(tok + 12 + 64, measurement, 32);
	ASSERT_EQ_INT(check(tok, len, pta_pem, nonce, 64, measurement), TZM_ATTEST_OPTEE_SIGNATURE);
}

static void test_mutations(void)
{
	static uint8_t tok[TZM_ATTEST_OPTEE_MAX_TOKEN + 16], mut[sizeof(tok)];
	size_t len = make_token(pta_key, nonce, 64, measurement, tok);
	size_t rejected = 0;
	static const uint8_t flips[] = { 0x01, 0x80, 0xff };
	for (size_t i = 0; i < len; i++) {
		for (size_t f = 0; f < sizeof(flips); f++) {
			memcpy(mut, tok, len);
			mut[i] ^= flips[f];
			enum tzm_attest_optee_result r =
				check(mut, len, pta_pem, nonce, 64, measurement);
			if (r == TZM_ATTEST_OPTEE_OK) {
				fprintf(stderr, "accepted: byte %zu ^ 0x%02x\n", i, flips[f]);
			}
			ASSERT_NE_INT(r, TZM_ATTEST_OPTEE_OK);
			rejected++;
		}
	}
	/* header fields reject with their own reason */
	memcpy(mut, tok, len);
	mut[4] = 2;
	ASSERT_EQ_INT(check(mut, len, pta_pem, nonce, 64, measurement), TZM_ATTEST_OPTEE_VERSION);
	memcpy(mut, tok, len);
	mut[5] = 2;
	ASSERT_EQ_INT(check(mut, len, pta_pem, nonce, 64, measurement), TZM_ATTEST_OPTEE_VERSION);
	memcpy(mut, tok, len);
	mut[0] = 'X';
	ASSERT_EQ_INT(check(mut, len, pta_pem, nonce, 64, measurement), TZM_ATTEST_OPTEE_MALFORMED);
	/* every truncation, and any extension */
	for (size_t n = 0; n < len; n++) {
		ASSERT_EQ_INT(check(tok, n, pta_pem, nonce, 64, measurement),
			      TZM_ATTEST_OPTEE_MALFORMED);
		rejected++;
	}
	memset(tok + len, 0, sizeof(tok) - len);
	ASSERT_EQ_INT(check(tok, len + 1, pta_pem, nonce, 64, measurement),
		      TZM_ATTEST_OPTEE_MALFORMED);
	ASSERT_EQ_INT(check(tok, TZM_ATTEST_OPTEE_MAX_TOKEN + 1, pta_pem, nonce, 64, measurement),
		      TZM_ATTEST_OPTEE_MALFORMED);
	/* a nonce length making the fields overrun the token, and a signature too small */
	memcpy(mut, tok, len);
	mut[7] = 65;
	ASSERT_EQ_INT(check(mut, len, pta_pem, nonce, 64, measurement), TZM_ATTEST_OPTEE_MALFORMED);
	memcpy(mut, tok, len);
	mut[8] = 0;
	mut[9] = 255;
	ASSERT_EQ_INT(check(mut, len, pta_pem, nonce, 64, measurement), TZM_ATTEST_OPTEE_MALFORMED);
	printf("  %zu mutated tokens rejected\n", rejected);
}

static void test_bad_arguments(void)
{
	uint8_t tok[TZM_ATTEST_OPTEE_MAX_TOKEN];
	size_t len = make_token(pta_key, nonce, 64, measurement, tok);
	enum tzm_attest_optee_result r;
	struct tzm_attest_optee_expect e = { .pta_key_pem = "not a key",
					     .pta_key_pem_len = 9,
					     .nonce = nonce,
					     .nonce_len = 64,
					     .measurement = measurement };
	ASSERT_EQ_INT(tzm_attest_optee_verify(tok, len, &e, &r, NULL), -EINVAL);
	/* an EC key is not an attestation PTA key */
	EVP_PKEY *ec = EVP_EC_gen("P-256");
	char ec_pem[1024];
	BIO *bio = BIO_new(BIO_s_mem());
	char *data = NULL;
	ASSERT_EQ_INT(PEM_write_bio_PUBKEY(bio, ec), 1);
	long n = BIO_get_mem_data(bio, &data);
	memcpy(ec_pem, data, (size_t)n);
	ec_pem[n] = '\0';
	BIO_free(bio);
	EVP_PKEY_free(ec);
	e.pta_key_pem = ec_pem;
	e.pta_key_pem_len = strlen(ec_pem);
	ASSERT_EQ_INT(tzm_attest_optee_verify(tok, len, &e, &r, NULL), -EINVAL);
	e.pta_key_pem = pta_pem;
	e.pta_key_pem_len = strlen(pta_pem);
	e.nonce_len = 0;
	ASSERT_EQ_INT(tzm_attest_optee_verify(tok, len, &e, &r, NULL), -EINVAL);
	e.nonce_len = 65;
	ASSERT_EQ_INT(tzm_attest_optee_verify(tok, len, &e, &r, NULL), -EINVAL);
	ASSERT_EQ_STR(tzm_attest_optee_result_name(TZM_ATTEST_OPTEE_NONCE), "nonce");
}

/* GET_PUBKEY gives exponent and modulus; the PEM made from them verifies the tokens. */
static void test_pubkey_pem(void)
{
	BIGNUM *bn_n = NULL, *bn_e = NULL;
	uint8_t n[512], e[8], tok[TZM_ATTEST_OPTEE_MAX_TOKEN];
	char pem[4096];
	size_t pem_len = 0;
	ASSERT_EQ_INT(EVP_PKEY_get_bn_param(pta_key, OSSL_PKEY_PARAM_RSA_N, &bn_n), 1);
	ASSERT_EQ_INT(EVP_PKEY_get_bn_param(pta_key, OSSL_PKEY_PARAM_RSA_E, &bn_e), 1);
	int n_len = BN_bn2bin(bn_n, n), e_len = BN_bn2bin(bn_e, e);
	BN_free(bn_n);
	BN_free(bn_e);
	ASSERT_EQ_INT(tzm_attest_optee_pubkey_pem(e, (size_t)e_len, n, (size_t)n_len, pem,
						  sizeof(pem), &pem_len),
		      0);
	ASSERT_EQ_STR(pem, pta_pem);
	ASSERT_EQ_U64(pem_len, strlen(pta_pem));
	ASSERT_EQ_INT(
		tzm_attest_optee_pubkey_pem(e, (size_t)e_len, n, (size_t)n_len, pem, 10, &pem_len),
		-ENOSPC);
	ASSERT_EQ_INT(
		tzm_attest_optee_pubkey_pem(e, (size_t)e_len, n, 128, pem, sizeof(pem), &pem_len),
		-EINVAL);
	size_t len = make_token(pta_key, nonce, 64, measurement, tok);
	ASSERT_EQ_INT(check(tok, len, pta_pem, nonce, 64, measurement), TZM_ATTEST_OPTEE_OK);
}

/* ---- the expected measurement of a .ta file ---- */

#define ELF_SIZE 0x4800u
#define TA_HDR (20 + 32 + 256 + 20) /* shdr, hash, signature, bootstrap header */

/* A signed bootstrap TA (type 1) whose ELF has a read-only text segment at file offset
 * 0x1000 of text_len bytes and a writable data segment at 0x3000 (filesz 0x800, memsz
 * 0x2000), as OP-TEE's dev kit lays them out. */
static size_t make_ta(uint8_t *ta, size_t text_len)
{
	uint8_t *elf = ta + TA_HDR;
	memset(ta, 0, TA_HDR + ELF_SIZE);
	tzm_util_put_le32(ta, 0x4f545348);
	tzm_util_put_le32(ta + 4, 1);
	tzm_util_put_le32(ta + 8, ELF_SIZE);
	tzm_util_put_le32(ta + 12, 0x70414930);
	tzm_util_put_le16(ta + 16, 32);
	tzm_util_put_le16(ta + 18, 256);
	memcpy(elf,
	       "\x7f"
	       "ELF",
	       4);
	elf[4] = 2;
	elf[5] = 1;
	elf[6] = 1;
	tzm_util_put_le16(elf + 16, 3);   /* ET_DYN */
	tzm_util_put_le16(elf + 18, 183); /* EM_AARCH64 */
	tzm_util_put_le64(elf + 32, 64);  /* e_phoff */
	tzm_util_put_le16(elf + 52, 64);
	tzm_util_put_le16(elf + 54, 56);
	tzm_util_put_le16(elf + 56, 3);
	uint8_t *ph = elf + 64;
	tzm_util_put_le32(ph, 1); /* PT_LOAD R E */
	tzm_util_put_le32(ph + 4, 5);
	tzm_util_put_le64(ph + 8, 0x1000);
	tzm_util_put_le64(ph + 16, 0);
	tzm_util_put_le64(ph + 32, text_len);
	tzm_util_put_le64(ph + 40, text_len);
	tzm_util_put_le64(ph + 48, 0x1000);
	ph += 56;
	tzm_util_put_le32(ph, 1); /* PT_LOAD RW */
	tzm_util_put_le32(ph + 4, 6);
	tzm_util_put_le64(ph + 8, 0x3000);
	tzm_util_put_le64(ph + 16, 0x2000);
	tzm_util_put_le64(ph + 32, 0x800);
	tzm_util_put_le64(ph + 40, 0x2000);
	tzm_util_put_le64(ph + 48, 0x1000);
	ph += 56;
	tzm_util_put_le32(ph, 2); /* PT_DYNAMIC, ignored */
	for (size_t i = 0x1000; i < 0x1000 + text_len; i++) {
		elf[i] = (uint8_t)(i * 7 + 1);
	}
	for (size_t i = 0x3000; i < 0x3800; i++) {
		elf[i] = 0xdd;
	}
	return TA_HDR + ELF_SIZE;
}

static void test_measure_ta(void)
{
	static uint8_t ta[TA_HDR + ELF_SIZE + 1], pages[0x3000];
	uint8_t got[32], want[32], again[32];
	char err[256];

	/* text of 0x1234 bytes: regions are the header page (4 KiB) and two text pages, with
	 * the text's tail zeroed, hashed smaller first */
	size_t len = make_ta(ta, 0x1234);
	ASSERT_EQ_INT(tzm_attest_optee_measure_ta(ta, len, got, err, sizeof(err)), 0);
	memset(pages, 0, sizeof(pages));
	memcpy(pages, ta + TA_HDR, 0x1000);
	memcpy(pages + 0x1000, ta + TA_HDR + 0x1000, 0x1234);
	ASSERT_EQ_INT(EVP_Digest(pages, 0x3000, want, NULL, EVP_sha256(), NULL), 1);
	ASSERT_EQ_MEM(got, want, 32);

	/* writable data is not measured; read-only bytes are */
	ta[TA_HDR + 0x3010] ^= 1;
	ASSERT_EQ_INT(tzm_attest_optee_measure_ta(ta, len, again, err, sizeof(err)), 0);
	ASSERT_EQ_MEM(again, got, 32);
	ta[TA_HDR + 0x1100] ^= 1;
	ASSERT_EQ_INT(tzm_attest_optee_measure_ta(ta, len, again, err, sizeof(err)), 0);
	ASSERT_FALSE(memcmp(again, got, 32) == 0);

	/* two one-page regions: equal size, so ordered by content (memcmp) */
	len = make_ta(ta, 0x1000);
	ta[TA_HDR + 0x1000] = 0x00; /* text page sorts before the header page (0x7f) */
	ASSERT_EQ_INT(tzm_attest_optee_measure_ta(ta, len, got, err, sizeof(err)), 0);
	memcpy(pages, ta + TA_HDR + 0x1000, 0x1000);
	memcpy(pages + 0x1000, ta + TA_HDR, 0x1000);
	ASSERT_EQ_INT(EVP_Digest(pages, 0x2000, want, NULL, EVP_sha256(), NULL), 1);
	ASSERT_EQ_MEM(got, want, 32);

	/* files this cannot measure, with their reason */
	len = make_ta(ta, 0x1234);
	ASSERT_EQ_INT(tzm_attest_optee_measure_ta(ta, len - 1, got, err, sizeof(err)), -EBADMSG);
	ASSERT_STR_CONTAINS(err, "does not match");
	ASSERT_EQ_INT(tzm_attest_optee_measure_ta(ta, len + 1, got, err, sizeof(err)), -EBADMSG);
	ASSERT_EQ_INT(tzm_attest_optee_measure_ta(ta, 19, got, err, sizeof(err)), -EBADMSG);
	tzm_util_put_le32(ta + 4, 2);
	ASSERT_EQ_INT(tzm_attest_optee_measure_ta(ta, len, got, err, sizeof(err)), -ENOTSUP);
	ASSERT_STR_CONTAINS(err, "encrypted");
	tzm_util_put_le32(ta + 4, 1);
	ta[TA_HDR + 4] = 1; /* ELFCLASS32 */
	ASSERT_EQ_INT(tzm_attest_optee_measure_ta(ta, len, got, err, sizeof(err)), -ENOTSUP);
	ta[TA_HDR + 4] = 2;
	tzm_util_put_le64(ta + TA_HDR + 32, 0x1000 - 56); /* program headers leave the first page */
	ASSERT_EQ_INT(tzm_attest_optee_measure_ta(ta, len, got, err, sizeof(err)), -EBADMSG);
	tzm_util_put_le64(ta + TA_HDR + 32, 64);
	tzm_util_put_le64(ta + TA_HDR + 64 + 40, 0x1300); /* read-only with memsz != filesz */
	ASSERT_EQ_INT(tzm_attest_optee_measure_ta(ta, len, got, err, sizeof(err)), -EBADMSG);
	tzm_util_put_le64(ta + TA_HDR + 64 + 40, 0x1234);
	tzm_util_put_le64(ta + TA_HDR + 64 + 56 + 8, 0x1800); /* data overlaps text in the file */
	ASSERT_EQ_INT(tzm_attest_optee_measure_ta(ta, len, got, err, sizeof(err)), -EBADMSG);
}

int main(void)
{
	pta_key = rsa_key(3072, pta_pem, sizeof(pta_pem));
	other_key = rsa_key(3072, other_pem, sizeof(other_pem));
	small_key = rsa_key(2048, small_pem, sizeof(small_pem));
	for (size_t i = 0; i < sizeof(nonce); i++) {
		nonce[i] = (uint8_t)(0xa0 + i);
	}
	for (size_t i = 0; i < sizeof(measurement); i++) {
		measurement[i] = (uint8_t)(0x30 + i);
	}
	test_good_and_wrong_expectations();
	test_substitution();
	test_mutations();
	test_bad_arguments();
	test_pubkey_pem();
	test_measure_ta();
	EVP_PKEY_free(pta_key);
	EVP_PKEY_free(other_key);
	EVP_PKEY_free(small_key);
	return test_result("attest_optee");
}
