/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Crypto test TA: one GP operation per TA_CRYPTO_CMD_OP from the host's request (see
 * crypto_ta.h), key generation with the attributes handed back, the spec's misuse cases,
 * and self-checks of operation state and information. The same source builds for GP 1.3.1
 * and, with __OPTEE_CORE_API_COMPAT_1_1, for GP 1.1 (uint32_t sizes): SZ is the size type.
 */
#include <crypto_ta.h>
#include <crypto_ta_local.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#define MAX_ATTRS 12

struct rec {
	uint32_t tag;
	uint32_t len;
	const uint8_t *data;
};

struct request {
	uint32_t key_type;
	TEE_Attribute key[MAX_ATTRS], key2[MAX_ATTRS], params[MAX_ATTRS];
	uint32_t nkey, nkey2, nparams;
	const uint8_t *iv, *aad, *data, *tag, *key_id, *obj_data;
	uint32_t iv_len, aad_len, data_len, tag_len, key_id_len, obj_data_len;
	uint32_t tag_bits, chunk, max_key, out_max, usage, copy;
	bool has_usage;
};

static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static TEE_Result add_attr(TEE_Attribute *list, uint32_t *n, const uint8_t *p, uint32_t len)
{
	uint32_t id = 0;

	if (len < 4 || *n >= MAX_ATTRS) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	id = get_u32(p);
	if (id & TEE_ATTR_FLAG_VALUE) {
		if (len != 12) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		TEE_InitValueAttribute(&list[*n], id, get_u32(p + 4), get_u32(p + 8));
	} else {
		TEE_InitRefAttribute(&list[*n], id, p + 4, len - 4);
	}
	(*n)++;
	return TEE_SUCCESS;
}

/* The request lives in the caller's memref for the whole command. */
static TEE_Result parse(const uint8_t *p, SZ len, struct request *r)
{
	SZ off = 0;
	TEE_Result res = TEE_SUCCESS;

	TEE_MemFill(r, 0, sizeof(*r));
	r->out_max = 4096;
	while (off + 8 <= len && res == TEE_SUCCESS) {
		uint32_t tag = get_u32(p + off);
		uint32_t l = get_u32(p + off + 4);
		const uint8_t *d = p + off + 8;

		if (l > len - off - 8) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		switch (tag) {
		case CT_KEY_TYPE:
			r->key_type = get_u32(d);
			break;
		case CT_KEY_ATTR:
			res = add_attr(r->key, &r->nkey, d, l);
			break;
		case CT_KEY2_ATTR:
			res = add_attr(r->key2, &r->nkey2, d, l);
			break;
		case CT_PARAM:
			res = add_attr(r->params, &r->nparams, d, l);
			break;
		case CT_IV:
			r->iv = d;
			r->iv_len = l;
			break;
		case CT_AAD:
			r->aad = d;
			r->aad_len = l;
			break;
		case CT_DATA:
			r->data = d;
			r->data_len = l;
			break;
		case CT_TAG:
			r->tag = d;
			r->tag_len = l;
			break;
		case CT_TAGLEN:
			r->tag_bits = get_u32(d);
			break;
		case CT_CHUNK:
			r->chunk = get_u32(d);
			break;
		case CT_MAXKEY:
			r->max_key = get_u32(d);
			break;
		case CT_OUTMAX:
			r->out_max = get_u32(d);
			break;
		case CT_KEY_ID:
			r->key_id = d;
			r->key_id_len = l;
			break;
		case CT_OBJ_DATA:
			r->obj_data = d;
			r->obj_data_len = l;
			break;
		case CT_USAGE:
			r->usage = get_u32(d);
			r->has_usage = true;
			break;
		case CT_COPY:
			r->copy = get_u32(d);
			break;
		default:
			return TEE_ERROR_BAD_PARAMETERS;
		}
		off += 8 + ((l + 3) & ~3u);
	}
	return res;
}

