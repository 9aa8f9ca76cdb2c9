/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libtzm entry for programs running in a Realm (`tzm realm run`). The program is the
 * realm's image: tzm-rmm executes it from the realm's own (measured) memory and gives it
 * one socket (TZM_REALM_VCPU_FD) that stands for the CPU's view of the world: SMCs to the
 * RMM (RSI, PSCI) and stage-2 translated memory accesses, all answered only while its REC
 * runs (tzm_rmm_proc.h). The mediator's transport is a virtio-like one: the request and
 * response are placed in a window of unprotected IPA space that the host mapped with
 * RTT_MAP_UNPROTECTED, and the doorbell is RSI_HOST_CALL, which exits to the host; the
 * host (tzm-run --realm) serves the call with the shadow and enters the REC again.
 *
 * Window (unprotected IPA 1 << (ipa_width - 1)): request header @0, response header @64,
 * blob @128. Host calls: imm TZM_REALM_HC_* (tzm_rmm_proc.h); RsiHostCall in the realm's
 * scratch page (after the image). Every answer from the host is validated as on the GP
 * transport: libtzm checks the response; the host call's registers are bounds-checked.
 *
 * libtzm defines send/recv/nanosleep with their libc names: this file uses raw system
 * calls only.
 */
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "../transport/rawsys.h"
#include "entry_process.h"
#include "tzm_int.h"
#include "tzm_rmm_proc.h"

#define WIN_REQ 0u
#define WIN_RESP 64u
#define WIN_DATA 128u
#define DATA_CAP (TZM_RMMP_MAX_DATA - WIN_DATA)
#define POLL_SLICE_MS 100u

extern char **environ;
int __wrap_main(int argc, char **argv, char **envp);

static long vfd = -1;
static uint64_t scratch_ipa, shared_ipa;
static uint32_t seq, pending_sigs;
static bool cancelled;
static uint8_t msg[TZM_RMMP_MSG_MAX];
static uint8_t data[DATA_CAP + 64];
static struct tzm_transport tp;
static uint32_t pub_catch, pub_dfl; /* published signal dispositions (hints for the host) */
/* the fast path: the window mapped directly (the RMM checked it is shared NS memory) */
static uint8_t *win;
static struct tzm_realm_fast *fast;

static void __attribute__((noreturn)) die(const char *m)
{
	(void)TZM__SYS3(SYS_write, 2, m, strlen(m));
	tzm__exit_group(70);
}

static void send_msg(unsigned type, const uint64_t *x, unsigned nx, const void *d, size_t len)
{
	struct tzm_rmmp_hdr h;
	struct iovec iov[2] = { { &h, sizeof(h) }, { (void *)d, len } };
	struct msghdr m;
	long n;

	tzm_rmmp_header(&h, type, 0, x, nx, (uint32_t)len);
	memset(&m, 0, sizeof(m));
	m.msg_iov = iov;
	m.msg_iovlen = len > 0 ? 2 : 1;
	do {
		n = TZM__SYS3(SYS_sendmsg, vfd, &m, MSG_NOSIGNAL);
	} while (n == -EINTR);
	if (n != (long)(sizeof(h) + len)) {
		die("tzm: realm: the RMM is gone\n");
	}
}

/* The next message of an allowed type; *d its data. */
static void recv_msg(uint32_t allowed, struct tzm_rmmp_hdr *h, const uint8_t **d)
{
	long n;
	do {
		n = TZM__SYS6(SYS_recvfrom, vfd, msg, sizeof(msg), MSG_TRUNC, 0, 0);
	} while (n == -EINTR);
	if (n <= 0) {
		tzm__exit_group(70); /* the RMM ended the realm */
	}
	if (tzm_rmmp_decode(msg, (size_t)n, allowed, true, h, d) != 0) {
		die("tzm: realm: malformed message from the RMM\n");
	}
}

/* An SMC: X0..X30 in, results out (answered by the RMM, or by the next RUN after the REC
 * exited to the host). */
static void smc(uint64_t x[31])
{
	struct tzm_rmmp_hdr h;
	const uint8_t *d = NULL;
	send_msg(TZM_RMMP_SMC, x, 31, NULL, 0);
	recv_msg(TZM_RMMP_BIT(TZM_RMMP_SMC) | TZM_RMMP_BIT(TZM_RMMP_RUN), &h, &d);
	memcpy(x, h.x, 31 * sizeof(uint64_t));
}

/* Memory through stage 2; a RUN instead of the answer means the access made the REC exit
 * and is retried, as a CPU re-executes a faulting load. */
