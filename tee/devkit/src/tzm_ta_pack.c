/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tzm-ta-pack: turns a TA's ELF shared object into a signed-by-hash <uuid>.ta image
 * (format in tee/abi/ta_image.h).
 *
 *   tzm-ta-pack --uuid <uuid> --in <elf.so> --out <uuid>.ta
 *
 * Reads TA_UUID/TA_FLAGS/TA_STACK_SIZE/TA_DATA_SIZE from the ELF's __tzm_ta_head symbol,
 * checks that the UUID matches --uuid and that the ELF would pass the loader's checks
 * (no initializers, C runtime dependencies only), then writes header + ELF atomically.
 * A build-machine tool: plain C, no OpenSSL, handles x86-64 and aarch64 images alike.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/sha256.h"
#include "../../common/ta_image.h"
#include "../../common/uuid.h"

static int read_file(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long sz;
	int rc = -EIO;

	if (!f) {
		return -errno;
	}
	if (fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		goto out;
	}
	if ((unsigned long)sz > TA_IMAGE_MAX_ELF_SIZE) {
		rc = -EFBIG;
		goto out;
	}
	buf = malloc((size_t)sz + 1);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	if (fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
		goto out;
	}
	*out = buf;
	*len = (size_t)sz;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	fclose(f);
	return rc;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: tzm-ta-pack --uuid <uuid> --in <elf.so> --out <uuid>.ta\n");
}

int main(int argc, char **argv)
{
	const char *uuid_s = NULL, *in = NULL, *out = NULL, *why = NULL;
	uint8_t uuid[16], head_uuid[16], hdr[TA_IMAGE_HDR_SIZE];
	uint8_t *elf = NULL, *file = NULL;
	const uint8_t *head = NULL;
	size_t elf_len = 0, head_len = 0;
	uint16_t machine;
	char tmp[4096];
	FILE *f = NULL;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--uuid") == 0) {
			uuid_s = argv[++i];
		} else if (i + 1 < argc && strcmp(argv[i], "--in") == 0) {
			in = argv[++i];
		} else if (i + 1 < argc && strcmp(argv[i], "--out") == 0) {
			out = argv[++i];
		} else {
			usage();
			return 2;
		}
	}
	if (!uuid_s || !in || !out) {
		usage();
		return 2;
	}
	if (tzm__uuid_parse(uuid_s, uuid)) {
		fprintf(stderr, "tzm-ta-pack: '%s' is not a UUID\n", uuid_s);
		return 2;
	}
	rc = read_file(in, &elf, &elf_len);
	if (rc) {
		fprintf(stderr, "tzm-ta-pack: cannot read %s: %s\n", in, strerror(-rc));
		return 1;
	}
	machine = elf_len > 20 ? (uint16_t)(elf[18] | elf[19] << 8) : 0;
	if (machine != TZM_EM_X86_64 && machine != TZM_EM_AARCH64) {
		fprintf(stderr, "tzm-ta-pack: %s: not an x86-64 or aarch64 ELF\n", in);
		goto fail;
	}
	if (tzm__elf_check(elf, elf_len, machine, &why)) {
		fprintf(stderr, "tzm-ta-pack: %s: %s\n", in, why);
		goto fail;
	}
	rc = tzm__elf_find_symbol(elf, elf_len, "__tzm_ta_head", &head, &head_len);
	if (rc || head_len < 40) {
		fprintf(stderr,
			"tzm-ta-pack: %s: no __tzm_ta_head (link the dev kit's user_ta_header.c)\n",
			in);
		goto fail;
	}
	if (le32(head) != 0x44484154u || le32(head + 4) != 1) {
		fprintf(stderr, "tzm-ta-pack: %s: __tzm_ta_head has a bad magic/version\n", in);
		goto fail;
	}
	{
		struct tzm__uuid u;

		u.time_low = le32(head + 8);
		u.time_mid = (uint16_t)(head[12] | head[13] << 8);
		u.time_hi = (uint16_t)(head[14] | head[15] << 8);
		memcpy(u.clock_seq_node, head + 16, 8);
		tzm__uuid_to_bytes(&u, head_uuid);
	}
	if (memcmp(head_uuid, uuid, 16) != 0) {
		char s[TZM_UUID_STR_LEN + 1];

		tzm__uuid_bytes_to_str(head_uuid, s);
		fprintf(stderr, "tzm-ta-pack: %s: TA_UUID is %s, not %s\n", in, s, uuid_s);
		goto fail;
	}
	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, TA_IMAGE_MAGIC, 8);
	put_le(hdr + 8, TA_IMAGE_VERSION, 4);
	put_le(hdr + 12, TA_IMAGE_HDR_SIZE, 4);
	memcpy(hdr + 16, uuid, 16);
	memcpy(hdr + 32, head + 24, 12); /* flags, stack size, data size (LE already) */
	put_le(hdr + 44, machine, 2);
	put_le(hdr + 48, elf_len, 8);
	tzm__sha256(elf, elf_len, hdr + 56);
	/* Run the loader's own verification on the result before writing anything. */
	file = malloc(sizeof(hdr) + elf_len);
	if (!file) {
		fprintf(stderr, "tzm-ta-pack: out of memory\n");
		goto fail;
	}
	memcpy(file, hdr, sizeof(hdr));
	memcpy(file + sizeof(hdr), elf, elf_len);
	if (tzm__ta_image_verify(file, sizeof(hdr) + elf_len, uuid, machine, NULL, &why)) {
		fprintf(stderr, "tzm-ta-pack: %s: %s\n", in, why);
		goto fail;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", out, (long)getpid()) >= sizeof(tmp)) {
		fprintf(stderr, "tzm-ta-pack: output path too long\n");
		goto fail;
	}
	f = fopen(tmp, "wb");
	if (!f || fwrite(file, 1, sizeof(hdr) + elf_len, f) != sizeof(hdr) + elf_len ||
	    fclose(f) != 0) {
		f = NULL;
		fprintf(stderr, "tzm-ta-pack: cannot write %s: %s\n", tmp, strerror(errno));
		unlink(tmp);
		goto fail;
	}
	if (rename(tmp, out)) {
		fprintf(stderr, "tzm-ta-pack: cannot rename to %s: %s\n", out, strerror(errno));
		unlink(tmp);
		goto fail;
	}
	free(file);
	free(elf);
	return 0;
fail:
	free(file);
	free(elf);
	return 1;
}
