/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * .ta image and TA ELF verification; see ta_image.h. All reads of the untrusted image go
 * through rd*() which check bounds, so no other code here does raw pointer arithmetic on
 * it. Integers in the file are little-endian and decoded as such on every host.
 */
#include "ta_image.h"

#include <errno.h>
#include <string.h>

#include "sha256.h"

struct rd {
	const uint8_t *p;
	size_t len;
	bool bad; /* sticky: any out-of-bounds read sets it */
};

static bool in_bounds(const struct rd *r, uint64_t off, uint64_t n)
{
	return off <= r->len && n <= r->len - off;
}

static uint64_t rd_le(struct rd *r, uint64_t off, unsigned n)
{
	uint64_t v = 0;

	if (!in_bounds(r, off, n)) {
		r->bad = true;
		return 0;
	}
	for (unsigned i = 0; i < n; i++) {
		v |= (uint64_t)r->p[off + i] << (8 * i);
	}
	return v;
}

#define RD16(r, o) ((uint16_t)rd_le((r), (o), 2))
#define RD32(r, o) ((uint32_t)rd_le((r), (o), 4))
#define RD64(r, o) (rd_le((r), (o), 8))

static int fail(const char **why, const char *msg, int err)
{
	if (why) {
		*why = msg;
	}
	return err;
}

uint16_t tzm__host_e_machine(void)
{
#if defined(__x86_64__)
	return TZM_EM_X86_64;
#elif defined(__aarch64__)
	return TZM_EM_AARCH64;
#else
#error "unsupported architecture"
#endif
}

int tzm__ta_image_parse_hdr(const uint8_t *file, size_t len, struct ta_image_hdr *out,
			    const char **why)
{
	struct rd r = { file, len, false };
	struct ta_image_hdr h;

	memset(&h, 0, sizeof(h));
	if (!file || len < TA_IMAGE_HDR_SIZE) {
		return fail(why, "truncated header", -EBADMSG);
	}
	memcpy(h.magic, file, 8);
	if (memcmp(h.magic, TA_IMAGE_MAGIC, 8) != 0) {
		return fail(why, "bad magic (not a tzmediator .ta)", -EBADMSG);
	}
	h.version = RD32(&r, 8);
	h.hdr_size = RD32(&r, 12);
	memcpy(h.uuid, file + 16, 16);
	h.flags = RD32(&r, 32);
	h.stack_size = RD32(&r, 36);
	h.data_size = RD32(&r, 40);
	h.e_machine = RD16(&r, 44);
	h.reserved0 = RD16(&r, 46);
	h.elf_size = RD64(&r, 48);
	memcpy(h.elf_sha256, file + 56, 32);
	h.module_kind = RD32(&r, 88);
	memcpy(h.module_sha256, file + 92, 32);
	memcpy(h.reserved, file + 124, 4);
	if (r.bad) {
		return fail(why, "truncated header", -EBADMSG);
	}
	if (h.version != TA_IMAGE_VERSION) {
		return fail(why, "unsupported image format version", -EBADMSG);
	}
	if (h.hdr_size != TA_IMAGE_HDR_SIZE) {
		return fail(why, "bad header size", -EBADMSG);
	}
	if (h.reserved0 != 0) {
		return fail(why, "reserved header bytes not zero", -EBADMSG);
	}
	for (size_t i = 0; i < sizeof(h.reserved); i++) {
		if (h.reserved[i] != 0) {
			return fail(why, "reserved header bytes not zero", -EBADMSG);
		}
	}
	if (h.module_kind != TA_IMAGE_MODULE_NONE && h.module_kind != TA_IMAGE_MODULE_WASM) {
		return fail(why, "unknown module kind in the header (bytes 88-91: 0 or 1)",
			    -EBADMSG);
	}
	if (h.module_kind == TA_IMAGE_MODULE_NONE) {
		for (size_t i = 0; i < sizeof(h.module_sha256); i++) {
			if (h.module_sha256[i] != 0) {
				return fail(why,
					    "module hash set without a module kind (header bytes "
					    "92-123 must be zero)",
					    -EBADMSG);
			}
		}
	}
	if (h.flags & ~TA_FLAGS_MASK) {
		return fail(why, "unknown TA flags", -EBADMSG);
	}
	if (h.stack_size < 1024 || h.stack_size > 64u * 1024 * 1024) {
		return fail(why, "TA_STACK_SIZE out of range", -EBADMSG);
	}
	if (h.data_size < 1024 || h.data_size > 1024u * 1024 * 1024) {
		return fail(why, "TA_DATA_SIZE out of range", -EBADMSG);
	}
	if (h.elf_size == 0 || h.elf_size > TA_IMAGE_MAX_ELF_SIZE ||
	    h.elf_size != (uint64_t)(len - TA_IMAGE_HDR_SIZE)) {
		return fail(why, "image size does not match the file", -EBADMSG);
	}
	if (out) {
		*out = h;
	}
	return 0;
}

