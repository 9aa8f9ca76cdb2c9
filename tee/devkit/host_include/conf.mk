# SPDX-License-Identifier: BSD-2-Clause
# tzmediator TA dev kit: the TEE's configuration for normal-world builds, at the place
# OP-TEE's TA dev kit has it (host_include/conf.mk; OP-TEE's regression suite's host
# Makefile includes it). One CFG_ a line, y or n: what tzmediator's emulated TEE
# provides. conf.h beside it says the same to C (#define CFG_x 1 for each y).

# Secure storage: TEE_STORAGE_PRIVATE / TEE_STORAGE_PRIVATE_REE (files under the state
# directory, rollback-anchored in an emulated RPMB); TEE_STORAGE_PRIVATE_RPMB is not an
# object store here.
CFG_REE_FS := y
CFG_RPMB_FS := n
# TEE_CacheClean/Flush/Invalidate (access check only: memory is coherent)
CFG_CACHE_API := y
# TAs are native code: floating point works
CFG_TA_FLOAT_SUPPORT := y
# Not provided
CFG_GP_SOCKETS := n
CFG_SECURE_DATA_PATH := n
CFG_PKCS11_TA := n
CFG_SECURE_PARTITION := n
CFG_SPMC_TESTS := n
CFG_CRYPTO_SE05X := n
CFG_TA_MBEDTLS := n
CFG_TA_MBEDTLS_SELF_TEST := n
CFG_ULIBS_SHARED := n
CFG_TA_BGET_TEST := n
CFG_CORE_TPM_EVENT_LOG := n
