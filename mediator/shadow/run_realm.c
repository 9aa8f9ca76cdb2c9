/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Realm runner (`tzm-run --realm IMAGE`, i.e. `tzm realm run`): tzm-run plays the
 * hypervisor. It starts the RMM model (tzm-rmm, which alone holds realm memory), delegates
 * granules, creates the realm with the fixed load sequence (its RIM is what `tzm realm
 * measure IMAGE` predicts), maps the shared window as unprotected IPA, activates it and
 * loops on REC_ENTER. The realm program's calls arrive as RSI_HOST_CALL exits; the request
 * is read from the shared window (Non-secure memory, through the RMM), handed to the
 * shadow over the same local channel and server thread as every other transport (so the
 * same policy and executor serve it), and the answer is written back before the next
 * REC_ENTER. Everything the realm wrote is untrusted here: lengths are bounded before any
 * copy, exactly as the shadow's own channel does.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "run.h"
#include "tzm_rmm_proc.h"

#define WIN_REQ 0u
#define WIN_RESP 64u
#define WIN_DATA 128u
#define WIN_CAP (TZM_RMMP_MAX_DATA - WIN_DATA)
#define MAX_IMAGE (256u << 20)
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_CPU_OFF 0x84000002u

struct realm_run {
	struct tzm_rmm_conn conn;
	struct tzm_realm_vm vm;
	struct tzm__chan chan; /* the protected side of the local channel, on the realm's behalf */
	bool exited;
	int status, signal;
	/* the fast path: the window in the host's shared NS memory, served by a thread */
	uint8_t *win;
	struct tzm_realm_fast *fast;
	pthread_t fast_thread;
	bool fast_started;
	int fast_stop; /* host-private: the realm cannot stop the server */
	uint64_t fast_calls, slow_calls;
};

static int read_image(const char *path, uint8_t **img, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc = -1;

	*img = NULL;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > MAX_IMAGE) {
		fprintf(stderr, "tzm-run: %s: not a realm image (%s)\n", path,
			fd < 0 ? strerror(errno) : "not a regular file of 1 byte .. 256 MiB");
		goto out;
	}
	*img = malloc((size_t)st.st_size);
	if (*img == NULL || read(fd, *img, (size_t)st.st_size) != st.st_size) {
		fprintf(stderr, "tzm-run: %s: cannot read the image\n", path);
		goto out;
	}
	*len = (size_t)st.st_size;
	rc = 0;
out:
	if (fd >= 0) {
		close(fd);
	}
	if (rc != 0) {
		free(*img);
		*img = NULL;
	}
	return rc;
}

static void rmm_path(char *path, size_t cap)
{
	const char *env = getenv("TZM_RMM");
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (env != NULL && *env != '\0') {
		snprintf(path, cap, "%s", env);
		return;
	}
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash != NULL) {
			*slash = '\0';
			if (strlen(self) + sizeof("/tzm-rmm") <= cap) {
				memcpy(path, self, strlen(self));
				memcpy(path + strlen(self), "/tzm-rmm", sizeof("/tzm-rmm"));
				if (access(path, X_OK) == 0) {
					return;
				}
			}
		}
	}
	snprintf(path, cap, "tzm-rmm");
}

/* The signals posted to the protected side, and the cancel flag, for the realm. */
static void host_state(struct realm_run *rr, uint64_t ans[31])
{
	struct tzm_wire_ctrl *ctrl = rr->chan.ctrl;
	ans[2] = __atomic_exchange_n(&ctrl->sig_pending, 0, __ATOMIC_ACQ_REL);
	ans[3] = __atomic_load_n(&ctrl->cancel, __ATOMIC_ACQUIRE) != 0;
}

static void publish(struct realm_run *rr, const uint64_t x[31])
{
	struct tzm_wire_ctrl *ctrl = rr->chan.ctrl;
	__atomic_store_n(&ctrl->ta_sig_default, (uint32_t)x[2], __ATOMIC_RELAXED);
	__atomic_store_n(&ctrl->ta_sig_catch, (uint32_t)x[1], __ATOMIC_SEQ_CST);
}

