/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Between objects.c and api_time.c: the TA's persistent-time record, one object of the TA's
 * private storage under an ID the TA's own calls cannot reach (objects.c).
 */
#ifndef TZM_TA_HOST_OBJECTS_TIME_H
#define TZM_TA_HOST_OBJECTS_TIME_H

#include <stddef.h>
#include <tee_internal_api.h>

/* Reads up to len bytes of the record; TEE_ERROR_ITEM_NOT_FOUND if there is none. */
TEE_Result ta_host__time_load(void *buf, size_t len, size_t *got);
/* Replaces the record (atomic, as every persistent object write). */
TEE_Result ta_host__time_store(const void *buf, size_t len);

#endif
