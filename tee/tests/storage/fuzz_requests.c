/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzzing the storage service's untrusted input: a byte string is cut into a sequence of
 * requests from two instances of one TA, each fed to core__storage_dispatch(g_sut, ). Checks the
 * dispatcher's contract (response within capacity, empty on error) and, under the
 * sanitizers, memory safety. Built as a libFuzzer target with TZM_FUZZ=ON (clang);
 * otherwise main() below generates structured random request sequences from a fixed seed
 * (most of them well-formed enough to reach the handlers) as a regression test.
 *
 * Input framing, repeated: [cmd - 0x100][instance][len lo][len hi] then len request bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tee_api_defines.h>

#include "sut.h"
#include "tee_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t g_resp[TEE_MSG_MAX_PAYLOAD];

/* One request; checks the dispatcher's contract. Returns the result. */
static TEE_Result run_one(const struct core_ta_identity *who, uint32_t cmd, const uint8_t *req,
			  size_t len)
{
	size_t rl = SIZE_MAX;
	TEE_Result res =
		core__storage_dispatch(g_sut, who, cmd, req, len, g_resp, sizeof(g_resp), &rl);

	if (rl > sizeof(g_resp) || (res != TEE_SUCCESS && rl != 0)) {
		abort();
	}
	return res;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct core_ta_identity ta[2];

	if (!ready) {
		sut_setup();
		ready = true;
	}
	ta[0] = sut_ta(0xf0220, 1);
	ta[1] = sut_ta(0xf0220, 2);
	while (size >= 4) {
		uint32_t cmd = 0x100u + data[0];
		const struct core_ta_identity *who = &ta[data[1] & 1];
		size_t len = (size_t)data[2] | (size_t)data[3] << 8;

		data += 4;
		size -= 4;
		if (len > size) {
			len = size;
		}
		run_one(who, cmd, data, len);
		data += len;
		size -= len;
	}
	core__storage_instance_gone(g_sut, 1);
	core__storage_instance_gone(g_sut, 2);
	return 0;
}

#ifndef TZM_LIBFUZZER
static uint64_t g_rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return n ? (uint32_t)(g_rng % n) : 0;
}

