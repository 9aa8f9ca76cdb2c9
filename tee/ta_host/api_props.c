/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internal Core API property access for TEE_PROPSET_CURRENT_TA, TEE_PROPSET_CURRENT_CLIENT
 * and TEE_PROPSET_TEE_IMPLEMENTATION, plus property enumerators. Each set is a table of
 * (name, type, value) built from the TA header, the session's client identity and the
 * implementation constants; TA_CURRENT_TA_EXT_PROPERTIES are appended to CURRENT_TA.
 * Conversions follow GP: any property reads as a string; bool/u32/u64/UUID/identity read
 * from their own type or a string holding one; binary blocks are base64 strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "uuid.h"

#define SET_TEE ((uintptr_t)0xFFFFFFFDu)
#define SET_CLIENT ((uintptr_t)0xFFFFFFFEu)
#define SET_TA ((uintptr_t)0xFFFFFFFFu)
#define MAX_PROPS 64

struct prop {
	const char *name;
	enum user_ta_prop_type type;
	const void *value;
};

struct prop_enum {
	uint32_t magic;
	uintptr_t set; /* 0 = not started */
	size_t index;
};
#define ENUM_MAGIC 0x504e4d45u

static bool b_single, b_multi, b_keep;
static uint32_t u_data, u_stack, u_api_version, u_zero, u_prot100;
static TEE_Identity client_id;

void host_props_init(void)
{
	b_single = g_host.flags & TA_FLAG_SINGLE_INSTANCE;
	b_multi = g_host.flags & TA_FLAG_MULTI_SESSION;
	b_keep = g_host.flags & TA_FLAG_INSTANCE_KEEP_ALIVE;
	u_data = g_host.data_size;
	u_stack = g_host.stack_size;
	u_api_version = TEE_CORE_API_VERSION;
	u_zero = 0;
	u_prot100 = 100;
}

static size_t build_set(uintptr_t set, struct prop *out)
{
	size_t n = 0;

	if (set == SET_TA) {
		out[n++] = (struct prop){ "gpd.ta.appID", USER_TA_PROP_TYPE_UUID, &g_host.uuid };
		out[n++] =
			(struct prop){ "gpd.ta.singleInstance", USER_TA_PROP_TYPE_BOOL, &b_single };
		out[n++] = (struct prop){ "gpd.ta.multiSession", USER_TA_PROP_TYPE_BOOL, &b_multi };
		out[n++] = (struct prop){ "gpd.ta.instanceKeepAlive", USER_TA_PROP_TYPE_BOOL,
					  &b_keep };
		out[n++] = (struct prop){ "gpd.ta.dataSize", USER_TA_PROP_TYPE_U32, &u_data };
		out[n++] = (struct prop){ "gpd.ta.stackSize", USER_TA_PROP_TYPE_U32, &u_stack };
		out[n++] = (struct prop){ "gpd.ta.version", USER_TA_PROP_TYPE_STRING,
					  g_host.props->version };
		out[n++] = (struct prop){ "gpd.ta.description", USER_TA_PROP_TYPE_STRING,
					  g_host.props->description };
		out[n++] = (struct prop){ "gpd.ta.endian", USER_TA_PROP_TYPE_U32, &u_zero };
		for (size_t i = 0; i < g_host.props->num_ext && n < MAX_PROPS; i++) {
			const struct user_ta_property *e = &g_host.props->ext[i];
			out[n++] = (struct prop){ e->name, e->type, e->value };
		}
	} else if (set == SET_CLIENT) {
		if (g_host.cur_sess) {
			client_id.login = g_host.cur_sess->login;
			client_id.uuid = g_host.cur_sess->client_uuid;
		} else {
			memset(&client_id, 0, sizeof(client_id));
		}
		out[n++] = (struct prop){ "gpd.client.identity", USER_TA_PROP_TYPE_IDENTITY,
					  &client_id };
		out[n++] = (struct prop){ "gpd.client.endian", USER_TA_PROP_TYPE_U32, &u_zero };
	} else if (set == SET_TEE) {
		out[n++] = (struct prop){ "gpd.tee.apiversion", USER_TA_PROP_TYPE_STRING, "1.3.1" };
		out[n++] = (struct prop){ "gpd.tee.internalCore.version", USER_TA_PROP_TYPE_U32,
					  &u_api_version };
		out[n++] = (struct prop){ "gpd.tee.description", USER_TA_PROP_TYPE_STRING,
					  "tzmediator emulated GlobalPlatform TEE" };
		out[n++] = (struct prop){ "gpd.tee.deviceID", USER_TA_PROP_TYPE_UUID,
					  &g_host.device_id };
		out[n++] = (struct prop){ "gpd.tee.systemTime.protectionLevel",
					  USER_TA_PROP_TYPE_U32, &u_prot100 };
		out[n++] = (struct prop){ "gpd.tee.TAPersistentTime.protectionLevel",
					  USER_TA_PROP_TYPE_U32, &u_prot100 };
		out[n++] = (struct prop){ "gpd.tee.trustedStorage.antiRollback.protectionLevel",
					  USER_TA_PROP_TYPE_U32, &u_zero };
		out[n++] = (struct prop){ "gpd.tee.trustedos.implementation.version",
					  USER_TA_PROP_TYPE_STRING, "0.1.0" };
		out[n++] = (struct prop){ "gpd.tee.trustedos.manufacturer",
					  USER_TA_PROP_TYPE_STRING, "tzmediator" };
		out[n++] = (struct prop){ "gpd.tee.firmware.implementation.version",
					  USER_TA_PROP_TYPE_STRING, "0.1.0" };
		out[n++] = (struct prop){ "gpd.tee.firmware.manufacturer", USER_TA_PROP_TYPE_STRING,
					  "tzmediator" };
	}
	return n;
}