/*
 * A Wasm TA's header names the module it was built from; the glue compiled into the ELF
 * carries the same SHA-256 (TA_IMAGE_WASM_MODULE_SYMBOL). Both are in the measured image,
 * so this does not prove the code is that module's translation (the RIM pinned by the
 * verifier does); it keeps the token's claim and the TA's own idea of its module from
 * disagreeing, and refuses a header edited after the build.
 */
static int check_module(const uint8_t *elf, size_t len, const struct ta_image_hdr *h,
			const char **why)
{
	const uint8_t *sym = NULL;
	size_t sym_len = 0;
	int rc;

	if (h->module_kind != TA_IMAGE_MODULE_WASM) {
		return 0;
	}
	rc = tzm__elf_find_symbol(elf, len, TA_IMAGE_WASM_MODULE_SYMBOL, &sym, &sym_len);
	if (rc || sym_len != sizeof(h->module_sha256)) {
		return fail(why,
			    "the header names a Wasm module but the ELF has no 32-byte "
			    "tzm__wasm_module_sha256",
			    -EBADMSG);
	}
	if (memcmp(sym, h->module_sha256, sizeof(h->module_sha256)) != 0) {
		return fail(why,
			    "Wasm module hash in the header differs from the one built into the "
			    "TA (edited after the build)",
			    -EKEYREJECTED);
	}
	return 0;
}

int tzm__ta_image_verify(const uint8_t *file, size_t len, const uint8_t *expect_uuid,
			 uint16_t machine, struct ta_image_hdr *out, const char **why)
{
	struct ta_image_hdr h;
	uint8_t digest[32];
	int rc = tzm__ta_image_parse_hdr(file, len, &h, why);

	if (rc) {
		return rc;
	}
	if (h.e_machine != machine) {
		return fail(why, "image built for another architecture", -ENOEXEC);
	}
	tzm__sha256(file + TA_IMAGE_HDR_SIZE, (size_t)h.elf_size, digest);
	if (memcmp(digest, h.elf_sha256, 32) != 0) {
		return fail(why, "ELF image hash mismatch (corrupted or tampered)", -EKEYREJECTED);
	}
	if (expect_uuid && memcmp(expect_uuid, h.uuid, 16) != 0) {
		return fail(why, "UUID in header differs from the requested one", -EKEYREJECTED);
	}
	rc = tzm__elf_check(file + TA_IMAGE_HDR_SIZE, (size_t)h.elf_size, machine, why);
	if (rc) {
		return rc;
	}
	rc = check_module(file + TA_IMAGE_HDR_SIZE, (size_t)h.elf_size, &h, why);
	if (rc) {
		return rc;
	}
	if (out) {
		*out = h;
	}
	return 0;
}

