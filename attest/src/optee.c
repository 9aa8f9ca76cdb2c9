// SPDX-License-Identifier: BSD-2-Clause
/*
 * The OP-TEE attestation token ("tzm-optee-pta", tzm_attest_optee.h): its one decoder,
 * its verifier (RSASSA-PSS of OP-TEE's attestation PTA), the expected measurement of a
 * .ta file, and the PEM form of the PTA's public key.
 */
#include "tzm_attest_optee.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#define PAGE_SIZE_OPTEE 4096u /* OP-TEE's SMALL_PAGE_SIZE */
#define MAX_TA_FILE (64u * 1024u * 1024u)
#define MAX_SEGMENTS 16 /* PT_LOAD segments of a TA; OP-TEE's dev kit makes 2 */

static const char *const result_names[] = {
#define TZM_ATTEST_OPTEE_X_NAME(NAME, name, text) #name,
	TZM_ATTEST_OPTEE_RESULTS(TZM_ATTEST_OPTEE_X_NAME)
#undef TZM_ATTEST_OPTEE_X_NAME
};
static const char *const result_texts[] = {
#define TZM_ATTEST_OPTEE_X_TEXT(NAME, name, text) text,
	TZM_ATTEST_OPTEE_RESULTS(TZM_ATTEST_OPTEE_X_TEXT)
#undef TZM_ATTEST_OPTEE_X_TEXT
};

const char *tzm_attest_optee_result_name(enum tzm_attest_optee_result r)
{
	if ((size_t)r >= sizeof(result_names) / sizeof(result_names[0])) {
		return "unknown";
	}
	return result_names[r];
}

const char *tzm_attest_optee_result_text(enum tzm_attest_optee_result r)
{
	if ((size_t)r >= sizeof(result_texts) / sizeof(result_texts[0])) {
		return "unknown result";
	}
	return result_texts[r];
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

int tzm_attest_optee_decode(const void *token, size_t len, struct tzm_attest_optee_token *out)
{
	const uint8_t *p = token;
	if (token == NULL || out == NULL) {
		return -EINVAL;
	}
	memset(out, 0, sizeof(*out));
	if (len < TZM_ATTEST_OPTEE_HEADER_LEN || len > TZM_ATTEST_OPTEE_MAX_TOKEN ||
	    memcmp(p, TZM_ATTEST_OPTEE_MAGIC, 4) != 0) {
		return -EBADMSG;
	}
	if (p[4] != TZM_ATTEST_OPTEE_FORMAT_VERSION || p[5] != TZM_ATTEST_OPTEE_KIND_TA_MEMORY) {
		return -EPROTONOSUPPORT;
	}
	size_t nonce_len = be16(p + 6);
	size_t sig_len = be16(p + 8);
	if (be16(p + 10) != 0 || nonce_len == 0 || nonce_len > TZM_ATTEST_OPTEE_MAX_NONCE ||
	    sig_len < TZM_ATTEST_OPTEE_MIN_SIG || sig_len > TZM_ATTEST_OPTEE_MAX_SIG ||
	    len != TZM_ATTEST_OPTEE_HEADER_LEN + nonce_len + TZM_ATTEST_OPTEE_DIGEST_LEN +
			    sig_len) {
		return -EBADMSG;
	}
	p += TZM_ATTEST_OPTEE_HEADER_LEN;
	out->version = TZM_ATTEST_OPTEE_FORMAT_VERSION;
	out->kind = TZM_ATTEST_OPTEE_KIND_TA_MEMORY;
	out->nonce_len = nonce_len;
	memcpy(out->nonce, p, nonce_len);
	p += nonce_len;
	memcpy(out->measurement, p, TZM_ATTEST_OPTEE_DIGEST_LEN);
	p += TZM_ATTEST_OPTEE_DIGEST_LEN;
	out->sig_len = sig_len;
	memcpy(out->sig, p, sig_len);
	return 0;
}

/* The pinned key: an RSA public key of 2048..4096 bits, or NULL. */
static EVP_PKEY *load_pta_key(const char *pem, size_t len)
{
	if (pem == NULL || len == 0 || len > 16384) {
		return NULL;
	}
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	EVP_PKEY *pkey = bio != NULL ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	if (pkey != NULL && (!EVP_PKEY_is_a(pkey, "RSA") || EVP_PKEY_get_bits(pkey) < 2048 ||
			     EVP_PKEY_get_bits(pkey) > 4096)) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	return pkey;
}

/* RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32) over SHA-256(nonce | measurement), as the
 * PTA signs: its sign_buffer() passes that digest as the message hash. 1 valid, 0 not,
 * -ENOMEM. */
static int pss_verify(EVP_PKEY *pkey, const uint8_t *nonce, size_t nonce_len,
		      const uint8_t measurement[TZM_ATTEST_OPTEE_DIGEST_LEN], const uint8_t *sig,
		      size_t sig_len)
{
	uint8_t digest[32];
	unsigned int digest_len = 0;
	int rc = -ENOMEM;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
	if (md == NULL || ctx == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(md, nonce, nonce_len) != 1 ||
	    EVP_DigestUpdate(md, measurement, TZM_ATTEST_OPTEE_DIGEST_LEN) != 1 ||
	    EVP_DigestFinal_ex(md, digest, &digest_len) != 1 || EVP_PKEY_verify_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) != 1 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) != 1 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, 32) != 1) {
		goto out;
	}
	rc = EVP_PKEY_verify(ctx, sig, sig_len, digest, digest_len) == 1 ? 1 : 0;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_MD_CTX_free(md);
	return rc;
}

