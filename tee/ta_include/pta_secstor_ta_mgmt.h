/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * OP-TEE's pseudo-TA that installs TAs into secure storage: its UUID and command ID
 * (values from OP-TEE's libutee). tzmediator loads TAs from $TZM_TA_DIR only.
 * tzmediator has no pseudo-TAs: a session to this UUID fails with TEE_ERROR_ITEM_NOT_FOUND.
 * The header is in the kit (include/ and host_include/, where OP-TEE's kit has it) so that
 * sources written for OP-TEE, such as its regression suite, compile unchanged.
 */
#ifndef TZM_PTA_SECSTOR_TA_MGMT_H
#define TZM_PTA_SECSTOR_TA_MGMT_H

#define PTA_SECSTOR_TA_MGMT_UUID                                                                   \
	{                                                                                          \
		0x6e256cba, 0xfc4d, 0x4941,                                                        \
		{                                                                                  \
			0xad, 0x09, 0x2c, 0xa1, 0x86, 0x03, 0x42, 0xdd                             \
		}                                                                                  \
	}

#define PTA_SECSTOR_TA_MGMT_BOOTSTRAP 0

#endif
