/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mediator_hostile_shadow: a test-only malicious shadow (Iago attacks on libtzm). It
 * starts the hostile_ta program with the product's own session code (shadow/run_local.c
 * or shadow/run_gp.c, which call back into tzm__run_begin/tzm__run_end defined here; the
 * channel is set up by tzm-run's shadow/run_chan.c) and serves it with the real executor
 * (tzm_shadow handlers), except for the requests it attacks:
 *
 *   inband            every attack of attacks.h, armed by the TA's "@attack" lines;
 *   <channel attack>  a HOSTILE_CHANNEL scenario: corrupted ctrl page or start record
 *                     (main must not run), a response bound to another request or a bogus
 *                     sequence word (the call and all later ones fail with EIO), or the
 *                     shadow dying mid-call (the TA must be ended, not left waiting).
 *
 * usage: mediator_hostile_shadow (--local PROGRAM | UUID) [inband | channel | NAME...]
 *
 * Each scenario runs in a child process; the parent is a child subreaper where the kernel
 * (or emulator) allows, so a TA orphaned by a dying shadow is reparented to it and reaped;
 * a zombie counts as ended either way. Exit 0 when every scenario held; the first that
 * did not ends the run with a tzm_test.h report (a shadow-side check fails in the
 * scenario's child, which the parent then reports by name).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <tzm_test.h>

#include "../../shadow/run.h"
#include "hostile_sh.h"

/* Bounds of waits for events, generous for a loaded machine (the in-band run, every attack
 * in one scenario, took more than 60 s at ctest -j4 on 2 busy cores); the CTest TIMEOUT is
 * 300 s. */
#define SCENARIO_TIMEOUT_MS 240000
#define TA_END_TIMEOUT_MS 60000
#define FLIP_MAX_MS 20

static const tzm__handler_fn handlers[] = {
#define H_ENTRY(name, ...) [TZM_OP_##name] = tzm__h_##name,
	TZM_WIRE_OPS(H_ENTRY)
#undef H_ENTRY
};

static const struct attack {
	const char *name;
	uint32_t op;
	unsigned flags;
	hsh_fn fn;
} attacks[] = {
#define A_ENTRY(name, op, flags) { #name, TZM_OP_##op, flags, sh_##name },
	HOSTILE_ATTACKS(A_ENTRY)
#undef A_ENTRY
};
#define NATTACKS (sizeof(attacks) / sizeof(attacks[0]))

static const char *const channel_names[] = {
#define C_ENTRY(name) #name,
	HOSTILE_CHANNEL(C_ENTRY)
#undef C_ENTRY
};
#define NCHANNEL (sizeof(channel_names) / sizeof(channel_names[0]))

/* ---- one scenario (child process) ---- */

static struct tzm_run run;
static struct tzm_shadow shadow;
static struct hsh hs;
static const char *scenario;
static int report_fd = -1; /* shadow_dies: tells the parent whom to watch */
static bool local_run;     /* the scenario's TA is a local program (run.child) */

static struct {
	const struct attack *cur; /* last armed, checked when the next line arrives */
	bool armed;
	unsigned fired;
	unsigned logs; /* libtzm "malformed response" lines since arming */
	unsigned seen[NATTACKS];
	unsigned requests;
	bool ended;
	bool proto_error;
} st;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void finish_attack(void)
{
	const struct attack *a = st.cur;
	bool ok = true;

	if (!a) {
		return;
	}
	if (a->flags & A_NOFIRE) {
		ok = st.fired == 0;
	} else {
		ok = st.fired >= 1;
		if (!(a->flags & A_REPEAT)) {
			ok = ok && st.logs == ((a->flags & A_LOG) ? 1u : 0u);
		}
	}
	if (!ok) {
		TEST_FAIL("attack %s: answered %u request(s), saw %u malformed-response log "
			  "line(s)",
			  a->name, st.fired, st.logs);
	}
	st.cur = NULL;
	st.armed = false;
}

/* "@attack NAME" / "@end" from the TA; returns the errno for the write, 0 if accepted. */
static int control(const char *line)
{
	char name[64];

	finish_attack();
	if (strcmp(line, "@end\n") == 0) {
		st.ended = true;
		return 0;
	}
	if (sscanf(line, "@attack %63s", name) != 1) {
		return EINVAL;
	}
	for (size_t i = 0; i < NATTACKS; i++) {
		if (strcmp(attacks[i].name, name) == 0) {
			st.cur = &attacks[i];
			st.armed = true;
			st.fired = 0;
			st.logs = 0;
			st.seen[i]++;
			return 0;
		}
	}
	return EINVAL;
}

/* Writes to fds 1/2 carry control lines and libtzm's log; true when consumed here. */
static bool stdio_write(const struct tzm_wire_req *rq, const uint8_t *buf, struct tzm_wire_resp *rs)
{
	static const char tag[] = "tzm: malformed response";
	char line[256];
	size_t n = rq->data_len < sizeof(line) - 1 ? rq->data_len : sizeof(line) - 1;

	memcpy(line, buf, n); /* one read of the TA's bytes */
	line[n] = '\0';
	if (rq->args[0] == 1 && line[0] == '@') {
		int e = control(line);

		rs->ret = e ? -1 : (int64_t)rq->data_len;
		rs->err = e;
		return true;
	}
	if (rq->args[0] == 2 && strncmp(line, tag, sizeof(tag) - 1) == 0) {
		st.logs++;
		if (st.cur && (st.cur->flags & A_LOGBOMB) && st.fired > 0) {
			printf("hostile-shadow: answering libtzm's log line with errno 200\n");
			rs->ret = -1;
			rs->err = 200;
			return true;
		}
	}
	return false; /* forwarded to our stdout/stderr by the real handler */
}

static void flip_all(int k)
{
	for (int i = 0; i < hs.nflip; i++) {
		for (size_t j = 0; j < hs.flip[i].len; j++) {
			hs.flip[i].at[j] = (k & 1) ? hs.flip[i].a[j] : hs.flip[i].b[j];
		}
	}
}

/*
 * Keeps rewriting the registered bytes until the TA's next request (double fetch). The
 * TA decodes within tens of nanoseconds of the publication, so the rewriting starts at
 * once; the clock is consulted only between bursts.
 */
static void race_flip(void)
{
	uint32_t served = run.chan.seq;
	uint64_t end = 0;

	for (int burst = 0;; burst++) {
		for (int k = 0; k < 256; k++) {
			flip_all(k);
		}
		if (__atomic_load_n(&run.chan.ctrl->req_seq, __ATOMIC_ACQUIRE) != served) {
			break;
		}
		if (burst == 0) {
			end = now_ms() + FLIP_MAX_MS;
		} else if (now_ms() > end) {
			break;
		}
		sched_yield(); /* on a busy machine the TA may need this CPU to go on */
	}
	flip_all(1); /* the published value stays */
	hs.nflip = 0;
}

/*
 * The TA's directory for the readdir attacks, opened here without the policy's openat2
 * (which qemu-user lacks), so the test also runs on foreign-architecture builds.
 */
static bool open_test_dir(const struct tzm_wire_req *rq, const uint8_t *buf,
			  struct tzm_wire_resp *rs)
{
	static const char name[] = H_DIR_NAME;
	int host = -1, ta = -1;

	if (rq->opcode != TZM_OP_OPENAT || rq->data_len != sizeof(name) ||
	    memcmp(buf, name, sizeof(name)) != 0) {
		return false;
	}
	host = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (host < 0) {
		tzm__set_err(rs, errno);
		return true;
	}
	ta = tzm__sfd_add(&shadow, host, SFD_DIR, 0, rs);
	if (ta >= 0) {
		shadow.fds[ta].path = strdup(shadow.cwd);
		tzm__set_ret(rs, ta);
	}
	return true;
}

/* Moves lane's doorbell count on by n (v6) and wakes a thread asleep on it. */
static void ring_bell(uint32_t lane, uint32_t n)
{
	struct tzm_wire_ctrl *ctrl = run.chan.ctrl;

	__atomic_fetch_add(&ctrl->lane_bell[lane].rings, n, __ATOMIC_SEQ_CST);
	tzm__futex_wake(&ctrl->lane_bell[lane].rings);
}

/*
 * Publishes a response by hand, bypassing the channel's own reply: header into slot's
 * slot, completion-ring entry cq_entry at position pos (and the same entry as the last
 * completion, cq_last, which the TA reads instead of the ring when its position is the one
 * expected), completion count seq_word.
 */
static void publish_raw(const struct tzm_wire_resp *rs, uint32_t slot, uint32_t cq_entry,
			uint32_t pos, uint32_t seq_word)
{
	struct tzm_wire_ctrl *ctrl = run.chan.ctrl;

	memcpy((void *)&ctrl->slots[slot].resp, rs, sizeof(*rs));
	__atomic_store_n(&ctrl->cq[pos % TZM_WIRE_RING], cq_entry, __ATOMIC_RELAXED);
	__atomic_store_n(&ctrl->cq_last, ((uint64_t)(pos + 1) << 32) | cq_entry, __ATOMIC_RELAXED);
	__atomic_store_n(&ctrl->resp_seq, seq_word, __ATOMIC_SEQ_CST);
	/* the channel's own later completions continue the count from here (v3 on count them) */
	run.chan.reply_count = seq_word;
	/*
	 * The doorbells (v6) of slot's lane and of the lane of the call being answered (an
	 * attacker wants the waiting thread to look at what it forged)
	 */
	ring_bell(slot / TZM_WIRE_LANE_SLOTS, 1);
	if (run.chan.cur_slot / TZM_WIRE_LANE_SLOTS != slot / TZM_WIRE_LANE_SLOTS) {
		ring_bell(run.chan.cur_slot / TZM_WIRE_LANE_SLOTS, 1);
	}
}

/* Channel attacks on the first CLOCK_GETTIME; true when the request was consumed. */
static bool channel_attack(const struct tzm_wire_req *rq)
{
	struct tzm_wire_resp rs;
	uint32_t slot = run.chan.cur_slot;

	if (rq->opcode != TZM_OP_CLOCK_GETTIME) {
		return false;
	}
	memset(&rs, 0, sizeof(rs));
	rs.aux[0] = 1700000000;
	rs.seq = rq->seq;
	if (strcmp(scenario, "resp_seq_stale") == 0) {
		rs.seq = rq->seq - 1; /* an answer to another (earlier) request */
		publish_raw(&rs, slot, rq->seq, rq->seq - 1, rq->seq);
		return true;
	}
	if (strcmp(scenario, "resp_seq_skip") == 0) {
		rs.seq = rq->seq + 1;
		/* two completions for one call in flight */
		publish_raw(&rs, slot, rq->seq + 1, rq->seq - 1, rq->seq + 1);
		return true;
	}
	if (strcmp(scenario, "resp_cq_unknown") == 0) {
		rs.seq = rq->seq + 100; /* a completion for a call never submitted */
		publish_raw(&rs, slot, rq->seq + 100, rq->seq - 1, rq->seq);
		return true;
	}
	if (strcmp(scenario, "resp_skip_unlinked") == 0) {
		rs.flags = TZM_RESP_F_SKIPPED; /* "skipped" for a call that was not linked */
		rs.aux[0] = 0;
		publish_raw(&rs, slot, rq->seq, rq->seq - 1, rq->seq);
		return true;
	}
	if (strcmp(scenario, "resp_flags") == 0) {
		rs.flags = 0x80; /* a flag no version defines */
		publish_raw(&rs, slot, rq->seq, rq->seq - 1, rq->seq);
		return true;
	}
	if (strcmp(scenario, "resp_other_lane") == 0) {
		if (slot / TZM_WIRE_LANE_SLOTS == 0) {
			return false; /* the main thread's calls are served honestly */
		}
		/* a thread's call answered in the main thread's slot (another lane's) */
		publish_raw(&rs, 0, rq->seq, rq->seq - 1, rq->seq);
		return true;
	}
	if (strcmp(scenario, "bell_spurious") == 0) {
		static bool rung;
		const struct timespec gap = { 0, 200 * 1000L };
		uint32_t lane = slot / TZM_WIRE_LANE_SLOTS;

		if (!rung) {
			/* rings, each seen by the waiting thread, with nothing to reap; one that
			 * takes the count across its wrap; then the honest answer */
			rung = true;
			for (int i = 0; i < 20; i++) {
				ring_bell(lane, 1);
				nanosleep(&gap, NULL);
			}
			ring_bell(lane, 0xfffffff0u);
			nanosleep(&gap, NULL);
		}
		return false;
	}
	if (strcmp(scenario, "resp_breach_wakes") == 0) {
		static bool swallowed;

		if (slot / TZM_WIRE_LANE_SLOTS != 0) {
			swallowed = true; /* the thread's call: never answered, it waits */
			return true;
		}
		if (!swallowed) {
			return false; /* main's calls before that are served honestly */
		}
		/* main's next call: a completion for a call never submitted */
		rs.seq = rq->seq + 100;
		publish_raw(&rs, slot, rq->seq + 100, run.chan.reply_count,
			    run.chan.reply_count + 1);
		return true;
	}
	if (strcmp(scenario, "shadow_dies") == 0) {
		int64_t who = 0; /* local: the program; GP: the parent asks the TEE log */
		uint64_t end = now_ms() + 30000;

		/*
		 * run_local.c stores the program's pid after fork returns; under load the
		 * program's first call can reach this thread before that (the test failed with
		 * "ta = 0" in an ASan run at ctest -j4 with two CPU hogs).
		 */
		while (local_run && (who = __atomic_load_n(&run.child, __ATOMIC_ACQUIRE)) == 0 &&
		       now_ms() < end) {
			usleep(1000);
		}
		if (write(report_fd, &who, sizeof(who)) != (ssize_t)sizeof(who)) {
			_exit(70);
		}
		raise(SIGKILL); /* mid-call, with the TA waiting for this answer */
	}
	return false;
}

/*
 * Ring attacks on the TA's split write (hostile_ta.c: ring_*): the first chunk is a WRITE
 * without TZM_REQ_F_LINK of at least 64 KiB to a socket, the next ones are linked. True
 * when the request was consumed.
 */
static bool ring_attack(const struct tzm_wire_req *rq)
{
	static uint32_t first_seq, first_slot;
	struct tzm_wire_ctrl *ctrl = run.chan.ctrl;
	struct tzm_wire_resp rs;
	bool first = rq->opcode == TZM_OP_WRITE && rq->args[0] > 2 && rq->flags == 0 &&
		     rq->data_len >= 64u * 1024u;
	bool linked = rq->opcode == TZM_OP_WRITE && (rq->flags & TZM_REQ_F_LINK);

	if (strncmp(scenario, "ring_", 5) != 0 || (!first && !linked) || first_seq == UINT32_MAX) {
		return false;
	}
	memset(&rs, 0, sizeof(rs));
	if (strcmp(scenario, "ring_out_of_order") == 0 && first) {
		/* hold the first chunk's answer until the second is posted, answer that first */
		uint64_t end = now_ms() + TA_END_TIMEOUT_MS;
		uint32_t slot2 = 0, seq2 = rq->seq + 1;

		while (__atomic_load_n(&ctrl->req_seq, __ATOMIC_ACQUIRE) != seq2) {
			if (now_ms() > end) {
				return false;
			}
			sched_yield();
		}
		slot2 = __atomic_load_n(&ctrl->sq[(seq2 - 1) % TZM_WIRE_RING], __ATOMIC_ACQUIRE);
		if (slot2 >= TZM_WIRE_SLOTS) {
			return false;
		}
		rs.seq = seq2;
		rs.ret = ctrl->slots[slot2].req.data_len;
		publish_raw(&rs, slot2, seq2, rq->seq - 1, rq->seq);
		first_seq = UINT32_MAX;
		return true;
	}
	if (strcmp(scenario, "ring_duplicate") == 0 && first) {
		first_seq = rq->seq;
		first_slot = run.chan.cur_slot;
		return false; /* served honestly; its completion comes again below */
	}
	if (strcmp(scenario, "ring_duplicate") == 0 && linked && first_seq) {
		rs.seq = first_seq;
		rs.ret = rq->data_len;
		publish_raw(&rs, first_slot, first_seq, rq->seq - 1, rq->seq);
		first_seq = UINT32_MAX;
		return true;
	}
	if (strcmp(scenario, "ring_link_ran") == 0 && first) {
		rs.seq = rq->seq;
		rs.ret = rq->data_len / 2; /* short: the linked chunk must be skipped */
		publish_raw(&rs, run.chan.cur_slot, rq->seq, rq->seq - 1, rq->seq);
		first_seq = rq->seq;
		return true;
	}
	if (strcmp(scenario, "ring_link_ran") == 0 && linked && first_seq) {
		rs.seq = rq->seq;
		rs.ret = rq->data_len; /* ...but it "ran" */
		publish_raw(&rs, run.chan.cur_slot, rq->seq, rq->seq - 1, rq->seq);
		first_seq = UINT32_MAX;
		return true;
	}
	if (strcmp(scenario, "ring_write_more") == 0 && first) {
		rs.seq = rq->seq;
		rs.ret = (int64_t)rq->data_len + 1; /* more than the chunk asked to write */
		publish_raw(&rs, run.chan.cur_slot, rq->seq, rq->seq - 1, rq->seq);
		first_seq = UINT32_MAX;
		return true;
	}
	return false;
}

/*
 * Ring attacks on the TA's split read (hostile_ta.c: ring_read_*): a READ of 256 KiB from a
 * socket is split into linked chunks of 64 KiB; the first is a READ without TZM_REQ_F_LINK
 * of at least 64 KiB on a descriptor above 2. The answers carry made-up data ('R').
 * True when the request was consumed.
 */
static bool ring_read_attack(const struct tzm_wire_req *rq)
{
	static bool first_done, over;
	uint8_t *area = tzm__chan_slot_data(&run.chan, run.chan.cur_slot);
	struct tzm_wire_resp rs;
	bool first = rq->opcode == TZM_OP_READ && rq->args[0] > 2 && rq->flags == 0 &&
		     rq->args[1] >= 64 * 1024;
	bool linked = rq->opcode == TZM_OP_READ && (rq->flags & TZM_REQ_F_LINK);
	int64_t count = rq->args[1];

	if (strncmp(scenario, "ring_read_", 10) != 0 || over || (!first && !linked) ||
	    (linked && !first_done) || count < 0 || (uint64_t)count >= run.chan.data_size) {
		return false;
	}
	memset(&rs, 0, sizeof(rs));
	rs.seq = rq->seq;
	if (first) {
		/* ring_read_more: more than asked; the others: a full chunk (short: link_ran) */
		rs.ret = strcmp(scenario, "ring_read_more") == 0       ? count + 1
			 : strcmp(scenario, "ring_read_link_ran") == 0 ? count / 2
								       : count;
		over = strcmp(scenario, "ring_read_more") == 0;
		first_done = true;
	} else {
		/* ring_read_link_more: more than asked; ring_read_link_ran: ran after a short one
		 */
		rs.ret = strcmp(scenario, "ring_read_link_more") == 0 ? count + 1 : count;
		over = true;
	}
	memset(area, 'R', (size_t)rs.ret);
	rs.data_len = (uint32_t)rs.ret;
	publish_raw(&rs, run.chan.cur_slot, rq->seq, rq->seq - 1, rq->seq);
	return true;
}

static void *server_main(void *arg)
{
	struct tzm_server_transport *tp = &run.stp;
	bool last_full = false;

	(void)arg;
	for (;;) {
		struct tzm_wire_req rq;
		struct tzm_wire_resp rs;
		size_t cap = 0;
		uint8_t *buf = NULL;
		int rc = tp->ops->next(tp, &rq);

		if (rc == -ESHUTDOWN) {
			break;
		}
		if (rc != 0) {
			st.proto_error = true;
			break;
		}
		st.requests++;
		buf = tp->ops->buffer(tp, &cap); /* this call's slot area */
		memset(&rs, 0, sizeof(rs));
		if (strcmp(scenario, "inband") != 0 &&
		    (channel_attack(&rq) || ring_attack(&rq) || ring_read_attack(&rq))) {
			last_full = false;
			continue;
		}
		if ((rq.flags & TZM_REQ_F_LINK) && !last_full) {
			rs.flags = TZM_RESP_F_SKIPPED; /* honest about links, as serve.c */
		} else if (rq.opcode >= TZM_OP__COUNT) {
			tzm__set_err(&rs, ENOSYS);
		} else if (rq.data_len > shadow.max_chunk || rq.data_len > cap) {
			tzm__set_err(&rs, EINVAL);
		} else if (rq.opcode == TZM_OP_WRITE && (rq.args[0] == 1 || rq.args[0] == 2) &&
			   stdio_write(&rq, buf, &rs)) {
			/* control line answered */
		} else if (open_test_dir(&rq, buf, &rs)) {
			/* the readdir attacks' directory */
		} else if (st.armed && st.cur->op == rq.opcode && rq.opcode != TZM_OP_WRITE) {
			st.cur->fn(&hs, &rq, buf, cap, &rs);
			st.fired++;
			st.armed = (st.cur->flags & A_REPEAT) != 0;
		} else if (st.armed && st.cur->op == rq.opcode && rq.args[0] > 2) {
			st.cur->fn(&hs, &rq, buf, cap, &rs); /* WRITE attacks: not on stdio */
			st.fired++;
			st.armed = false;
		} else {
			errno = 0;
			handlers[rq.opcode](&shadow, &rq, buf, shadow.max_chunk, &rs);
		}
		/*
		 * The scheduling hint is untrusted too: claim to sit on the TA's own CPU (the
		 * TA then yields while it waits) or publish nonsense, on every answer of every
		 * run. It may only cost speed: all attacks must still end as expected.
		 */
		__atomic_store_n(&run.chan.ctrl->shadow_cpu,
				 (st.requests & 1u)
					 ? __atomic_load_n(&run.chan.ctrl->ta_cpu, __ATOMIC_RELAXED)
					 : 0xffffffffu,
				 __ATOMIC_RELAXED);
		last_full = tzm_wire_link_full(&rq, &rs);
		(void)tp->ops->reply(tp, &rs);
		if (hs.nflip) {
			race_flip();
		}
	}
	return NULL;
}

/* run_gp.c's TZM_TEST_STOP_AT points (tzm-run's main.c): the hostile shadow has none. */
void tzm__run_test_stop(const char *point)
{
	(void)point;
}

/* Called by run_local.c / run_gp.c once the shared memory exists. */
int tzm__run_begin(struct tzm_run *r)
{
	struct tzm_wire_ctrl *ctrl = NULL;
	struct tzm_wire_setup s;
	uint8_t *buf = NULL;
	size_t cap = 0;
	int len = 0;

	len = tzm__run_chan_open(r, "hostile-shadow", &buf, &cap);
	if (len < 0) {
		return -1;
	}
	ctrl = r->chan.ctrl;
	hs.s = r->shadow;
	hs.chan = &r->chan;
	/* corrupt what the TA validates before main runs */
	memcpy(&s, buf, sizeof(s));
	if (strcmp(scenario, "ctrl_version") == 0) {
		ctrl->version = TZM_WIRE_VERSION + 1;
	} else if (strcmp(scenario, "ctrl_version_1") == 0) {
		ctrl->version = 1; /* a shadow of the one-call-at-a-time protocol */
	} else if (strcmp(scenario, "ctrl_magic") == 0) {
		ctrl->magic = 0x324d5a54u; /* "TZM2" */
	} else if (strcmp(scenario, "ctrl_data_size") == 0) {
		ctrl->data_size = (uint32_t)(r->chan_size - TZM_WIRE_CTRL_SIZE) + 4096u;
	} else if (strcmp(scenario, "setup_version") == 0) {
		s.version = TZM_WIRE_VERSION + 1;
	} else if (strcmp(scenario, "setup_arch") == 0) {
		s.arch = TZM_WIRE_ARCH ^ 3u;
	} else if (strcmp(scenario, "setup_argc0") == 0) {
		s.argc = 0;
	} else if (strcmp(scenario, "setup_max_fds") == 0) {
		s.max_fds = TZM_WIRE_MAX_FDS * 5;
	} else if (strcmp(scenario, "setup_unterminated") == 0) {
		buf[len - 1] = 'Z'; /* the last string loses its NUL */
	} else if (strcmp(scenario, "setup_len") == 0) {
		ctrl->setup_len = (uint32_t)cap + 1u;
	}
	memcpy(buf, &s, sizeof(s));
	if (pthread_create(&r->server, NULL, server_main, r) != 0) {
		return -1;
	}
	r->server_started = true;
	return 0;
}

static void on_usr1(int sig)
{
	(void)sig; /* interrupts a blocking call of the server thread */
}

void tzm__run_end(struct tzm_run *r)
{
	struct timespec ts = { 0, 20 * 1000000L };

	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	if (r->server_started) {
		r->stp.ops->stop(&r->stp);
		while (pthread_tryjoin_np(r->server, NULL) == EBUSY) {
			pthread_kill(r->server, SIGUSR1);
			nanosleep(&ts, NULL);
		}
		r->server_started = false;
	}
	tzm_shadow_close_all(r->shadow);
}

/* Runs one scenario against the target; returns 0 when it held. */
static int scenario_main(const char *target, bool local)
{
	char *argv[4] = { (char *)target, NULL, NULL, NULL };
	/* the ring scenarios split 256 KiB transfers (mediator/ta/io.c: split_knob) */
	char *envp[2] = { "TZM_SPLIT_MIN=131072", NULL };
	struct tzm_policy *pol = tzm_policy_allow_all();
	struct sigaction sa;
	bool inband = strcmp(scenario, "inband") == 0;
	bool pre_main = strncmp(scenario, "ctrl_", 5) == 0 || strncmp(scenario, "setup_", 6) == 0;
	int rc = 0;

	if (!pol) {
		return 70;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	argv[1] = inband ? "inband" : "chan";
	argv[2] = inband ? NULL : (char *)scenario;
	shadow.pol = pol;
	run.shadow = &shadow;
	run.target = target;
	run.argc = inband ? 2 : 3;
	run.argv = argv;
	run.envc = 1;
	run.envp = envp;
	run.chan_size = TZM_WIRE_CTRL_SIZE + TZM_WIRE_DATA_DEFAULT;
	fflush(stdout);
	local_run = local;
	rc = local ? tzm__run_local(&run) : tzm__run_gp(&run);
	fflush(stdout);
	if (inband) {
		finish_attack();
		printf("hostile-shadow: inband: TA status %d, %zu attacks%s\n", rc, NATTACKS,
		       st.ended ? "" : ", no @end");
		for (size_t i = 0; i < NATTACKS; i++) {
			TEST_STEP("attack %s armed exactly once", attacks[i].name);
			ASSERT_EQ_U64(st.seen[i], 1);
		}
		TEST_STEP("inband: the TA withstood every attack and announced the end");
		ASSERT_EQ_INT(rc, 0);
		ASSERT_TRUE(st.ended);
		ASSERT_FALSE(st.proto_error);
	} else if (pre_main) {
		/* the runtime refused to start: set-up failure, no request ever made */
		printf("hostile-shadow: %s: status %d, %u requests\n", scenario, rc, st.requests);
		TEST_STEP("%s: the runtime refuses to start main", scenario);
		ASSERT_EQ_INT(rc, 70);
		ASSERT_EQ_U64(st.requests, 0);
	} else {
		/* one request, answered maliciously; the TA reports through its exit status */
		printf("hostile-shadow: %s: TA status %d, %u requests\n", scenario, rc,
		       st.requests);
		TEST_STEP(strcmp(scenario, "bell_spurious") == 0
				  ? "%s: rings without completions change no answer"
				  : "%s: the TA sees the broken channel on its one request",
			  scenario);
		ASSERT_EQ_INT(rc, 0);
		if (strcmp(scenario, "resp_other_lane") == 0) {
			/* main's honest call, then the thread's (answered in main's slot) */
			ASSERT_EQ_U64(st.requests, 2);
		} else if (strcmp(scenario, "bell_spurious") == 0) {
			ASSERT_EQ_U64(st.requests, 2); /* both calls answered, nothing broke */
		} else if (strcmp(scenario, "resp_breach_wakes") == 0) {
			/* main's honest calls, the thread's, main's breached one; no more */
			ASSERT_TRUE(st.requests >= 3);
		} else if (strncmp(scenario, "ring_", 5) != 0) {
			ASSERT_EQ_U64(st.requests, 1);
		}
	}
	tzm_policy_free(pol);
	return 0;
}

/* ---- the parent: one child per scenario, a watchdog, and the shadow_dies check ---- */

static bool pid_gone(pid_t pid, bool ours)
{
	char path[64], stat[256];
	FILE *f = NULL;
	char *p = NULL;
	bool gone = true;

	if (ours) {
		int ws = 0;

		if (waitpid(pid, &ws, WNOHANG) == pid) {
			return true;
		}
	}
	/* not ours to reap (or no subreaper): gone, or a zombie, counts as ended */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f) {
		return true;
	}
	if (fgets(stat, sizeof(stat), f)) {
		p = strrchr(stat, ')');
		gone = p && p[1] == ' ' && p[2] == 'Z';
	}
	fclose(f);
	return gone;
}

/* GP: the TA host of the last instance the TEE started (its log names the pid). */
static pid_t last_ta_host(void)
{
	const char *dir = getenv("TZM_RUNTIME_DIR");
	char path[4096], line[512];
	FILE *f = NULL;
	pid_t pid = 0;

	if (!dir || snprintf(path, sizeof(path), "%s/tee.log", dir) >= (int)sizeof(path)) {
		return 0;
	}
	f = fopen(path, "r");
	if (!f) {
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, "(host pid ");
		int v = 0;

		if (p && sscanf(p, "(host pid %d)", &v) == 1) {
			pid = v;
		}
	}
	fclose(f);
	return pid;
}

