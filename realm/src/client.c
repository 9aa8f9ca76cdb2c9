// SPDX-License-Identifier: BSD-2-Clause
/*
 * The host's side of tzm-rmm: starting the RMM process, RMI and Non-secure memory over its
 * socket, and the hypervisor's load sequence for a realm image (tzm_rmm_proc.h). The host
 * never holds a mapping or fd of modelled memory: everything goes through these messages,
 * which the RMM checks exactly as it checks tzm_rmi_call() and tzm_rmm_ns_read/write().
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tzm_rmm_proc.h"

#define TWO_MB (2ull << 20)

int tzm_rmm_spawn(const struct tzm_rmm_spawn_opts *o, struct tzm_rmm_conn *c)
{
	int sv[2] = { -1, -1 }, mfd = -1;
	char granules[32], shared[32];

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->buf = malloc(TZM_RMMP_MSG_MAX);
	if (c->buf == NULL) {
		return -ENOMEM;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		int e = errno;
		free(c->buf);
		c->buf = NULL;
		return -e;
	}
	snprintf(granules, sizeof(granules), "%zu", o->dram_granules);
	snprintf(shared, sizeof(shared), "%zu", o->shared_granules);
	if (o->shared_granules > 0) {
		/* the host's own NS memory, given to the RMM to model as the shared region */
		size_t len = o->shared_granules * TZM_GRANULE_SIZE;
		mfd = memfd_create("tzm-ns-shared", MFD_CLOEXEC);
		void *m = mfd < 0 || ftruncate(mfd, (off_t)len) != 0
				  ? MAP_FAILED
				  : mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
		if (m == MAP_FAILED) {
			int e = errno;
			if (mfd >= 0) {
				close(mfd);
			}
			close(sv[0]);
			close(sv[1]);
			free(c->buf);
			c->buf = NULL;
			return -e;
		}
		c->shared = m;
		c->shared_len = len;
	}
	pid_t pid = fork();
	if (pid == 0) {
		/* fd 3 is the channel, fd 4 the shared region; everything else of ours is
		 * close-on-exec */
		if (dup2(sv[1], 3) != 3 || (mfd >= 0 && dup2(mfd, 4) != 4)) {
			_exit(127);
		}
		const char *wrap = getenv("TZM_EXEC_WRAPPER");
		char *argv[16];
		char words[512];
		char *save = NULL;
		size_t n = 0;
		if (wrap != NULL && *wrap != '\0' && strlen(wrap) < sizeof(words)) {
			memcpy(words, wrap, strlen(wrap) + 1);
			for (char *w = strtok_r(words, " \t", &save); w != NULL && n < 8;
			     w = strtok_r(NULL, " \t", &save)) {
				argv[n++] = w;
			}
		}
		argv[n++] = (char *)o->rmm_path;
		argv[n++] = "--dram-granules";
		argv[n++] = granules;
		if (o->platform_key_path != NULL) {
			argv[n++] = "--platform-key";
			argv[n++] = (char *)o->platform_key_path;
		}
		if (mfd >= 0) {
			argv[n++] = "--shared-granules";
			argv[n++] = shared;
		}
		argv[n] = NULL;
		execv(argv[0], argv);
		fprintf(stderr, "tzm: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(sv[1]);
	if (mfd >= 0) {
		close(mfd); /* the mapping and the RMM's copy stay */
	}
	if (pid < 0) {
		int e = errno;
		close(sv[0]);
		free(c->buf);
		c->buf = NULL;
		if (c->shared != NULL) {
			munmap(c->shared, c->shared_len);
			c->shared = NULL;
		}
		return -e;
	}
	c->fd = sv[0];
	c->pid = pid;
	return 0;
}

void tzm_rmm_close(struct tzm_rmm_conn *c)
{
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	if (c->pid > 0) {
		while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR) {
		}
		c->pid = 0;
	}
	free(c->buf);
	c->buf = NULL;
	if (c->shared != NULL) {
		munmap(c->shared, c->shared_len);
		c->shared = NULL;
	}
}

