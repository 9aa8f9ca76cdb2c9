/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tee_ta_image: the .ta / ELF verification used by tzm-teed, tzm-ta-host and tzm-ta-pack,
 * against a table of malformed inputs built from a minimal valid image; every truncation
 * of the valid image must be rejected; plus SHA-256 and UUID known answers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tzm_test.h>

#include "sha256.h"
#include "ta_image.h"
#include "uuid.h"

static const uint8_t k_uuid[16] = { 0x8a, 0xaa, 0xf2, 0x00, 0x24, 0x50, 0x11, 0xe4,
				    0xab, 0xe2, 0x00, 0x02, 0xa5, 0xd5, 0xc5, 0x1b };

/* Minimal ELF64 LE ET_DYN layout:
 *   0    ELF header (64)
 *   64   PT_LOAD  (56)  vaddr 0, covers the whole file
 *   120  PT_DYNAMIC (56) → offset and address 240, 8 entries
 *   176  PT_GNU_STACK (56), read + write
 *   240  dynamic: DT_STRTAB 368, DT_STRSZ 32, DT_NEEDED 1, 5 spare slots (DT_NULL)
 *   368  string table "\0libc.so.6\0libfoo.so\0" padded to 32
 *   400  one RELA entry, 424 two symbols, 472 DT_HASH, 496 DT_GNU_HASH: used only by the
 *        IFUNC cases (the plain image has no DT_SYMTAB)
 */
#define ELF_LEN 528u
#define DYN_OFF 240u
#define DYN_SLOTS 8u
#define STR_OFF 368u
#define RELA_OFF 400u
#define SYM_OFF 424u
#define HASH_OFF 472u
#define GNU_HASH_OFF 496u

