// SPDX-License-Identifier: BSD-2-Clause
/*
 * Test helpers playing the host (hypervisor): RMI calls by FID with their results, a
 * bump allocator of DRAM granules, and the parameter granules written to NS memory.
 * Each helper that expects success asserts it.
 */
#ifndef REALM_HOST_H
#define REALM_HOST_H

#include <stdint.h>

#include "tzm_realm.h"

struct host {
	struct tzm_rmm *rmm;
	uint64_t dram_base, dram_size;
	uint64_t next; /* next free granule */
};

struct rmi_result {
	uint64_t x0;
	uint64_t x[4]; /* X1..X4 */
};

void host_init(struct host *h, size_t dram_granules);
/* The same with a shared NS region of shared_granules backed by shared_fd (0: none). */
void host_init_shared(struct host *h, size_t dram_granules, size_t shared_granules, int shared_fd);
void host_fini(struct host *h);
/* A fresh NS granule (never handed out before). */
uint64_t host_granule(struct host *h);
/* A fresh granule, delegated (asserts success). */
uint64_t host_delegated(struct host *h);

struct rmi_result rmi(struct host *h, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
		      uint64_t a4, uint64_t a5);
#define RMI_OK(x0) ASSERT_EQ_U64((x0), TZM_RMI_SUCCESS)
#define RMI_ERR(x0, status, index) ASSERT_EQ_U64((x0), TZM_RMI_RETURN(status, index))

struct realm_cfg {
	uint8_t s2sz;
	int64_t level_start;
	uint32_t num_start;
	uint8_t algorithm;
	uint16_t vmid;
	uint8_t rpv[64];
};
/* Default: s2sz 32, level start 1, one starting table, SHA-256. */
void realm_cfg_default(struct realm_cfg *c, uint16_t vmid);
/* Writes RmiRealmParams to a fresh NS granule; returns its PA. */
uint64_t host_realm_params(struct host *h, const struct realm_cfg *c, uint64_t rtt_base);

struct realm {
	uint64_t rd;
	uint64_t rtt_base;
	uint32_t num_start;
	int64_t level_start;
	uint8_t s2sz;
};
/* REALM_CREATE with c (asserts success). */
void host_realm_create(struct host *h, const struct realm_cfg *c, struct realm *r);
/* RTT_CREATE for every level from level_start+1 down to `level` at ipa. */
void host_rtt_map_to(struct host *h, const struct realm *r, uint64_t ipa, int64_t level);

/* RmiRecParams for a REC (RUNNABLE if runnable) with fresh delegated aux granules. */
uint64_t host_rec_params(struct host *h, uint64_t mpidr, uint64_t pc, const uint64_t gprs[8],
			 int runnable, uint64_t num_aux, uint64_t *aux_out);
uint64_t host_rec_create(struct host *h, const struct realm *r, uint64_t mpidr, int runnable);

void put64(uint8_t *p, uint64_t v);
uint64_t get64(const uint8_t *p);

#endif