int tzm_attest_optee_verify(const void *token, size_t len,
			    const struct tzm_attest_optee_expect *expect,
			    enum tzm_attest_optee_result *result,
			    struct tzm_attest_optee_token *decoded)
{
	struct tzm_attest_optee_token *t = NULL;
	EVP_PKEY *pkey = NULL;
	int rc = -EINVAL;

	if (token == NULL || expect == NULL || result == NULL || expect->nonce == NULL ||
	    expect->nonce_len == 0 || expect->nonce_len > TZM_ATTEST_OPTEE_MAX_NONCE ||
	    expect->measurement == NULL) {
		return -EINVAL;
	}
	*result = TZM_ATTEST_OPTEE_MALFORMED;
	pkey = load_pta_key(expect->pta_key_pem, expect->pta_key_pem_len);
	if (pkey == NULL) {
		goto out;
	}
	t = malloc(sizeof(*t));
	if (t == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	rc = 0;
	int drc = tzm_attest_optee_decode(token, len, t);
	if (drc != 0) {
		*result = drc == -EPROTONOSUPPORT ? TZM_ATTEST_OPTEE_VERSION
						  : TZM_ATTEST_OPTEE_MALFORMED;
		goto out;
	}
	if (decoded != NULL) {
		*decoded = *t;
	}
	if (t->nonce_len != expect->nonce_len ||
	    CRYPTO_memcmp(t->nonce, expect->nonce, expect->nonce_len) != 0) {
		*result = TZM_ATTEST_OPTEE_NONCE;
		goto out;
	}
	if (memcmp(t->measurement, expect->measurement, TZM_ATTEST_OPTEE_DIGEST_LEN) != 0) {
		*result = TZM_ATTEST_OPTEE_MEASUREMENT;
		goto out;
	}
	if (t->sig_len != (size_t)EVP_PKEY_get_size(pkey)) {
		*result = TZM_ATTEST_OPTEE_KEY;
		goto out;
	}
	/* the expected nonce and measurement, not the token's copies, are what is signed */
	int v = pss_verify(pkey, expect->nonce, expect->nonce_len, expect->measurement, t->sig,
			   t->sig_len);
	if (v < 0) {
		rc = v;
		goto out;
	}
	*result = v == 1 ? TZM_ATTEST_OPTEE_OK : TZM_ATTEST_OPTEE_SIGNATURE;
out:
	free(t);
	EVP_PKEY_free(pkey);
	return rc;
}

/* ---- the expected measurement of a .ta file ---- */

__attribute__((format(printf, 4, 5))) static int fail(char *err, size_t cap, int rc,
						      const char *fmt, ...)
{
	if (err != NULL && cap > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, cap, fmt, ap);
		va_end(ap);
	}
	return rc;
}

struct segment {
	uint64_t offset, vaddr, filesz, memsz, align;
	uint32_t flags;
	bool remapped_writeable;
};

struct region {
	const uint8_t *data; /* bytes from the ELF; the rest of size is zero */
	size_t data_len;
	size_t size; /* whole pages */
};