/* One POSIX call of the realm: window -> channel -> shadow -> channel -> window. */
static int serve_call(struct tzm_run *r, struct realm_run *rr, uint64_t ans[31])
{
	uint8_t hdr[WIN_DATA];
	struct tzm_wire_req req;
	struct tzm_wire_resp resp;
	size_t cap = rr->chan.data_size < WIN_CAP ? rr->chan.data_size : WIN_CAP;
	(void)r;

	if (tzm_rmm_ns_read_remote(&rr->conn, rr->vm.shared_pa, hdr, sizeof(hdr), NULL) != 0) {
		return -EIO;
	}
	memcpy(&req, hdr + WIN_REQ, sizeof(req)); /* copy once, then validate the copy */
	if (req.data_len > cap) {
		fprintf(stderr, "tzm-run: realm: request blob of %u bytes refused\n", req.data_len);
		return -EPROTO;
	}
	if (req.data_len > 0 && tzm_rmm_ns_read_remote(&rr->conn, rr->vm.shared_pa + WIN_DATA,
						       rr->chan.data, req.data_len, NULL) != 0) {
		return -EIO;
	}
	uint32_t realm_seq = req.seq;
	if (tzm__chan_call(&rr->chan, &req, &resp) != 0 || resp.data_len > cap) {
		return -EIO;
	}
	resp.seq = realm_seq;
	/* the response header and blob in one write, right after the request header */
	uint8_t *out = malloc(sizeof(resp) + resp.data_len);
	if (out == NULL) {
		return -ENOMEM;
	}
	memcpy(out, &resp, sizeof(resp));
	memcpy(out + sizeof(resp), rr->chan.data, resp.data_len);
	int rc = tzm_rmm_ns_write_remote(&rr->conn, rr->vm.shared_pa + WIN_RESP, out,
					 sizeof(resp) + resp.data_len, NULL);
	free(out);
	if (rc != 0) {
		return -EIO;
	}
	ans[1] = resp.data_len;
	return 0;
}

/*
 * The fast path (realm/README.md): the window is NS memory the host maps itself (the
 * machine's shared region), so a call needs no REC exit and no RMM message: the realm
 * writes the request, bumps req_seq and wakes it (futex); this thread copies the header
 * and bounds it, copies the blob, serves it with the shadow and answers with resp_seq.
 * The realm can change the window at any time: everything is copied before it is checked.
 */