static TEE_Result make_key(uint32_t type, const TEE_Attribute *attrs, uint32_t n,
			   TEE_ObjectHandle *key, uint32_t *bits)
{
	TEE_ObjectInfo info;
	TEE_Result res = TEE_AllocateTransientObject(type, 4096, key);

	if (res == TEE_ERROR_NOT_SUPPORTED) {
		/* types with a narrower maximum (AES, DES, HMAC, ECC, 25519) */
		static const uint32_t sizes[] = { 1024, 521, 512, 384, 256, 192, 128, 64 };

		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]) && res != TEE_SUCCESS;
		     i++) {
			res = TEE_AllocateTransientObject(type, sizes[i], key);
		}
	}
	if (res != TEE_SUCCESS) {
		return res;
	}
	res = TEE_PopulateTransientObject(*key, attrs, n);
	if (res == TEE_SUCCESS) {
		res = TEE_GetObjectInfo1(*key, &info);
		*bits = info.objectSize;
	}
	return res;
}

/* The persistent key r->key_id, checked (type, size, flags, data), as *key: the object
 * itself, or (r->copy) a transient copy of its attributes. */
static TEE_Result open_key(const struct request *r, TEE_ObjectHandle *key, uint32_t *bits)
{
	TEE_ObjectHandle p = TEE_HANDLE_NULL;
	TEE_ObjectInfo info;
	uint8_t data[64];
	SZ n = 0;
	TEE_Result res = TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, r->key_id, r->key_id_len,
						  TEE_DATA_FLAG_ACCESS_READ, &p);

	if (res != TEE_SUCCESS) {
		return res;
	}
	res = TEE_GetObjectInfo1(p, &info);
	if (res != TEE_SUCCESS) {
		goto out;
	}
	if (info.objectType != r->key_type || !info.objectSize ||
	    info.maxObjectSize < info.objectSize ||
	    (info.handleFlags & (TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED)) !=
		    (TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED) ||
	    (r->has_usage && info.objectUsage != (TEE_USAGE_DEFAULT & r->usage))) {
		res = TEE_ERROR_GENERIC;
		goto out;
	}
	if (r->obj_data) {
		/* the data stream beside the attributes */
		res = TEE_ReadObjectData(p, data, sizeof(data), &n);
		if (res == TEE_SUCCESS &&
		    (info.dataSize != r->obj_data_len || n != r->obj_data_len ||
		     TEE_MemCompare(data, r->obj_data, n) != 0)) {
			res = TEE_ERROR_GENERIC;
		}
		if (res != TEE_SUCCESS) {
			goto out;
		}
	}
	*bits = info.objectSize;
	if (!r->copy) {
		*key = p;
		return TEE_SUCCESS;
	}
	res = TEE_AllocateTransientObject(info.objectType, info.maxObjectSize, key);
	if (res == TEE_SUCCESS) {
		res = TEE_CopyObjectAttributes1(*key, p);
	}
out:
	TEE_CloseObject(p);
	return res;
}

static TEE_Result store_key(const struct request *r)
{
	TEE_ObjectHandle key = TEE_HANDLE_NULL;
	TEE_ObjectHandle p = TEE_HANDLE_NULL;
	uint32_t bits = 0;
	TEE_Result res = make_key(r->key_type, r->key, r->nkey, &key, &bits);

	if (res == TEE_SUCCESS && r->has_usage) {
		res = TEE_RestrictObjectUsage1(key, r->usage);
	}
	if (res == TEE_SUCCESS) {
		res = TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, r->key_id, r->key_id_len,
						 TEE_DATA_FLAG_ACCESS_READ |
							 TEE_DATA_FLAG_OVERWRITE,
						 key, r->obj_data, r->obj_data_len, &p);
	}
	TEE_CloseObject(p);
	TEE_FreeTransientObject(key);
	return res;
}

static TEE_Result get_attr(uint32_t id, const struct request *r, uint8_t *out, SZ *out_len)
{
	TEE_ObjectHandle p = TEE_HANDLE_NULL;
	TEE_Result res = TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, r->key_id, r->key_id_len,
						  TEE_DATA_FLAG_ACCESS_READ, &p);

	if (res == TEE_SUCCESS) {
		res = TEE_GetObjectBufferAttribute(p, id, out, out_len);
		TEE_CloseObject(p);
	}
	return res;
}

