// SPDX-License-Identifier: BSD-2-Clause
/*
 * The RMM as a process (tzm-rmm): the host reaches the model only through the socket
 * protocol. Every host attempt to read or write realm memory faults with a Granule
 * Protection Fault reported to it; the host cannot change a measured page after
 * activation; the host holds no fd or mapping of modelled memory; malformed messages stop
 * the RMM instead of being acted on.
 *
 * usage: realm_test_proc TZM_RMM
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tzm_rmm_proc.h"
#include "tzm_test.h"

static const char *rmm_path;

static void spawn(struct tzm_rmm_conn *c, struct tzm_realm_vm *vm, size_t granules)
{
	struct tzm_rmm_spawn_opts o = { rmm_path, granules, NULL, 0 };
	uint64_t base = 0, size = 0;
	ASSERT_OK(tzm_rmm_spawn(&o, c));
	ASSERT_OK(tzm_rmm_dram_remote(c, &base, &size));
	ASSERT_EQ_U64(size, granules * TZM_GRANULE_SIZE);
	memset(vm, 0, sizeof(*vm));
	vm->dram_base = base;
	vm->dram_end = base + size;
}

/* RMI; *x3 (may be NULL): result X3 (RTT_READ_ENTRY: the output address) */
static uint64_t rmi5(struct tzm_rmm_conn *c, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
		     uint64_t a4, uint64_t a5, uint64_t *x3)
{
	struct tzm_smc_regs r = tzm_rmi_regs(fid, a1, a2, a3, a4, a5);
	ASSERT_OK(tzm_rmm_rmi(c, &r));
	if (x3 != NULL) {
		*x3 = r.x[3];
	}
	return r.x[0];
}

static uint64_t rmi(struct tzm_rmm_conn *c, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
		    uint64_t a4, uint64_t *x3)
{
	return rmi5(c, fid, a1, a2, a3, a4, 0, x3);
}

static void expect_gpf(struct tzm_rmm_conn *c, uint64_t pa)
{
	struct tzm_gpf f;
	uint8_t b[64];
	memset(&f, 0, sizeof(f));
	ASSERT_EQ_ERRNO(tzm_rmm_ns_read_remote(c, pa, b, sizeof(b), &f), -EFAULT);
	ASSERT_EQ_INT(f.kind, TZM_GPF_GPI);
	ASSERT_EQ_U64(f.pa, pa);
	ASSERT_EQ_INT(f.gpi, TZM_GPI_REALM);
	ASSERT_EQ_INT(f.state, TZM_SS_NONSECURE);
	memset(&f, 0, sizeof(f));
	memset(b, 0x5A, sizeof(b));
	ASSERT_EQ_ERRNO(tzm_rmm_ns_write_remote(c, pa, b, sizeof(b), &f), -EFAULT);
	ASSERT_EQ_INT(f.kind, TZM_GPF_GPI);
	/* a span that starts in NS memory and ends in the granule moves nothing either */
	memset(&f, 0, sizeof(f));
	ASSERT_EQ_ERRNO(tzm_rmm_ns_write_remote(c, pa - 32, b, sizeof(b), &f), -EFAULT);
}

/* No fd and no mapping of this process is a memfd (the RMM's memory is its own). */
static void expect_no_memfd(void)
{
	char path[300], target[256];
	DIR *d = opendir("/proc/self/fd");
	ASSERT_NOT_NULL(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		if (n > 0) {
			target[n] = '\0';
			ASSERT_STR_NOT_CONTAINS(target, "memfd:");
		}
	}
	closedir(d);
	FILE *m = fopen("/proc/self/maps", "r");
	ASSERT_NOT_NULL(m);
	char line[512];
	while (fgets(line, sizeof(line), m) != NULL) {
		ASSERT_STR_NOT_CONTAINS(line, "memfd:");
	}
	fclose(m);
}

