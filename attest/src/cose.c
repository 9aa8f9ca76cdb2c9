// SPDX-License-Identifier: BSD-2-Clause
/*
 * COSE_Sign1 with ECDSA on OpenSSL 3 EVP APIs.
 *
 *   COSE_Sign1 = #6.18([ protected: bstr .cbor {1: alg, ...}, unprotected: {...},
 *                        payload: bstr, signature: bstr (r || s, fixed width) ])
 *   Sig_structure = [ "Signature1", protected, h'', payload ]
 *
 * OpenSSL wants DER-encoded ECDSA-Sig-Value, COSE carries raw r || s: we convert through
 * ECDSA_SIG in both directions.
 */
#include "cose.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>

#define COSE_HDR_ALG 1
#define COSE_HDR_CRIT 2

static size_t alg_coord_len(int64_t alg)
{
	return alg == -35 ? 48 : alg == -7 ? 32 : 0;
}

/* Scans a header map; reports alg and whether crit is present. */
static int scan_header(struct tzm_cbor_cur *c, bool *have_alg, int64_t *alg, bool *crit)
{
	size_t n = 0;
	tzm__cbor_get_map(c, &n);
	for (size_t i = 0; i < n && c->err == 0; i++) {
		enum tzm_cbor_major m = TZM_CBOR_UINT;
		int64_t label = 0;
		if (tzm__cbor_peek(c, &m) != 0) {
			break;
		}
		if (m == TZM_CBOR_UINT || m == TZM_CBOR_NINT) {
			tzm__cbor_get_int(c, &label);
		} else {
			tzm__cbor_skip(c, NULL); /* text labels: private use, never critical */
			tzm__cbor_skip(c, NULL);
			continue;
		}
		if (label == COSE_HDR_ALG) {
			*have_alg = true;
			tzm__cbor_get_int(c, alg);
		} else {
			if (label == COSE_HDR_CRIT) {
				*crit = true;
			}
			tzm__cbor_skip(c, NULL);
		}
	}
	return c->err;
}

int tzm__cose_sign1_decode(struct tzm_span in, struct tzm_cose_sign1 *out, const char **why)
{
	struct tzm_cbor_cur c;
	struct tzm_cbor_cur ph;
	uint64_t tag = 0;
	size_t n = 0;
	bool have_alg = false, crit = false, u_alg = false;
	int64_t u_alg_v = 0;

	memset(out, 0, sizeof(*out));
	*why = NULL;
	int rc = tzm__cbor_check(in.ptr, in.len, why, NULL);
	if (rc != 0) {
		return rc;
	}
	tzm__cbor_init(&c, in.ptr, in.len);
	if (tzm__cbor_get_tag(&c, &tag) == 0 && tag != TZM_CBOR_TAG_COSE_SIGN1) {
		tzm__cbor_fail(&c, -EBADMSG, "COSE_Sign1 tag (18) expected");
	}
	if (tzm__cbor_get_array(&c, &n) == 0 && n != 4) {
		tzm__cbor_fail(&c, -EBADMSG, "COSE_Sign1 must be an array of 4");
	}
	tzm__cbor_get_bstr(&c, &out->protected_hdr);
	if (c.err == 0) {
		/* The protected bucket is itself CBOR and is checked as strictly as the token. */
		rc = tzm__cbor_check(out->protected_hdr.ptr, out->protected_hdr.len, why, NULL);
		if (rc != 0) {
			return rc;
		}
		tzm__cbor_init(&ph, out->protected_hdr.ptr, out->protected_hdr.len);
		scan_header(&ph, &have_alg, &out->alg, &crit);
		if (tzm__cbor_finish(&ph) != 0) {
			*why = ph.why;
			return ph.err;
		}
	}
	scan_header(&c, &u_alg, &u_alg_v, &crit);
	tzm__cbor_get_bstr(&c, &out->payload);
	tzm__cbor_get_bstr(&c, &out->signature);
	if (tzm__cbor_finish(&c) != 0) {
		*why = c.why;
		return c.err;
	}
	if (crit) {
		*why = "COSE crit header present (no critical extensions are understood)";
		return -EBADMSG;
	}
	if (!have_alg || u_alg) {
		*why = "COSE alg must be present in the protected header only";
		return -EBADMSG;
	}
	if (alg_coord_len(out->alg) == 0) {
		*why = "COSE alg is neither ES384 (-35) nor ES256 (-7)";
		return -ENOTSUP;
	}
	if (out->signature.len != 2 * alg_coord_len(out->alg)) {
		*why = "signature length does not match the algorithm";
		return -EBADMSG;
	}
	return 0;
}

