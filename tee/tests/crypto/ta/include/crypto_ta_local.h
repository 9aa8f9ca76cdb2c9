/* SPDX-License-Identifier: BSD-2-Clause */
/* Between the files of the crypto test TA. */
#ifndef CRYPTO_TA_LOCAL_H
#define CRYPTO_TA_LOCAL_H

#include <tee_internal_api.h>

/* The size type of the API level the TA is built for. */
#ifdef __OPTEE_CORE_API_COMPAT_1_1
typedef uint32_t SZ;
#else
typedef size_t SZ;
/* crypto_ta_bigint.c */
TEE_Result bigint_cmd(uint32_t fn, const uint8_t *in, SZ in_len, uint8_t *out, SZ *out_len);

#endif

/* crypto_ta_misuse.c */
TEE_Result misuse(uint32_t which);
TEE_Result selftest(void);

/* crypto_ta_stream.c: CTS and XTS output of TEE_CipherUpdate in pieces (panics on failure) */
void stream_checks(void);

/* crypto_ta_bigint.c */
TEE_Result bigint_cmd(uint32_t fn, const uint8_t *in, SZ in_len, uint8_t *out, SZ *out_len);

#endif