static uint64_t page_down(uint64_t v)
{
	return v & ~(uint64_t)(PAGE_SIZE_OPTEE - 1);
}

static int region_cmp(const struct region *a, const struct region *b)
{
	if (a->size != b->size) {
		return a->size < b->size ? -1 : 1;
	}
	/* contents: the stored bytes, then zeros (both regions have the same size) */
	size_t common = a->data_len < b->data_len ? a->data_len : b->data_len;
	int c = memcmp(a->data, b->data, common);
	if (c != 0) {
		return c;
	}
	const struct region *longer = a->data_len > b->data_len ? a : b;
	for (size_t i = common; i < longer->data_len; i++) {
		if (longer->data[i] != 0) {
			return longer == a ? 1 : -1;
		}
	}
	return 0;
}

static int region_qsort_cmp(const void *a, const void *b)
{
	return region_cmp(a, b);
}

/* The bytes of a region: what ldelf copies from the ELF image, the rest of the page(s)
 * zero (OP-TEE clears TA pages and zero-fills reads past the image's end). */
static struct region make_region(const uint8_t *elf, size_t elf_len, uint64_t offset, uint64_t len)
{
	struct region r = { .data = elf, .data_len = 0, .size = 0 };
	r.size = (size_t)((len + PAGE_SIZE_OPTEE - 1) & ~(uint64_t)(PAGE_SIZE_OPTEE - 1));
	if (offset < elf_len) {
		r.data = elf + offset;
		r.data_len = (size_t)(elf_len - offset < len ? elf_len - offset : len);
	}
	return r;
}

/* ldelf's adjust_segments(): merges segments that share a page, marks those that share
 * only a file page as remapped, aligns all but the first to pages. */
static int adjust_segments(struct segment *seg, size_t *count, char *err, size_t cap)
{
	uint64_t align = seg[0].align;
	for (size_t i = 0; i < *count; i++) {
		if (seg[i].align < PAGE_SIZE_OPTEE || seg[i].align != align ||
		    (align & (align - 1)) != 0 || seg[i].filesz > seg[i].memsz ||
		    seg[i].vaddr + seg[i].memsz < seg[i].vaddr ||
		    (seg[i].offset & (PAGE_SIZE_OPTEE - 1)) !=
			    (seg[i].vaddr & (PAGE_SIZE_OPTEE - 1))) {
			return fail(err, cap, -EBADMSG,
				    "PT_LOAD segment %zu: bad alignment or size", i);
		}
		if (i > 0 && (seg[i].vaddr < seg[i - 1].vaddr + seg[i - 1].memsz ||
			      seg[i].offset < seg[i - 1].offset + seg[i - 1].filesz)) {
			return fail(err, cap, -EBADMSG, "PT_LOAD segment %zu overlaps the previous",
				    i);
		}
	}
	uint64_t mask = align - 1;
	size_t i = 1;
	while (i < *count) {
		struct segment *prev = &seg[i - 1];
		struct segment *s = &seg[i];
		if (page_down(s->vaddr) < prev->vaddr + prev->memsz) {
			if ((s->vaddr & mask) != (s->offset & mask) ||
			    prev->memsz != prev->filesz) {
				return fail(err, cap, -EBADMSG,
					    "PT_LOAD segment %zu shares a page it cannot share", i);
			}
			prev->filesz = s->vaddr + s->filesz - prev->vaddr;
			prev->memsz = s->vaddr + s->memsz - prev->vaddr;
			prev->flags |= s->flags;
			memmove(s, s + 1, (*count - i - 1) * sizeof(*s));
			(*count)--;
			continue;
		}
		if ((s->offset & mask) != 0 && page_down(s->offset) < prev->offset + prev->filesz) {
			if ((s->flags & 2u /* PF_W */) == 0) {
				return fail(err, cap, -EBADMSG,
					    "PT_LOAD segment %zu shares a file page read-only", i);
			}
			s->remapped_writeable = true;
		}
		s->filesz += s->vaddr - page_down(s->vaddr);
		s->memsz += s->vaddr - page_down(s->vaddr);
		s->vaddr = page_down(s->vaddr);
		s->offset = page_down(s->offset);
		i++;
	}
	return 0;
}