static int watch_dying_shadow(int rfd, bool local, int ws)
{
	int64_t who = 0;
	pid_t ta = 0;
	uint64_t end = 0;

	TEST_STEP("shadow_dies: the shadow dies mid-call and names the TA to watch");
	ASSERT_TRUE(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL);
	ASSERT_EQ_INT(read(rfd, &who, sizeof(who)), (ssize_t)sizeof(who));
	ta = local ? (pid_t)who : last_ta_host();
	ASSERT_GT_INT(ta, 0);
	end = now_ms() + TA_END_TIMEOUT_MS;
	while (!pid_gone(ta, local)) {
		if (now_ms() > end) {
			kill(ta, SIGKILL);
			TEST_FAIL(
				"shadow_dies: TA (pid %d) still alive %d ms after its shadow died",
				(int)ta, TA_END_TIMEOUT_MS);
		}
		usleep(20000);
	}
	printf("hostile-shadow: shadow_dies: the TA (pid %d) ended with its shadow\n", (int)ta);
	return 0;
}

static void run_one(const char *target, bool local, const char *name)
{
	int pfd[2] = { -1, -1 };
	uint64_t end = now_ms() + SCENARIO_TIMEOUT_MS;
	pid_t pid = -1;
	int ws = 0, rc = 1;

	ASSERT_SYS(pipe(pfd));
	fflush(stdout);
	pid = (pid_t)ASSERT_SYS(fork());
	if (pid == 0) {
		close(pfd[0]);
		report_fd = pfd[1];
		scenario = name;
		exit(scenario_main(target, local));
	}
	close(pfd[1]);
	while (waitpid(pid, &ws, WNOHANG) != pid) {
		if (now_ms() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &ws, 0);
			TEST_FAIL("scenario %s hung for %d ms", name, SCENARIO_TIMEOUT_MS);
		}
		usleep(10000);
	}
	if (strcmp(name, "shadow_dies") == 0) {
		rc = watch_dying_shadow(pfd[0], local, ws);
	} else {
		rc = WIFEXITED(ws) ? WEXITSTATUS(ws) : 1;
	}
	close(pfd[0]);
	/* reap whatever a dead shadow left to us (we are the subreaper) */
	while (waitpid(-1, &ws, WNOHANG) > 0) {
	}
	TEST_STEP("scenario %s held (its child's own report, if any, is above)", name);
	ASSERT_EQ_INT(rc, 0);
	printf("ok %s\n", name);
}

