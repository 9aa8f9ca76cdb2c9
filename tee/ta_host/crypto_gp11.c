/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GP 1.1 twins of the cryptographic functions (uint32_t sizes, __GP11_TEE_Attribute), used
 * by TAs built with __OPTEE_CORE_API_COMPAT_1_1. They convert and forward to the GP 1.3.1
 * implementations; an output size that does not fit the 1.1 type panics (the 1.1 interface
 * cannot express it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <tee_internal_api.h>

/* A 1.3.1 copy of a 1.1 attribute array (free() it); NULL only when count is 0. */
static TEE_Attribute *attrs_from_gp11(const __GP11_TEE_Attribute *in, uint32_t count)
{
	TEE_Attribute *out = NULL;

	if (!count) {
		return NULL;
	}
	if (!in) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	out = calloc(count, sizeof(*out));
	if (!out) {
		TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
	}
	for (uint32_t i = 0; i < count; i++) {
		out[i].attributeID = in[i].attributeID;
		if (in[i].attributeID & TEE_ATTR_FLAG_VALUE) {
			out[i].content.value.a = in[i].content.value.a;
			out[i].content.value.b = in[i].content.value.b;
		} else {
			out[i].content.ref.buffer = in[i].content.ref.buffer;
			out[i].content.ref.length = in[i].content.ref.length;
		}
	}
	return out;
}

/* In/out length: widened on the way in, narrowed (checked) on the way out. */
static uint32_t narrow(size_t n)
{
	if (n > UINT32_MAX) {
		TEE_Panic(TEE_ERROR_OVERFLOW);
	}
	return (uint32_t)n;
}

/* The 1.3.1 call's result, its output size *n narrowed into the 1.1 caller's *len where the
 * spec writes one (SUCCESS and SHORT_BUFFER: the size written or needed). */
static TEE_Result give_back(TEE_Result res, const size_t *n, uint32_t *len)
{
	if (res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER) {
		*len = narrow(*n);
	}
	return res;
}

static size_t *widen(const uint32_t *len, size_t *tmp)
{
	if (!len) {
		return NULL;
	}
	*tmp = *len;
	return tmp;
}

TEE_Result __GP11_TEE_GetObjectBufferAttribute(TEE_ObjectHandle object, uint32_t attributeID,
					       void *buffer, uint32_t *size)
{
	size_t n = 0;
	TEE_Result res = TEE_GetObjectBufferAttribute(object, attributeID, buffer, widen(size, &n));

	return give_back(res, &n, size);
}

TEE_Result __GP11_TEE_AllocateTransientObject(TEE_ObjectType objectType, uint32_t maxKeySize,
					      TEE_ObjectHandle *object)
{
	return TEE_AllocateTransientObject(objectType, maxKeySize, object);
}

TEE_Result __GP11_TEE_PopulateTransientObject(TEE_ObjectHandle object,
					      const __GP11_TEE_Attribute *attrs, uint32_t attrCount)
{
	TEE_Attribute *a = attrs_from_gp11(attrs, attrCount);
	TEE_Result res = TEE_PopulateTransientObject(object, a, attrCount);

	free(a);
	return res;
}

void __GP11_TEE_InitRefAttribute(__GP11_TEE_Attribute *attr, uint32_t attributeID,
				 const void *buffer, uint32_t length)
{
	if (!attr || (attributeID & TEE_ATTR_FLAG_VALUE)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	attr->attributeID = attributeID;
	attr->content.ref.buffer = (void *)buffer;
	attr->content.ref.length = length;
}

void __GP11_TEE_InitValueAttribute(__GP11_TEE_Attribute *attr, uint32_t attributeID, uint32_t a,
				   uint32_t b)
{
	if (!attr || !(attributeID & TEE_ATTR_FLAG_VALUE)) {
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	attr->attributeID = attributeID;
	attr->content.value.a = a;
	attr->content.value.b = b;
}

TEE_Result __GP11_TEE_GenerateKey(TEE_ObjectHandle object, uint32_t keySize,
				  const __GP11_TEE_Attribute *params, uint32_t paramCount)
{
	TEE_Attribute *a = attrs_from_gp11(params, paramCount);
	TEE_Result res = TEE_GenerateKey(object, keySize, a, paramCount);

	free(a);
	return res;
}

void __GP11_TEE_FreeOperation(TEE_OperationHandle operation)
{
	TEE_FreeOperation(operation);
}

TEE_Result __GP11_TEE_GetOperationInfoMultiple(TEE_OperationHandle operation,
					       TEE_OperationInfoMultiple *info,
					       uint32_t *operationSize)
{
	size_t n = 0;
	TEE_Result res = TEE_GetOperationInfoMultiple(operation, info, widen(operationSize, &n));

	return give_back(res, &n, operationSize);
}

TEE_Result __GP11_TEE_SetOperationKey(TEE_OperationHandle operation, TEE_ObjectHandle key)
{
	return TEE_SetOperationKey(operation, key);
}

TEE_Result __GP11_TEE_SetOperationKey2(TEE_OperationHandle operation, TEE_ObjectHandle key1,
				       TEE_ObjectHandle key2)
{
	return TEE_SetOperationKey2(operation, key1, key2);
}

void __GP11_TEE_DigestUpdate(TEE_OperationHandle operation, const void *chunk, uint32_t chunkSize)
{
	TEE_DigestUpdate(operation, chunk, chunkSize);
}

TEE_Result __GP11_TEE_DigestDoFinal(TEE_OperationHandle operation, const void *chunk,
				    uint32_t chunkLen, void *hash, uint32_t *hashLen)
{
	size_t n = 0;
	TEE_Result res = TEE_DigestDoFinal(operation, chunk, chunkLen, hash, widen(hashLen, &n));

	return give_back(res, &n, hashLen);
}

TEE_Result __GP11_TEE_AsymmetricSignDigest(TEE_OperationHandle operation,
					   const __GP11_TEE_Attribute *params, uint32_t paramCount,
					   const void *digest, uint32_t digestLen, void *signature,
					   uint32_t *signatureLen)
{
	TEE_Attribute *a = attrs_from_gp11(params, paramCount);
	size_t n = 0;
	TEE_Result res = TEE_AsymmetricSignDigest(operation, a, paramCount, digest, digestLen,
						  signature, widen(signatureLen, &n));

	free(a);
	return give_back(res, &n, signatureLen);
}

TEE_Result __GP11_TEE_AsymmetricVerifyDigest(TEE_OperationHandle operation,
					     const __GP11_TEE_Attribute *params,
					     uint32_t paramCount, const void *digest,
					     uint32_t digestLen, const void *signature,
					     uint32_t signatureLen)
{
	TEE_Attribute *a = attrs_from_gp11(params, paramCount);
	TEE_Result res = TEE_AsymmetricVerifyDigest(operation, a, paramCount, digest, digestLen,
						    signature, signatureLen);

	free(a);
	return res;
}

void __GP11_TEE_CipherInit(TEE_OperationHandle operation, const void *IV, uint32_t IVLen)
{
	TEE_CipherInit(operation, IV, IVLen);
}

TEE_Result __GP11_TEE_CipherUpdate(TEE_OperationHandle operation, const void *srcData,
				   uint32_t srcLen, void *destData, uint32_t *destLen)
{
	size_t n = 0;
	TEE_Result res = TEE_CipherUpdate(operation, srcData, srcLen, destData, widen(destLen, &n));

	return give_back(res, &n, destLen);
}

TEE_Result __GP11_TEE_CipherDoFinal(TEE_OperationHandle operation, const void *srcData,
				    uint32_t srcLen, void *destData, uint32_t *destLen)
{
	size_t n = 0;
	TEE_Result res =
		TEE_CipherDoFinal(operation, srcData, srcLen, destData, widen(destLen, &n));

	return give_back(res, &n, destLen);
}

void __GP11_TEE_MACInit(TEE_OperationHandle operation, const void *IV, uint32_t IVLen)
{
	TEE_MACInit(operation, IV, IVLen);
}

void __GP11_TEE_MACUpdate(TEE_OperationHandle operation, const void *chunk, uint32_t chunkSize)
{
	TEE_MACUpdate(operation, chunk, chunkSize);
}

TEE_Result __GP11_TEE_MACComputeFinal(TEE_OperationHandle operation, const void *message,
				      uint32_t messageLen, void *mac, uint32_t *macLen)
{
	size_t n = 0;
	TEE_Result res =
		TEE_MACComputeFinal(operation, message, messageLen, mac, widen(macLen, &n));

	return give_back(res, &n, macLen);
}

TEE_Result __GP11_TEE_MACCompareFinal(TEE_OperationHandle operation, const void *message,
				      uint32_t messageLen, const void *mac, uint32_t macLen)
{
	return TEE_MACCompareFinal(operation, message, messageLen, mac, macLen);
}

TEE_Result __GP11_TEE_AEInit(TEE_OperationHandle operation, const void *nonce, uint32_t nonceLen,
			     uint32_t tagLen, uint32_t AADLen, uint32_t payloadLen)
{
	return TEE_AEInit(operation, nonce, nonceLen, tagLen, AADLen, payloadLen);
}

void __GP11_TEE_AEUpdateAAD(TEE_OperationHandle operation, const void *AADdata, uint32_t AADdataLen)
{
	TEE_AEUpdateAAD(operation, AADdata, AADdataLen);
}

TEE_Result __GP11_TEE_AEUpdate(TEE_OperationHandle operation, const void *srcData, uint32_t srcLen,
			       void *destData, uint32_t *destLen)
{
	size_t n = 0;
	TEE_Result res = TEE_AEUpdate(operation, srcData, srcLen, destData, widen(destLen, &n));

	return give_back(res, &n, destLen);
}

TEE_Result __GP11_TEE_AEEncryptFinal(TEE_OperationHandle operation, const void *srcData,
				     uint32_t srcLen, void *destData, uint32_t *destLen, void *tag,
				     uint32_t *tagLen)
{
	size_t n = 0;
	size_t t = 0;
	TEE_Result res = TEE_AEEncryptFinal(operation, srcData, srcLen, destData,
					    widen(destLen, &n), tag, widen(tagLen, &t));

	return give_back(give_back(res, &n, destLen), &t, tagLen);
}

TEE_Result __GP11_TEE_AEDecryptFinal(TEE_OperationHandle operation, const void *srcData,
				     uint32_t srcLen, void *destData, uint32_t *destLen, void *tag,
				     uint32_t tagLen)
{
	size_t n = 0;
	TEE_Result res = TEE_AEDecryptFinal(operation, srcData, srcLen, destData,
					    widen(destLen, &n), tag, tagLen);

	return give_back(res, &n, destLen);
}

TEE_Result __GP11_TEE_AsymmetricEncrypt(TEE_OperationHandle operation,
					const __GP11_TEE_Attribute *params, uint32_t paramCount,
					const void *srcData, uint32_t srcLen, void *destData,
					uint32_t *destLen)
{
	TEE_Attribute *a = attrs_from_gp11(params, paramCount);
	size_t n = 0;
	TEE_Result res = TEE_AsymmetricEncrypt(operation, a, paramCount, srcData, srcLen, destData,
					       widen(destLen, &n));

	free(a);
	return give_back(res, &n, destLen);
}

TEE_Result __GP11_TEE_AsymmetricDecrypt(TEE_OperationHandle operation,
					const __GP11_TEE_Attribute *params, uint32_t paramCount,
					const void *srcData, uint32_t srcLen, void *destData,
					uint32_t *destLen)
{
	TEE_Attribute *a = attrs_from_gp11(params, paramCount);
	size_t n = 0;
	TEE_Result res = TEE_AsymmetricDecrypt(operation, a, paramCount, srcData, srcLen, destData,
					       widen(destLen, &n));

	free(a);
	return give_back(res, &n, destLen);
}

void __GP11_TEE_DeriveKey(TEE_OperationHandle operation, const __GP11_TEE_Attribute *params,
			  uint32_t paramCount, TEE_ObjectHandle derivedKey)
{
	TEE_Attribute *a = attrs_from_gp11(params, paramCount);

	TEE_DeriveKey(operation, a, paramCount, derivedKey);
	free(a);
}