/* Feeds r->data in chunks through update (cipher / AE style: with output). */
typedef TEE_Result (*update_fn)(TEE_OperationHandle, const void *, SZ, void *, SZ *);

static TEE_Result feed(TEE_OperationHandle op, update_fn fn, const struct request *r, uint8_t *out,
		       SZ *out_len, SZ *consumed)
{
	SZ done_in = 0;
	SZ done_out = 0;
	uint32_t chunk = r->chunk ? r->chunk : r->data_len;

	/* all but the last chunk go through update; the caller's final call gets the rest */
	while (chunk && r->data_len - done_in > chunk) {
		SZ n = *out_len - done_out;
		TEE_Result res = fn(op, r->data + done_in, chunk, out + done_out, &n);

		if (res != TEE_SUCCESS) {
			return res;
		}
		done_in += chunk;
		done_out += n;
	}
	*consumed = done_in;
	*out_len = done_out;
	return TEE_SUCCESS;
}

static TEE_Result do_op(uint32_t algo, uint32_t mode, const struct request *r, uint8_t *out,
			SZ *out_len, uint8_t *out2, SZ *out2_len)
{
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_ObjectHandle key = TEE_HANDLE_NULL, key2 = TEE_HANDLE_NULL, dk = TEE_HANDLE_NULL;
	TEE_OperationInfo info;
	uint32_t bits = 0, bits2 = 0;
	SZ consumed = 0, n = 0, rest = 0;
	TEE_Result res = TEE_SUCCESS;

	if (r->key_id && !r->nkey) {
		res = open_key(r, &key, &bits);
		if (res != TEE_SUCCESS) {
			goto out;
		}
	} else if (r->nkey) {
		res = make_key(r->key_type, r->key, r->nkey, &key, &bits);
		if (res == TEE_SUCCESS && r->nkey2) {
			res = make_key(r->key_type, r->key2, r->nkey2, &key2, &bits2);
		}
		if (res != TEE_SUCCESS) {
			goto out;
		}
	}
	/* two keys (XTS): maxKeySize is their sizes added up */
	res = TEE_AllocateOperation(&op, algo, mode, r->max_key ? r->max_key : bits + bits2);
	if (res != TEE_SUCCESS) {
		goto out;
	}
	if (key2) {
		res = TEE_SetOperationKey2(op, key, key2);
	} else if (key) {
		res = TEE_SetOperationKey(op, key);
	}
	if (res != TEE_SUCCESS) {
		goto out;
	}
	TEE_GetOperationInfo(op, &info);
	switch (info.operationClass) {
	case TEE_OPERATION_DIGEST:
		for (consumed = 0; r->chunk && r->data_len - consumed > r->chunk;
		     consumed += r->chunk) {
			TEE_DigestUpdate(op, r->data + consumed, r->chunk);
		}
		res = TEE_DigestDoFinal(op, r->data + consumed, r->data_len - consumed, out,
					out_len);
		break;
	case TEE_OPERATION_CIPHER:
		TEE_CipherInit(op, r->iv, r->iv_len);
		n = *out_len;
		res = feed(op, TEE_CipherUpdate, r, out, &n, &consumed);
		if (res == TEE_SUCCESS) {
			rest = *out_len - n;
			res = TEE_CipherDoFinal(op, r->data + consumed, r->data_len - consumed,
						out + n, &rest);
			*out_len = n + rest;
		}
		break;
	case TEE_OPERATION_MAC:
		TEE_MACInit(op, r->iv, r->iv_len);
		for (consumed = 0; r->chunk && r->data_len - consumed > r->chunk;
		     consumed += r->chunk) {
			TEE_MACUpdate(op, r->data + consumed, r->chunk);
		}
		if (r->tag) {
			res = TEE_MACCompareFinal(op, r->data + consumed, r->data_len - consumed,
						  r->tag, r->tag_len);
			*out_len = 0;
		} else {
			res = TEE_MACComputeFinal(op, r->data + consumed, r->data_len - consumed,
						  out, out_len);
		}
		break;
	case TEE_OPERATION_AE:
		res = TEE_AEInit(op, r->iv, r->iv_len, r->tag_bits, r->aad_len, r->data_len);
		if (res != TEE_SUCCESS) {
			break;
		}
		if (r->aad_len > 1) {
			/* in two pieces, to exercise AAD accumulation */
			TEE_AEUpdateAAD(op, r->aad, r->aad_len / 2);
			TEE_AEUpdateAAD(op, r->aad + r->aad_len / 2, r->aad_len - r->aad_len / 2);
		} else if (r->aad_len) {
			TEE_AEUpdateAAD(op, r->aad, r->aad_len);
		}
		n = *out_len;
		res = feed(op, TEE_AEUpdate, r, out, &n, &consumed);
		if (res != TEE_SUCCESS) {
			break;
		}
		rest = *out_len - n;
		if (mode == TEE_MODE_ENCRYPT) {
			res = TEE_AEEncryptFinal(op, r->data + consumed, r->data_len - consumed,
						 out + n, &rest, out2, out2_len);
		} else {
			res = TEE_AEDecryptFinal(op, r->data + consumed, r->data_len - consumed,
						 out + n, &rest, (void *)r->tag, r->tag_len);
			*out2_len = 0;
		}
		*out_len = n + rest;
		break;
	case TEE_OPERATION_ASYMMETRIC_CIPHER:
		if (mode == TEE_MODE_ENCRYPT) {
			res = TEE_AsymmetricEncrypt(op, r->params, r->nparams, r->data, r->data_len,
						    out, out_len);
		} else {
			res = TEE_AsymmetricDecrypt(op, r->params, r->nparams, r->data, r->data_len,
						    out, out_len);
		}
		break;
	case TEE_OPERATION_ASYMMETRIC_SIGNATURE:
		if (mode == TEE_MODE_SIGN) {
			res = TEE_AsymmetricSignDigest(op, r->params, r->nparams, r->data,
						       r->data_len, out, out_len);
		} else {
			res = TEE_AsymmetricVerifyDigest(op, r->params, r->nparams, r->data,
							 r->data_len, r->tag, r->tag_len);
			*out_len = 0;
		}
		break;
	case TEE_OPERATION_KEY_DERIVATION:
		res = TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET, r->out_max, &dk);
		if (res != TEE_SUCCESS) {
			break;
		}
		TEE_DeriveKey(op, r->params, r->nparams, dk);
		res = TEE_GetObjectBufferAttribute(dk, TEE_ATTR_SECRET_VALUE, out, out_len);
		break;
	default:
		res = TEE_ERROR_GENERIC;
		break;
	}
