// SPDX-License-Identifier: BSD-2-Clause
/*
 * The RMM as a process (tzm-rmm). The process that owns the struct tzm_rmm is the RMM: it
 * holds all modelled physical memory, so realm granules exist only in its address space.
 * Everybody else reaches it over a SOCK_SEQPACKET socket with the messages below (one
 * fixed, versioned, bounded format, decoded by tzm_rmmp_decode() and nowhere else):
 *
 *   host  <-> tzm-rmm   RMI (SMCCC registers), Non-secure memory reads/writes (Granule
 *                       Protection Checked in the RMM: a Realm granule is a GPF), the
 *                       platform key's public half
 *   realm <-> tzm-rmm   the realm process (spawned by the RMM on the first REC_ENTER of a
 *                       REC, its image read from the realm's DATA granules) runs only
 *                       inside REC_ENTER: RUN hands it its registers; it makes SMCs (RSI,
 *                       PSCI) and stage-2 translated memory accesses until an SMC exits
 *                       to the host, which ends REC_ENTER with the exit record.
 */
#ifndef TZM_RMM_PROC_H
#define TZM_RMM_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "tzm_realm.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TZM_RMMP_MAGIC 0x504d4d52u /* "RMMP" */
#define TZM_RMMP_VERSION 1u
#define TZM_RMMP_MAX_DATA 65536u /* bytes after the header in one message */

struct tzm_rmmp_hdr {
	uint32_t magic;
	uint16_t version;
	uint16_t type;     /* enum tzm_rmmp_type */
	uint32_t data_len; /* bytes following the header */
	int32_t status;    /* replies: 0 or -errno; requests: 0 */
	uint64_t x[31];
};
#define TZM_RMMP_HDR_SIZE 264u
#define TZM_RMMP_MSG_MAX (TZM_RMMP_HDR_SIZE + TZM_RMMP_MAX_DATA)

enum tzm_rmmp_type {
	/* host -> RMM; each is answered by a reply of the same type */
	TZM_RMMP_RMI = 1,          /* x[0..10] SMCCC registers -> x[0..10] */
	TZM_RMMP_NS_READ = 2,      /* x0 PA, x1 length -> data; on a GPF status -EFAULT, x: gpf */
	TZM_RMMP_NS_WRITE = 3,     /* x0 PA, data -> status; x: gpf */
	TZM_RMMP_PLATFORM_KEY = 4, /* -> PEM of the platform key's public half */
	TZM_RMMP_INFO = 5,         /* -> x0, x1: PA base and size of the delegable DRAM;
				      x2, x3: of the shared NS region (size 0: none) */
	/* RMM -> realm: run with X0..X30 (the answer to a pending SMC that exited, or the
	 * realm's first entry); also answers a memory access that made the REC exit (the
	 * realm retries it, as a CPU re-executes a faulting instruction) */
	TZM_RMMP_RUN = 16,
	/* realm -> RMM */
	TZM_RMMP_SMC = 17,       /* x: X0..X30 -> SMC reply (answered in the RMM) or RUN later */
	TZM_RMMP_MEM_READ = 18,  /* x0 IPA, x1 length -> data (status -EFAULT: no access) */
	TZM_RMMP_MEM_WRITE = 19, /* x0 IPA, data -> status */
	/* x0 IPA, x1 length (granules, <= 1 MiB) -> x0 offset in the shared NS region and
	 * that region's memfd (SCM_RIGHTS), if stage 2 maps the whole range unprotected onto
	 * it (tzm_vcpu_shared_offset); else status -EACCES and no fd */
	TZM_RMMP_MAP_SHARED = 20,
};
#define TZM_RMMP_BIT(t) (1u << (t))
#define TZM_RMMP_HOST_REQUESTS                                                                     \
	(TZM_RMMP_BIT(TZM_RMMP_RMI) | TZM_RMMP_BIT(TZM_RMMP_NS_READ) |                             \
	 TZM_RMMP_BIT(TZM_RMMP_NS_WRITE) | TZM_RMMP_BIT(TZM_RMMP_PLATFORM_KEY) |                   \
	 TZM_RMMP_BIT(TZM_RMMP_INFO))
