/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TA persistent time (GP Internal Core API 1.3.1, 7.2.3): the TA's clock is the REE's
 * real-time clock plus an offset the TA sets, kept in the TA's own secure storage
 * (objects.c stores it under an ID the TA cannot see), so it survives instances and
 * restarts of the TEE:
 *
 *   +---------------+-------------+--------------------------------------+
 *   | magic "TZMT"  | version 1   | offset: TA time - REE time, int64 ms |
 *   +---------------+-------------+--------------------------------------+
 *
 * Not set yet: TEE_ERROR_TIME_NOT_SET. A record that cannot be read or is malformed, or a
 * REE clock so far back that the TA time would be negative: TEE_ERROR_TIME_NEEDS_RESET
 * (the TA must set its time again). Seconds beyond 32 bits: the value modulo 2^32 and
 * TEE_ERROR_OVERFLOW.
 */
#include <string.h>
#include <time.h>
#include <tee_internal_api.h>

#include "objects_time.h"

#define TIME_MAGIC 0x544d5a54u /* "TZMT" */
#define TIME_VERSION 1u

struct time_record {
	uint32_t magic;
	uint32_t version;
	int64_t offset_ms;
};

static int64_t ree_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

TEE_Result TEE_GetTAPersistentTime(TEE_Time *time)
{
	struct time_record rec;
	size_t got = 0;
	int64_t ms = 0;
	TEE_Result res = TEE_SUCCESS;

	if (!time) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	memset(time, 0, sizeof(*time));
	res = ta_host__time_load(&rec, sizeof(rec), &got);
	if (res == TEE_ERROR_ITEM_NOT_FOUND) {
		return TEE_ERROR_TIME_NOT_SET;
	}
	if (res != TEE_SUCCESS || got != sizeof(rec) || rec.magic != TIME_MAGIC ||
	    rec.version != TIME_VERSION) {
		return TEE_ERROR_TIME_NEEDS_RESET;
	}
	ms = ree_ms() + rec.offset_ms;
	if (ms < 0) {
		return TEE_ERROR_TIME_NEEDS_RESET;
	}
	time->seconds = (uint32_t)(ms / 1000);
	time->millis = (uint32_t)(ms % 1000);
	return ms / 1000 > UINT32_MAX ? TEE_ERROR_OVERFLOW : TEE_SUCCESS;
}

TEE_Result TEE_SetTAPersistentTime(const TEE_Time *time)
{
	struct time_record rec = { .magic = TIME_MAGIC, .version = TIME_VERSION };
	TEE_Result res = TEE_SUCCESS;

	if (!time || time->millis > 999) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	rec.offset_ms = (int64_t)time->seconds * 1000 + time->millis - ree_ms();
	res = ta_host__time_store(&rec, sizeof(rec));
	if (res != TEE_SUCCESS && res != TEE_ERROR_OUT_OF_MEMORY &&
	    res != TEE_ERROR_STORAGE_NO_SPACE) {
		TEE_Panic(res);
	}
	return res;
}