/* ELF64 constants (we do not depend on <elf.h> so the pack tool stays self-contained). */
enum {
	ET_DYN_ = 3,
	PT_LOAD_ = 1,
	PT_DYNAMIC_ = 2,
	DT_NULL_ = 0,
	DT_NEEDED_ = 1,
	DT_STRTAB_ = 5,
	DT_STRSZ_ = 10,
	DT_INIT_ = 12,
	DT_TEXTREL_ = 22,
	DT_FLAGS_ = 30,
	DT_INIT_ARRAY_ = 25,
	DT_INIT_ARRAYSZ_ = 27,
	DT_PREINIT_ARRAY_ = 32,
	DT_PREINIT_ARRAYSZ_ = 33,
	DT_PLTRELSZ_ = 2,
	DT_HASH_ = 4,
	DT_SYMTAB_ = 6,
	DT_RELA_ = 7,
	DT_RELASZ_ = 8,
	DT_RELAENT_ = 9,
	DT_SYMENT_ = 11,
	DT_RPATH_ = 15,
	DT_REL_ = 17,
	DT_PLTREL_ = 20,
	DT_JMPREL_ = 23,
	DT_RUNPATH_ = 29,
	DT_GNU_HASH_ = 0x6ffffef5,
	DT_DEPAUDIT_ = 0x6ffffefb,
	DT_AUDIT_ = 0x6ffffefc,
	PT_GNU_STACK_ = 0x6474e551,
	PF_X_ = 1,
	PF_W_ = 2,
	STT_GNU_IFUNC_ = 10,
	R_X86_64_IRELATIVE_ = 37,
	R_AARCH64_IRELATIVE_ = 1032,
	DF_TEXTREL_ = 0x4,
	SHT_DYNSYM_ = 11,
	SHN_UNDEF_ = 0,
};

struct elf_hdr {
	uint64_t phoff, shoff;
	uint16_t phentsize, phnum, shentsize, shnum;
};

static int elf_header(struct rd *r, uint16_t machine, struct elf_hdr *eh, const char **why)
{
	static const uint8_t ident[] = { 0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* LE */, 1 };

	if (r->len < 64 || memcmp(r->p, ident, sizeof(ident)) != 0) {
		return fail(why, "not an ELF64 little-endian image", -EBADMSG);
	}
	if (RD16(r, 16) != ET_DYN_) {
		return fail(why, "ELF is not a shared object", -EBADMSG);
	}
	if (machine && RD16(r, 18) != machine) {
		return fail(why, "ELF built for another architecture", -ENOEXEC);
	}
	eh->phoff = RD64(r, 32);
	eh->shoff = RD64(r, 40);
	eh->phentsize = RD16(r, 54);
	eh->phnum = RD16(r, 56);
	eh->shentsize = RD16(r, 58);
	eh->shnum = RD16(r, 60);
	if (eh->phentsize != 56 || eh->phnum == 0 ||
	    !in_bounds(r, eh->phoff, (uint64_t)eh->phnum * 56)) {
		return fail(why, "ELF program headers out of bounds", -EBADMSG);
	}
	return 0;
}

/* Maps a virtual address to a file offset through the PT_LOAD segments. */
static int vaddr_to_off(struct rd *r, const struct elf_hdr *eh, uint64_t va, uint64_t n,
			uint64_t *off)
{
	for (uint16_t i = 0; i < eh->phnum; i++) {
		uint64_t ph = eh->phoff + (uint64_t)i * 56;
		uint64_t vaddr = RD64(r, ph + 16);
		uint64_t filesz = RD64(r, ph + 32);
		uint64_t offset = RD64(r, ph + 8);

		if (RD32(r, ph) != PT_LOAD_ || va < vaddr) {
			continue;
		}
		if (va - vaddr <= filesz && n <= filesz - (va - vaddr)) {
			*off = offset + (va - vaddr);
			return in_bounds(r, *off, n) ? 0 : -EBADMSG;
		}
	}
	return -EBADMSG;
}

static bool needed_allowed(const char *name)
{
	static const char *const ok[] = {
		"libc.so.6",
		"libm.so.6",
		"libpthread.so.0",
		"libdl.so.2",
		"ld-linux-x86-64.so.2",
		"ld-linux-aarch64.so.1",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (strcmp(name, ok[i]) == 0) {
			return true;
		}
	}
	return false;
}

