/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Calls from the TA thread to tzm-teed: fire-and-forget sends (traces) and synchronous
 * requests (core services, TA-to-TA sessions) whose replies the main thread receives and
 * hands over here. The core answers a TA host's requests in order and the TA thread has
 * at most one outstanding, so one reply slot suffices.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "ta_host_rpc.h"

int host_send(uint16_t cmd, const void *p1, size_t l1, const void *p2, size_t l2, const int *fds,
	      int nfds)
{
	uint32_t seq = __atomic_add_fetch(&g_host.next_seq, 1, __ATOMIC_RELAXED);

	return tzm__msg_send(g_host.chan, cmd, seq | 0x80000000u, 0, 0, p1, l1, p2, l2, fds, nfds);
}

int host_rpc(uint16_t cmd, const void *p1, size_t l1, const void *p2, size_t l2, const int *fds,
	     int nfds, struct tzm__msg *reply)
{
	uint32_t seq = __atomic_add_fetch(&g_host.next_seq, 1, __ATOMIC_RELAXED) | 0x80000000u;
	int rc;

	pthread_mutex_lock(&g_host.lock);
	if (g_host.quit) {
		pthread_mutex_unlock(&g_host.lock);
		return -ECONNRESET;
	}
	g_host.rpc_seq = seq;
	g_host.rpc_done = false;
	g_host.rpc_failed = false;
	g_host.rpc_reply = reply;
	rc = tzm__msg_send(g_host.chan, cmd, seq, 0, 0, p1, l1, p2, l2, fds, nfds);
	while (rc == 0 && !g_host.rpc_done && !g_host.rpc_failed) {
		pthread_cond_wait(&g_host.cond, &g_host.lock);
	}
	if (rc == 0 && g_host.rpc_failed) {
		rc = -ECONNRESET;
	}
	g_host.rpc_seq = 0;
	g_host.rpc_reply = NULL;
	pthread_mutex_unlock(&g_host.lock);
	return rc;
}

/* Main thread: a reply arrived. Returns silently for replies nobody waits for. */
void host_rpc_deliver(struct tzm__msg *m)
{
	pthread_mutex_lock(&g_host.lock);
	if (g_host.rpc_seq && m->hdr.seq == g_host.rpc_seq && g_host.rpc_reply) {
		struct tzm__msg *r = g_host.rpc_reply;

		r->hdr = m->hdr;
		memcpy(r->body, m->body, m->hdr.len);
		memcpy(r->fds, m->fds, sizeof(m->fds));
		r->nfds = m->nfds;
		m->nfds = 0;
		g_host.rpc_done = true;
		pthread_cond_broadcast(&g_host.cond);
	}
	pthread_mutex_unlock(&g_host.lock);
}

void host_rpc_fail(void)
{
	pthread_mutex_lock(&g_host.lock);
	g_host.rpc_failed = true;
	g_host.quit = true;
	pthread_cond_broadcast(&g_host.cond);
	pthread_mutex_unlock(&g_host.lock);
}

void host_log_text(int level, const char *text, size_t len)
{
	struct tee_msg_host_log_req req;

	memset(&req, 0, sizeof(req));
	req.level = (uint32_t)level;
	if (len > TEE_MSG_MAX_LOG_LINE) {
		len = TEE_MSG_MAX_LOG_LINE;
	}
	host_send(TEE_MSG_HOST_LOG, &req, sizeof(req), text, len, NULL, 0);
}

void host_log(int level, const char *fmt, ...)
{
	char buf[TEE_MSG_MAX_LOG_LINE];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0) {
		host_log_text(level, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	}
}

/* ---- OP-TEE trace API (trace.h) ---- */
static int trace_level = TRACE_MAX;

int trace_get_level(void)
{
	return trace_level;
}

void trace_set_level(int level)
{
	if (level >= TRACE_MIN && level <= TRACE_MAX) {
		trace_level = level;
	}
}

void trace_printf(const char *func, int line, int level, bool level_ok, const char *fmt, ...)
{
	char buf[TEE_MSG_MAX_LOG_LINE];
	size_t n = 0;
	va_list ap;
	int k;

	if (level > trace_level) {
		return;
	}
	if (level_ok && func) {
		k = snprintf(buf, sizeof(buf), "%s:%d: ", func, line);
		n = k > 0 ? (size_t)k : 0;
	}
	va_start(ap, fmt);
	k = vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (k > 0) {
		n += (size_t)k;
	}
	if (n >= sizeof(buf)) {
		n = sizeof(buf) - 1;
	}
	host_log_text(level, buf, n);
}

void trace_ext_puts(const char *str)
{
	host_log_text(TRACE_ERROR, str, strlen(str));
}

TEE_Result ta_host__core_call(uint32_t cmd, const void *req, size_t req_len, void *resp,
			      size_t resp_cap, size_t *resp_len)
{
	static struct tzm__msg reply; /* TA thread only */
	struct tee_msg_host_call_req hdr;
	TEE_Result res;

	if (resp_len) {
		*resp_len = 0;
	}
	if (req_len > TEE_MSG_MAX_PAYLOAD || (req_len && !req) || (resp_cap && !resp) ||
	    !resp_len) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	memset(&hdr, 0, sizeof(hdr));
	hdr.cmd = cmd;
	if (host_rpc(TEE_MSG_HOST_CALL, &hdr, sizeof(hdr), req, req_len, NULL, 0, &reply)) {
		return TEE_ERROR_COMMUNICATION;
	}
	tzm__msg_close_fds(&reply);
	res = reply.hdr.ret;
	if (reply.hdr.len > TEE_MSG_MAX_PAYLOAD) {
		return TEE_ERROR_COMMUNICATION;
	}
	*resp_len = reply.hdr.len;
	if (reply.hdr.len > resp_cap) {
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (reply.hdr.len) { /* resp may be NULL when no reply data is expected */
		memcpy(resp, reply.body, reply.hdr.len);
	}
	return res;
}