out:
	TEE_FreeOperation(op);
	TEE_CloseObject(key); /* transient or persistent */
	TEE_FreeTransientObject(key2);
	TEE_FreeTransientObject(dk);
	return res;
}

static void put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Every attribute a generated key can have, read back as KEY_ATTR records. */
static TEE_Result dump_key(TEE_ObjectHandle key, uint8_t *out, SZ *out_len)
{
	static const uint32_t ids[] = {
		TEE_ATTR_SECRET_VALUE,
		TEE_ATTR_RSA_MODULUS,
		TEE_ATTR_RSA_PUBLIC_EXPONENT,
		TEE_ATTR_RSA_PRIVATE_EXPONENT,
		TEE_ATTR_RSA_PRIME1,
		TEE_ATTR_RSA_PRIME2,
		TEE_ATTR_RSA_EXPONENT1,
		TEE_ATTR_RSA_EXPONENT2,
		TEE_ATTR_RSA_COEFFICIENT,
		TEE_ATTR_ECC_CURVE,
		TEE_ATTR_ECC_PUBLIC_VALUE_X,
		TEE_ATTR_ECC_PUBLIC_VALUE_Y,
		TEE_ATTR_ECC_PRIVATE_VALUE,
		TEE_ATTR_ED25519_PUBLIC_VALUE,
		TEE_ATTR_ED25519_PRIVATE_VALUE,
		TEE_ATTR_X25519_PUBLIC_VALUE,
		TEE_ATTR_X25519_PRIVATE_VALUE,
		TEE_ATTR_DH_PRIME,
		TEE_ATTR_DH_SUBPRIME,
		TEE_ATTR_DH_BASE,
		TEE_ATTR_DH_PUBLIC_VALUE,
		TEE_ATTR_DH_PRIVATE_VALUE,
		TEE_ATTR_DH_X_BITS,
		TEE_ATTR_DSA_PRIME,
		TEE_ATTR_DSA_SUBPRIME,
		TEE_ATTR_DSA_BASE,
		TEE_ATTR_DSA_PUBLIC_VALUE,
		TEE_ATTR_DSA_PRIVATE_VALUE,
	};
	SZ off = 0;

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		TEE_Result res = TEE_SUCCESS;
		SZ n = 0;

		if (off + 12 > *out_len) {
			return TEE_ERROR_SHORT_BUFFER;
		}
		if (ids[i] & TEE_ATTR_FLAG_VALUE) {
			uint32_t a = 0, b = 0;

			res = TEE_GetObjectValueAttribute(key, ids[i], &a, &b);
			if (res == TEE_SUCCESS) {
				put_u32(out + off, CT_KEY_ATTR);
				put_u32(out + off + 4, 12);
				put_u32(out + off + 8, ids[i]);
				if (off + 20 > *out_len) {
					return TEE_ERROR_SHORT_BUFFER;
				}
				put_u32(out + off + 12, a);
				put_u32(out + off + 16, b);
				off += 20;
			}
		} else {
			n = *out_len - off - 12;
			res = TEE_GetObjectBufferAttribute(key, ids[i], out + off + 12, &n);
			if (res == TEE_SUCCESS) {
				put_u32(out + off, CT_KEY_ATTR);
				put_u32(out + off + 4, (uint32_t)n + 4);
				put_u32(out + off + 8, ids[i]);
				off += 12 + ((n + 3) & ~(SZ)3);
			}
		}
		if (res != TEE_SUCCESS && res != TEE_ERROR_ITEM_NOT_FOUND) {
			return res;
		}
	}
	*out_len = off;
	return TEE_SUCCESS;
}