/* Resolves (propset or enumerator, name) to a property. */
static TEE_Result lookup(TEE_PropSetHandle h, const char *name, struct prop *out)
{
	static struct prop tab[MAX_PROPS];
	uintptr_t set = (uintptr_t)h;
	size_t n;

	if (set != SET_TA && set != SET_CLIENT && set != SET_TEE) {
		struct prop_enum *e = (struct prop_enum *)h;

		if (!e || !heap_contains(e, sizeof(*e)) || e->magic != ENUM_MAGIC || !e->set) {
			return TEE_ERROR_ITEM_NOT_FOUND;
		}
		n = build_set(e->set, tab);
		if (e->index >= n) {
			return TEE_ERROR_ITEM_NOT_FOUND;
		}
		*out = tab[e->index];
		return TEE_SUCCESS;
	}
	if (!name) {
		return TEE_ERROR_ITEM_NOT_FOUND;
	}
	n = build_set(set, tab);
	for (size_t i = 0; i < n; i++) {
		if (tab[i].name && strcmp(tab[i].name, name) == 0) {
			*out = tab[i];
			return TEE_SUCCESS;
		}
	}
	return TEE_ERROR_ITEM_NOT_FOUND;
}

static void uuid_str(const TEE_UUID *u, char *out)
{
	uint8_t b[16];

	tzm__uuid_to_bytes((const struct tzm__uuid *)u, b);
	tzm__uuid_bytes_to_str(b, out);
}

/* Renders any property as its string form. */
static void to_string(const struct prop *p, char *buf, size_t cap)
{
	char u[TZM_UUID_STR_LEN + 1];

	switch (p->type) {
	case USER_TA_PROP_TYPE_BOOL:
		snprintf(buf, cap, "%s", *(const bool *)p->value ? "true" : "false");
		break;
	case USER_TA_PROP_TYPE_U32:
		snprintf(buf, cap, "%u", *(const uint32_t *)p->value);
		break;
	case USER_TA_PROP_TYPE_U64:
		snprintf(buf, cap, "%llu", (unsigned long long)*(const uint64_t *)p->value);
		break;
	case USER_TA_PROP_TYPE_UUID:
		uuid_str(p->value, u);
		snprintf(buf, cap, "%s", u);
		break;
	case USER_TA_PROP_TYPE_IDENTITY: {
		const TEE_Identity *id = p->value;
		uuid_str(&id->uuid, u);
		snprintf(buf, cap, "%08x:%s", id->login, u);
		break;
	}
	case USER_TA_PROP_TYPE_STRING:
	case USER_TA_PROP_TYPE_BINARY_BLOCK:
	default:
		snprintf(buf, cap, "%s", p->value ? (const char *)p->value : "");
		break;
	}
}

TEE_Result TEE_GetPropertyAsString(TEE_PropSetHandle h, const char *name, char *valueBuffer,
				   size_t *valueBufferLen)
{
	static char buf[4096];
	struct prop p;
	size_t len;
	TEE_Result res = lookup(h, name, &p);

	if (res != TEE_SUCCESS) {
		return res;
	}
	if (!valueBufferLen) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	to_string(&p, buf, sizeof(buf));
	len = strlen(buf) + 1;
	if (!valueBuffer || *valueBufferLen < len) {
		*valueBufferLen = len;
		return TEE_ERROR_SHORT_BUFFER;
	}
	memcpy(valueBuffer, buf, len);
	*valueBufferLen = len;
	return TEE_SUCCESS;
}

