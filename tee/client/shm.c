/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared memory for libteec. Every shared buffer is a memfd that tzm-teed passes on to the
 * TA host, which maps it once:
 *  - TEEC_AllocateSharedMemory: a fresh memfd mapped MAP_SHARED (zero copy);
 *  - TEEC_RegisterSharedMemory of a page-aligned buffer whose size is a multiple of the
 *    page size: the contents are copied into a memfd that is then mapped MAP_FIXED over
 *    the caller's pages (zero copy from then on); on release a private copy with the
 *    current contents is put back;
 *  - any other registered buffer: a same-sized memfd "shadow", synchronised with the
 *    caller's buffer around each operation that references it (see teec.c);
 *  - TEEC_RegisterSharedMemoryFileDescriptor: the caller's memfd itself.
 * Every memfd is sealed against shrinking so that no peer can be made to fault on it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tee_client_api_extensions.h>

#include "teec_priv.h"

static size_t page_size(void)
{
	long p = sysconf(_SC_PAGESIZE);
	return p > 0 ? (size_t)p : 4096;
}

static int round_up(size_t n, size_t *out)
{
	size_t ps = page_size();

	if (n == 0) {
		n = 1;
	}
	if (n > SIZE_MAX - (ps - 1)) {
		return -EOVERFLOW;
	}
	*out = (n + ps - 1) & ~(ps - 1);
	return 0;
}

static int new_memfd(size_t size)
{
	int fd = memfd_create("teec-shm", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0) {
		return -errno;
	}
	if (ftruncate(fd, (off_t)size) ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)) {
		int e = -errno;
		close(fd);
		return e;
	}
	return fd;
}

static TEEC_Result register_fd(TEEC_Context *ctx, TEEC_SharedMemory *shm, int fd, size_t size)
{
	struct tzm__teec_ctx *c = ctx->imp.priv;
	struct tee_msg_shm_register_req req;
	struct tee_msg_shm_register_rsp rsp;
	struct tzm__msg *reply = malloc(sizeof(*reply));
	TEEC_Result res = TEEC_ERROR_COMMUNICATION;

	if (!reply) {
		return TEEC_ERROR_OUT_OF_MEMORY;
	}
	memset(&req, 0, sizeof(req));
	req.size = size;
	req.flags = shm->flags & (TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
	if (tzm__teec_call(c, TEE_MSG_SHM_REGISTER, &req, sizeof(req), &fd, 1, reply) == 0) {
		res = reply->hdr.ret;
		if (res == TEEC_SUCCESS) {
			if (tzm__msg_take(reply, &rsp, sizeof(rsp)) == 0 &&
			    rsp.shm_id <= INT32_MAX) {
				shm->imp.id = (int)rsp.shm_id;
			} else {
				res = TEEC_ERROR_COMMUNICATION;
			}
		}
		tzm__msg_close_fds(reply);
	}
	free(reply);
	return res;
}

/* On failure, says why on stderr (tzm__teec_bad_param). */
static bool check_args(const char *fn, TEEC_Context *ctx, TEEC_SharedMemory *shm)
{
	if (!ctx || !ctx->imp.priv || !shm) {
		tzm__teec_bad_param(fn, "%s is NULL",
				    !ctx || !ctx->imp.priv ? "context" : "shared memory");
		return false;
	}
	if ((shm->flags & (TEEC_MEM_INPUT | TEEC_MEM_OUTPUT)) == 0 ||
	    (shm->flags & ~(uint32_t)(TEEC_MEM_INPUT | TEEC_MEM_OUTPUT)) != 0) {
		tzm__teec_bad_param(fn, "flags 0x%x: want TEEC_MEM_INPUT and/or TEEC_MEM_OUTPUT",
				    shm->flags);
		return false;
	}
	return true;
}

static void init_imp(TEEC_Context *ctx, TEEC_SharedMemory *shm)
{
	memset(&shm->imp, 0, sizeof(shm->imp));
	shm->imp.id = -1;
	shm->imp.registered_fd = -1;
	shm->imp.ctx = ctx;
}

__attribute__((visibility("default"))) TEEC_Result TEEC_AllocateSharedMemory(TEEC_Context *ctx,
									     TEEC_SharedMemory *shm)
{
	size_t len = 0;
	void *p;
	int fd;
	TEEC_Result res;

	if (!check_args(__func__, ctx, shm)) {
		return TEEC_ERROR_BAD_PARAMETERS;
	}
	init_imp(ctx, shm);
	if (round_up(shm->size, &len)) {
		return TEEC_ERROR_OUT_OF_MEMORY;
	}
	fd = new_memfd(len);
	if (fd < 0) {
		return TEEC_ERROR_OUT_OF_MEMORY;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return TEEC_ERROR_OUT_OF_MEMORY;
	}
	res = register_fd(ctx, shm, fd, shm->size);
	close(fd);
	if (res != TEEC_SUCCESS) {
		munmap(p, len);
		return res;
	}
	shm->buffer = p;
	shm->imp.alloced_size = len;
	shm->imp.flags = TZM_SHM_F_ALLOCATED;
	return TEEC_SUCCESS;
}

__attribute__((visibility("default"))) TEEC_Result TEEC_RegisterSharedMemory(TEEC_Context *ctx,
									     TEEC_SharedMemory *shm)
{
	size_t ps = page_size(), len = 0;
	bool aligned;
	void *p;
	int fd;
	TEEC_Result res;

	if (!check_args(__func__, ctx, shm)) {
		return TEEC_ERROR_BAD_PARAMETERS;
	}
	/* As OP-TEE's libteec: a NULL buffer is refused whatever the size (a non-NULL buffer
	 * of size 0 is accepted). */
	if (!shm->buffer) {
		return tzm__teec_bad_param(__func__, "buffer is NULL (size %zu)", shm->size);
	}
	init_imp(ctx, shm);
	aligned = shm->buffer && shm->size && ((uintptr_t)shm->buffer % ps) == 0 &&
		  (shm->size % ps) == 0;
	if (round_up(shm->size, &len)) {
		return TEEC_ERROR_OUT_OF_MEMORY;
	}
	fd = new_memfd(len);
	if (fd < 0) {
		return TEEC_ERROR_OUT_OF_MEMORY;
	}
	if (aligned) {
		/* Copy the current contents into the memfd, then put the memfd in its place. */
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			close(fd);
			return TEEC_ERROR_OUT_OF_MEMORY;
		}
		memcpy(p, shm->buffer, shm->size);
		munmap(p, len);
		p = mmap(shm->buffer, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
		if (p == MAP_FAILED) {
			close(fd);
			return TEEC_ERROR_OUT_OF_MEMORY;
		}
		shm->imp.flags = TZM_SHM_F_ZEROCOPY;
	} else {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			close(fd);
			return TEEC_ERROR_OUT_OF_MEMORY;
		}
		shm->imp.shadow_buffer = p;
		shm->imp.flags = TZM_SHM_F_STAGED;
	}
	shm->imp.alloced_size = len;
	res = register_fd(ctx, shm, fd, shm->size);
	close(fd);
	if (res != TEEC_SUCCESS) {
		TEEC_ReleaseSharedMemory(shm);
	}
	return res;
}