static int mem_read(uint64_t ipa, void *buf, size_t len)
{
	struct tzm_rmmp_hdr h;
	const uint8_t *d = NULL;
	uint64_t x[2] = { ipa, len };
	for (;;) {
		send_msg(TZM_RMMP_MEM_READ, x, 2, NULL, 0);
		recv_msg(TZM_RMMP_BIT(TZM_RMMP_MEM_READ) | TZM_RMMP_BIT(TZM_RMMP_RUN), &h, &d);
		if (h.type == TZM_RMMP_RUN) {
			continue;
		}
		if (h.status != 0 || h.data_len != len) {
			return -EFAULT;
		}
		memcpy(buf, d, len);
		return 0;
	}
}

static int mem_write(uint64_t ipa, const void *buf, size_t len)
{
	struct tzm_rmmp_hdr h;
	const uint8_t *d = NULL;
	uint64_t x[1] = { ipa };
	for (;;) {
		send_msg(TZM_RMMP_MEM_WRITE, x, 1, buf, len);
		recv_msg(TZM_RMMP_BIT(TZM_RMMP_MEM_WRITE) | TZM_RMMP_BIT(TZM_RMMP_RUN), &h, &d);
		if (h.type == TZM_RMMP_RUN) {
			continue;
		}
		return h.status == 0 ? 0 : -EFAULT;
	}
}

/* RSI_HOST_CALL with imm and x[0..30]; the host's answer in x. 0 or -EIO. */
static int host_call(unsigned imm, uint64_t x[31])
{
	uint8_t hc[8 + 31 * 8];
	uint64_t r[31];

	memset(hc, 0, sizeof(hc));
	hc[0] = (uint8_t)imm;
	hc[1] = (uint8_t)(imm >> 8);
	memcpy(hc + 8, x, 31 * 8);
	if (mem_write(scratch_ipa, hc, sizeof(hc)) != 0) {
		return -EIO;
	}
	memset(r, 0, sizeof(r));
	r[0] = TZM_RSI_HOST_CALL;
	r[1] = scratch_ipa;
	smc(r);
	if (r[0] != TZM_RSI_SUCCESS || mem_read(scratch_ipa + 8, x, 31 * 8) != 0) {
		return -EIO;
	}
	return 0;
}

/* The host's signal and cancel state in an answer: untrusted, validated by libtzm. */
static void note_state(const uint64_t x[31])
{
	pending_sigs |= (uint32_t)x[2];
	if (x[3] != 0) {
		cancelled = true;
	}
}

static uint8_t *rl_buffer(struct tzm_transport *t, size_t *cap)
{
	(void)t;
	*cap = DATA_CAP;
	return data;
}

/* Keeps errno: a wait finding the word changed (EAGAIN) is no error of the call waited for. */
static long futex(uint32_t *word, int op, uint32_t val)
{
	int saved = errno;
	long rc = TZM__SYS6(SYS_futex, word, op, val, 0, 0, 0);

	errno = saved;
	return rc;
}

/*
 * One call through the shared window without leaving the realm: request into the window,
 * doorbell (req_seq + futex wake), wait for resp_seq. The host can change the window at
 * any time: the answer is copied out first, then validated as on the host-call path.
 */
static int fast_call(struct tzm_wire_req *r, struct tzm_wire_resp *resp)
{
	uint32_t v, len, sigs, cancel;
	memcpy(win + WIN_REQ, r, sizeof(*r));
	memcpy(win + WIN_DATA, data, r->data_len);
	__atomic_store_n(&fast->pub_catch, pub_catch, __ATOMIC_RELAXED);
	__atomic_store_n(&fast->pub_dfl, pub_dfl, __ATOMIC_RELAXED);
	__atomic_store_n(&fast->req_seq, r->seq, __ATOMIC_RELEASE);
	(void)futex(&fast->req_seq, FUTEX_WAKE, 1);
	while ((v = __atomic_load_n(&fast->resp_seq, __ATOMIC_ACQUIRE)) != r->seq) {
		(void)futex(&fast->resp_seq, FUTEX_WAIT, v);
	}
	len = __atomic_load_n(&fast->resp_len, __ATOMIC_RELAXED);
	sigs = __atomic_load_n(&fast->sigs, __ATOMIC_RELAXED);
	cancel = __atomic_load_n(&fast->cancel, __ATOMIC_RELAXED);
	memcpy(resp, win + WIN_RESP, sizeof(*resp));
	if (len > DATA_CAP || resp->seq != r->seq || resp->data_len != len) {
		return -EIO;
	}
	memcpy(data, win + WIN_RESP + sizeof(*resp), len);
	pending_sigs |= sigs;
	if (cancel != 0) {
		cancelled = true;
	}
	return 0;
}