TEE_Result TEE_GetPropertyAsBool(TEE_PropSetHandle h, const char *name, bool *value)
{
	struct prop p;
	TEE_Result res = lookup(h, name, &p);

	if (res != TEE_SUCCESS) {
		return res;
	}
	if (p.type == USER_TA_PROP_TYPE_BOOL) {
		*value = *(const bool *)p.value;
	} else if (p.type == USER_TA_PROP_TYPE_STRING && p.value &&
		   (strcmp(p.value, "true") == 0 || strcmp(p.value, "false") == 0)) {
		*value = strcmp(p.value, "true") == 0;
	} else {
		return TEE_ERROR_BAD_FORMAT;
	}
	return TEE_SUCCESS;
}

static TEE_Result get_u64(TEE_PropSetHandle h, const char *name, uint64_t *v, uint64_t max)
{
	struct prop p;
	TEE_Result res = lookup(h, name, &p);

	if (res != TEE_SUCCESS) {
		return res;
	}
	if (p.type == USER_TA_PROP_TYPE_U32) {
		*v = *(const uint32_t *)p.value;
	} else if (p.type == USER_TA_PROP_TYPE_U64) {
		*v = *(const uint64_t *)p.value;
	} else if (p.type == USER_TA_PROP_TYPE_STRING && p.value && *(const char *)p.value) {
		char *end = NULL;
		*v = strtoull(p.value, &end, 0);
		if (!end || *end) {
			return TEE_ERROR_BAD_FORMAT;
		}
	} else {
		return TEE_ERROR_BAD_FORMAT;
	}
	return *v <= max ? TEE_SUCCESS : TEE_ERROR_BAD_FORMAT;
}

TEE_Result TEE_GetPropertyAsU32(TEE_PropSetHandle h, const char *name, uint32_t *value)
{
	uint64_t v = 0;
	TEE_Result res = get_u64(h, name, &v, UINT32_MAX);

	if (res == TEE_SUCCESS) {
		*value = (uint32_t)v;
	}
	return res;
}

TEE_Result TEE_GetPropertyAsU64(TEE_PropSetHandle h, const char *name, uint64_t *value)
{
	return get_u64(h, name, value, UINT64_MAX);
}

static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z') {
		return c - 'A';
	}
	if (c >= 'a' && c <= 'z') {
		return c - 'a' + 26;
	}
	if (c >= '0' && c <= '9') {
		return c - '0' + 52;
	}
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes base64 into out (NULL: only count). Returns the length or -1. */
static long b64_decode(const char *s, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t n = 0;

	for (; *s && *s != '='; s++) {
		int v = b64val(*s);
		if (v < 0) {
			return -1;
		}
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (out && n < cap) {
				out[n] = (uint8_t)(acc >> bits);
			}
			n++;
		}
	}
	return (long)n;
}

TEE_Result TEE_GetPropertyAsBinaryBlock(TEE_PropSetHandle h, const char *name, void *valueBuffer,
					size_t *valueBufferLen)
{
	struct prop p;
	long n;
	TEE_Result res = lookup(h, name, &p);

	if (res != TEE_SUCCESS) {
		return res;
	}
	if (!valueBufferLen) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	if ((p.type != USER_TA_PROP_TYPE_BINARY_BLOCK && p.type != USER_TA_PROP_TYPE_STRING) ||
	    !p.value || (n = b64_decode(p.value, NULL, 0)) < 0) {
		return TEE_ERROR_BAD_FORMAT;
	}
	if (!valueBuffer || *valueBufferLen < (size_t)n) {
		*valueBufferLen = (size_t)n;
		return TEE_ERROR_SHORT_BUFFER;
	}
	b64_decode(p.value, valueBuffer, *valueBufferLen);
	*valueBufferLen = (size_t)n;
	return TEE_SUCCESS;
}

TEE_Result TEE_GetPropertyAsUUID(TEE_PropSetHandle h, const char *name, TEE_UUID *value)
{
	struct prop p;
	uint8_t b[16];
	TEE_Result res = lookup(h, name, &p);

	if (res != TEE_SUCCESS) {
		return res;
	}
	if (p.type == USER_TA_PROP_TYPE_UUID) {
		*value = *(const TEE_UUID *)p.value;
	} else if (p.type == USER_TA_PROP_TYPE_STRING && p.value &&
		   tzm__uuid_parse(p.value, b) == 0) {
		tzm__uuid_from_bytes(b, (struct tzm__uuid *)value);
	} else {
		return TEE_ERROR_BAD_FORMAT;
	}
	return TEE_SUCCESS;
}