__attribute__((visibility("default"))) TEEC_Result
TEEC_RegisterSharedMemoryFileDescriptor(TEEC_Context *ctx, TEEC_SharedMemory *shm, int fd)
{
	struct stat st;
	size_t len = 0;
	void *p;
	TEEC_Result res;
	int seals;

	if (!check_args(__func__, ctx, shm)) {
		return TEEC_ERROR_BAD_PARAMETERS;
	}
	if (fd < 0 || fstat(fd, &st) || st.st_size < 0 || (uint64_t)st.st_size < shm->size) {
		return tzm__teec_bad_param(__func__, "fd %d is %s", fd,
					   fd < 0 ? "negative" : "unusable or smaller than size");
	}
	init_imp(ctx, shm);
	/* The TEE requires that the memory cannot shrink under the TA (it would fault). */
	seals = fcntl(fd, F_GET_SEALS);
	if (seals < 0 || (!(seals & F_SEAL_SHRINK) && fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK))) {
		return tzm__teec_bad_param(__func__,
					   "fd %d cannot be sealed against shrinking "
					   "(use a memfd with MFD_ALLOW_SEALING)",
					   fd);
	}
	if (round_up(shm->size, &len)) {
		return TEEC_ERROR_OUT_OF_MEMORY;
	}
	p = mmap(NULL, shm->size ? shm->size : 1, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		return TEEC_ERROR_BAD_PARAMETERS;
	}
	res = register_fd(ctx, shm, fd, shm->size);
	if (res != TEEC_SUCCESS) {
		munmap(p, shm->size ? shm->size : 1);
		return res;
	}
	shm->buffer = p;
	shm->imp.alloced_size = shm->size ? shm->size : 1;
	shm->imp.flags = TZM_SHM_F_FD | TZM_SHM_F_ALLOCATED;
	return TEEC_SUCCESS;
}

__attribute__((visibility("default"))) void TEEC_ReleaseSharedMemory(TEEC_SharedMemory *shm)
{
	struct tzm__teec_ctx *c;

	if (!shm || !shm->imp.ctx) {
		return;
	}
	c = shm->imp.ctx->imp.priv;
	if (shm->imp.id >= 0 && c) {
		struct tee_msg_shm_release_req req = { .shm_id = (uint64_t)shm->imp.id };
		struct tzm__msg *reply = malloc(sizeof(*reply));

		if (reply) {
			if (tzm__teec_call(c, TEE_MSG_SHM_RELEASE, &req, sizeof(req), NULL, 0,
					   reply) == 0) {
				tzm__msg_close_fds(reply);
			}
			free(reply);
		}
	}
	if (shm->imp.flags & TZM_SHM_F_ALLOCATED) {
		munmap(shm->buffer, shm->imp.alloced_size);
		shm->buffer = NULL;
		shm->size = 0;
	} else if (shm->imp.flags & TZM_SHM_F_ZEROCOPY) {
		/* Give the caller back private pages holding the current contents. */
		void *tmp = mmap(NULL, shm->imp.alloced_size, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (tmp != MAP_FAILED) {
			memcpy(tmp, shm->buffer, shm->size);
			if (mremap(tmp, shm->imp.alloced_size, shm->imp.alloced_size,
				   MREMAP_MAYMOVE | MREMAP_FIXED, shm->buffer) == MAP_FAILED) {
				munmap(tmp, shm->imp.alloced_size);
			}
		}
	} else if (shm->imp.flags & TZM_SHM_F_STAGED) {
		munmap(shm->imp.shadow_buffer, shm->imp.alloced_size);
	}
	shm->imp.shadow_buffer = NULL;
	shm->imp.id = -1;
	shm->imp.flags = 0;
	shm->imp.ctx = NULL;
}