/* Encodes the Sig_structure into a fresh buffer. */
static int sig_structure(struct tzm_span prot, const uint8_t *payload, size_t payload_len,
			 uint8_t **out, size_t *out_len)
{
	struct tzm_cbor_enc e;
	size_t need = 0;
	for (int pass = 0; pass < 2; pass++) {
		tzm__cbor_enc_init(&e, pass == 0 ? NULL : *out, need);
		tzm__cbor_put_array(&e, 4);
		tzm__cbor_put_tstr(&e, "Signature1");
		tzm__cbor_put_bstr(&e, prot.ptr, prot.len);
		tzm__cbor_put_bstr(&e, NULL, 0);
		tzm__cbor_put_bstr(&e, payload, payload_len);
		if (pass == 0) {
			if (e.err == -EOVERFLOW) {
				return -EOVERFLOW;
			}
			need = e.len;
			*out = malloc(need);
			if (*out == NULL) {
				return -ENOMEM;
			}
		}
	}
	*out_len = e.len;
	return e.err;
}

int tzm__pkey_ec_bits(EVP_PKEY *pkey)
{
	if (pkey == NULL || !EVP_PKEY_is_a(pkey, "EC")) {
		return 0;
	}
	char group[64] = "";
	size_t glen = 0;
	if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
					   &glen) != 1) {
		return 0;
	}
	if (strcmp(group, "prime256v1") == 0 || strcmp(group, "P-256") == 0) {
		return 256;
	}
	if (strcmp(group, "secp384r1") == 0 || strcmp(group, "P-384") == 0) {
		return 384;
	}
	return 0;
}

int tzm__cose_sign1_verify(EVP_PKEY *pkey, const struct tzm_cose_sign1 *s)
{
	size_t coord = alg_coord_len(s->alg);
	int bits = tzm__pkey_ec_bits(pkey);
	uint8_t *tbs = NULL;
	size_t tbs_len = 0;
	unsigned char *der = NULL;
	ECDSA_SIG *sig = NULL;
	BIGNUM *r = NULL, *sv = NULL;
	EVP_MD_CTX *md = NULL;
	int rc = -EINVAL;

	if (coord == 0 || (size_t)bits != coord * 8 || s->signature.len != 2 * coord) {
		goto out;
	}
	rc = sig_structure(s->protected_hdr, s->payload.ptr, s->payload.len, &tbs, &tbs_len);
	if (rc != 0) {
		goto out;
	}
	rc = -ENOMEM;
	sig = ECDSA_SIG_new();
	r = BN_bin2bn(s->signature.ptr, (int)coord, NULL);
	sv = BN_bin2bn(s->signature.ptr + coord, (int)coord, NULL);
	if (sig == NULL || r == NULL || sv == NULL || ECDSA_SIG_set0(sig, r, sv) != 1) {
		goto out;
	}
	r = sv = NULL; /* owned by sig now */
	int der_len = i2d_ECDSA_SIG(sig, &der);
	md = EVP_MD_CTX_new();
	if (der_len <= 0 || md == NULL) {
		goto out;
	}
	rc = -EBADMSG;
	if (EVP_DigestVerifyInit(md, NULL, coord == 48 ? EVP_sha384() : EVP_sha256(), NULL, pkey) !=
	    1) {
		goto out;
	}
	if (EVP_DigestVerify(md, der, (size_t)der_len, tbs, tbs_len) == 1) {
		rc = 0;
	}
out:
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	ECDSA_SIG_free(sig);
	BN_free(r);
	BN_free(sv);
	free(tbs);
	return rc;
}

int tzm__cose_sign1_sign(EVP_PKEY *key, const uint8_t *payload, size_t payload_len,
			 struct tzm_cbor_enc *e)
{
	static const uint8_t prot_es384[] = { 0xa1, 0x01, 0x38, 0x22 }; /* {1: -35} */
	struct tzm_span prot = { prot_es384, sizeof(prot_es384) };
	uint8_t *tbs = NULL;
	size_t tbs_len = 0;
	unsigned char der[160];
	size_t der_len = sizeof(der);
	const unsigned char *dp = der;
	ECDSA_SIG *sig = NULL;
	EVP_MD_CTX *md = NULL;
	uint8_t raw[96];
	int rc = -EINVAL;

	if (tzm__pkey_ec_bits(key) != 384) {
		goto out;
	}
	rc = sig_structure(prot, payload, payload_len, &tbs, &tbs_len);
	if (rc != 0) {
		goto out;
	}
	rc = -EIO;
	md = EVP_MD_CTX_new();
	if (md == NULL || EVP_DigestSignInit(md, NULL, EVP_sha384(), NULL, key) != 1 ||
	    EVP_DigestSign(md, der, &der_len, tbs, tbs_len) != 1) {
		goto out;
	}
	sig = d2i_ECDSA_SIG(NULL, &dp, (long)der_len);
	if (sig == NULL || BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 48) != 48 ||
	    BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 48, 48) != 48) {
		goto out;
	}
	tzm__cbor_put_tag(e, TZM_CBOR_TAG_COSE_SIGN1);
	tzm__cbor_put_array(e, 4);
	tzm__cbor_put_bstr(e, prot_es384, sizeof(prot_es384));
	tzm__cbor_put_map(e, 0);
	tzm__cbor_put_bstr(e, payload, payload_len);
	tzm__cbor_put_bstr(e, raw, sizeof(raw));
	rc = 0;