/* What the dynamic section says about relocations and symbols (virtual addresses). */
struct elf_dyn {
	uint64_t symtab, hash, gnu_hash, rela, relasz, jmprel, pltrelsz;
};

/* Whether symbol idx of the dynamic symbol table is a defined STT_GNU_IFUNC: glibc calls
 * its resolver (TA code) while relocating and in dlsym(), before the sandbox is in place. */
static int sym_is_ifunc(struct rd *r, const struct elf_hdr *eh, uint64_t symtab, uint64_t idx,
			bool *ifunc)
{
	uint64_t off;

	if (!symtab || idx > UINT64_MAX / 24 || vaddr_to_off(r, eh, symtab + idx * 24, 24, &off)) {
		return -EBADMSG;
	}
	*ifunc = (r->p[off + 4] & 0xf) == STT_GNU_IFUNC_ && RD16(r, off + 6) != SHN_UNDEF_;
	return 0;
}

/* Number of symbols the loader can find by name: DT_GNU_HASH (preferred by glibc) or
 * DT_HASH. */
static int sym_count(struct rd *r, const struct elf_hdr *eh, const struct elf_dyn *d,
		     uint64_t *count)
{
	uint64_t off, buckets, chain, max = 0;
	uint32_t nbuckets, symoffset, bloom;

	if (d->gnu_hash) {
		if (vaddr_to_off(r, eh, d->gnu_hash, 16, &off)) {
			return -EBADMSG;
		}
		nbuckets = RD32(r, off);
		symoffset = RD32(r, off + 4);
		bloom = RD32(r, off + 8);
		buckets = d->gnu_hash + 16 + (uint64_t)bloom * 8;
		if (vaddr_to_off(r, eh, buckets, (uint64_t)nbuckets * 4, &off)) {
			return -EBADMSG;
		}
		for (uint32_t i = 0; i < nbuckets; i++) {
			uint32_t b = RD32(r, off + (uint64_t)i * 4);

			max = b > max ? b : max;
		}
		if (max < symoffset) {
			*count = symoffset;
			return 0;
		}
		chain = buckets + (uint64_t)nbuckets * 4;
		for (;;) {
			if (vaddr_to_off(r, eh, chain + (max - symoffset) * 4, 4, &off)) {
				return -EBADMSG;
			}
			max++;
			if (RD32(r, off) & 1) {
				break;
			}
		}
		*count = max;
		return 0;
	}
	if (d->hash) {
		if (vaddr_to_off(r, eh, d->hash, 8, &off)) {
			return -EBADMSG;
		}
		*count = RD32(r, off + 4);
		return 0;
	}
	if (d->symtab) {
		return -EBADMSG;
	}
	*count = 0;
	return 0;
}

/* No code of the TA may run inside dlopen()/dlsym(): refuses IRELATIVE relocations and
 * defined IFUNC symbols (reachable by name or by a relocation). */