/* Used by both ends: the host's requests here, the RMM's replies in rmmd.c. */
int tzm_rmmp_send(int fd, unsigned type, int32_t status, const uint64_t *x, unsigned nx,
		  const void *data, size_t len)
{
	struct tzm_rmmp_hdr h;
	struct iovec iov[2];
	struct msghdr m;
	ssize_t n;

	tzm_rmmp_header(&h, type, status, x, nx, (uint32_t)len);
	iov[0].iov_base = &h;
	iov[0].iov_len = sizeof(h);
	iov[1].iov_base = (void *)data;
	iov[1].iov_len = len;
	memset(&m, 0, sizeof(m));
	m.msg_iov = iov;
	m.msg_iovlen = len > 0 ? 2 : 1;
	do {
		n = sendmsg(fd, &m, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	return n == (ssize_t)(sizeof(h) + len) ? 0 : -EIO;
}

/* One request and its reply (type checked, decoded). 0 or -EIO. */
static int transact(struct tzm_rmm_conn *c, unsigned type, const uint64_t *x, unsigned nx,
		    const void *data, size_t len, struct tzm_rmmp_hdr *rh, const uint8_t **rdata)
{
	ssize_t n;

	if (c->fd < 0 || len > TZM_RMMP_MAX_DATA) {
		return -EIO;
	}
	if (tzm_rmmp_send(c->fd, type, 0, x, nx, data, len) != 0) {
		return -EIO;
	}
	do {
		n = recv(c->fd, c->buf, TZM_RMMP_MSG_MAX, MSG_TRUNC);
	} while (n < 0 && errno == EINTR);
	if (n <= 0 || (size_t)n > TZM_RMMP_MSG_MAX ||
	    tzm_rmmp_decode(c->buf, (size_t)n, TZM_RMMP_BIT(type), true, rh, rdata) != 0) {
		return -EIO;
	}
	return 0;
}

int tzm_rmm_rmi(struct tzm_rmm_conn *c, struct tzm_smc_regs *regs)
{
	struct tzm_rmmp_hdr rh;
	const uint8_t *d = NULL;
	int rc = transact(c, TZM_RMMP_RMI, regs->x, 11, NULL, 0, &rh, &d);
	if (rc != 0 || rh.status != 0 || rh.data_len != 0) {
		return -EIO;
	}
	memcpy(regs->x, rh.x, sizeof(regs->x));
	return 0;
}

static void gpf_from(const struct tzm_rmmp_hdr *rh, struct tzm_gpf *gpf)
{
	if (gpf == NULL) {
		return;
	}
	memset(gpf, 0, sizeof(*gpf));
	gpf->kind = rh->x[0] <= TZM_GPF_ADDRESS ? (enum tzm_gpf_kind)rh->x[0] : TZM_GPF_NONE;
	gpf->pa = rh->x[1];
	gpf->level = (unsigned)(rh->x[2] & 1);
	gpf->gpi = (unsigned)(rh->x[3] & 0xF);
	gpf->state = (enum tzm_sec_state)(rh->x[4] & 3);
	gpf->pas = (enum tzm_pas)(rh->x[5] & 3);
}

int tzm_rmm_ns_read_remote(struct tzm_rmm_conn *c, uint64_t pa, void *buf, size_t len,
			   struct tzm_gpf *gpf)
{
	uint8_t *p = buf;
	while (len > 0) {
		size_t n = len < TZM_RMMP_MAX_DATA ? len : TZM_RMMP_MAX_DATA;
		uint64_t x[2] = { pa, n };
		struct tzm_rmmp_hdr rh;
		const uint8_t *d = NULL;
		if (transact(c, TZM_RMMP_NS_READ, x, 2, NULL, 0, &rh, &d) != 0) {
			return -EIO;
		}
		if (rh.status == -EFAULT) {
			gpf_from(&rh, gpf);
			return -EFAULT;
		}
		if (rh.status != 0 || rh.data_len != n) {
			return -EIO;
		}
		memcpy(p, d, n);
		p += n;
		pa += n;
		len -= n;
	}
	return 0;
}

int tzm_rmm_ns_write_remote(struct tzm_rmm_conn *c, uint64_t pa, const void *buf, size_t len,
			    struct tzm_gpf *gpf)
{
	const uint8_t *p = buf;
	while (len > 0) {
		size_t n = len < TZM_RMMP_MAX_DATA ? len : TZM_RMMP_MAX_DATA;
		uint64_t x[1] = { pa };
		struct tzm_rmmp_hdr rh;
		const uint8_t *d = NULL;
		if (transact(c, TZM_RMMP_NS_WRITE, x, 1, p, n, &rh, &d) != 0) {
			return -EIO;
		}
		if (rh.status == -EFAULT) {
			gpf_from(&rh, gpf);
			return -EFAULT;
		}
		if (rh.status != 0) {
			return -EIO;
		}
		p += n;
		pa += n;
		len -= n;
	}
	return 0;
}

int tzm_rmm_platform_key_remote(struct tzm_rmm_conn *c, char *buf, size_t cap, size_t *len)
{
	struct tzm_rmmp_hdr rh;
	const uint8_t *d = NULL;
	if (transact(c, TZM_RMMP_PLATFORM_KEY, NULL, 0, NULL, 0, &rh, &d) != 0 || rh.status != 0) {
		return -EIO;
	}
	if (rh.data_len + 1 > cap) {
		return -ENOSPC;
	}
	memcpy(buf, d, rh.data_len);
	buf[rh.data_len] = '\0';
	*len = rh.data_len;
	return 0;
}

int tzm_rmm_dram_remote(struct tzm_rmm_conn *c, uint64_t *base, uint64_t *size)
{
	struct tzm_rmmp_hdr rh;
	const uint8_t *d = NULL;
	if (transact(c, TZM_RMMP_INFO, NULL, 0, NULL, 0, &rh, &d) != 0 || rh.status != 0) {
		return -EIO;
	}
	*base = rh.x[0];
	*size = rh.x[1];
	if (rh.x[3] != c->shared_len) {
		return -EIO;
	}
	c->shared_base = rh.x[2];
	return 0;
}

/* ---- the load sequence ---- */

static uint64_t rmi5(struct tzm_rmm_conn *c, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
		     uint64_t a4, uint64_t a5, uint64_t *res1)
{
	struct tzm_smc_regs r = tzm_rmi_regs(fid, a1, a2, a3, a4, a5);
	if (tzm_rmm_rmi(c, &r) != 0) {
		return UINT64_MAX;
	}
	if (res1 != NULL) {
		*res1 = r.x[1];
	}
	return r.x[0];
}

static int granule(struct tzm_realm_vm *vm, uint64_t *pa)
{
	if (vm->next_granule >= vm->dram_end) {
		return -ENOMEM;
	}
	*pa = vm->next_granule;
	vm->next_granule += TZM_GRANULE_SIZE;
	return 0;
}

static int delegated(struct tzm_rmm_conn *c, struct tzm_realm_vm *vm, uint64_t *pa)
{
	if (granule(vm, pa) != 0 ||
	    rmi5(c, TZM_RMI_GRANULE_DELEGATE, *pa, 0, 0, 0, 0, NULL) != TZM_RMI_SUCCESS) {
		return -EIO;
	}
	return 0;
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

size_t tzm_realm_vm_granules(size_t image_len)
{
	/* image + scratch + RD, RTTs (start + one per level per 2 MB), REC + aux, params,
	 * run, the source page, the shared window and its RTTs, with room to spare */
	size_t pages = (image_len + TZM_GRANULE_SIZE - 1) / TZM_GRANULE_SIZE;
	size_t tables = 2 * ((image_len + TWO_MB) / TWO_MB) + 8;
	return pages + tables + TZM_REALM_SHARED_PAGES + 32;
}

/* RTT_CREATE at every level from 2 to 3 for ipa (an existing table is fine). */
static int map_tables(struct tzm_rmm_conn *c, struct tzm_realm_vm *vm, uint64_t ipa)
{
	for (int64_t l = 2; l <= 3; l++) {
		uint64_t mask = (1ull << (12 + 9 * (3 - (l - 1)))) - 1, rtt = 0;
		if (delegated(c, vm, &rtt) != 0) {
			return -EIO;
		}
		uint64_t x0 =
			rmi5(c, TZM_RMI_RTT_CREATE, vm->rd, rtt, ipa & ~mask, (uint64_t)l, 0, NULL);
		if (x0 == TZM_RMI_RETURN(TZM_RMI_ERROR_RTT, l - 1)) {
			/* already there: give the granule back */
			if (rmi5(c, TZM_RMI_GRANULE_UNDELEGATE, rtt, 0, 0, 0, 0, NULL) != 0) {
				return -EIO;
			}
		} else if (x0 != TZM_RMI_SUCCESS) {
			return -EIO;
		}
	}
	return 0;
}

int tzm_realm_vm_load(struct tzm_rmm_conn *c, const void *image, size_t image_len,
		      struct tzm_realm_vm *vm, const char **what)
{
	struct tzm_realm_layout *l = &vm->layout;
	uint8_t page[TZM_GRANULE_SIZE];
	uint64_t params = 0, src = 0, pa = 0, top = 0;
	struct tzm_smc_regs r;

	*what = "layout";
	uint64_t dram_base = vm->dram_base, dram_end = vm->dram_end;
	memset(vm, 0, sizeof(*vm));
	vm->dram_base = vm->next_granule = dram_base;
	vm->dram_end = dram_end;
	tzm_realm_layout_default(l, image_len);
	vm->scratch_ipa = l->ipa_base + ((image_len + TZM_GRANULE_SIZE - 1) & ~(uint64_t)4095);
	if (image_len == 0 || tzm_realm_layout_check(l, image_len) != 0 ||
	    vm->scratch_ipa + TZM_GRANULE_SIZE > l->ipa_base + l->ram_size) {
		return -EINVAL;
	}
	/* s2sz 32 from level 1: one starting table */
	*what = "REALM_CREATE";
	if (delegated(c, vm, &vm->rd) != 0 || granule(vm, &params) != 0) {
		return -EIO;
	}
	uint64_t rtt_base = 0;
	if (delegated(c, vm, &rtt_base) != 0) {
		return -EIO;
	}
	memset(page, 0, sizeof(page));
	page[TZM_RP_S2SZ] = (uint8_t)l->s2sz;
	page[TZM_RP_ALGORITHM] = (uint8_t)l->algorithm;
	page[TZM_RP_VMID] = 1;
	put64(page + TZM_RP_RTT_BASE, rtt_base);
	put64(page + TZM_RP_RTT_LEVEL_START, 1);
	uint32_t one = 1;
	memcpy(page + TZM_RP_RTT_NUM_START, &one, 4);
	if (tzm_rmm_ns_write_remote(c, params, page, sizeof(page), NULL) != 0 ||
	    rmi5(c, TZM_RMI_REALM_CREATE, vm->rd, params, 0, 0, 0, NULL) != TZM_RMI_SUCCESS) {
		return -EIO;
	}
	*what = "RTT_CREATE";
	top = l->ipa_base + l->ram_size;
	for (uint64_t a = l->ipa_base & ~(TWO_MB - 1); a < top; a += TWO_MB) {
		if (map_tables(c, vm, a) != 0) {
			return -EIO;
		}
	}
	*what = "RTT_INIT_RIPAS";
	for (uint64_t base = l->ipa_base; base < top;) {
		uint64_t next = 0;
		if (rmi5(c, TZM_RMI_RTT_INIT_RIPAS, vm->rd, base, top, 0, 0, &next) !=
			    TZM_RMI_SUCCESS ||
		    next <= base) {
			return -EIO;
		}
		base = next;
	}
	*what = "DATA_CREATE";
	if (granule(vm, &src) != 0) {
		return -EIO;
	}
	for (size_t off = 0; off < image_len; off += TZM_GRANULE_SIZE) {
		size_t n = image_len - off < TZM_GRANULE_SIZE ? image_len - off : TZM_GRANULE_SIZE;
		memset(page, 0, sizeof(page));
		memcpy(page, (const uint8_t *)image + off, n);
		if (tzm_rmm_ns_write_remote(c, src, page, sizeof(page), NULL) != 0 ||
		    delegated(c, vm, &pa) != 0 ||
		    rmi5(c, TZM_RMI_DATA_CREATE, vm->rd, pa, l->ipa_base + off, src,
			 TZM_RMI_MEASURE_CONTENT, NULL) != TZM_RMI_SUCCESS) {
			return -EIO;
		}
	}
	*what = "DATA_CREATE_UNKNOWN";
	if (delegated(c, vm, &pa) != 0 || rmi5(c, TZM_RMI_DATA_CREATE_UNKNOWN, vm->rd, pa,
					       vm->scratch_ipa, 0, 0, NULL) != TZM_RMI_SUCCESS) {
		return -EIO;
	}
	*what = "REC_CREATE";
	memset(&r, 0, sizeof(r));
	r.x[0] = TZM_RMI_REC_AUX_COUNT;
	r.x[1] = vm->rd;
	if (tzm_rmm_rmi(c, &r) != 0 || r.x[0] != TZM_RMI_SUCCESS || r.x[1] > TZM_REC_MAX_AUX) {
		return -EIO;
	}
	uint64_t num_aux = r.x[1];
	memset(page, 0, sizeof(page));
	put64(page + TZM_RECP_FLAGS, TZM_REC_PARAMS_FLAG_RUNNABLE);
	put64(page + TZM_RECP_PC, l->entry);
	put64(page + TZM_RECP_NUM_AUX, num_aux);
	for (uint64_t i = 0; i < num_aux; i++) {
		uint64_t aux = 0;
		if (delegated(c, vm, &aux) != 0) {
			return -EIO;
		}
		put64(page + TZM_RECP_AUX + 8 * i, aux);
	}
	if (delegated(c, vm, &vm->rec) != 0 ||
	    tzm_rmm_ns_write_remote(c, params, page, sizeof(page), NULL) != 0 ||
	    rmi5(c, TZM_RMI_REC_CREATE, vm->rd, vm->rec, params, 0, 0, NULL) != TZM_RMI_SUCCESS) {
		return -EIO;
	}
	*what = "RTT_MAP_UNPROTECTED";
	vm->shared_ipa = 1ull << (l->s2sz - 1);
	if (map_tables(c, vm, vm->shared_ipa) != 0) {
		return -EIO;
	}
	/* the window: in the shared NS region if the machine has one (the fast path),
	 * else DRAM granules (reached only through the RMM's Non-secure memory messages) */
	bool in_shared = c->shared != NULL &&
			 c->shared_len >= TZM_REALM_SHARED_PAGES * (size_t)TZM_GRANULE_SIZE;
	for (unsigned i = 0; i < TZM_REALM_SHARED_PAGES; i++) {
		if (in_shared) {
			pa = c->shared_base + 4096ull * i;
		} else if (granule(vm, &pa) != 0) {
			return -EIO;
		}
		if (i == 0) {
			vm->shared_pa = pa;
		}
		if (rmi5(c, TZM_RMI_RTT_MAP_UNPROTECTED, vm->rd, vm->shared_ipa + 4096ull * i, 3,
			 pa, 0, NULL) != TZM_RMI_SUCCESS) {
			return -EIO;
		}
	}
	*what = "REALM_ACTIVATE";
	if (granule(vm, &vm->run) != 0 ||
	    rmi5(c, TZM_RMI_REALM_ACTIVATE, vm->rd, 0, 0, 0, 0, NULL) != TZM_RMI_SUCCESS) {
		return -EIO;
	}
	*what = NULL;
	return 0;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

int64_t tzm_realm_vm_enter(struct tzm_rmm_conn *c, const struct tzm_realm_vm *vm,
			   const uint64_t *gprs, uint64_t flags, struct tzm_realm_exit *ex)
{
	uint8_t entry[TZM_RUN_ENTER_GPRS + 31 * 8];
	uint8_t exit[0x700];

	memset(entry, 0, sizeof(entry));
	put64(entry + TZM_RUN_ENTER_FLAGS, flags);
	for (unsigned i = 0; gprs != NULL && i < 31; i++) {
		put64(entry + TZM_RUN_ENTER_GPRS + 8 * i, gprs[i]);
	}
	if (tzm_rmm_ns_write_remote(c, vm->run, entry, sizeof(entry), NULL) != 0) {
		return -EIO;
	}
	uint64_t x0 = rmi5(c, TZM_RMI_REC_ENTER, vm->rec, vm->run, 0, 0, 0, NULL);
	if (x0 == UINT64_MAX) {
		return -EIO;
	}
	if (x0 != TZM_RMI_SUCCESS) {
		return (int64_t)x0;
	}
	if (tzm_rmm_ns_read_remote(c, vm->run + TZM_RUN_EXIT, exit, sizeof(exit), NULL) != 0) {
		return -EIO;
	}
	memset(ex, 0, sizeof(*ex));
	ex->reason = get64(exit + 0x0);
	ex->esr = get64(exit + 0x100);
	ex->far = get64(exit + 0x108);
	ex->hpfar = get64(exit + 0x110);
	for (unsigned i = 0; i < 31; i++) {
		ex->gprs[i] = get64(exit + 0x200 + 8 * i);
	}
	ex->imm = get64(exit + 0x600);
	return 0;
}