out:
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(md);
	free(tbs);
	return rc;
}

EVP_PKEY *tzm__pkey_from_point(const uint8_t *point, size_t len)
{
	const char *group = len == 97 ? "P-384" : len == 65 ? "P-256" : NULL;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;

	if (group == NULL || point[0] != 0x04) {
		return NULL;
	}
	bld = OSSL_PARAM_BLD_new();
	if (bld == NULL ||
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, len) != 1) {
		goto out;
	}
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
		goto out;
	}
	/* fromdata does not check that the point is on the curve: do it explicitly. */
	EVP_PKEY_CTX_free(ctx);
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	if (ctx == NULL || EVP_PKEY_public_check(ctx) != 1) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

int tzm__cose_key_decode(struct tzm_span in, uint8_t point[97], const char **why)
{
	struct tzm_cbor_cur c;
	size_t n = 0;
	int64_t kty = 0, crv = 0, alg = 0;
	struct tzm_span x = { NULL, 0 }, y = { NULL, 0 };
	unsigned seen = 0;

	*why = NULL;
	int rc = tzm__cbor_check(in.ptr, in.len, why, NULL);
	if (rc != 0) {
		return rc;
	}
	tzm__cbor_init(&c, in.ptr, in.len);
	tzm__cbor_get_map(&c, &n);
	for (size_t i = 0; i < n && c.err == 0; i++) {
		int64_t label = 0;
		struct tzm_span kid;
		tzm__cbor_get_int(&c, &label);
		switch (label) {
		case 1:
			tzm__cbor_get_int(&c, &kty);
			seen |= 1;
			break;
		case -1:
			tzm__cbor_get_int(&c, &crv);
			seen |= 2;
			break;
		case -2:
			tzm__cbor_get_bstr(&c, &x);
			seen |= 4;
			break;
		case -3:
			tzm__cbor_get_bstr(&c, &y);
			seen |= 8;
			break;
		case 3:
			tzm__cbor_get_int(&c, &alg);
			seen |= 16;
			break;
		case 2:
			tzm__cbor_get_bstr(&c, &kid);
			break;
		default:
			tzm__cbor_fail(&c, -EBADMSG, "unexpected COSE_Key parameter");
			break;
		}
	}
	if (tzm__cbor_finish(&c) != 0) {
		*why = c.why;
		return c.err;
	}
	if ((seen & 15) != 15 || kty != 2 || crv != 2 || x.len != 48 || y.len != 48 ||
	    ((seen & 16) && alg != -35)) {
		*why = "COSE_Key is not an EC2 P-384 public key (kty 2, crv 2, 48-byte x and y)";
		return -EBADMSG;
	}
	point[0] = 0x04;
	memcpy(point + 1, x.ptr, 48);
	memcpy(point + 49, y.ptr, 48);
	return 0;
}

void tzm__cose_key_encode(const uint8_t point[97], struct tzm_cbor_enc *e)
{
	tzm__cbor_put_map(e, 4);
	tzm__cbor_put_int(e, 1);
	tzm__cbor_put_int(e, 2); /* kty EC2 */
	tzm__cbor_put_int(e, -1);
	tzm__cbor_put_int(e, 2); /* crv P-384 */
	tzm__cbor_put_int(e, -2);
	tzm__cbor_put_bstr(e, point + 1, 48);
	tzm__cbor_put_int(e, -3);
	tzm__cbor_put_bstr(e, point + 49, 48);
}

static const EVP_MD *md_by_name(const char *name)
{
	if (strcmp(name, "sha-256") == 0) {
		return EVP_sha256();
	}
	if (strcmp(name, "sha-384") == 0) {
		return EVP_sha384();
	}
	if (strcmp(name, "sha-512") == 0) {
		return EVP_sha512();
	}
	return NULL;
}

size_t tzm__hash_len(const char *name)
{
	const EVP_MD *md = md_by_name(name);
	return md == NULL ? 0 : (size_t)EVP_MD_get_size(md);
}

int tzm__hash(const char *name, const uint8_t *p, size_t n, uint8_t *out, size_t *out_len)
{
	const EVP_MD *md = md_by_name(name);
	unsigned int len = 0;
	if (md == NULL) {
		return -EINVAL;
	}
	if (EVP_Digest(p, n, out, &len, md, NULL) != 1) {
		return -EIO;
	}
	*out_len = len;
	return 0;
}
