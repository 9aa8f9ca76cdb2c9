/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The signer's MAC (signer_mac.h). In the TA build the key lives in a GP transient object
 * (TEE_TYPE_HMAC_SHA256) bound to one TEE_ALG_HMAC_SHA256 operation, so the MAC is
 * computed by the TEE's crypto API and the program keeps no copy of the key; natively the
 * splitapp's own HMAC is used. Exactly one implementation is compiled.
 */
#include "signer_mac.h"

#include <errno.h>
#include <string.h>

#include "hmac_sha256.h"

#if defined(TZM_POSIX_TA)

#include <tee_internal_api.h>

static TEE_OperationHandle g_op = TEE_HANDLE_NULL;

int signer_mac_init(const uint8_t *key, size_t key_len)
{
	TEE_ObjectHandle k = TEE_HANDLE_NULL;
	TEE_Attribute attr;
	uint32_t bits = (uint32_t)key_len * 8;
	TEE_Result res = TEE_AllocateTransientObject(TEE_TYPE_HMAC_SHA256, bits, &k);

	if (res == TEE_SUCCESS) {
		TEE_InitRefAttribute(&attr, TEE_ATTR_SECRET_VALUE, key, key_len);
		res = TEE_PopulateTransientObject(k, &attr, 1);
	}
	if (res == TEE_SUCCESS) {
		res = TEE_AllocateOperation(&g_op, TEE_ALG_HMAC_SHA256, TEE_MODE_MAC, bits);
	}
	if (res == TEE_SUCCESS) {
		res = TEE_SetOperationKey(g_op, k); /* the operation keeps its own copy */
	}
	TEE_FreeTransientObject(k);
	if (res != TEE_SUCCESS) {
		signer_mac_end();
		return res == TEE_ERROR_OUT_OF_MEMORY ? -ENOMEM : -EINVAL;
	}
	return 0;
}

int signer_mac(const void *msg, size_t len, uint8_t mac[SPLITAPP_MAC_SIZE])
{
	size_t n = SPLITAPP_MAC_SIZE;

	TEE_MACInit(g_op, NULL, 0);
	if (TEE_MACComputeFinal(g_op, msg, len, mac, &n) != TEE_SUCCESS || n != SPLITAPP_MAC_SIZE) {
		return -EIO;
	}
	return 0;
}

int signer_mac_verify(const void *msg, size_t len, const uint8_t mac[SPLITAPP_MAC_SIZE])
{
	TEE_Result res = TEE_SUCCESS;

	TEE_MACInit(g_op, NULL, 0);
	res = TEE_MACCompareFinal(g_op, msg, len, mac, SPLITAPP_MAC_SIZE);
	if (res == TEE_SUCCESS) {
		return 1;
	}
	return res == TEE_ERROR_MAC_INVALID ? 0 : -EIO;
}

void signer_mac_end(void)
{
	TEE_FreeOperation(g_op);
	g_op = TEE_HANDLE_NULL;
}

#else

static uint8_t g_key[64];
static size_t g_key_len;

int signer_mac_init(const uint8_t *key, size_t key_len)
{
	if (key_len > sizeof(g_key)) {
		return -EINVAL;
	}
	memcpy(g_key, key, key_len);
	g_key_len = key_len;
	return 0;
}

int signer_mac(const void *msg, size_t len, uint8_t mac[SPLITAPP_MAC_SIZE])
{
	hmac_sha256(g_key, g_key_len, msg, len, mac);
	return 0;
}

int signer_mac_verify(const void *msg, size_t len, const uint8_t mac[SPLITAPP_MAC_SIZE])
{
	uint8_t want[SPLITAPP_MAC_SIZE];
	int same = 0;

	hmac_sha256(g_key, g_key_len, msg, len, want);
	same = hmac_equal(want, mac, sizeof(want));
	secure_wipe(want, sizeof(want));
	return same ? 1 : 0;
}

void signer_mac_end(void)
{
	secure_wipe(g_key, sizeof(g_key));
	g_key_len = 0;
}

#endif
