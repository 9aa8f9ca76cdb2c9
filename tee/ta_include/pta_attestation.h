/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * OP-TEE's attestation pseudo-TA: its UUID and command IDs (values from OP-TEE's
 * libutee). tzmediator's own attestation is tzm_attest (attest/README.md).
 * tzmediator has no pseudo-TAs: a session to this UUID fails with TEE_ERROR_ITEM_NOT_FOUND.
 * The header is in the kit (include/ and host_include/, where OP-TEE's kit has it) so that
 * sources written for OP-TEE, such as its regression suite, compile unchanged.
 */
#ifndef TZM_PTA_ATTESTATION_H
#define TZM_PTA_ATTESTATION_H

#define PTA_ATTESTATION_UUID                                                                       \
	{                                                                                          \
		0x39800861, 0x182a, 0x4720,                                                        \
		{                                                                                  \
			0x9b, 0x67, 0x2b, 0xcd, 0x62, 0x2b, 0xc0, 0xb5                             \
		}                                                                                  \
	}

#define PTA_ATTESTATION_GET_PUBKEY 0x0
#define PTA_ATTESTATION_GET_TA_SHDR_DIGEST 0x1
#define PTA_ATTESTATION_HASH_TA_MEMORY 0x2
#define PTA_ATTESTATION_HASH_TEE_MEMORY 0x3

#endif
