/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The part of OP-TEE's pta_attestation.h that libc/attest.c uses (the attestation PTA's
 * UUID and the command that measures the calling TA), for the freestanding check only;
 * a real build gets OP-TEE's header from the TA dev kit.
 */
#ifndef PTA_ATTESTATION_H
#define PTA_ATTESTATION_H

#define PTA_ATTESTATION_UUID                                                                       \
	{                                                                                          \
		0x39800861, 0x182a, 0x4720,                                                        \
		{                                                                                  \
			0x9b, 0x67, 0x2b, 0xcd, 0x62, 0x2b, 0xc0, 0xb5                             \
		}                                                                                  \
	}
#define PTA_ATTESTATION_HASH_TA_MEMORY 0x2

#endif