TEE_Result TEE_GetPropertyAsIdentity(TEE_PropSetHandle h, const char *name, TEE_Identity *value)
{
	struct prop p;
	TEE_Result res = lookup(h, name, &p);

	if (res != TEE_SUCCESS) {
		return res;
	}
	if (p.type != USER_TA_PROP_TYPE_IDENTITY) {
		return TEE_ERROR_BAD_FORMAT;
	}
	*value = *(const TEE_Identity *)p.value;
	return TEE_SUCCESS;
}

TEE_Result TEE_AllocatePropertyEnumerator(TEE_PropSetHandle *enumerator)
{
	struct prop_enum *e;

	if (!enumerator) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	e = heap_alloc(sizeof(*e), true);
	if (!e) {
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	e->magic = ENUM_MAGIC;
	*enumerator = (TEE_PropSetHandle)e;
	return TEE_SUCCESS;
}

static struct prop_enum *enum_of(TEE_PropSetHandle h)
{
	struct prop_enum *e = (struct prop_enum *)h;

	if (!e || !heap_contains(e, sizeof(*e)) || e->magic != ENUM_MAGIC) {
		host_panic(TEE_ERROR_BAD_PARAMETERS, "invalid property enumerator");
	}
	return e;
}

void TEE_FreePropertyEnumerator(TEE_PropSetHandle enumerator)
{
	struct prop_enum *e;

	if (!enumerator) {
		return;
	}
	e = enum_of(enumerator);
	e->magic = 0;
	heap_free(e);
}

void TEE_StartPropertyEnumerator(TEE_PropSetHandle enumerator, TEE_PropSetHandle propSet)
{
	struct prop_enum *e = enum_of(enumerator);
	uintptr_t set = (uintptr_t)propSet;

	if (set != SET_TA && set != SET_CLIENT && set != SET_TEE) {
		host_panic(TEE_ERROR_BAD_PARAMETERS, "invalid property set");
	}
	e->set = set;
	e->index = 0;
}

void TEE_ResetPropertyEnumerator(TEE_PropSetHandle enumerator)
{
	struct prop_enum *e = enum_of(enumerator);

	e->set = 0;
	e->index = 0;
}

TEE_Result TEE_GetPropertyName(TEE_PropSetHandle enumerator, void *nameBuffer,
			       size_t *nameBufferLen)
{
	struct prop p;
	size_t len;
	TEE_Result res;

	enum_of(enumerator);
	res = lookup(enumerator, NULL, &p);
	if (res != TEE_SUCCESS) {
		return res;
	}
	if (!nameBufferLen) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	len = strlen(p.name) + 1;
	if (!nameBuffer || *nameBufferLen < len) {
		*nameBufferLen = len;
		return TEE_ERROR_SHORT_BUFFER;
	}
	memcpy(nameBuffer, p.name, len);
	*nameBufferLen = len;
	return TEE_SUCCESS;
}

TEE_Result TEE_GetNextProperty(TEE_PropSetHandle enumerator)
{
	static struct prop tab[MAX_PROPS];
	struct prop_enum *e = enum_of(enumerator);

	if (!e->set) {
		return TEE_ERROR_ITEM_NOT_FOUND;
	}
	if (e->index + 1 >= build_set(e->set, tab)) {
		e->index = SIZE_MAX - 1;
		return TEE_ERROR_ITEM_NOT_FOUND;
	}
	e->index++;
	return TEE_SUCCESS;
}

TEE_Result __GP11_TEE_GetPropertyAsString(TEE_PropSetHandle h, const char *name, char *valueBuffer,
					  uint32_t *valueBufferLen)
{
	size_t l = valueBufferLen ? *valueBufferLen : 0;
	TEE_Result res = TEE_GetPropertyAsString(h, name, valueBuffer, valueBufferLen ? &l : NULL);

	if (valueBufferLen) {
		*valueBufferLen = (uint32_t)l;
	}
	return res;
}

TEE_Result __GP11_TEE_GetPropertyAsBinaryBlock(TEE_PropSetHandle h, const char *name,
					       void *valueBuffer, uint32_t *valueBufferLen)
{
	size_t l = valueBufferLen ? *valueBufferLen : 0;
	TEE_Result res =
		TEE_GetPropertyAsBinaryBlock(h, name, valueBuffer, valueBufferLen ? &l : NULL);

	if (valueBufferLen) {
		*valueBufferLen = (uint32_t)l;
	}
	return res;
}

TEE_Result __GP11_TEE_GetPropertyName(TEE_PropSetHandle enumerator, void *nameBuffer,
				      uint32_t *nameBufferLen)
{
	size_t l = nameBufferLen ? *nameBufferLen : 0;
	TEE_Result res = TEE_GetPropertyName(enumerator, nameBuffer, nameBufferLen ? &l : NULL);

	if (nameBufferLen) {
		*nameBufferLen = (uint32_t)l;
	}
	return res;
}