/* Builds one request that is mostly well-formed, then maybe corrupts a byte. */
static size_t gen_request(uint8_t *r, size_t cap, uint32_t *cmd_out, uint32_t handle)
{
	/* Fixed request size by cmd - 0x100 (see tee_storage_msg.h). */
	static const uint32_t fixed[] = { 0,  92, 100, 16, 24, 16, 32, 24, 84,
					  16, 16, 16,  16, 16, 16, 24, 16 };
	static const uint32_t flags[] = { 0x01, 0x02, 0x07, 0x11, 0x33, 0x37, 0x437, 0x400 };
	uint32_t cmd = TSM_CMD_FIRST + rnd(TSM_CMD_LAST - TSM_CMD_FIRST + 2); /* +1 unknown */
	uint32_t fx = cmd <= TSM_CMD_LAST ? fixed[cmd - 0x100] : 16;
	bool has_data = cmd == TSM_CMD_CREATE || cmd == TSM_CMD_WRITE || cmd == TSM_CMD_STAGE;
	uint32_t dlen = has_data ? (rnd(8) == 0 ? rnd(70000) : rnd(300)) : 0;
	size_t len = fx + dlen;
	struct tsm_hdr h = { .version = TSM_VERSION, .data_len = dlen };

	if (dlen > TSM_MAX_CHUNK && rnd(2)) {
		dlen = TSM_MAX_CHUNK;
		len = fx + dlen;
		h.data_len = dlen;
	}
	if (len > cap) {
		return 0;
	}
	*cmd_out = cmd;
	for (size_t i = 0; i < len; i++) {
		r[i] = (uint8_t)rnd(256);
	}
	h.handle = (cmd == TSM_CMD_OPEN || cmd == TSM_CMD_CREATE || cmd == TSM_CMD_STAGE ||
		    cmd == TSM_CMD_ENUM_ALLOC)
			   ? 0
			   : handle;
	h.flags = (cmd == TSM_CMD_WRITE || cmd == TSM_CMD_CREATE) ? (uint16_t)rnd(2) : 0;
	memcpy(r, &h, sizeof(h));
	if (cmd == TSM_CMD_OPEN || cmd == TSM_CMD_CREATE) {
		uint32_t sid = rnd(10) ? TEE_STORAGE_PRIVATE : rnd(UINT32_MAX);
		uint32_t fl = flags[rnd(8)];
		uint32_t idlen = rnd(20) ? rnd(4) : rnd(80); /* few ids: more collisions */
		size_t idoff = cmd == TSM_CMD_OPEN ? 24 : 32;

		memcpy(r + 16, &sid, 4);
		memcpy(r + 20, &fl, 4);
		if (cmd == TSM_CMD_CREATE) {
			uint32_t attr = rnd(4) ? 0 : rnd(40);
			uint32_t zero = 0;

			memcpy(r + 24, &attr, 4);
			memcpy(r + 28, &zero, 4);
		}
		memcpy(r + idoff, &idlen, 4);
		memset(r + idoff + 4, 'a' + (int)rnd(3), 4);
	} else if (cmd == TSM_CMD_READ || cmd == TSM_CMD_TRUNCATE || cmd == TSM_CMD_SEEK ||
		   cmd == TSM_CMD_ENUM_START) {
		uint64_t v = rnd(4) ? rnd(100000) : ((uint64_t)rnd(UINT32_MAX) << 32);
		uint32_t w = rnd(4);
		uint32_t zero = 0;

		memcpy(r + 16, &v, cmd == TSM_CMD_READ || cmd == TSM_CMD_ENUM_START ? 4 : 8);
		if (cmd == TSM_CMD_READ || cmd == TSM_CMD_ENUM_START) {
			memcpy(r + 20, &zero, 4);
		}
		if (cmd == TSM_CMD_ENUM_START) {
			uint32_t sid = TEE_STORAGE_PRIVATE;

			memcpy(r + 16, &sid, 4);
		}
		if (cmd == TSM_CMD_SEEK) {
			memcpy(r + 24, &w, 4);
			memcpy(r + 28, &zero, 4);
		}
	} else if (cmd == TSM_CMD_RENAME) {
		uint32_t idlen = rnd(4);

		memcpy(r + 16, &idlen, 4);
		memset(r + 20, 'a' + (int)rnd(3), 4);
	}
	if (rnd(5) == 0) {
		r[rnd((uint32_t)len)] ^= (uint8_t)(1u << rnd(8));
	}
	return len;
}

int main(int argc, char **argv)
{
	static uint8_t buf[TEE_MSG_MAX_PAYLOAD + 4096];
	uint32_t handles[64] = { 0 };
	unsigned int nh = 0;
	unsigned int rounds = argc > 1 ? (unsigned int)atoi(argv[1]) : 300;
	unsigned int ok = 0;
	struct core_ta_identity ta[2];

	LLVMFuzzerTestOneInput(buf, 0); /* set-up */
	ta[0] = sut_ta(0xf0220, 1);
	ta[1] = sut_ta(0xf0220, 2);
	for (unsigned int i = 0; i < rounds; i++) {
		unsigned int reqs = 1 + rnd(60);

		for (unsigned int k = 0; k < reqs; k++) {
			/* Mostly handles the core issued recently, sometimes forged ones. */
			uint32_t h = nh && rnd(8) ? handles[rnd(nh)] : rnd(UINT32_MAX);
			uint32_t cmd = 0;
			size_t len = gen_request(buf, sizeof(buf), &cmd, h);
			TEE_Result res =
				len ? run_one(&ta[rnd(2)], cmd, buf, len) : TEE_ERROR_GENERIC;

			ok += res == TEE_SUCCESS;
			if (res == TEE_SUCCESS && (cmd == TSM_CMD_OPEN || cmd == TSM_CMD_CREATE ||
						   cmd == TSM_CMD_ENUM_ALLOC)) {
				memcpy(&handles[nh < 64 ? nh++ : rnd(64)], g_resp, 4);
			}
		}
		core__storage_instance_gone(g_sut, 1);
		core__storage_instance_gone(g_sut, 2);
		nh = 0;
	}
	printf("tee_storage_fuzz_replay: %u rounds, %u requests succeeded\n", rounds, ok);
	/* A generator that stopped reaching the handlers would make this test vacuous. */
	return ok > rounds ? 0 : 1;
}
#endif