static void test_isolation(void)
{
	struct tzm_rmm_conn c;
	struct tzm_realm_vm vm;
	static uint8_t img[3 * 4096 + 100];
	const char *what = NULL;

	for (size_t i = 0; i < sizeof(img); i++) {
		img[i] = (uint8_t)(0xC0 ^ i);
	}
	spawn(&c, &vm, tzm_realm_vm_granules(sizeof(img)));
	TEST_STEP("the host loads and activates a realm through RMI only");
	int rc = tzm_realm_vm_load(&c, img, sizeof(img), &vm, &what);
	if (rc != 0) {
		TEST_FAIL("load failed at %s", what ? what : "?");
	}

	TEST_STEP("every host read or write of a realm granule is a GPF");
	uint64_t data[4];
	for (unsigned i = 0; i < 4; i++) {
		ASSERT_EQ_U64(rmi(&c, TZM_RMI_RTT_READ_ENTRY, vm.rd, 0x1000ull * i, 3, 0, &data[i]),
			      TZM_RMI_SUCCESS);
		expect_gpf(&c, data[i]);
	}
	expect_gpf(&c, vm.rd);
	expect_gpf(&c, vm.rec);
	uint64_t scratch = 0;
	ASSERT_EQ_U64(rmi(&c, TZM_RMI_RTT_READ_ENTRY, vm.rd, vm.scratch_ipa, 3, 0, &scratch),
		      TZM_RMI_SUCCESS);
	expect_gpf(&c, scratch);

	TEST_STEP("a scan of all DRAM: every granule the host cannot read is a Realm granule");
	size_t faults = 0;
	for (uint64_t pa = vm.dram_base; pa < vm.next_granule; pa += TZM_GRANULE_SIZE) {
		uint8_t page[TZM_GRANULE_SIZE];
		struct tzm_gpf f;
		if (tzm_rmm_ns_read_remote(&c, pa, page, sizeof(page), &f) != 0) {
			ASSERT_EQ_INT(f.kind, TZM_GPF_GPI);
			ASSERT_EQ_INT(f.gpi, TZM_GPI_REALM);
			faults++;
		}
	}
	/* RD, one starting RTT, 2 x 2 RTTs, 4 data, scratch, 4 aux, REC */
	ASSERT_EQ_U64(faults, 1 + 1 + 4 + 4 + 1 + 4 + 1);

	TEST_STEP("the host cannot change a measured page after activation");
	uint64_t src = vm.next_granule, fresh = vm.next_granule + TZM_GRANULE_SIZE;
	ASSERT_OK(tzm_rmm_ns_write_remote(&c, src, img, 4096, NULL));
	ASSERT_EQ_U64(rmi(&c, TZM_RMI_GRANULE_DELEGATE, fresh, 0, 0, 0, NULL), TZM_RMI_SUCCESS);
	/* not over a live page, not by undelegating it, not by replacing it */
	ASSERT_NE_U64(rmi5(&c, TZM_RMI_DATA_CREATE, vm.rd, fresh, 0x1000, src, 1, NULL),
		      TZM_RMI_SUCCESS);
	ASSERT_EQ_U64(rmi(&c, TZM_RMI_GRANULE_UNDELEGATE, data[1], 0, 0, 0, NULL),
		      TZM_RMI_ERROR_INPUT);
	ASSERT_EQ_U64(rmi(&c, TZM_RMI_DATA_DESTROY, vm.rd, 0x1000, 0, 0, NULL), TZM_RMI_SUCCESS);
	ASSERT_EQ_U64(rmi5(&c, TZM_RMI_DATA_CREATE, vm.rd, fresh, 0x1000, src, 1, NULL),
		      TZM_RMI_RETURN(TZM_RMI_ERROR_REALM, 0));
	/* an unmeasured page may go there, but the realm sees RIPAS DESTROYED: it faults */
	ASSERT_EQ_U64(rmi(&c, TZM_RMI_DATA_CREATE_UNKNOWN, vm.rd, fresh, 0x1000, 0, NULL),
		      TZM_RMI_SUCCESS);
	struct tzm_smc_regs re = { { TZM_RMI_RTT_READ_ENTRY, vm.rd, 0x1000, 3 } };
	ASSERT_OK(tzm_rmm_rmi(&c, &re));
	ASSERT_EQ_U64(re.x[0], TZM_RMI_SUCCESS);
	ASSERT_EQ_U64(re.x[4], TZM_RIPAS_DESTROYED);
	/* the destroyed page's granule comes back scrubbed: its content never reaches NS */
	ASSERT_EQ_U64(rmi(&c, TZM_RMI_GRANULE_UNDELEGATE, data[1], 0, 0, 0, NULL), TZM_RMI_SUCCESS);
	uint8_t page[TZM_GRANULE_SIZE], zero[TZM_GRANULE_SIZE];
	memset(zero, 0, sizeof(zero));
	ASSERT_OK(tzm_rmm_ns_read_remote(&c, data[1], page, sizeof(page), NULL));
	ASSERT_EQ_MEM(page, zero, sizeof(page));

	TEST_STEP("the host holds no fd or mapping of modelled memory");
	expect_no_memfd();

	TEST_STEP("an image that is not an ELF program: the realm turns off");
	struct tzm_realm_exit ex;
	ASSERT_EQ_U64((uint64_t)tzm_realm_vm_enter(&c, &vm, NULL, 0, &ex), TZM_RMI_SUCCESS);
	ASSERT_EQ_U64(ex.reason, TZM_REC_EXIT_PSCI);
	ASSERT_EQ_U64(ex.gprs[0], 0x84000008u);
	ASSERT_EQ_U64((uint64_t)tzm_realm_vm_enter(&c, &vm, NULL, 0, &ex),
		      TZM_RMI_RETURN(TZM_RMI_ERROR_REALM, 1));
	tzm_rmm_close(&c);
}

