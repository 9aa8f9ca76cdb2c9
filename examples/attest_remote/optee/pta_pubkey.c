/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * optee_pta_pubkey (normal world, OP-TEE's libteec): prints the public key of OP-TEE's
 * attestation PTA (PTA_ATTESTATION_GET_PUBKEY: exponent and modulus, big-endian) as PEM.
 * This is the provisioning step of the attestation example on OP-TEE: the user runs it
 * once on the device and pins the key in the verifier (attest_client --optee-key). The
 * key is created by the PTA on first use and kept in OP-TEE's secure storage; nothing
 * certifies it, so the user must get it from the device over a channel they trust.
 *
 * usage: optee_pta_pubkey > pta.pem        exit 0, or 1 with a message
 */
#include <stdio.h>
#include <string.h>

#include <tee_client_api.h>

#include "tzm_attest_optee.h"

/* lib/libutee/include/pta_attestation.h of optee_os */
static const TEEC_UUID pta_attestation_uuid = {
	0x39800861, 0x182a, 0x4720, { 0x9b, 0x67, 0x2b, 0xcd, 0x62, 0x2b, 0xc0, 0xb5 }
};
#define PTA_ATTESTATION_GET_PUBKEY 0x0
#define TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256 0x70414930

int main(void)
{
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	uint8_t e[8], n[TZM_ATTEST_OPTEE_MAX_SIG];
	char pem[4096];
	size_t pem_len = 0;
	uint32_t origin = 0;
	int rc = 1;

	TEEC_Result res = TEEC_InitializeContext(NULL, &ctx);
	if (res != TEEC_SUCCESS) {
		fprintf(stderr, "optee_pta_pubkey: TEEC_InitializeContext: 0x%08x\n", res);
		return 1;
	}
	res = TEEC_OpenSession(&ctx, &sess, &pta_attestation_uuid, TEEC_LOGIN_PUBLIC, NULL, NULL,
			       &origin);
	if (res != TEEC_SUCCESS) {
		fprintf(stderr,
			"optee_pta_pubkey: no attestation PTA (0x%08x, origin %u): optee_os "
			"needs CFG_ATTESTATION_PTA=y\n",
			res, origin);
		goto out_ctx;
	}
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_MEMREF_TEMP_OUTPUT,
					 TEEC_VALUE_OUTPUT, TEEC_NONE);
	op.params[0].tmpref.buffer = e;
	op.params[0].tmpref.size = sizeof(e);
	op.params[1].tmpref.buffer = n;
	op.params[1].tmpref.size = sizeof(n);
	res = TEEC_InvokeCommand(&sess, PTA_ATTESTATION_GET_PUBKEY, &op, &origin);
	if (res != TEEC_SUCCESS) {
		fprintf(stderr, "optee_pta_pubkey: GET_PUBKEY: 0x%08x (origin %u)\n", res, origin);
		goto out_sess;
	}
	/* validate the PTA's sizes before using them */
	if (op.params[0].tmpref.size == 0 || op.params[0].tmpref.size > sizeof(e) ||
	    op.params[1].tmpref.size > sizeof(n) ||
	    op.params[2].value.a != TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256) {
		fprintf(stderr,
			"optee_pta_pubkey: unexpected answer (e %zu B, n %zu B, alg 0x%x)\n",
			op.params[0].tmpref.size, op.params[1].tmpref.size, op.params[2].value.a);
		goto out_sess;
	}
	int prc = tzm_attest_optee_pubkey_pem(e, op.params[0].tmpref.size, n,
					      op.params[1].tmpref.size, pem, sizeof(pem), &pem_len);
	if (prc != 0) {
		fprintf(stderr, "optee_pta_pubkey: not a usable RSA key (%d)\n", prc);
		goto out_sess;
	}
	fputs(pem, stdout);
	fprintf(stderr, "optee_pta_pubkey: RSA-%zu key, RSASSA-PSS-SHA256\n",
		op.params[1].tmpref.size * 8);
	rc = 0;
out_sess:
	TEEC_CloseSession(&sess);
out_ctx:
	TEEC_FinalizeContext(&ctx);
	return rc;
}