static int rl_call(struct tzm_transport *t, const struct tzm_wire_req *req,
		   struct tzm_wire_resp *resp)
{
	struct tzm_wire_req r = *req;
	uint64_t x[31];
	(void)t;

	if (r.data_len > DATA_CAP) {
		return -EIO;
	}
	r.seq = ++seq;
	if (fast != NULL) {
		return fast_call(&r, resp);
	}
	/* the request header and blob in one write; the data area moves, not the header */
	memmove(data + WIN_DATA, data, r.data_len);
	memcpy(data, &r, sizeof(r));
	memset(data + WIN_RESP, 0, sizeof(*resp));
	if (mem_write(shared_ipa, data, WIN_DATA + r.data_len) != 0) {
		memmove(data, data + WIN_DATA, r.data_len);
		return -EIO;
	}
	memset(x, 0, sizeof(x));
	x[1] = pub_catch;
	x[2] = pub_dfl;
	if (host_call(TZM_REALM_HC_CALL, x) != 0 || x[0] != 0 || x[1] > DATA_CAP) {
		return -EIO;
	}
	note_state(x);
	/* the response header and exactly the blob length the host announced */
	if (mem_read(shared_ipa + WIN_RESP, data, sizeof(*resp) + (size_t)x[1]) != 0) {
		return -EIO;
	}
	memcpy(resp, data, sizeof(*resp));
	memmove(data, data + sizeof(*resp), (size_t)x[1]);
	if (resp->seq != r.seq || resp->data_len != x[1]) {
		return -EIO;
	}
	return 0;
}

static void poll_host(void)
{
	uint64_t x[31];
	memset(x, 0, sizeof(x));
	x[1] = pub_catch;
	x[2] = pub_dfl;
	if (host_call(TZM_REALM_HC_POLL, x) == 0 && x[0] == 0) {
		note_state(x);
	}
}

static void nap(uint32_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
	int saved = errno;

	/* tzm__rawsys answers -1 and errno (it never returned -EINTR: no nap was resumed) */
	while (TZM__SYS2(SYS_nanosleep, &ts, &ts) != 0 && errno == EINTR) {
	}
	errno = saved;
}

static int rl_sleep_ms(struct tzm_transport *t, uint32_t ms)
{
	(void)t;
	while (ms > 0) {
		uint32_t slice = ms > POLL_SLICE_MS ? POLL_SLICE_MS : ms;
		nap(slice);
		ms -= slice;
		poll_host();
		if (cancelled) {
			return -EINTR;
		}
	}
	return 0;
}

static bool rl_cancelled(struct tzm_transport *t)
{
	(void)t;
	return cancelled;
}

static uint32_t rl_take_signals(struct tzm_transport *t)
{
	uint32_t s = pending_sigs;
	(void)t;
	pending_sigs = 0;
	return s;
}

static void rl_publish_signals(struct tzm_transport *t, uint32_t catch_mask, uint32_t dfl_mask)
{
	(void)t;
	pub_catch = catch_mask; /* sent with every host call (X1/X2) */
	pub_dfl = dfl_mask;
}

static int rl_wait_signal(struct tzm_transport *t, uint32_t ms)
{
	(void)t;
	if (cancelled || pending_sigs != 0) {
		return 0;
	}
	nap(ms < POLL_SLICE_MS ? ms : POLL_SLICE_MS);
	poll_host();
	return 0;
}

static void rl_exit_signal(struct tzm_transport *t, int sig)
{
	(void)t;
	tzm__rt.exit_signal = sig;
}

static const struct tzm_transport_ops realm_ops = {
	.name = "realm-host-call",
	.buffer = rl_buffer,
	.call = rl_call,
	.sleep_ms = rl_sleep_ms,
	.cancelled = rl_cancelled,
	.take_signals = rl_take_signals,
	.publish_signals = rl_publish_signals,
	.wait_signal = rl_wait_signal,
	.exit_signal = rl_exit_signal,
};

/*
 * tzm_attest_token() / tzm_attest_extend() of attest/include/tzm_attest_ta.h, the same
 * calls as in a TA, answered by the RMM: RSI_ATTEST_TOKEN_INIT/CONTINUE (the realm's CCA
 * token: RIM, REMs, RAK, platform token) through the scratch page, RSI_MEASUREMENT_EXTEND.
 * TEE_Result values as tee_api_defines.h.
 */
