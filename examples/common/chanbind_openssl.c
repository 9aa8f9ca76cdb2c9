/* SPDX-License-Identifier: BSD-2-Clause */
/* The verifier's X25519 in the examples' channel binding (chanbind.h), by OpenSSL. */
#include "chanbind.h"

#include <openssl/evp.h>

int cb_agree_openssl(const uint8_t epub[CB_PUB_LEN], uint8_t spub[CB_PUB_LEN], uint8_t shared[32])
{
	EVP_PKEY_CTX *gen = EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, NULL), *dc = NULL;
	EVP_PKEY *mine = NULL;
	EVP_PKEY *peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, epub, CB_PUB_LEN);
	size_t plen = CB_PUB_LEN, slen = 32;
	int rc = -1;
	if (gen == NULL || peer == NULL || EVP_PKEY_keygen_init(gen) != 1 ||
	    EVP_PKEY_keygen(gen, &mine) != 1 ||
	    EVP_PKEY_get_raw_public_key(mine, spub, &plen) != 1 || plen != CB_PUB_LEN ||
	    (dc = EVP_PKEY_CTX_new(mine, NULL)) == NULL || EVP_PKEY_derive_init(dc) != 1 ||
	    EVP_PKEY_derive_set_peer(dc, peer) != 1 || EVP_PKEY_derive(dc, shared, &slen) != 1 ||
	    slen != 32) {
		goto out;
	}
	rc = 0;
out:
	EVP_PKEY_CTX_free(dc);
	EVP_PKEY_CTX_free(gen);
	EVP_PKEY_free(mine);
	EVP_PKEY_free(peer);
	return rc;
}
