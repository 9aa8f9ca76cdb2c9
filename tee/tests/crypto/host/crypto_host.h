/* SPDX-License-Identifier: BSD-2-Clause */
/* Between the files of the tee_crypto test host. */
#ifndef CRYPTO_HOST_H
#define CRYPTO_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tee_client_api.h>
#include <tee_test.h>

#define REQ_MAX 16384

/* Checks with the shared harness (tests/support/include/tzm_test.h): silent when they
 * hold; a failure names the step (what was being checked) and both values. */
#define QCHECK(cond, ...)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			TEST_FAIL(__VA_ARGS__);                                                    \
		}                                                                                  \
	} while (0)
#define QEXPECT(res, want, what)                                                                   \
	do {                                                                                       \
		if ((res) != (want)) {                                                             \
			TEST_STEP("%s", (what));                                                   \
			ASSERT_TEEC_RES((res), (want));                                            \
		}                                                                                  \
	} while (0)
#define OUT_MAX 8192

/* A request for the TA (records of crypto_ta.h). */
struct req {
	uint8_t buf[REQ_MAX];
	size_t len;
};

void req_add(struct req *r, uint32_t tag, const void *data, size_t len);
void req_u32(struct req *r, uint32_t tag, uint32_t v);
void req_attr(struct req *r, uint32_t tag, uint32_t id, const void *data, size_t len);
void req_value(struct req *r, uint32_t tag, uint32_t id, uint32_t a, uint32_t b);

/*
 * One command of the crypto TA: value (a, b), the request r, then the outputs out and tag
 * with their sizes in and out (an output whose size pointer is NULL is TEEC_NONE; its
 * buffer may be NULL with a size of 0). Returns the TA's result.
 */
TEEC_Result ta_call(TEEC_Session *s, uint32_t cmd, uint32_t a, uint32_t b, const struct req *r,
		    uint8_t *out, size_t *out_len, uint8_t *tag, size_t *tag_len);
/* One TA_CRYPTO_CMD_OP; out/tag sizes in and out. Returns the TA's result. */
TEEC_Result ta_op(TEEC_Session *s, uint32_t algo, uint32_t mode, const struct req *r, uint8_t *out,
		  size_t *out_len, uint8_t *tag, size_t *tag_len);
/* TA_CRYPTO_CMD_GENKEY: the key's attributes as KEY_ATTR records in out. */
TEEC_Result ta_genkey(TEEC_Session *s, uint32_t type, uint32_t bits, const struct req *params,
		      uint8_t *out, size_t *out_len);

/* vectors.c: name <-> value of algorithms, object types and attributes. */
uint32_t alg_by_name(const char *name);
uint32_t attr_by_name(const char *name);
const char *alg_name(uint32_t alg);
/* Runs every vector in a file against the session; returns the number run. */
unsigned run_vector_file(TEEC_Session *s, const char *path);
size_t hex_decode(const char *hex, uint8_t *out, size_t max);

/* direct.c: the same symmetric operation through OpenSSL (0, or -1 if not covered). */
struct sym_case {
	uint32_t alg;
	int encrypt;
	const uint8_t *key, *key2, *iv, *aad, *in;
	size_t key_len, key2_len, iv_len, aad_len, in_len;
	uint32_t tag_bits;
	size_t xof_len; /* SHAKE: the output length */
};
int direct_sym(const struct sym_case *c, uint8_t *out, size_t *out_len, uint8_t *tag);
/* Differential checks with keys generated in the TA (asymmetric families). */
unsigned diff_asym(TEEC_Session *s, bool quick);
/* bigint.c: the arithmetical API against OpenSSL's BN on random values. */
unsigned diff_bigint(TEEC_Session *s, bool quick);
/* persist.c: persistent key objects against transient ones, and corrupt attribute blobs
 * on disk (not when quick); returns the number of key kinds checked. */
unsigned persistent_keys(TEEC_Context *ctx, const char *uuid, bool quick);
/* Random symmetric cases through the TA and OpenSSL, byte for byte. */
unsigned diff_sym(TEEC_Session *s);
/* Attribute id's bytes in a KEY_ATTR record list (NULL if absent; *n its length). */
const uint8_t *key_attr(const uint8_t *recs, size_t len, uint32_t id, size_t *n);
/* keygen.c: generated RSA/DSA/DH keys checked by their mathematics (fewer when quick);
 * returns the number of keys checked. */
unsigned keygen_relations(TEEC_Session *s, bool quick);

#endif