/* Sends raw bytes as one message; the RMM must stop (exit 71) without answering. */
static void expect_refused(const void *msg, size_t len)
{
	struct tzm_rmm_conn c;
	struct tzm_realm_vm vm;
	int st = 0;
	char b[16];
	spawn(&c, &vm, 16);
	ASSERT_EQ_INT((int)send(c.fd, msg, len, MSG_NOSIGNAL), (int)len);
	ASSERT_EQ_INT((int)recv(c.fd, b, sizeof(b), 0), 0); /* EOF, no answer */
	ASSERT_EQ_INT(waitpid(c.pid, &st, 0), c.pid);
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 71);
	c.pid = 0;
	tzm_rmm_close(&c);
}

static void test_protocol(void)
{
	struct tzm_rmmp_hdr h;
	uint8_t buf[TZM_RMMP_HDR_SIZE + 8];
	const uint8_t *d = NULL;
	uint64_t x[2] = { 0x80000000ull, TZM_RMMP_MAX_DATA + 1 };

	TEST_STEP("the decoder: framing, version, type, exact length, bounds");
	tzm_rmmp_header(&h, TZM_RMMP_RMI, 0, NULL, 0, 0);
	memcpy(buf, &h, sizeof(h));
	ASSERT_OK(tzm_rmmp_decode(buf, sizeof(h), TZM_RMMP_HOST_REQUESTS, false, &h, &d));
	ASSERT_EQ_ERRNO(tzm_rmmp_decode(buf, sizeof(h) - 1, TZM_RMMP_HOST_REQUESTS, false, &h, &d),
			-EBADMSG);
	ASSERT_EQ_ERRNO(tzm_rmmp_decode(buf, sizeof(h) + 1, TZM_RMMP_HOST_REQUESTS, false, &h, &d),
			-EBADMSG);
	ASSERT_EQ_ERRNO(tzm_rmmp_decode(buf, sizeof(h), TZM_RMMP_REALM_REQUESTS, false, &h, &d),
			-EBADMSG);
	struct tzm_rmmp_hdr bad;
	tzm_rmmp_header(&bad, TZM_RMMP_RMI, 0, NULL, 0, 0);
	bad.version = 2;
	memcpy(buf, &bad, sizeof(bad));
	ASSERT_EQ_ERRNO(tzm_rmmp_decode(buf, sizeof(bad), TZM_RMMP_HOST_REQUESTS, false, &h, &d),
			-EBADMSG);
	tzm_rmmp_header(&bad, TZM_RMMP_NS_READ, 0, x, 2, 0);
	memcpy(buf, &bad, sizeof(bad));
	ASSERT_EQ_ERRNO(tzm_rmmp_decode(buf, sizeof(bad), TZM_RMMP_HOST_REQUESTS, false, &h, &d),
			-EBADMSG);
	tzm_rmmp_header(&bad, TZM_RMMP_RMI, -5, NULL, 0, 0);
	memcpy(buf, &bad, sizeof(bad));
	ASSERT_EQ_ERRNO(tzm_rmmp_decode(buf, sizeof(bad), TZM_RMMP_HOST_REQUESTS, false, &h, &d),
			-EBADMSG);

	TEST_STEP("malformed requests stop the RMM unanswered");
	tzm_rmmp_header(&bad, TZM_RMMP_RMI, 0, NULL, 0, 0);
	bad.magic ^= 1;
	expect_refused(&bad, sizeof(bad));
	tzm_rmmp_header(&bad, TZM_RMMP_NS_READ, 0, x, 2, 0);
	expect_refused(&bad, sizeof(bad));
	tzm_rmmp_header(&bad, TZM_RMMP_SMC, 0, NULL, 0, 0); /* a realm's message from the host */
	expect_refused(&bad, sizeof(bad));
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: realm_test_proc TZM_RMM\n");
		return 2;
	}
	rmm_path = argv[1];
	test_protocol();
	test_isolation();
	return 0;
}