static void put(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static void set_dyn(uint8_t *elf, unsigned slot, uint64_t tag, uint64_t val)
{
	put(elf + DYN_OFF + slot * 16, tag, 8);
	put(elf + DYN_OFF + slot * 16 + 8, val, 8);
}

static void make_elf(uint8_t *e, uint16_t machine)
{
	memset(e, 0, ELF_LEN);
	memcpy(e,
	       "\x7f"
	       "ELF",
	       4);
	e[4] = 2;
	e[5] = 1;
	e[6] = 1;
	put(e + 16, 3, 2); /* ET_DYN */
	put(e + 18, machine, 2);
	put(e + 32, 64, 8); /* phoff */
	put(e + 52, 64, 2); /* ehsize */
	put(e + 54, 56, 2); /* phentsize */
	put(e + 56, 3, 2);  /* phnum */
	put(e + 64, 1, 4);  /* PT_LOAD */
	put(e + 64 + 8, 0, 8);
	put(e + 64 + 16, 0, 8);
	put(e + 64 + 32, ELF_LEN, 8);
	put(e + 64 + 40, ELF_LEN, 8);
	put(e + 120, 2, 4); /* PT_DYNAMIC */
	put(e + 120 + 8, DYN_OFF, 8);
	put(e + 120 + 16, DYN_OFF, 8);
	put(e + 120 + 32, DYN_SLOTS * 16, 8);
	put(e + 176, 0x6474e551, 4); /* PT_GNU_STACK, read + write */
	put(e + 176 + 4, 6, 4);
	set_dyn(e, 0, 5, STR_OFF); /* DT_STRTAB */
	set_dyn(e, 1, 10, 32);     /* DT_STRSZ */
	set_dyn(e, 2, 1, 1);       /* DT_NEEDED libc.so.6 */
	memcpy(e + STR_OFF, "\0libc.so.6\0libfoo.so\0", 21);
	/* symbol 1: a defined function (STT_FUNC, section 7); symbol 0 is the null symbol */
	e[SYM_OFF + 24 + 4] = 2;
	put(e + SYM_OFF + 24 + 6, 7, 2);
	/* DT_HASH: 1 bucket -> symbol 1; 2 chain entries */
	put(e + HASH_OFF, 1, 4);
	put(e + HASH_OFF + 4, 2, 4);
	put(e + HASH_OFF + 8, 1, 4);
	/* DT_GNU_HASH: 1 bucket, symoffset 1, 1 bloom word; bucket -> 1, chain[0] ends */
	put(e + GNU_HASH_OFF, 1, 4);
	put(e + GNU_HASH_OFF + 4, 1, 4);
	put(e + GNU_HASH_OFF + 8, 1, 4);
	put(e + GNU_HASH_OFF + 24, 1, 4);
	put(e + GNU_HASH_OFF + 28, 1, 4);
}

static size_t make_image(uint8_t *img, const uint8_t *elf)
{
	memset(img, 0, TA_IMAGE_HDR_SIZE);
	memcpy(img, TA_IMAGE_MAGIC, 8);
	put(img + 8, TA_IMAGE_VERSION, 4);
	put(img + 12, TA_IMAGE_HDR_SIZE, 4);
	memcpy(img + 16, k_uuid, 16);
	put(img + 32, TA_FLAG_SINGLE_INSTANCE, 4);
	put(img + 36, 4096, 4);
	put(img + 40, 65536, 4);
	put(img + 44, tzm__host_e_machine(), 2);
	put(img + 48, ELF_LEN, 8);
	memcpy(img + TA_IMAGE_HDR_SIZE, elf, ELF_LEN);
	tzm__sha256(elf, ELF_LEN, img + 56);
	return TA_IMAGE_HDR_SIZE + ELF_LEN;
}

/* Re-hash after editing the ELF part, so that the ELF checks themselves are reached. */
static void rehash(uint8_t *img)
{
	tzm__sha256(img + TA_IMAGE_HDR_SIZE, ELF_LEN, img + 56);
}

enum mut {
	M_NONE,
	M_TRUNC_HDR,
	M_MAGIC,
	M_VERSION,
	M_HDRSIZE,
	M_RESERVED,
	M_RESERVED_TAIL,
	M_MODULE_KIND,
	M_MODULE_HASH_NO_KIND,
	M_MODULE_NO_SYMBOL,
	M_FLAGS,
	M_STACK0,
	M_DATA_HUGE,
	M_EXTRA_BYTE,
	M_SIZE_OVERFLOW,
	M_ARCH_HDR,
	M_ARCH_ELF,
	M_HASH,
	M_UUID,
	M_DT_INIT,
	M_DT_INIT_ARRAY,
	M_DT_PREINIT,
	M_DT_NEEDED_FOREIGN,
	M_DT_TEXTREL,
	M_NOT_ELF,
	M_ET_EXEC,
	M_DYN_OOB,
	M_PHNUM_OOB,
	M_NEEDED_OOB,
	M_SYMS_PLAIN,
	M_IRELATIVE,
	M_RELA_IFUNC_SYM,
	M_HASH_IFUNC,
	M_GNU_HASH_IFUNC,
	M_DYN_VADDR_DIFFERS,
	M_DYN_TWICE,
	M_NO_GNU_STACK,
	M_EXEC_STACK,
	M_WX_LOAD,
	M_RUNPATH,
	M_RPATH,
	M_AUDIT,
};

static const struct {
	enum mut m;
	const char *name;
	int want;
} cases[] = {
	{ M_NONE, "valid image", 0 },
	{ M_TRUNC_HDR, "truncated header", -EBADMSG },
	{ M_MAGIC, "bad magic", -EBADMSG },
	{ M_VERSION, "unknown format version", -EBADMSG },
	{ M_HDRSIZE, "wrong header size", -EBADMSG },
	{ M_RESERVED, "reserved bytes set", -EBADMSG },
	{ M_RESERVED_TAIL, "reserved bytes 124-127 set", -EBADMSG },
	{ M_MODULE_KIND, "unknown module kind 2", -EBADMSG },
	{ M_MODULE_HASH_NO_KIND, "module hash without a module kind", -EBADMSG },
	{ M_MODULE_NO_SYMBOL, "Wasm module kind, ELF without the module symbol", -EBADMSG },
	{ M_FLAGS, "unknown TA flag", -EBADMSG },
	{ M_STACK0, "zero stack size", -EBADMSG },
	{ M_DATA_HUGE, "data size beyond limit", -EBADMSG },
	{ M_EXTRA_BYTE, "trailing byte after the ELF", -EBADMSG },
	{ M_SIZE_OVERFLOW, "ELF size near 2^64", -EBADMSG },
	{ M_ARCH_HDR, "header for another architecture", -ENOEXEC },
	{ M_ARCH_ELF, "ELF for another architecture (header claims ours)", -ENOEXEC },
	{ M_HASH, "ELF byte flipped (hash mismatch)", -EKEYREJECTED },
	{ M_UUID, "renamed: UUID differs from the requested one", -EKEYREJECTED },
	{ M_DT_INIT, "DT_INIT present", -EPERM },
	{ M_DT_INIT_ARRAY, "DT_INIT_ARRAYSZ non-zero", -EPERM },
	{ M_DT_PREINIT, "DT_PREINIT_ARRAY present", -EPERM },
	{ M_DT_NEEDED_FOREIGN, "DT_NEEDED outside the C runtime", -EPERM },
	{ M_DT_TEXTREL, "text relocations", -EPERM },
	{ M_NOT_ELF, "payload is not ELF", -EBADMSG },
	{ M_ET_EXEC, "ELF executable, not shared object", -EBADMSG },
	{ M_DYN_OOB, "PT_DYNAMIC beyond the file", -EBADMSG },
	{ M_PHNUM_OOB, "program headers beyond the file", -EBADMSG },
	{ M_NEEDED_OOB, "DT_NEEDED string offset beyond DT_STRSZ", -EBADMSG },
	/* code that glibc would run inside dlopen()/dlsym(), before the sandbox */
	{ M_SYMS_PLAIN, "symbols, hash tables and a plain relocation (control)", 0 },
	{ M_IRELATIVE, "IRELATIVE relocation (IFUNC resolver)", -EPERM },
	{ M_RELA_IFUNC_SYM, "relocation against a defined IFUNC symbol", -EPERM },
	{ M_HASH_IFUNC, "IFUNC symbol reachable through DT_HASH (dlsym)", -EPERM },
	{ M_GNU_HASH_IFUNC, "IFUNC symbol reachable through DT_GNU_HASH (dlsym)", -EPERM },
	{ M_DYN_VADDR_DIFFERS, "PT_DYNAMIC address shows the loader other bytes", -EBADMSG },
	{ M_DYN_TWICE, "two PT_DYNAMIC headers", -EBADMSG },
	{ M_NO_GNU_STACK, "no PT_GNU_STACK (executable stacks on x86-64)", -EPERM },
	{ M_EXEC_STACK, "PT_GNU_STACK executable", -EPERM },
	{ M_WX_LOAD, "writable and executable PT_LOAD", -EPERM },
	{ M_RUNPATH, "DT_RUNPATH (libm.so.6 from elsewhere)", -EPERM },
	{ M_RPATH, "DT_RPATH", -EPERM },
	{ M_AUDIT, "DT_AUDIT", -EPERM },
};

static int run_case(enum mut m, const char **why)
{
	static uint8_t elf[ELF_LEN], img[TA_IMAGE_HDR_SIZE + ELF_LEN + 1];
	size_t len;
	uint16_t other = tzm__host_e_machine() == TZM_EM_X86_64 ? TZM_EM_AARCH64 : TZM_EM_X86_64;
	uint8_t uuid[16];

	memcpy(uuid, k_uuid, 16);
	make_elf(elf, tzm__host_e_machine());
	len = make_image(img, elf);
	switch (m) {
	case M_NONE:
		break;
	case M_TRUNC_HDR:
		len = 100;
		break;
	case M_MAGIC:
		img[0] ^= 1;
		break;
	case M_VERSION:
		put(img + 8, 2, 4);
		break;
	case M_HDRSIZE:
		put(img + 12, 64, 4);
		break;
	case M_RESERVED:
		img[100] = 1;
		break;
	case M_RESERVED_TAIL:
		img[127] = 1;
		break;
	case M_MODULE_KIND:
		put(img + 88, 2, 4);
		break;
	case M_MODULE_HASH_NO_KIND:
		memset(img + 92, 0x5a, 32);
		break;
	case M_MODULE_NO_SYMBOL:
		put(img + 88, TA_IMAGE_MODULE_WASM, 4);
		memset(img + 92, 0x5a, 32);
		break;
	case M_FLAGS:
		put(img + 32, 1u << 20, 4);
		break;
	case M_STACK0:
		put(img + 36, 0, 4);
		break;
	case M_DATA_HUGE:
		put(img + 40, 0xffffffffu, 4);
		break;
	case M_EXTRA_BYTE:
		img[len++] = 0;
		break;
	case M_SIZE_OVERFLOW:
		put(img + 48, UINT64_MAX - 10, 8);
		break;
	case M_ARCH_HDR:
		put(img + 44, other, 2);
		break;
	case M_ARCH_ELF:
		put(img + TA_IMAGE_HDR_SIZE + 18, other, 2);
		rehash(img);
		break;
	case M_HASH:
		img[TA_IMAGE_HDR_SIZE + 300] ^= 0x40;
		break;
	case M_UUID:
		uuid[15] ^= 1;
		break;
	case M_DT_INIT:
		set_dyn(img + TA_IMAGE_HDR_SIZE, 3, 12, 0x100);
		rehash(img);
		break;
	case M_DT_INIT_ARRAY:
		set_dyn(img + TA_IMAGE_HDR_SIZE, 3, 27, 8);
		rehash(img);
		break;
	case M_DT_PREINIT:
		set_dyn(img + TA_IMAGE_HDR_SIZE, 3, 32, 0x100);
		rehash(img);
		break;
	case M_DT_NEEDED_FOREIGN:
		set_dyn(img + TA_IMAGE_HDR_SIZE, 3, 1, 11);
		rehash(img);
		break;
	case M_DT_TEXTREL:
		set_dyn(img + TA_IMAGE_HDR_SIZE, 3, 22, 0);
		rehash(img);
		break;
	case M_NOT_ELF:
		img[TA_IMAGE_HDR_SIZE + 1] = 'X';
		rehash(img);
		break;
	case M_ET_EXEC:
		put(img + TA_IMAGE_HDR_SIZE + 16, 2, 2);
		rehash(img);
		break;
	case M_DYN_OOB:
		put(img + TA_IMAGE_HDR_SIZE + 120 + 8, ELF_LEN - 16, 8);
		rehash(img);
		break;
	case M_PHNUM_OOB:
		put(img + TA_IMAGE_HDR_SIZE + 56, 200, 2);
		rehash(img);
		break;
	case M_NEEDED_OOB:
		set_dyn(img + TA_IMAGE_HDR_SIZE, 2, 1, 4000);
		rehash(img);
		break;
	case M_SYMS_PLAIN:
	case M_IRELATIVE:
	case M_RELA_IFUNC_SYM:
	case M_HASH_IFUNC:
	case M_GNU_HASH_IFUNC: {
		uint8_t *e = img + TA_IMAGE_HDR_SIZE;

		set_dyn(e, 3, 6, SYM_OFF); /* DT_SYMTAB */
		set_dyn(e, 4, m == M_GNU_HASH_IFUNC ? 0x6ffffef5 : 4,
			m == M_GNU_HASH_IFUNC ? GNU_HASH_OFF : HASH_OFF);
		set_dyn(e, 5, 7, RELA_OFF); /* DT_RELA */
		set_dyn(e, 6, 8, 24);       /* DT_RELASZ */
		/* R_*_RELATIVE (x86-64 8, aarch64 1027) without symbol, or IRELATIVE, or a
		 * GLOB_DAT-like reference to symbol 1 */
		put(e + RELA_OFF + 8, tzm__host_e_machine() == TZM_EM_AARCH64 ? 1027 : 8, 8);
		if (m == M_IRELATIVE) {
			put(e + RELA_OFF + 8, tzm__host_e_machine() == TZM_EM_AARCH64 ? 1032 : 37,
			    8);
		}
		if (m == M_RELA_IFUNC_SYM) {
			put(e + RELA_OFF + 8, (1ull << 32) | 6, 8);
		}
		if (m == M_RELA_IFUNC_SYM || m == M_HASH_IFUNC || m == M_GNU_HASH_IFUNC) {
			e[SYM_OFF + 24 + 4] = 10; /* STT_GNU_IFUNC */
		}
		rehash(img);
		break;
	}
	case M_DYN_VADDR_DIFFERS:
		/* the loader would read a dynamic section 16 bytes further, past the check */
		put(img + TA_IMAGE_HDR_SIZE + 120 + 16, DYN_OFF + 16, 8);
		rehash(img);
		break;
	case M_DYN_TWICE:
		put(img + TA_IMAGE_HDR_SIZE + 176, 2, 4);
		put(img + TA_IMAGE_HDR_SIZE + 176 + 8, DYN_OFF, 8);
		put(img + TA_IMAGE_HDR_SIZE + 176 + 16, DYN_OFF, 8);
		put(img + TA_IMAGE_HDR_SIZE + 176 + 32, 16, 8);
		rehash(img);
		break;
	case M_NO_GNU_STACK:
		put(img + TA_IMAGE_HDR_SIZE + 176, 0, 4); /* PT_NULL */
		rehash(img);
		break;
	case M_EXEC_STACK:
		put(img + TA_IMAGE_HDR_SIZE + 176 + 4, 7, 4);
		rehash(img);
		break;
	case M_WX_LOAD:
		put(img + TA_IMAGE_HDR_SIZE + 64 + 4, 7, 4);
		rehash(img);
		break;
	case M_RUNPATH:
		set_dyn(img + TA_IMAGE_HDR_SIZE, 3, 29, 1);
		rehash(img);
		break;
	case M_RPATH:
		set_dyn(img + TA_IMAGE_HDR_SIZE, 3, 15, 1);
		rehash(img);
		break;
	case M_AUDIT:
		set_dyn(img + TA_IMAGE_HDR_SIZE, 3, 0x6ffffefc, 1);
		rehash(img);
		break;
	}
	*why = NULL;
	return tzm__ta_image_verify(img, len, uuid, tzm__host_e_machine(), NULL, why);
}

static void test_truncations(void)
{
	static uint8_t elf[ELF_LEN], img[TA_IMAGE_HDR_SIZE + ELF_LEN];
	size_t len, bad = 0;

	make_elf(elf, tzm__host_e_machine());
	len = make_image(img, elf);
	for (size_t n = 0; n < len; n++) {
		/* a fresh heap copy of exactly n bytes, so ASan catches any over-read */
		uint8_t *copy = malloc(n ? n : 1);
		memcpy(copy, img, n);
		if (tzm__ta_image_verify(copy, n, k_uuid, tzm__host_e_machine(), NULL, NULL) == 0) {
			bad++;
		}
		free(copy);
	}
	TEST_STEP("all %zu truncations of a valid image are rejected", len);
	ASSERT_EQ_INT(bad, 0);
}

/*
 * A Wasm TA: the minimal ELF plus the glue's module hash as a dynamic symbol (section
 * headers, SHT_DYNSYM, its string table), and the header naming the module.
 *   528 module hash (32)  560 strings (32)  592 two symbols (48)  640 three section headers
 */
#define W_MOD_OFF 528u
#define W_STR_OFF 560u
#define W_SYM_OFF 592u
#define W_SH_OFF 640u
#define W_ELF_LEN (W_SH_OFF + 3u * 64u)

static size_t make_wasm_image(uint8_t *img, uint32_t sym_size)
{
	uint8_t *e = img + TA_IMAGE_HDR_SIZE;

	make_elf(e, tzm__host_e_machine());
	memset(e + ELF_LEN, 0, W_ELF_LEN - ELF_LEN);
	put(e + 64 + 32, W_ELF_LEN, 8); /* PT_LOAD covers the additions */
	put(e + 64 + 40, W_ELF_LEN, 8);
	put(e + 40, W_SH_OFF, 8); /* e_shoff, e_shentsize, e_shnum */
	put(e + 58, 64, 2);
	put(e + 60, 3, 2);
	memset(e + W_MOD_OFF, 0x5a, 32);
	memcpy(e + W_STR_OFF + 1, TA_IMAGE_WASM_MODULE_SYMBOL, strlen(TA_IMAGE_WASM_MODULE_SYMBOL));
	put(e + W_SYM_OFF + 24, 1, 4);     /* st_name */
	e[W_SYM_OFF + 24 + 4] = 0x11;      /* STB_GLOBAL, STT_OBJECT */
	put(e + W_SYM_OFF + 24 + 6, 1, 2); /* defined */
	put(e + W_SYM_OFF + 24 + 8, W_MOD_OFF, 8);
	put(e + W_SYM_OFF + 24 + 16, sym_size, 8);
	put(e + W_SH_OFF + 64 + 4, 11, 4); /* SHT_DYNSYM -> section 2 */
	put(e + W_SH_OFF + 64 + 24, W_SYM_OFF, 8);
	put(e + W_SH_OFF + 64 + 32, 48, 8);
	put(e + W_SH_OFF + 64 + 40, 2, 4);
	put(e + W_SH_OFF + 64 + 56, 24, 8);
	put(e + W_SH_OFF + 128 + 4, 3, 4); /* SHT_STRTAB */
	put(e + W_SH_OFF + 128 + 24, W_STR_OFF, 8);
	put(e + W_SH_OFF + 128 + 32, 32, 8);
	memset(img, 0, TA_IMAGE_HDR_SIZE);
	memcpy(img, TA_IMAGE_MAGIC, 8);
	put(img + 8, TA_IMAGE_VERSION, 4);
	put(img + 12, TA_IMAGE_HDR_SIZE, 4);
	memcpy(img + 16, k_uuid, 16);
	put(img + 36, 4096, 4);
	put(img + 40, 65536, 4);
	put(img + 44, tzm__host_e_machine(), 2);
	put(img + 48, W_ELF_LEN, 8);
	tzm__sha256(e, W_ELF_LEN, img + 56);
	put(img + 88, TA_IMAGE_MODULE_WASM, 4);
	memset(img + 92, 0x5a, 32);
	return TA_IMAGE_HDR_SIZE + W_ELF_LEN;
}

static void test_wasm_module(void)
{
	static uint8_t img[TA_IMAGE_HDR_SIZE + W_ELF_LEN];
	struct ta_image_hdr h;
	const char *why = NULL;
	size_t len = make_wasm_image(img, 32);

	printf("== Wasm TAs: the header's module hash against the ELF's\n");
	TEST_STEP("header and ELF name the same module: accepted, hash reported");
	ASSERT_EQ_INT(tzm__ta_image_verify(img, len, k_uuid, tzm__host_e_machine(), &h, &why), 0);
	ASSERT_EQ_INT(h.module_kind, TA_IMAGE_MODULE_WASM);
	ASSERT_EQ_MEM(h.module_sha256, img + TA_IMAGE_HDR_SIZE + W_MOD_OFF, 32);
	TEST_STEP("header's module hash edited after the build: refused");
	img[92 + 31] ^= 1;
	ASSERT_EQ_INT(tzm__ta_image_verify(img, len, k_uuid, tzm__host_e_machine(), NULL, &why),
		      -EKEYREJECTED);
	ASSERT_STR_CONTAINS(why, "differs");
	TEST_STEP("module symbol of 31 bytes: refused");
	len = make_wasm_image(img, 31);
	ASSERT_EQ_INT(tzm__ta_image_verify(img, len, k_uuid, tzm__host_e_machine(), NULL, &why),
		      -EBADMSG);
	TEST_STEP("the same ELF packed as a C TA (module kind 0): accepted, no module");
	len = make_wasm_image(img, 32);
	memset(img + 88, 0, 36);
	ASSERT_EQ_INT(tzm__ta_image_verify(img, len, k_uuid, tzm__host_e_machine(), &h, &why), 0);
	ASSERT_EQ_INT(h.module_kind, TA_IMAGE_MODULE_NONE);
}

static void test_sha256(void)
{
	static const uint8_t abc[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
		0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
		0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	static const uint8_t two_blocks[32] = {
		0x24, 0x8d, 0x6a, 0x61, 0xd2, 0x06, 0x38, 0xb8, 0xe5, 0xc0, 0x26,
		0x93, 0x0c, 0x3e, 0x60, 0x39, 0xa3, 0x3c, 0xe4, 0x59, 0x64, 0xff,
		0x21, 0x67, 0xf6, 0xec, 0xed, 0xd4, 0x19, 0xdb, 0x06, 0xc1,
	};
	uint8_t d[32];

	tzm__sha256("abc", 3, d);
	TEST_STEP("SHA-256(\"abc\") known answer");
	ASSERT_EQ_MEM(d, abc, 32);
	tzm__sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
	TEST_STEP("SHA-256 two-block known answer");
	ASSERT_EQ_MEM(d, two_blocks, 32);
}

static void test_uuid(void)
{
	static const char *bad[] = { "", "8aaaf200-2450-11e4-abe2-0002a5d5c51",
				     "8aaaf200x2450-11e4-abe2-0002a5d5c51b",
				     "8aaaf200-2450-11e4-abe2-0002a5d5c51g",
				     "8aaaf200-2450-11e4-abe2-0002a5d5c51b0" };
	uint8_t b[16];
	char s[TZM_UUID_STR_LEN + 1];
	struct tzm__uuid u;
	int rejected = 0;

	TEST_STEP("UUID parses (mixed case)");
	ASSERT_EQ_INT(tzm__uuid_parse("8AAAF200-2450-11e4-abe2-0002a5d5c51b", b), 0);
	ASSERT_EQ_MEM(b, k_uuid, 16);
	tzm__uuid_bytes_to_str(b, s);
	TEST_STEP("UUID formats canonically");
	ASSERT_EQ_STR(s, "8aaaf200-2450-11e4-abe2-0002a5d5c51b");
	tzm__uuid_from_bytes(b, &u);
	TEST_STEP("UUID fields decode big-endian");
	ASSERT_EQ_INT(u.time_low, 0x8aaaf200);
	ASSERT_EQ_INT(u.time_mid, 0x2450);
	ASSERT_EQ_INT(u.time_hi, 0x11e4);
	tzm__uuid_to_bytes(&u, b);
	TEST_STEP("UUID round trip");
	ASSERT_EQ_MEM(b, k_uuid, 16);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rejected += tzm__uuid_parse(bad[i], b) == -EINVAL;
	}
	TEST_STEP("malformed UUID strings rejected");
	ASSERT_EQ_INT(rejected, (int)(sizeof(bad) / sizeof(bad[0])));
}

int main(void)
{
	printf("== .ta images: malformed-input table\n");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = NULL;
		int rc = run_case(cases[i].m, &why);

		TEST_STEP("%-52s -> %d (want %d)%s%s", cases[i].name, rc, cases[i].want,
			  why ? ": " : "", why ? why : "");
		ASSERT_EQ_INT(rc, cases[i].want);
	}
	test_truncations();
	test_wasm_module();
	printf("== SHA-256 and UUIDs\n");
	test_sha256();
	test_uuid();
	printf("tee_ta_image: all checks passed\n");
	return 0;
}
