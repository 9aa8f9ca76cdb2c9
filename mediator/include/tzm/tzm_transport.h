/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Transport interface between the POSIX layer and the world boundary. The TA-side POSIX
 * layer (libtzm) and the shadow's executor call only these operations; how the bytes and
 * the doorbell cross the boundary is the transport's business. Implementations:
 *   - GP TEE: a GP shared-memory MEMREF plus TZM_FutexWait/Wake (or TEE_Wait polling on
 *     real OP-TEE) on the TA side, TEEC shared memory plus futex in the shadow;
 *   - local test transport: a memfd shared by two processes, futex both ways, no TEE;
 *   - Realm (ta/entry_realm.c): a window of unprotected IPA space plus RSI_HOST_CALL on
 *     the realm side; the host (shadow/run_realm.c) relays each call into the local
 *     channel, so the shadow side is the local transport's.
 * Nothing in the POSIX layer changes between them.
 */
#ifndef TZM_TRANSPORT_H
#define TZM_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tzm/tzm_wire.h>

#ifdef __cplusplus
extern "C" {
#endif

struct tzm_transport;

/* Protected-world side (client of the RPC). All functions return 0 or -errno. */
struct tzm_transport_ops {
	const char *name;
	/*
	 * The request/response data area: the caller builds the request blob there (one copy
	 * in) and reads the response blob from there (one copy out). *cap = usable bytes.
	 */
	uint8_t *(*buffer)(struct tzm_transport *t, size_t *cap);
	/*
	 * Sends req (header; blob already in buffer) and waits for the response header,
	 * copied into *resp exactly once. -EIO: channel broken or malformed response.
	 */
	int (*call)(struct tzm_transport *t, const struct tzm_wire_req *req,
		    struct tzm_wire_resp *resp);
	/*
	 * Optional (NULL: one call at a time through buffer/call): several calls in flight.
	 * slot_get: a free slot (reaping finished detached calls if needed), -EIO when the
	 * channel is broken; slot_buffer: its data area; submit: posts req on it (detached:
	 * nobody waits, the completion is checked and dropped); wait: that call's validated
	 * response header; drain: waits for every call in flight. 0 or -EIO.
	 */
	int (*slot_get)(struct tzm_transport *t);
	uint8_t *(*slot_buffer)(struct tzm_transport *t, uint32_t slot, size_t *cap);
	int (*submit)(struct tzm_transport *t, uint32_t slot, const struct tzm_wire_req *req,
		      bool detached);
	int (*wait)(struct tzm_transport *t, uint32_t slot, struct tzm_wire_resp *resp);
	int (*drain)(struct tzm_transport *t);
	/*
	 * Optional (NULL: one thread): lanes for threads. lane_reserve: a lane for a thread
	 * about to be created, or -EAGAIN (*limit: how many the channel has); lane_unreserve:
	 * gives it back when the thread was not created; lane_bind: the calling (new) thread
	 * uses it; lane_release: the calling thread ends (its calls in flight complete first).
	 */
	int (*lane_reserve)(struct tzm_transport *t, uint32_t *limit);
	void (*lane_unreserve)(struct tzm_transport *t, uint32_t lane);
	void (*lane_bind)(struct tzm_transport *t, uint32_t lane);
	void (*lane_release)(struct tzm_transport *t);
	/* Cancellable sleep: 0 when the time elapsed, -EINTR when the run was cancelled. */
	int (*sleep_ms)(struct tzm_transport *t, uint32_t ms);
	/* True once the normal world asked the run to stop (Ctrl-C / SIGTERM). */
	bool (*cancelled)(struct tzm_transport *t);
	/*
	 * Signals from the normal world (see tzm_wire.h, line 5). take_signals: the set the
	 * normal world posted since the last take (bit n = signal n; untrusted: the caller
	 * validates it), 0 for none. publish_signals: which forwarded signals would interrupt
	 * the program now, and which of them would end it (hints for the normal world).
	 * wait_signal: sleeps up to ms or until a signal is posted or the run is cancelled;
	 * 0 in every case (the caller looks). exit_signal: the program is about to die of sig.
	 */
	uint32_t (*take_signals)(struct tzm_transport *t);
	void (*publish_signals)(struct tzm_transport *t, uint32_t catch_mask, uint32_t dfl_mask);
	int (*wait_signal)(struct tzm_transport *t, uint32_t ms);
	void (*exit_signal)(struct tzm_transport *t, int sig);
	/*
	 * Threads' signals (transports with lanes; NULL otherwise). inflight_seq: the seq of
	 * the call submitted on slot and not answered yet (0: none), for an INTERRUPT request;
	 * wake_signal_waiters: wakes the TA's threads sleeping in wait_signal.
	 */
	uint32_t (*inflight_seq)(struct tzm_transport *t, uint32_t slot);
	void (*wake_signal_waiters)(struct tzm_transport *t);
};

struct tzm_transport {
	const struct tzm_transport_ops *ops;
	void *priv;
};

/* Normal-world side (server of the RPC). */
struct tzm_server_transport;
struct tzm_server_transport_ops {
	const char *name;
	uint8_t *(*buffer)(struct tzm_server_transport *t, size_t *cap);
	/* Waits for the next request header (copied once into *req). -ESHUTDOWN: stop. */
	int (*next)(struct tzm_server_transport *t, struct tzm_wire_req *req);
	/* Publishes the response header (blob already in buffer) and wakes the TA. */
	int (*reply)(struct tzm_server_transport *t, const struct tzm_wire_resp *resp);
	/*
	 * Optional (may be NULL): the call being served is about to enter a syscall that may
	 * block for long; lets the protected side stop spinning for the answer.
	 */
	void (*will_block)(struct tzm_server_transport *t);
	/* Makes a pending or future next() return -ESHUTDOWN (any thread). */
	void (*stop)(struct tzm_server_transport *t);
	/*
	 * Optional (NULL: one call at a time through next/buffer/reply): calls served
	 * concurrently. next_slot: next() that also gives the call's slot; its lane is
	 * slot / TZM_WIRE_LANE_SLOTS. slot_buffer: a slot's data area. complete: publishes
	 * the response to call seq on slot (blob already in its area); any thread.
	 * will_block_seq: will_block for call seq.
	 */
	int (*next_slot)(struct tzm_server_transport *t, struct tzm_wire_req *req, uint32_t *slot);
	uint8_t *(*slot_buffer)(struct tzm_server_transport *t, uint32_t slot, size_t *cap);
	int (*complete)(struct tzm_server_transport *t, uint32_t slot, uint32_t seq,
			const struct tzm_wire_resp *resp);
	void (*will_block_seq)(struct tzm_server_transport *t, uint32_t seq);
	/*
	 * Optional: how many threads the protected side says it has calls from (a hint,
	 * only used to start serving concurrently before the second thread's first call).
	 */
	uint32_t (*lanes_hint)(struct tzm_server_transport *t);
	/*
	 * Optional: whether the call last taken went to another thread to wait in the
	 * kernel (true) or was answered (false). The next request's wait learns how long it
	 * is separately for each: after a hand-off it is often long (the thread that made
	 * the call now waits for it, and the others may all be waiting too).
	 */
	void (*handed_off)(struct tzm_server_transport *t, bool yes);
	/* Tells the protected world that the user cancelled the run. */
	void (*cancel)(struct tzm_server_transport *t);
	/* Posts signal sig (one of TZM_WIRE_SIG_FORWARDED) to the protected world, any thread. */
	void (*post_signal)(struct tzm_server_transport *t, int sig);
	/*
	 * The signals posted and not yet taken. *catch_mask / *dfl_mask: the forwarded signals
	 * that interrupt the protected side now / that end it, as it published them (hints
	 * only); a side that does not take signals counts as catching and dying of all.
	 */
	uint32_t (*signal_state)(struct tzm_server_transport *t, uint32_t *catch_mask,
				 uint32_t *dfl_mask);
	/* The signal the protected side said it dies of (0: none), read once. */
	int (*exit_signal)(struct tzm_server_transport *t);
	/*
	 * 1: the protected side takes signals (a handler runs, or it dies of the default
	 * action at its next call); 0: it is running and takes none (libtzm's OP-TEE build),
	 * so only its host can end it; -1: not running yet. NULL: as 1.
	 */
	int (*signal_layer)(struct tzm_server_transport *t);
};

struct tzm_server_transport {
	const struct tzm_server_transport_ops *ops;
	void *priv;
};

#ifdef __cplusplus
}
#endif

#endif /* TZM_TRANSPORT_H */