#define REALM_TEE_SUCCESS 0x00000000u
#define REALM_TEE_ERROR_BAD_PARAMETERS 0xFFFF0006u
#define REALM_TEE_ERROR_SHORT_BUFFER 0xFFFF0010u
#define REALM_TEE_ERROR_COMMUNICATION 0xFFFF000Eu
#define REALM_TOKEN_MAX (4u * TZM_GRANULE_SIZE)

uint32_t tzm_attest_token(const uint8_t challenge[64], void *buf, size_t *len);
uint32_t tzm_attest_extend(uint32_t rem_index, const void *bytes, size_t len);

uint32_t tzm_attest_token(const uint8_t challenge[64], void *buf, size_t *len)
{
	static uint8_t token[REALM_TOKEN_MAX];
	uint64_t x[31];
	size_t got = 0;

	if (challenge == NULL || len == NULL || (buf == NULL && *len != 0)) {
		return REALM_TEE_ERROR_BAD_PARAMETERS;
	}
	memset(x, 0, sizeof(x));
	x[0] = TZM_RSI_ATTEST_TOKEN_INIT;
	memcpy(&x[1], challenge, 64);
	smc(x);
	if (x[0] != TZM_RSI_SUCCESS) {
		return REALM_TEE_ERROR_COMMUNICATION;
	}
	for (;;) {
		memset(x, 0, sizeof(x));
		x[0] = TZM_RSI_ATTEST_TOKEN_CONTINUE;
		x[1] = scratch_ipa;
		x[2] = 0;
		x[3] = TZM_GRANULE_SIZE;
		smc(x);
		if ((x[0] != TZM_RSI_SUCCESS && x[0] != TZM_RSI_INCOMPLETE) ||
		    x[1] > TZM_GRANULE_SIZE || got + x[1] > sizeof(token) ||
		    mem_read(scratch_ipa, token + got, (size_t)x[1]) != 0) {
			return REALM_TEE_ERROR_COMMUNICATION;
		}
		got += (size_t)x[1];
		if (x[0] == TZM_RSI_SUCCESS) {
			break;
		}
	}
	if (got > *len) {
		*len = got;
		return REALM_TEE_ERROR_SHORT_BUFFER;
	}
	memcpy(buf, token, got);
	*len = got;
	return REALM_TEE_SUCCESS;
}

/* The index and the size go to the RMM as given: it refuses index 0 or > 4 and more than
 * 64 bytes (RSI_ERROR_INPUT), and only it can (X3..X10 hold at most 64 bytes). */
uint32_t tzm_attest_extend(uint32_t rem_index, const void *bytes, size_t len)
{
	uint64_t x[31];
	if (bytes == NULL || len < 1) {
		return REALM_TEE_ERROR_BAD_PARAMETERS;
	}
	memset(x, 0, sizeof(x));
	x[0] = TZM_RSI_MEASUREMENT_EXTEND;
	x[1] = rem_index;
	x[2] = len;
	memcpy(&x[3], bytes, len < 64 ? len : 64);
	smc(x);
	if (x[0] == TZM_RSI_ERROR_INPUT) {
		return REALM_TEE_ERROR_BAD_PARAMETERS;
	}
	return x[0] == TZM_RSI_SUCCESS ? REALM_TEE_SUCCESS : REALM_TEE_ERROR_COMMUNICATION;
}

/* The realm is done: its status to the host, then PSCI SYSTEM_OFF. */
void tzm__raw_exit(int status)
{
	uint64_t x[31];
	if (vfd >= 0 && shared_ipa != 0) {
		memset(x, 0, sizeof(x));
		x[1] = (uint64_t)(uint32_t)status;
		x[2] = (uint64_t)(uint32_t)tzm__rt.exit_signal;
		(void)host_call(TZM_REALM_HC_EXIT, x);
		memset(x, 0, sizeof(x));
		x[0] = 0x84000008u; /* PSCI_SYSTEM_OFF: does not return to the realm */
		send_msg(TZM_RMMP_SMC, x, 31, NULL, 0);
	}
	tzm__exit_group(status);
}

static uint64_t env_num(const char *name)
{
	size_t n = strlen(name);
	for (char **e = environ; e && *e; e++) {
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=') {
			return strtoull(*e + n + 1, NULL, 0);
		}
	}
	return UINT64_MAX;
}

/*
 * Asks the RMM for a direct mapping of the window (TZM_RMMP_MAP_SHARED): granted, with the
 * shared region's memfd, only if stage 2 maps it unprotected onto shared NS memory. Used
 * only if the host then announced that it serves the window (TZM_REALM_FAST_MAGIC);
 * otherwise every call is a host call. Before the sandbox (recvmsg, mmap of an fd).
 */
