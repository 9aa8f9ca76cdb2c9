/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hooks through which tzm-teed hands TA requests to the secure storage (storage*.c) and
 * attestation (attest*.c) services. A command outside both ranges gets NOT_SUPPORTED.
 *
 * Dispatch functions run on the core's event loop thread: they must not block for long.
 * [in] ta: identity of the calling TA instance, established by the core (never by the TA)
 * [in] cmd, req/req_len: the TA's request (untrusted bytes, req_len <= TEE_MSG_MAX_PAYLOAD)
 * [out] resp (capacity resp_cap = TEE_MSG_MAX_PAYLOAD), *resp_len
 */
#ifndef TZM_CORE_SERVICES_H
#define TZM_CORE_SERVICES_H

#include <stddef.h>
#include <stdint.h>
#include <tee_api_types.h>

struct core_ta_identity {
	TEE_UUID uuid;
	uint64_t instance_id;
	uint8_t ta_sha256[32];     /* SHA-256 of the whole .ta file = TA measurement */
	uint32_t module_kind;      /* TA_IMAGE_MODULE_* of the .ta header (0: a C TA) */
	uint8_t module_sha256[32]; /* TA_IMAGE_MODULE_WASM: SHA-256 of the Wasm module */
};

#define CORE_CMD_STORAGE_FIRST 0x0100u
#define CORE_CMD_STORAGE_LAST 0x01FFu
#define CORE_CMD_ATTEST_FIRST 0x0200u
#define CORE_CMD_ATTEST_LAST 0x02FFu
/* tee_invoke_supp_plugin: tee_msg_plugin_req + data, relayed to the calling client (not a
 * service of the core: instance.c forwards it and answers when the client does). */
#define CORE_CMD_PLUGIN_INVOKE 0x0300u

/* The storage service's state (one per core). Before core__storage_init() succeeds,
 * requests fail (as with an unusable state directory). */
struct core_storage;
struct core_storage *core__storage_new(void);
void core__storage_free(struct core_storage *st);
TEE_Result core__storage_dispatch(struct core_storage *st, const struct core_ta_identity *ta,
				  uint32_t cmd, const void *req, size_t req_len, void *resp,
				  size_t resp_cap, size_t *resp_len);
void core__storage_instance_gone(struct core_storage *st, uint64_t instance_id);
/* At core start-up (again: re-opens); loads or creates the device key. 0 or -errno. */
int core__storage_init(struct core_storage *st, const char *state_dir);

/* The attestation service's state (one per core; log: where it reports, NULL: stderr).
 * Before core__attest_init() succeeds, requests get TEE_ERROR_BAD_STATE. */
struct core;
struct core_attest;
struct core_attest *core__attest_new(const struct core *log);
void core__attest_free(struct core_attest *att);
TEE_Result core__attest_dispatch(struct core_attest *att, const struct core_ta_identity *ta,
				 uint32_t cmd, const void *req, size_t req_len, void *resp,
				 size_t resp_cap, size_t *resp_len);
void core__attest_instance_gone(struct core_attest *att, uint64_t instance_id);
/* tee_binaries: NULL-terminated paths of tzm-teed and tzm-ta-host (measured). */
int core__attest_init(struct core_attest *att, const char *state_dir,
		      const char *const *tee_binaries);

#endif
