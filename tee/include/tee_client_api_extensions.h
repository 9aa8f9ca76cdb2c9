/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * OP-TEE extensions to the TEE Client API that tzmediator's libteec also provides.
 */
#ifndef TEE_CLIENT_API_EXTENSIONS_H
#define TEE_CLIENT_API_EXTENSIONS_H

#include <tee_client_api.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Registers memory the caller already holds as a file descriptor (a memfd or any mappable
 * file). libteec duplicates fd, so the caller may close its own copy afterwards;
 * shm->size gives the size to share. The memory is mapped into the caller at shm->buffer.
 */
TEEC_Result TEEC_RegisterSharedMemoryFileDescriptor(TEEC_Context *context,
						    TEEC_SharedMemory *sharedMem, int fd);

#ifdef __cplusplus
}
#endif

#endif