static void map_window(void)
{
	size_t len = TZM_REALM_SHARED_PAGES * (size_t)TZM_GRANULE_SIZE;
	uint64_t x[2] = { shared_ipa, len };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = { msg, sizeof(msg) };
	struct msghdr m;
	struct tzm_rmmp_hdr h;
	const uint8_t *d = NULL;
	int fd = -1;
	long n;

	send_msg(TZM_RMMP_MAP_SHARED, x, 2, NULL, 0);
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl.buf;
	m.msg_controllen = sizeof(ctl.buf);
	do {
		n = TZM__SYS3(SYS_recvmsg, vfd, &m, MSG_CMSG_CLOEXEC);
	} while (n == -EINTR);
	if (n <= 0) {
		tzm__exit_group(70);
	}
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	if (c != NULL && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len == CMSG_LEN(sizeof(int))) {
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	}
	if (tzm_rmmp_decode(msg, (size_t)n, TZM_RMMP_BIT(TZM_RMMP_MAP_SHARED), true, &h, &d) != 0) {
		die("tzm: realm: malformed message from the RMM\n");
	}
	if (h.status == 0 && fd >= 0 && (h.x[0] & (TZM_GRANULE_SIZE - 1)) == 0) {
		long p =
			TZM__SYS6(SYS_mmap, 0, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, h.x[0]);
		if (p > 0 || p < -4095) {
			win = (uint8_t *)p;
			fast = (struct tzm_realm_fast *)(win + TZM_REALM_FAST_OFFSET);
			if (__atomic_load_n(&fast->magic, __ATOMIC_ACQUIRE) !=
			    TZM_REALM_FAST_MAGIC) {
				(void)TZM__SYS2(SYS_munmap, win, len);
				win = NULL;
				fast = NULL;
			}
		}
	}
	if (fd >= 0) {
		(void)TZM__SYS1(SYS_close, fd);
	}
}

int __wrap_main(int argc, char **argv, char **envp)
{
	struct tzm_rmmp_hdr h;
	const uint8_t *d = NULL;
	uint64_t x[31];
	uint64_t image_ipa = env_num("TZM_REALM_IMAGE_IPA");
	uint64_t image_size = env_num("TZM_REALM_IMAGE_SIZE");
	/* read before tzm__rt_start, which points environ at the program's own variables */
	bool insecure = env_num("TZM_INSECURE_NO_SANDBOX") == 1;
	int status = 0;

	(void)argc;
	(void)argv;
	(void)envp;
	vfd = (long)env_num("TZM_REALM_VCPU_FD");
	if (vfd < 3 || vfd > 1000 || image_ipa == UINT64_MAX || image_size == UINT64_MAX) {
		die("tzm: this program is a realm image; run it with `tzm realm run`\n");
	}
	(void)TZM__SYS1(SYS_close, 4); /* the sealed image tzm-rmm executed */
	tzm__block_forwarded_signals();
	/* the first entry of the REC */
	recv_msg(TZM_RMMP_BIT(TZM_RMMP_RUN), &h, &d);
	scratch_ipa = (image_ipa + image_size + TZM_GRANULE_SIZE - 1) & ~(uint64_t)4095;
	/* the IPA width from the RMM (not from the host): the shared window's address */
	memset(x, 0, sizeof(x));
	x[0] = TZM_RSI_REALM_CONFIG;
	x[1] = scratch_ipa;
	smc(x);
	uint64_t width = 0;
	if (x[0] != TZM_RSI_SUCCESS || mem_read(scratch_ipa, &width, sizeof(width)) != 0 ||
	    width < 32 || width > 48) {
		die("tzm: realm: RSI_REALM_CONFIG failed\n");
	}
	shared_ipa = 1ull << (width - 1);
	map_window();
	/* the start record */
	memset(x, 0, sizeof(x));
	if (host_call(TZM_REALM_HC_SETUP, x) != 0 || x[0] != 0 || x[1] == 0 || x[1] > DATA_CAP ||
	    mem_read(shared_ipa + WIN_DATA, data, (size_t)x[1]) != 0) {
		die("tzm: realm: no start record from the host\n");
	}
	tp.ops = &realm_ops;
	tp.priv = NULL;
	if (tzm__rt_start(&tp, (uint32_t)x[1]) != 0) {
		die("tzm: malformed start record\n");
	}
	if (tzm__realm_sandbox(insecure) != 0) {
		tzm__raw_exit(70);
	}
	status = tzm__run_main();
	tzm__rt_stop();
	tzm__raw_exit(status);
}