static bool known(const char *name)
{
	if (strcmp(name, "inband") == 0) {
		return true;
	}
	for (size_t i = 0; i < NCHANNEL; i++) {
		if (strcmp(name, channel_names[i]) == 0) {
			return true;
		}
	}
	return false;
}

int main(int argc, char **argv)
{
	const char *target = NULL;
	bool local = false;
	int i = 1;

	if (argc > 2 && strcmp(argv[1], "--local") == 0) {
		local = true;
		i = 2;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: %s (--local PROGRAM | UUID) [inband | channel | NAME...]\n",
			argv[0]);
		return 64;
	}
	target = argv[i++];
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* best effort: qemu-user 7.2 lacks it; pid_gone() then watches /proc instead */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
		printf("hostile-shadow: no child subreaper (%s); watching /proc only\n",
		       strerror(errno));
	}
	if (i == argc) {
		run_one(target, local, "inband");
		for (size_t k = 0; k < NCHANNEL; k++) {
			run_one(target, local, channel_names[k]);
		}
	}
	for (; i < argc; i++) {
		if (strcmp(argv[i], "channel") == 0) {
			for (size_t k = 0; k < NCHANNEL; k++) {
				run_one(target, local, channel_names[k]);
			}
		} else if (known(argv[i])) {
			run_one(target, local, argv[i]);
		} else {
			fprintf(stderr, "hostile-shadow: unknown scenario %s\n", argv[i]);
			return 64;
		}
	}
	printf("hostile-shadow: every scenario held\n");
	return 0;
}