static int measure_elf(const uint8_t *elf, size_t len, uint8_t out[TZM_ATTEST_OPTEE_DIGEST_LEN],
		       char *err, size_t cap)
{
	struct segment seg[MAX_SEGMENTS];
	struct region reg[MAX_SEGMENTS + 1];
	size_t nseg = 0, nreg = 0;

	if (len < 64 || memcmp(elf,
			       "\x7f"
			       "ELF",
			       4) != 0) {
		return fail(err, cap, -EBADMSG, "payload is not an ELF file");
	}
	if (elf[4] != 2 /* ELFCLASS64 */) {
		return fail(err, cap, -ENOTSUP, "32-bit TA: only 64-bit TAs are measured");
	}
	if (elf[5] != 1 /* ELFDATA2LSB */ || le16(elf + 18) != 183 /* EM_AARCH64 */) {
		return fail(err, cap, -EBADMSG, "not a little-endian AArch64 ELF");
	}
	if (le16(elf + 16) != 3 /* ET_DYN */) {
		return fail(err, cap, -ENOTSUP, "not a position-independent (ET_DYN) TA");
	}
	uint64_t phoff = le64(elf + 32);
	size_t phentsize = le16(elf + 54), phnum = le16(elf + 56);
	/* ldelf reads the program headers from the ELF's first page */
	if (phentsize != 56 || phoff > PAGE_SIZE_OPTEE ||
	    phoff + (uint64_t)phnum * phentsize > PAGE_SIZE_OPTEE ||
	    phoff + (uint64_t)phnum * phentsize > len) {
		return fail(err, cap, -EBADMSG, "program headers outside the ELF's first page");
	}
	for (size_t i = 0; i < phnum; i++) {
		const uint8_t *ph = elf + phoff + i * phentsize;
		if (le32(ph) != 1 /* PT_LOAD */) {
			continue;
		}
		if (nseg == MAX_SEGMENTS) {
			return fail(err, cap, -EBADMSG, "more than %d PT_LOAD segments",
				    MAX_SEGMENTS);
		}
		seg[nseg++] = (struct segment){ .flags = le32(ph + 4),
						.offset = le64(ph + 8),
						.vaddr = le64(ph + 16),
						.filesz = le64(ph + 32),
						.memsz = le64(ph + 40),
						.align = le64(ph + 48) };
	}
	if (nseg == 0) {
		return fail(err, cap, -EBADMSG, "no PT_LOAD segment");
	}
	if (seg[0].offset < PAGE_SIZE_OPTEE) {
		return fail(err, cap, -ENOTSUP, "first segment in the header page (a library?)");
	}
	int rc = adjust_segments(seg, &nseg, err, cap);
	if (rc != 0) {
		return rc;
	}
	/* The main TA's first page (its ELF header) stays mapped read-only. */
	reg[nreg++] = make_region(elf, len, 0, PAGE_SIZE_OPTEE);
	for (size_t i = 0; i < nseg; i++) {
		if (seg[i].remapped_writeable || (seg[i].flags & 2u /* PF_W */) != 0) {
			continue; /* zero-initialised writable memory: not measured */
		}
		if (seg[i].filesz != seg[i].memsz) {
			return fail(err, cap, -EBADMSG, "read-only segment with filesz != memsz");
		}
		if ((seg[i].offset & (PAGE_SIZE_OPTEE - 1)) != 0 || seg[i].filesz > len) {
			return fail(err, cap, -EBADMSG, "read-only segment not page aligned");
		}
		reg[nreg++] = make_region(elf, len, seg[i].offset, seg[i].filesz);
	}
	qsort(reg, nreg, sizeof(reg[0]), region_qsort_cmp);

	static const uint8_t zeros[PAGE_SIZE_OPTEE];
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned int out_len = 0;
	rc = -ENOMEM;
	if (md == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		goto out;
	}
	for (size_t i = 0; i < nreg; i++) {
		if (EVP_DigestUpdate(md, reg[i].data, reg[i].data_len) != 1) {
			goto out;
		}
		for (size_t z = reg[i].data_len; z < reg[i].size;) {
			size_t n =
				reg[i].size - z < sizeof(zeros) ? reg[i].size - z : sizeof(zeros);
			if (EVP_DigestUpdate(md, zeros, n) != 1) {
				goto out;
			}
			z += n;
		}
	}
	if (EVP_DigestFinal_ex(md, out, &out_len) != 1) {
		goto out;
	}
	rc = 0;
out:
	EVP_MD_CTX_free(md);
	return rc;
}