static int check_no_ifunc(struct rd *r, const struct elf_hdr *eh, const struct elf_dyn *d,
			  uint32_t irelative, const char **why)
{
	const uint64_t tables[2][2] = { { d->rela, d->relasz }, { d->jmprel, d->pltrelsz } };
	uint64_t count = 0;
	bool ifunc = false;

	for (unsigned t = 0; t < 2; t++) {
		uint64_t off;

		if (!tables[t][1]) {
			continue;
		}
		if (tables[t][1] % 24 || vaddr_to_off(r, eh, tables[t][0], tables[t][1], &off)) {
			return fail(why, "ELF relocation table out of bounds", -EBADMSG);
		}
		for (uint64_t i = 0; i < tables[t][1] / 24; i++) {
			uint64_t info = RD64(r, off + i * 24 + 8);

			if ((uint32_t)info == irelative) {
				return fail(why,
					    "ELF has IFUNC resolvers (would run before lockdown)",
					    -EPERM);
			}
			if ((info >> 32) == 0) {
				continue;
			}
			if (sym_is_ifunc(r, eh, d->symtab, info >> 32, &ifunc)) {
				return fail(why, "ELF relocation symbol out of bounds", -EBADMSG);
			}
			if (ifunc) {
				return fail(why,
					    "ELF has IFUNC resolvers (would run before lockdown)",
					    -EPERM);
			}
		}
	}
	if (sym_count(r, eh, d, &count)) {
		return fail(why, "ELF symbol hash table out of bounds", -EBADMSG);
	}
	for (uint64_t i = 0; i < count; i++) {
		if (sym_is_ifunc(r, eh, d->symtab, i, &ifunc)) {
			return fail(why, "ELF symbol table out of bounds", -EBADMSG);
		}
		if (ifunc) {
			return fail(why, "ELF has IFUNC resolvers (would run before lockdown)",
				    -EPERM);
		}
	}
	return 0;
}

