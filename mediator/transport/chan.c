/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared-memory channel: the doorbell and header exchange of the wire protocol
 * (mediator/include/tzm/tzm_wire.h), used by both worlds.
 *
 * Doorbell: adaptive spin-then-sleep. A waiter first spins on the peer's sequence word for
 * spin_budget iterations with a CPU relax hint (a spin round trip costs ~0.2 us, a futex
 * round trip ~17 us on the target machines, so spinning is what makes a forwarded call
 * cheap). The budget doubles when a spin succeeds and halves when it has to sleep, so a
 * peer that is blocked for long (accept, a slow client) costs little CPU. Before sleeping
 * the waiter announces itself in its *_waiting word; the publisher wakes only then
 * (Dekker-style: both sides use sequentially consistent store-then-load).
 *
 * Every header is copied out of shared memory exactly once, then checked on the copy.
 */
#include <errno.h>
#include <string.h>

#include "chan.h"

#define SPIN_MIN 64u
#define SPIN_MAX 16384u
#define SPIN_START 2048u
#define SLEEP_SLICE_MS 1000u  /* futex sleeps are sliced so stop/cancel are noticed */
#define POLL_MAX_MS 8u        /* longest backoff step when the peer cannot wake us */
#define CANCEL_GRACE_MS 5000u /* how long a cancelled TA still waits for its answer */