#define TZM_RMMP_REALM_REQUESTS                                                                    \
	(TZM_RMMP_BIT(TZM_RMMP_SMC) | TZM_RMMP_BIT(TZM_RMMP_MEM_READ) |                            \
	 TZM_RMMP_BIT(TZM_RMMP_MEM_WRITE) | TZM_RMMP_BIT(TZM_RMMP_MAP_SHARED))

/*
 * Validates one received message of len bytes (framing, version, type among `allowed`,
 * exact length, the type's argument bounds for a request, or a reply's) and copies its
 * header into *hdr; *data points at its data_len bytes in msg. 0 or -EBADMSG.
 */
int tzm_rmmp_decode(const void *msg, size_t len, uint32_t allowed, bool reply,
		    struct tzm_rmmp_hdr *hdr, const uint8_t **data);
/* Fills a header (magic, version, type, status, x[0..nx), data_len). */
void tzm_rmmp_header(struct tzm_rmmp_hdr *hdr, unsigned type, int32_t status, const uint64_t *x,
		     unsigned nx, uint32_t data_len);
/*
 * Sends one message (header and len bytes of data) on the SOCK_SEQPACKET fd. 0 or -EIO.
 * In tzm_realm_client (client.c), not proto.c: libtzm's realm entry compiles proto.c and
 * sends nothing over sockets.
 */
int tzm_rmmp_send(int fd, unsigned type, int32_t status, const uint64_t *x, unsigned nx,
		  const void *data, size_t len);

/* ---- host side: a connection to a tzm-rmm process ---- */

struct tzm_rmm_conn {
	int fd;
	pid_t pid;
	uint8_t *buf;         /* TZM_RMMP_MSG_MAX bytes: the last reply */
	uint8_t *shared;      /* the shared NS region, mapped (NULL: none) */
	size_t shared_len;    /* its size */
	uint64_t shared_base; /* its PA (from tzm_rmm_dram_remote) */
};

struct tzm_rmm_spawn_opts {
	const char *rmm_path;          /* the tzm-rmm executable */
	size_t dram_granules;          /* delegable DRAM of the machine */
	const char *platform_key_path; /* NULL: a fresh platform key */
	/* Shared NS granules after DRAM, backed by a memfd this side creates and maps: the
	 * host's own Non-secure memory, never delegable (0: none) */
	size_t shared_granules;
};

/* Starts tzm-rmm with its end of a socketpair on fd 3. 0 or -errno. */
int tzm_rmm_spawn(const struct tzm_rmm_spawn_opts *o, struct tzm_rmm_conn *c);
/* Closes the connection (the RMM exits on EOF, ending its realm processes) and reaps it. */
void tzm_rmm_close(struct tzm_rmm_conn *c);
/* One RMI command; regs as for tzm_rmi_call(). 0 or -EIO (the RMM is gone or broke the
 * protocol). */
int tzm_rmm_rmi(struct tzm_rmm_conn *c, struct tzm_smc_regs *regs);
/* The host's Non-secure memory view, any length: 0, -EFAULT with *gpf (may be NULL), or
 * -EIO. A read that faults transfers nothing; a write is all or nothing per message. */
int tzm_rmm_ns_read_remote(struct tzm_rmm_conn *c, uint64_t pa, void *buf, size_t len,
			   struct tzm_gpf *gpf);
int tzm_rmm_ns_write_remote(struct tzm_rmm_conn *c, uint64_t pa, const void *buf, size_t len,
			    struct tzm_gpf *gpf);
int tzm_rmm_platform_key_remote(struct tzm_rmm_conn *c, char *buf, size_t cap, size_t *len);
/* The machine's delegable DRAM (tzm_rmm_dram()); also records the shared NS region's PA
 * in c (-EIO if its size is not the one spawned with). */