static TEE_Result genkey(uint32_t type, uint32_t bits, const struct request *r, uint8_t *out,
			 SZ *out_len)
{
	TEE_ObjectHandle key = TEE_HANDLE_NULL;
	TEE_ObjectInfo info;
	TEE_Result res = TEE_AllocateTransientObject(type, bits, &key);

	if (res != TEE_SUCCESS) {
		return res;
	}
	res = TEE_GenerateKey(key, bits, r->params, r->nparams);
	if (res == TEE_SUCCESS) {
		res = TEE_GetObjectInfo1(key, &info);
	}
	if (res == TEE_SUCCESS && (info.objectSize != bits || info.objectType != type ||
				   !(info.handleFlags & TEE_HANDLE_FLAG_INITIALIZED))) {
		res = TEE_ERROR_GENERIC;
	}
	if (res == TEE_SUCCESS) {
		res = dump_key(key, out, out_len);
	}
	TEE_FreeTransientObject(key);
	return res;
}

static TEE_Result time_cmd(uint32_t which, uint32_t *a, uint32_t *b)
{
	TEE_Time t = { .seconds = *a, .millis = *b };
	TEE_ObjectEnumHandle e = TEE_HANDLE_NULL;
	TEE_Result res = TEE_SUCCESS;
	uint8_t id[TEE_OBJECT_ID_MAX_LEN];
	SZ id_len = sizeof(id);
	uint32_t count = 0;

	switch (which) {
	case TIME_GET:
		res = TEE_GetTAPersistentTime(&t);
		*a = t.seconds;
		*b = t.millis;
		return res;
	case TIME_SET:
		return TEE_SetTAPersistentTime(&t);
	case TIME_COUNT_OBJECTS:
		res = TEE_AllocatePersistentObjectEnumerator(&e);
		if (res != TEE_SUCCESS) {
			return res;
		}
		res = TEE_StartPersistentObjectEnumerator(e, TEE_STORAGE_PRIVATE);
		while (res == TEE_SUCCESS) {
			id_len = sizeof(id);
			res = TEE_GetNextPersistentObject(e, NULL, id, &id_len);
			count += res == TEE_SUCCESS;
		}
		TEE_FreePersistentObjectEnumerator(e);
		*a = count;
		return res == TEE_ERROR_ITEM_NOT_FOUND ? TEE_SUCCESS : res;
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	struct request *r = NULL;
	TEE_Result res = TEE_SUCCESS;
	uint32_t t1 = TEE_PARAM_TYPE_GET(param_types, 1);

	(void)sess_ctx;
	if (TEE_PARAM_TYPE_GET(param_types, 0) != TEE_PARAM_TYPE_VALUE_INPUT &&
	    cmd_id != TA_CRYPTO_CMD_SELFTEST) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	switch (cmd_id) {
	case TA_CRYPTO_CMD_OP:
	case TA_CRYPTO_CMD_GENKEY:
	case TA_CRYPTO_CMD_STORE:
	case TA_CRYPTO_CMD_GETATTR:
		if (t1 != TEE_PARAM_TYPE_MEMREF_INPUT ||
		    (cmd_id != TA_CRYPTO_CMD_STORE &&
		     TEE_PARAM_TYPE_GET(param_types, 2) != TEE_PARAM_TYPE_MEMREF_OUTPUT)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		r = TEE_Malloc(sizeof(*r), TEE_MALLOC_FILL_ZERO);
		if (!r) {
			return TEE_ERROR_OUT_OF_MEMORY;
		}
		res = parse(params[1].memref.buffer, params[1].memref.size, r);
		if (res != TEE_SUCCESS) {
			break;
		}
		if (cmd_id == TA_CRYPTO_CMD_STORE) {
			res = store_key(r);
		} else if (cmd_id == TA_CRYPTO_CMD_GETATTR) {
			res = get_attr(params[0].value.a, r, params[2].memref.buffer,
				       &params[2].memref.size);
		} else if (cmd_id == TA_CRYPTO_CMD_GENKEY) {
			res = genkey(params[0].value.a, params[0].value.b, r,
				     params[2].memref.buffer, &params[2].memref.size);
		} else if (TEE_PARAM_TYPE_GET(param_types, 3) == TEE_PARAM_TYPE_MEMREF_OUTPUT) {
			res = do_op(params[0].value.a, params[0].value.b, r,
				    params[2].memref.buffer, &params[2].memref.size,
				    params[3].memref.buffer, &params[3].memref.size);
		} else {
			SZ none = 0;

			res = do_op(params[0].value.a, params[0].value.b, r,
				    params[2].memref.buffer, &params[2].memref.size, NULL, &none);
		}
		break;
	case TA_CRYPTO_CMD_BIGINT:
		if (param_types !=
		    TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_MEMREF_INPUT,
				    TEE_PARAM_TYPE_MEMREF_OUTPUT, TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		return bigint_cmd(params[0].value.a, params[1].memref.buffer, params[1].memref.size,
				  params[2].memref.buffer, &params[2].memref.size);
	case TA_CRYPTO_CMD_TIME:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT,
						   TEE_PARAM_TYPE_VALUE_INOUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		return time_cmd(params[0].value.a, &params[1].value.a, &params[1].value.b);
	case TA_CRYPTO_CMD_MISUSE:
		return misuse(params[0].value.a);
	case TA_CRYPTO_CMD_SELFTEST:
		if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
			return TEE_ERROR_BAD_PARAMETERS;
		}
		return selftest();
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
	TEE_Free(r);
	return res;
}