int tzm__elf_check(const uint8_t *elf, size_t len, uint16_t machine, const char **why)
{
	struct rd r = { elf, len, false };
	struct elf_hdr eh;
	struct elf_dyn dyn = { 0 };
	uint64_t dyn_off = 0, dyn_vaddr = 0, dyn_size = 0, dyn_at = 0, strtab = 0, strsz = 0;
	uint64_t needed[32];
	unsigned n_needed = 0, n_dyn = 0;
	bool have_stack = false;
	uint16_t e_machine;
	int rc = elf_header(&r, machine, &eh, why);

	if (rc) {
		return rc;
	}
	e_machine = RD16(&r, 18);
	for (uint16_t i = 0; i < eh.phnum; i++) {
		uint64_t ph = eh.phoff + (uint64_t)i * 56;
		uint32_t type = RD32(&r, ph), flags = RD32(&r, ph + 4);

		if (type == PT_DYNAMIC_) {
			dyn_off = RD64(&r, ph + 8);
			dyn_vaddr = RD64(&r, ph + 16);
			dyn_size = RD64(&r, ph + 32);
			n_dyn++;
		} else if (type == PT_LOAD_ && (flags & (PF_W_ | PF_X_)) == (PF_W_ | PF_X_)) {
			/* writable code: new, unmeasured code could run as the TA */
			return fail(why, "ELF has a writable and executable segment", -EPERM);
		} else if (type == PT_GNU_STACK_) {
			if (flags & PF_X_) {
				return fail(why, "ELF asks for an executable stack", -EPERM);
			}
			have_stack = true;
		}
	}
	if (n_dyn != 1 || !in_bounds(&r, dyn_off, dyn_size) || dyn_size % 16) {
		return fail(why, "ELF dynamic section missing or out of bounds", -EBADMSG);
	}
	/* The loader reads the dynamic section at its address, this check at its offset:
	 * they must be the same bytes. */
	if (vaddr_to_off(&r, &eh, dyn_vaddr, dyn_size, &dyn_at) || dyn_at != dyn_off) {
		return fail(why, "ELF dynamic section: address and file offset disagree", -EBADMSG);
	}
	/* Without PT_GNU_STACK glibc makes the stacks executable on x86-64. */
	if (!have_stack) {
		return fail(why, "ELF has no PT_GNU_STACK (stacks would be executable)", -EPERM);
	}
	for (uint64_t d = dyn_off; d < dyn_off + dyn_size; d += 16) {
		uint64_t tag = RD64(&r, d), val = RD64(&r, d + 8);

		if (tag == DT_NULL_) {
			break;
		}
		switch (tag) {
		case DT_INIT_:
		case DT_INIT_ARRAY_:
		case DT_PREINIT_ARRAY_:
			return fail(why, "ELF has initializers (would run before lockdown)",
				    -EPERM);
		case DT_INIT_ARRAYSZ_:
		case DT_PREINIT_ARRAYSZ_:
			if (val) {
				return fail(why, "ELF has initializers (would run before lockdown)",
					    -EPERM);
			}
			break;
		case DT_TEXTREL_:
			return fail(why, "ELF has text relocations", -EPERM);
		case DT_FLAGS_:
			if (val & DF_TEXTREL_) {
				return fail(why, "ELF has text relocations", -EPERM);
			}
			break;
		case DT_RPATH_:
		case DT_RUNPATH_:
		case DT_AUDIT_:
		case DT_DEPAUDIT_:
			/* a search path would load a library of the same name from elsewhere */
			return fail(why, "ELF has a library search path or audit library", -EPERM);
		case DT_REL_:
			return fail(why, "ELF has REL relocations (RELA only)", -EPERM);
		case DT_SYMENT_:
		case DT_RELAENT_:
			if (val != 24) {
				return fail(why, "ELF symbol or relocation entry size is not 24",
					    -EBADMSG);
			}
			break;
		case DT_PLTREL_:
			if (val != DT_RELA_) {
				return fail(why, "ELF PLT relocations are not RELA", -EPERM);
			}
			break;
		case DT_SYMTAB_:
			dyn.symtab = val;
			break;
		case DT_HASH_:
			dyn.hash = val;
			break;
		case DT_GNU_HASH_:
			dyn.gnu_hash = val;
			break;
		case DT_RELA_:
			dyn.rela = val;
			break;
		case DT_RELASZ_:
			dyn.relasz = val;
			break;
		case DT_JMPREL_:
			dyn.jmprel = val;
			break;
		case DT_PLTRELSZ_:
			dyn.pltrelsz = val;
			break;
		case DT_STRTAB_:
			strtab = val;
			break;
		case DT_STRSZ_:
			strsz = val;
			break;
		case DT_NEEDED_:
			if (n_needed == sizeof(needed) / sizeof(needed[0])) {
				return fail(why, "ELF has too many dependencies", -EPERM);
			}
			needed[n_needed++] = val;
			break;
		default:
			break;
		}
	}
	rc = check_no_ifunc(
		&r, &eh, &dyn,
		e_machine == TZM_EM_AARCH64 ? R_AARCH64_IRELATIVE_ : R_X86_64_IRELATIVE_, why);
	if (rc) {
		return rc;
	}
	if (n_needed) {
		uint64_t str_off = 0;

		if (!strtab || !strsz || vaddr_to_off(&r, &eh, strtab, strsz, &str_off)) {
			return fail(why, "ELF string table out of bounds", -EBADMSG);
		}
		for (unsigned i = 0; i < n_needed; i++) {
			const char *name = (const char *)elf + str_off + needed[i];

			if (needed[i] >= strsz || !memchr(name, '\0', strsz - needed[i])) {
				return fail(why, "ELF DT_NEEDED out of bounds", -EBADMSG);
			}
			if (!needed_allowed(name)) {
				return fail(why, "ELF depends on a library outside the C runtime",
					    -EPERM);
			}
		}
	}
	return r.bad ? fail(why, "ELF truncated", -EBADMSG) : 0;
}

/* The ELF header of an image whose section header table lies inside it: 0 or -errno. */
static int section_headers(struct rd *r, struct elf_hdr *eh)
{
	int rc = elf_header(r, 0, eh, NULL);

	if (rc) {
		return rc;
	}
	if (eh->shentsize != 64 || !in_bounds(r, eh->shoff, (uint64_t)eh->shnum * 64)) {
		return -EBADMSG;
	}
	return 0;
}

/* A dynamic symbol table: its entries [off, off + sz) and its string table. */
struct dynsym {
	uint64_t off, sz, str_off, str_sz;
};