static long futex(uint32_t *word, int op, uint32_t val)
{
	return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

static int fast_serve(struct realm_run *rr, uint32_t seq)
{
	struct tzm_realm_fast *f = rr->fast;
	struct tzm_wire_req req;
	struct tzm_wire_resp resp;
	size_t cap = rr->chan.data_size < WIN_CAP ? rr->chan.data_size : WIN_CAP;

	memcpy(&req, rr->win + WIN_REQ, sizeof(req)); /* copy once, then validate the copy */
	__atomic_store_n(&rr->chan.ctrl->ta_sig_default,
			 __atomic_load_n(&f->pub_dfl, __ATOMIC_RELAXED), __ATOMIC_RELAXED);
	__atomic_store_n(&rr->chan.ctrl->ta_sig_catch,
			 __atomic_load_n(&f->pub_catch, __ATOMIC_RELAXED), __ATOMIC_SEQ_CST);
	if (req.data_len > cap) {
		fprintf(stderr, "tzm-run: realm: request blob of %u bytes refused\n", req.data_len);
		return -EPROTO;
	}
	memcpy(rr->chan.data, rr->win + WIN_DATA, req.data_len);
	if (tzm__chan_call(&rr->chan, &req, &resp) != 0 || resp.data_len > cap) {
		return -EIO;
	}
	resp.seq = seq;
	memcpy(rr->win + WIN_RESP, &resp, sizeof(resp));
	memcpy(rr->win + WIN_RESP + sizeof(resp), rr->chan.data, resp.data_len);
	__atomic_store_n(&f->resp_len, resp.data_len, __ATOMIC_RELAXED);
	__atomic_store_n(&f->sigs,
			 __atomic_exchange_n(&rr->chan.ctrl->sig_pending, 0, __ATOMIC_ACQ_REL),
			 __ATOMIC_RELAXED);
	__atomic_store_n(&f->cancel, __atomic_load_n(&rr->chan.ctrl->cancel, __ATOMIC_ACQUIRE) != 0,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&f->resp_seq, seq, __ATOMIC_RELEASE);
	futex(&f->resp_seq, FUTEX_WAKE, 1);
	return 0;
}

static void *fast_server(void *arg)
{
	struct realm_run *rr = arg;
	struct tzm_realm_fast *f = rr->fast;
	uint32_t last = 0;
	for (;;) {
		uint32_t seq = __atomic_load_n(&f->req_seq, __ATOMIC_ACQUIRE);
		if (__atomic_load_n(&rr->fast_stop, __ATOMIC_ACQUIRE)) {
			break;
		}
		if (seq == last) {
			futex(&f->req_seq, FUTEX_WAIT, last);
			continue;
		}
		last = seq;
		if (fast_serve(rr, seq) != 0) {
			/* a broken request: the realm gets no answer on this path; the REC exits
			 * at its next host call or when the host ends it */
			fprintf(stderr, "tzm-run: realm: stopped serving the shared window\n");
			break;
		}
		rr->fast_calls++;
	}
	return NULL;
}

static int fast_start(struct realm_run *rr)
{
	if (rr->conn.shared == NULL || rr->vm.shared_pa != rr->conn.shared_base) {
		return 0; /* the window is not in the shared region: the host-call path only */
	}
	rr->win = rr->conn.shared;
	rr->fast = (struct tzm_realm_fast *)(rr->win + TZM_REALM_FAST_OFFSET);
	memset(rr->fast, 0, sizeof(*rr->fast));
	if (pthread_create(&rr->fast_thread, NULL, fast_server, rr) != 0) {
		return -EAGAIN;
	}
	rr->fast_started = true;
	__atomic_store_n(&rr->fast->magic, TZM_REALM_FAST_MAGIC, __ATOMIC_RELEASE);
	return 0;
}

/* Stops the server thread; false if it is still inside a call after `seconds` (a realm
 * that died in the middle of a blocking call: the shadow's end interrupts it). */
static bool fast_stop(struct realm_run *rr, int seconds)
{
	struct timespec until;
	if (!rr->fast_started) {
		return true;
	}
	__atomic_store_n(&rr->fast_stop, 1, __ATOMIC_RELEASE);
	futex(&rr->fast->req_seq, FUTEX_WAKE, 1);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	if (pthread_timedjoin_np(rr->fast_thread, NULL, &until) != 0) {
		return false;
	}
	rr->fast_started = false;
	return true;
}

static int host_call(struct tzm_run *r, struct realm_run *rr, const struct tzm_realm_exit *ex,
		     uint64_t ans[31])
{
	uint32_t setup_len = 0;
	memset(ans, 0, 31 * sizeof(uint64_t));
	switch (ex->imm) {
	case TZM_REALM_HC_SETUP:
		setup_len = rr->chan.ctrl->setup_len;
		if (setup_len == 0 || setup_len > WIN_CAP ||
		    tzm_rmm_ns_write_remote(&rr->conn, rr->vm.shared_pa + WIN_DATA, rr->chan.data,
					    setup_len, NULL) != 0) {
			fprintf(stderr,
				"tzm-run: realm: the start record does not fit the window\n");
			return -EIO;
		}
		ans[1] = setup_len;
		return 0;
	case TZM_REALM_HC_CALL:
		rr->slow_calls++;
		publish(rr, ex->gprs);
		if (serve_call(r, rr, ans) != 0) {
			return -EIO;
		}
		host_state(rr, ans);
		return 0;
	case TZM_REALM_HC_POLL:
		publish(rr, ex->gprs);
		host_state(rr, ans);
		return 0;
	case TZM_REALM_HC_EXIT:
		rr->exited = true;
		rr->status = (int)(ex->gprs[1] & 0xFF);
		rr->signal = ex->gprs[2] <= 64 ? (int)ex->gprs[2] : 0;
		__atomic_store_n(&rr->chan.ctrl->ta_exit_signal, (uint32_t)rr->signal,
				 __ATOMIC_SEQ_CST);
		return 0;
	default:
		ans[0] = (uint64_t)-1; /* unknown host call */
		return 0;
	}
}

static void realm_cancel(struct tzm_run *r)
{
	(void)r; /* the cancel flag in the channel reaches the realm with its next answer */
}

/* REC_ENTER until the realm turns off. Returns the exit status for tzm-run. */
static int run_loop(struct tzm_run *r, struct realm_run *rr)
{
	uint64_t ans[31];
	bool have_ans = false;
	for (;;) {
		struct tzm_realm_exit ex;
		int64_t rc = tzm_realm_vm_enter(&rr->conn, &rr->vm, have_ans ? ans : NULL, 0, &ex);
		have_ans = false;
		if (rc != 0) {
			if (rc == (int64_t)TZM_RMI_RETURN(TZM_RMI_ERROR_REALM, 1)) {
				break; /* already off */
			}
			fprintf(stderr, "tzm-run: realm: REC_ENTER failed (%lld)\n", (long long)rc);
			return 70;
		}
		switch (ex.reason) {
		case TZM_REC_EXIT_HOST_CALL:
			if (host_call(r, rr, &ex, ans) != 0) {
				fprintf(stderr, "tzm-run: realm: stopped serving the realm\n");
				return 70;
			}
			have_ans = true;
			continue;
		case TZM_REC_EXIT_IRQ:
			continue;
		case TZM_REC_EXIT_PSCI:
			if (ex.gprs[0] == PSCI_SYSTEM_OFF || ex.gprs[0] == PSCI_CPU_OFF) {
				goto off;
			}
			fprintf(stderr, "tzm-run: realm: PSCI call 0x%llx not supported\n",
				(unsigned long long)ex.gprs[0]);
			return 70;
		default:
			fprintf(stderr,
				"tzm-run: realm: exit %llu (ESR 0x%llx, HPFAR 0x%llx) not "
				"handled\n",
				(unsigned long long)ex.reason, (unsigned long long)ex.esr,
				(unsigned long long)ex.hpfar);
			return 70;
		}
	}
off:
	if (!rr->exited) {
		fprintf(stderr, "tzm-run: the realm turned off without exiting (it died); "
				"everything it held is closed\n");
		return 134;
	}
	if (rr->signal != 0 && tzm__sig_deadly((uint32_t)rr->signal)) {
		r->term_sig = rr->signal;
		return 128 + rr->signal;
	}
	return rr->status;
}

int tzm__run_realm(struct tzm_run *r)
{
	struct realm_run *rr = calloc(1, sizeof(*rr));
	uint8_t *img = NULL;
	size_t len = 0;
	const char *what = NULL;
	char path[PATH_MAX];
	void *mem = MAP_FAILED;
	bool begun = false;
	int rc = 70;

	if (rr == NULL) {
		goto out;
	}
	rr->conn.fd = -1;
	if (read_image(r->target, &img, &len) != 0) {
		goto out;
	}
	rmm_path(path, sizeof(path));
	/* the window in the host's own shared NS memory (the fast path), unless turned off
	 * or the page size is not the granule size (the region is mapped page by page) */
	const char *slow = getenv("TZM_REALM_NO_FAST_PATH");
	bool fast = (slow == NULL || strcmp(slow, "1") != 0) &&
		    sysconf(_SC_PAGESIZE) == TZM_GRANULE_SIZE;
	struct tzm_rmm_spawn_opts o = { path, tzm_realm_vm_granules(len),
					getenv("TZM_REALM_PLATFORM_KEY"),
					fast ? TZM_REALM_SHARED_PAGES : 0 };
	uint64_t base = 0, size = 0;
	if (tzm_rmm_spawn(&o, &rr->conn) != 0 ||
	    tzm_rmm_dram_remote(&rr->conn, &base, &size) != 0) {
		fprintf(stderr, "tzm-run: cannot start the RMM (%s)\n", path);
		goto out;
	}
	rr->vm.dram_base = base;
	rr->vm.dram_end = base + size;
	int lrc = tzm_realm_vm_load(&rr->conn, img, len, &rr->vm, &what);
	if (lrc != 0) {
		fprintf(stderr, "tzm-run: cannot create the realm: %s%s\n", what ? what : "?",
			lrc == -EINVAL ? " (the image does not fit the default layout)"
				       : " failed");
		goto out;
	}
	free(img);
	img = NULL;
	r->child = rr->conn.pid;
	mem = mmap(NULL, r->chan_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		goto out;
	}
	r->mem = mem;
	r->cancel_fn = realm_cancel;
	if (tzm__run_begin(r) != 0) {
		goto out;
	}
	begun = true;
	if (tzm__chan_attach(&rr->chan, mem, r->chan_size, &tzm__futex_waiter) != 0) {
		goto out;
	}
	__atomic_store_n(&rr->chan.ctrl->ta_caps, TZM_CAP_TA_FUTEX | TZM_CAP_TA_SIGNALS,
			 __ATOMIC_SEQ_CST);
	__atomic_store_n(&rr->chan.ctrl->ta_attached, 1, __ATOMIC_SEQ_CST);
	if (fast_start(rr) != 0) {
		goto out;
	}
	rc = run_loop(r, rr);
	if (fast_stop(rr, 2) && getenv("TZM_REALM_STATS") != NULL) {
		fprintf(stderr,
			"tzm-run: realm: %llu calls through the shared window, %llu host-call "
			"exits\n",
			(unsigned long long)rr->fast_calls, (unsigned long long)rr->slow_calls);
	}
	if (r->cancel_sig && rc == 0) {
		rc = 128 + r->cancel_sig;
	}
	rc = tzm__run_status(r, rc);
out:
	if (rr != NULL) {
		(void)fast_stop(rr, 2);
	}
	if (begun) {
		tzm__run_end(r);
	}
	if (rr != NULL && !fast_stop(rr, 2)) {
		/* still blocked on the channel: leave it its memory, the process ends */
		fprintf(stderr, "tzm-run: realm: the shared-window server did not stop\n");
		pthread_detach(rr->fast_thread);
		return rc;
	}
	if (rr != NULL) {
		tzm_rmm_close(&rr->conn); /* the RMM ends the realm process */
	}
	if (mem != MAP_FAILED) {
		munmap(mem, r->chan_size);
		r->mem = NULL;
	}
	free(img);
	free(rr);
	return rc;
}