int tzm_attest_optee_measure_ta(const void *ta, size_t len,
				uint8_t out[TZM_ATTEST_OPTEE_DIGEST_LEN], char *err, size_t err_cap)
{
	const uint8_t *p = ta;
	if (ta == NULL || out == NULL) {
		return -EINVAL;
	}
	/* struct shdr (optee_os core/include/signed_hdr.h), little-endian */
	if (len < 20 || le32(p) != 0x4f545348u /* SHDR_MAGIC */) {
		return fail(err, err_cap, -EBADMSG, "not a signed OP-TEE TA (no SHDR magic)");
	}
	uint32_t img_type = le32(p + 4), img_size = le32(p + 8);
	size_t hdr = 20 + (size_t)le16(p + 16) + le16(p + 18);
	if (img_type == 2 || img_type == 3) {
		return fail(err, err_cap, -ENOTSUP, "%s TA: not measured here",
			    img_type == 2 ? "encrypted" : "subkey-signed");
	}
	if (img_type == 1) {
		hdr += 20; /* struct shdr_bootstrap_ta: UUID, version */
	} else if (img_type != 0) {
		return fail(err, err_cap, -EBADMSG, "unknown TA image type %u", img_type);
	}
	if (hdr > len || len - hdr != img_size) {
		return fail(err, err_cap, -EBADMSG, "TA file size %zu does not match its header",
			    len);
	}
	return measure_elf(p + hdr, img_size, out, err, err_cap);
}

int tzm_attest_optee_measure_ta_file(const char *path, uint8_t out[TZM_ATTEST_OPTEE_DIGEST_LEN],
				     char *err, size_t err_cap)
{
	uint8_t *buf = NULL;
	int rc = 0;
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		rc = -errno;
		return fail(err, err_cap, rc, "%s: %s", path, strerror(-rc));
	}
	buf = malloc(MAX_TA_FILE + 1);
	if (buf == NULL) {
		rc = fail(err, err_cap, -ENOMEM, "out of memory");
		goto out;
	}
	size_t n = fread(buf, 1, MAX_TA_FILE + 1, f);
	if (ferror(f) || n > MAX_TA_FILE) {
		rc = fail(err, err_cap, ferror(f) ? -EIO : -EFBIG, "%s: %s", path,
			  ferror(f) ? "read error" : "larger than 64 MiB");
		goto out;
	}
	rc = tzm_attest_optee_measure_ta(buf, n, out, err, err_cap);
out:
	free(buf);
	fclose(f);
	return rc;
}

int tzm_attest_optee_pubkey_pem(const uint8_t *e, size_t e_len, const uint8_t *n, size_t n_len,
				char *buf, size_t cap, size_t *len)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *bn_e = NULL, *bn_n = NULL;
	BIO *bio = NULL;
	char *pem = NULL;
	int rc = -ENOMEM;

	if (e == NULL || n == NULL || len == NULL || e_len == 0 || e_len > 8 || n_len < 256 ||
	    n_len > 512 || n[0] == 0) {
		return -EINVAL;
	}
	bn_e = BN_bin2bn(e, (int)e_len, NULL);
	bn_n = BN_bin2bn(n, (int)n_len, NULL);
	bld = OSSL_PARAM_BLD_new();
	if (bn_e == NULL || bn_n == NULL || bld == NULL ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e) != 1 ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1) {
		goto out;
	}
	if (EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
		rc = -EINVAL;
		goto out;
	}
	bio = BIO_new(BIO_s_mem());
	if (bio == NULL || PEM_write_bio_PUBKEY(bio, pkey) != 1) {
		goto out;
	}
	long pem_len = BIO_get_mem_data(bio, &pem);
	if (pem_len <= 0) {
		goto out;
	}
	*len = (size_t)pem_len;
	if (buf == NULL || (size_t)pem_len >= cap) {
		rc = -ENOSPC;
		goto out;
	}
	memcpy(buf, pem, (size_t)pem_len);
	buf[pem_len] = '\0';
	rc = 0;
out:
	BIO_free(bio);
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn_e);
	BN_free(bn_n);
	return rc;
}