/* 1 and *ds when section i is a (well-formed) SHT_DYNSYM, 0 when it is another kind, -EBADMSG. */
static int dynsym_section(struct rd *r, const struct elf_hdr *eh, uint16_t i, struct dynsym *ds)
{
	uint64_t sh = eh->shoff + (uint64_t)i * 64, str_sh = 0;
	uint32_t link = RD32(r, sh + 40);

	if (RD32(r, sh + 4) != SHT_DYNSYM_) {
		return 0;
	}
	ds->off = RD64(r, sh + 24);
	ds->sz = RD64(r, sh + 32);
	if (RD64(r, sh + 56) != 24 || !in_bounds(r, ds->off, ds->sz) || link >= eh->shnum) {
		return -EBADMSG;
	}
	str_sh = eh->shoff + (uint64_t)link * 64;
	ds->str_off = RD64(r, str_sh + 24);
	ds->str_sz = RD64(r, str_sh + 32);
	return in_bounds(r, ds->str_off, ds->str_sz) ? 1 : -EBADMSG;
}

/*
 * The next SHT_DYNSYM section from header *next on (advanced past it): 1 with *ds filled,
 * 0 when there is none left, -EBADMSG on a malformed one.
 */
static int next_dynsym_section(struct rd *r, const struct elf_hdr *eh, uint16_t *next,
			       struct dynsym *ds)
{
	while (*next < eh->shnum) {
		int rc = dynsym_section(r, eh, (*next)++, ds);

		if (rc != 0) {
			return rc;
		}
	}
	return 0;
}

int tzm__elf_find_symbol(const uint8_t *elf, size_t len, const char *name, const uint8_t **data,
			 size_t *size)
{
	struct rd r = { elf, len, false };
	struct elf_hdr eh;
	struct dynsym ds;
	uint16_t next = 0;
	size_t name_len = strlen(name);
	int rc = section_headers(&r, &eh);

	if (rc) {
		return rc;
	}
	while ((rc = next_dynsym_section(&r, &eh, &next, &ds)) > 0) {
		for (uint64_t s = ds.off; s + 24 <= ds.off + ds.sz; s += 24) {
			uint32_t st_name = RD32(&r, s);
			uint16_t shndx = RD16(&r, s + 6);
			uint64_t value = RD64(&r, s + 8), ssize = RD64(&r, s + 16);
			uint64_t foff = 0;

			if (st_name >= ds.str_sz || ds.str_sz - st_name <= name_len ||
			    memcmp(elf + ds.str_off + st_name, name, name_len + 1) != 0) {
				continue;
			}
			if (shndx == SHN_UNDEF_) {
				return -ENOENT;
			}
			if (vaddr_to_off(&r, &eh, value, ssize, &foff)) {
				return -EBADMSG;
			}
			*data = elf + foff;
			*size = (size_t)ssize;
			return r.bad ? -EBADMSG : 0;
		}
	}
	if (rc < 0) {
		return rc;
	}
	return r.bad ? -EBADMSG : -ENOENT;
}

int tzm__elf_for_each_dynsym(const uint8_t *elf, size_t len,
			     int (*fn)(const char *name, bool defined, void *arg), void *arg)
{
	struct rd r = { elf, len, false };
	struct elf_hdr eh;
	struct dynsym ds;
	uint16_t next = 0;
	int rc = section_headers(&r, &eh);

	if (rc) {
		return rc;
	}
	while ((rc = next_dynsym_section(&r, &eh, &next, &ds)) > 0) {
		/* The string table must end with a NUL so that every name is terminated. */
		if (ds.str_sz == 0 || elf[ds.str_off + ds.str_sz - 1] != 0) {
			return -EBADMSG;
		}
		for (uint64_t s = ds.off; s + 24 <= ds.off + ds.sz; s += 24) {
			uint32_t st_name = RD32(&r, s);
			uint16_t shndx = RD16(&r, s + 6);

			if (st_name == 0 || st_name >= ds.str_sz) {
				continue;
			}
			rc = fn((const char *)elf + ds.str_off + st_name, shndx != SHN_UNDEF_, arg);
			if (rc) {
				return rc;
			}
		}
	}
	if (rc < 0) {
		return rc;
	}
	return r.bad ? -EBADMSG : 0;
}