int tzm_rmm_dram_remote(struct tzm_rmm_conn *c, uint64_t *base, uint64_t *size);

/* ---- host side: the hypervisor's load sequence (tzm_realm.h, "load sequence") ---- */

/*
 * The realm ABI of `tzm realm run` (realm/README.md, "Realm programs"): the image is loaded
 * at IPA base; the page after it (ipa_base + round_up(image, 4 KB)) is the realm's scratch
 * page (DATA_CREATE_UNKNOWN: not measured); TZM_REALM_SHARED_PAGES NS granules are mapped
 * at the start of the unprotected IPA space (1 << (s2sz - 1)) for the mediator's channel.
 */
#define TZM_REALM_SHARED_PAGES 17u
/* The fast path's control block (realm/README.md, "fast path"): in the window's last
 * page, after the 64 KB the request, response and blob use. */
#define TZM_REALM_FAST_OFFSET 65536u
#define TZM_REALM_FAST_MAGIC 0x54534146u /* "FAST": the host serves the window directly */
struct tzm_realm_fast {
	uint32_t magic;    /* TZM_REALM_FAST_MAGIC, written by the host before the first entry */
	uint32_t req_seq;  /* the realm's doorbell: the request's seq (futex word) */
	uint32_t resp_seq; /* the host's answer: the seq it answered (futex word) */
	uint32_t resp_len; /* response blob length */
	uint32_t sigs;     /* signals for the realm (X2 of HC_CALL's answer) */
	uint32_t cancel;   /* the cancel flag (X3) */
	uint32_t pub_catch, pub_dfl; /* the realm's published dispositions (X1/X2 of HC_CALL) */
};
/* Host calls (imm) of the mediator's realm transport; X0 of the answer: 0 or an error */
#define TZM_REALM_HC_SETUP 1u /* -> X1 start record length (at window + 128) */
#define TZM_REALM_HC_CALL                                                                          \
	2u                   /* X1/X2 catch/default masks -> X1 resp blob, X2 signals, X3 cancel   \
			      */
#define TZM_REALM_HC_EXIT 3u /* X1 exit status, X2 signal it dies of (0: none) */
#define TZM_REALM_HC_POLL 4u /* X1/X2 catch/default masks -> X2 signals, X3 cancel */

struct tzm_realm_vm {
	struct tzm_realm_layout layout;
	uint64_t rd, rec, run;        /* PAs: RD, REC 0, its RmiRecRun granule (NS) */
	uint64_t shared_pa;           /* first NS granule of the shared window */
	uint64_t shared_ipa;          /* its IPA (unprotected) */
	uint64_t scratch_ipa;         /* the realm's scratch page */
	uint64_t next_granule;        /* bump allocator over the DRAM */
	uint64_t dram_base, dram_end; /* set by the caller before tzm_realm_vm_load */
};

/* DRAM granules tzm_realm_vm_load needs for an image of that size (default layout). */
size_t tzm_realm_vm_granules(size_t image_len);
/*
 * Delegates, creates, populates and activates a realm for image with the default layout
 * (tzm_realm_layout_default; its RIM is what `tzm realm measure IMAGE` predicts), plus the
 * scratch page and the shared window. On failure *what names the step. 0, -EINVAL (image
 * too large for the layout), -EIO (a command failed: *what).
 */
int tzm_realm_vm_load(struct tzm_rmm_conn *c, const void *image, size_t image_len,
		      struct tzm_realm_vm *vm, const char **what);
/* REC_ENTER of REC 0 with gprs X0..X30 (NULL: zeros) and flags; the exit record's fields.
 * Returns the RMI status (x0) or -EIO. */
struct tzm_realm_exit {
	uint64_t reason, esr, far, hpfar, imm;
	uint64_t gprs[31];
};
int64_t tzm_realm_vm_enter(struct tzm_rmm_conn *c, const struct tzm_realm_vm *vm,
			   const uint64_t *gprs, uint64_t flags, struct tzm_realm_exit *ex);

#ifdef __cplusplus
}
#endif

#endif