static uint32_t load_acq(volatile uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static uint32_t load_sc(volatile uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static void store_sc(volatile uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

int tzm__chan_format(void *mem, size_t size, uint32_t flags)
{
	struct tzm_wire_ctrl *ctrl = mem;

	if (!mem || size < (size_t)TZM_WIRE_CTRL_SIZE + TZM_WIRE_DATA_MIN ||
	    size > (size_t)TZM_WIRE_CTRL_SIZE + TZM_WIRE_DATA_MAX) {
		return -EINVAL;
	}
	memset(ctrl, 0, sizeof(*ctrl));
	ctrl->magic = TZM_WIRE_MAGIC;
	ctrl->version = TZM_WIRE_VERSION;
	ctrl->data_size = (uint32_t)(size - TZM_WIRE_CTRL_SIZE);
	ctrl->flags = flags;
	return 0;
}

int tzm__chan_attach(struct tzm__chan *c, void *mem, size_t size,
		     const struct tzm__chan_waiter *w)
{
	struct tzm_wire_ctrl *ctrl = mem;
	uint32_t magic = 0, version = 0, data_size = 0;

	memset(c, 0, sizeof(*c));
	if (!mem || size < TZM_WIRE_CTRL_SIZE || ((uintptr_t)mem & 63u) != 0) {
		return -EINVAL;
	}
	/* copy once, validate the copies */
	magic = ctrl->magic;
	version = ctrl->version;
	data_size = ctrl->data_size;
	if (magic != TZM_WIRE_MAGIC || version != TZM_WIRE_VERSION) {
		return -EPROTO;
	}
	if (data_size < TZM_WIRE_DATA_MIN || data_size > TZM_WIRE_DATA_MAX ||
	    data_size > size - TZM_WIRE_CTRL_SIZE) {
		return -EPROTO;
	}
	c->ctrl = ctrl;
	c->data = (uint8_t *)mem + TZM_WIRE_CTRL_SIZE;
	c->data_size = data_size;
	c->seq = 0;
	c->spin_budget = SPIN_START;
	c->w = w;
	return 0;
}

static bool stopped(struct tzm__chan *c)
{
	return __atomic_load_n(&c->stop, __ATOMIC_ACQUIRE) != 0;
}

/*
 * Waits until *word == target. The only other legal value is target - 1 (nothing new yet);
 * anything else means the peer broke the protocol. server: also honour c->stop.
 */
static int wait_for(struct tzm__chan *c, volatile uint32_t *word, uint32_t target,
		    volatile uint32_t *waiting, bool peer_wakes, bool server)
{
	uint32_t budget = c->spin_budget;
	uint32_t backoff = 1;
	uint32_t cancel_waited = 0;
	uint32_t v = 0;

	for (uint32_t i = 0; i < budget; i++) {
		v = load_acq(word);
		if (v == target) {
			c->spin_budget = budget < SPIN_MAX ? budget * 2 : SPIN_MAX;
			return 0;
		}
		if (v != target - 1) {
			return -EPROTO;
		}
		if (server && (i & 63u) == 0 && stopped(c)) {
			return -ESHUTDOWN;
		}
		TZM_CPU_RELAX();
	}
	c->spin_budget = budget / 2 > SPIN_MIN ? budget / 2 : SPIN_MIN;

	for (;;) {
		int rc = 0;
		uint32_t slice = SLEEP_SLICE_MS;

		if (server && stopped(c)) {
			return -ESHUTDOWN;
		}
		if (peer_wakes && c->w->can_sleep_on_futex) {
			store_sc(waiting, 1);
			v = load_sc(word);
			if (v == target - 1) {
				rc = c->w->wait(word, v, slice);
			}
			store_sc(waiting, 0);
		} else {
			/* The peer cannot wake us (real OP-TEE): poll with backoff. */
			v = load_acq(word);
			if (v == target - 1) {
				slice = backoff;
				rc = c->w->wait(word, v, slice);
				backoff = backoff * 2 < POLL_MAX_MS ? backoff * 2 : POLL_MAX_MS;
			}
		}
		v = load_acq(word);
		if (v == target) {
			return 0;
		}
		if (v != target - 1) {
			return -EPROTO;
		}
		if (rc == -ECANCELED) {
			/* Keep waiting: the shadow answers the interrupted call with EINTR. */
			c->cancelled = true;
		}
		if (c->cancelled && !server) {
			cancel_waited += slice;
			if (cancel_waited > CANCEL_GRACE_MS) {
				return -ETIMEDOUT;
			}
		}
	}
}

int tzm__chan_call(struct tzm__chan *c, const struct tzm_wire_req *req,
		   struct tzm_wire_resp *resp)
{
	struct tzm_wire_req r = *req;
	uint32_t seq = c->seq + 1;
	int rc = 0;

	if (c->broken) {
		return -EIO;
	}
	r.seq = seq;
	memcpy((void *)&c->ctrl->req, &r, sizeof(r));
	store_sc(&c->ctrl->req_seq, seq);
	if (c->w->wake && load_sc(&c->ctrl->shadow_waiting)) {
		c->w->wake(&c->ctrl->req_seq);
	}
	rc = wait_for(c, &c->ctrl->resp_seq, seq, &c->ctrl->ta_waiting, true, false);
	if (rc != 0) {
		c->broken = true;
		return -EIO;
	}
	memcpy(resp, (const void *)&c->ctrl->resp, sizeof(*resp));
	c->seq = seq;
	if (resp->seq != seq) {
		c->broken = true;
		return -EIO;
	}
	return 0;
}

int tzm__chan_next(struct tzm__chan *c, struct tzm_wire_req *req)
{
	uint32_t target = c->seq + 1;
	bool peer_wakes = (load_acq(&c->ctrl->ta_caps) & TZM_CAP_TA_FUTEX) != 0;
	int rc = wait_for(c, &c->ctrl->req_seq, target, &c->ctrl->shadow_waiting, peer_wakes,
			  true);

	if (rc != 0) {
		return rc;
	}
	memcpy(req, (const void *)&c->ctrl->req, sizeof(*req));
	c->seq = target;
	if (req->seq != target) {
		return -EPROTO;
	}
	return 0;
}

int tzm__chan_reply(struct tzm__chan *c, const struct tzm_wire_resp *resp)
{
	struct tzm_wire_resp r = *resp;

	r.seq = c->seq;
	memcpy((void *)&c->ctrl->resp, &r, sizeof(r));
	store_sc(&c->ctrl->resp_seq, c->seq);
	if (load_sc(&c->ctrl->ta_waiting)) {
		c->w->wake(&c->ctrl->resp_seq);
	}
	return 0;
}

void tzm__chan_stop(struct tzm__chan *c)
{
	__atomic_store_n(&c->stop, 1, __ATOMIC_RELEASE);
	if (c->w->wake) {
		c->w->wake(&c->ctrl->req_seq);
	}
}

void tzm__chan_cancel(struct tzm__chan *c)
{
	store_sc(&c->ctrl->cancel, 1);
}

/* ---- transport ops over a channel (priv = struct tzm__chan *) ---- */

static uint8_t *ta_buffer(struct tzm_transport *t, size_t *cap)
{
	struct tzm__chan *c = t->priv;

	*cap = c->data_size;
	return c->data;
}

static int ta_call(struct tzm_transport *t, const struct tzm_wire_req *req,
		   struct tzm_wire_resp *resp)
{
	return tzm__chan_call(t->priv, req, resp);
}

static int ta_sleep_ms(struct tzm_transport *t, uint32_t ms)
{
	struct tzm__chan *c = t->priv;

	/* Sliced, so that a cancellation flag set by the shadow is noticed too. */
	while (ms > 0) {
		uint32_t slice = ms > SLEEP_SLICE_MS ? SLEEP_SLICE_MS : ms;
		int rc = c->w->sleep(slice);

		if (rc == -ECANCELED || c->cancelled || load_acq(&c->ctrl->cancel)) {
			c->cancelled = true;
			return -EINTR;
		}
		ms -= slice;
	}
	return 0;
}

static bool ta_cancelled(struct tzm_transport *t)
{
	struct tzm__chan *c = t->priv;

	return c->cancelled || load_acq(&c->ctrl->cancel) != 0;
}

const struct tzm_transport_ops tzm__chan_transport_ops = {
	.name = "shm-channel",
	.buffer = ta_buffer,
	.call = ta_call,
	.sleep_ms = ta_sleep_ms,
	.cancelled = ta_cancelled,
};

static uint8_t *srv_buffer(struct tzm_server_transport *t, size_t *cap)
{
	struct tzm__chan *c = t->priv;

	*cap = c->data_size;
	return c->data;
}

static int srv_next(struct tzm_server_transport *t, struct tzm_wire_req *req)
{
	return tzm__chan_next(t->priv, req);
}

static int srv_reply(struct tzm_server_transport *t, const struct tzm_wire_resp *resp)
{
	return tzm__chan_reply(t->priv, resp);
}

static void srv_stop(struct tzm_server_transport *t)
{
	tzm__chan_stop(t->priv);
}

static void srv_cancel(struct tzm_server_transport *t)
{
	tzm__chan_cancel(t->priv);
}

const struct tzm_server_transport_ops tzm__chan_server_ops = {
	.name = "shm-channel",
	.buffer = srv_buffer,
	.next = srv_next,
	.reply = srv_reply,
	.stop = srv_stop,
	.cancel = srv_cancel,
};
