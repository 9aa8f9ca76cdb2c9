/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Signals in a libtzm TA on OP-TEE: ta/signal.c (handlers run at call boundaries) is not
 * part of this build, and the TA announces no TZM_CAP_TA_SIGNALS, so the shadow applies
 * the default action of every signal forwarded to it (tzm-run ends with that signal).
 * Here: the hooks libtzm's RPC path calls, masks that are kept but never consulted
 * (nothing is delivered), and ENOSYS for installing a handler. A write that fails with
 * EPIPE returns EPIPE (as with SIGPIPE ignored).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "../../ta/tzm_int.h"

static sigset_t mask;

void tzm__sig_reset(void)
{
	memset(&mask, 0, sizeof(mask));
}

void tzm__sig_run_end(void)
{
}

void tzm__sig_boundary(void)
{
}

int tzm__sig_after_call(struct tzm__call *c, int64_t r, bool not_sent)
{
	(void)c;
	(void)r;
	(void)not_sent;
	return 0;
}

void tzm__sig_hold(bool on)
{
	(void)on;
}

int tzm__sig_call_start(int slot)
{
	(void)slot;
	return 0;
}

void tzm__sig_call_end(void)
{
}

int tzm__sig_chain_next(int slot)
{
	(void)slot;
	return 0;
}

void tzm__sig_call_done(int slot)
{
	(void)slot;
}

bool tzm__sig_take_bad(void)
{
	return false;
}

/* A sleep of the transport, in slices it can bound: only a cancellation ends it early. */
int tzm__sig_sleep(uint64_t ns, uint64_t *left)
{
	uint64_t start = tzm__monotonic_ns();

	for (;;) {
		uint64_t now = tzm__monotonic_ns(), done = now - start;
		uint64_t ms = 0;

		if (done >= ns) {
			break;
		}
		ms = (ns - done + 999999u) / 1000000u;
		if (tzm__rt.tp->ops->sleep_ms(tzm__rt.tp, ms > 1000u ? 1000u : (uint32_t)ms) != 0) {
			now = tzm__monotonic_ns();
			if (left) {
				*left = now - start >= ns ? 0 : ns - (now - start);
			}
			errno = EINTR;
			return -1;
		}
	}
	if (left) {
		*left = 0;
	}
	return 0;
}

static int sig_ok(int sig)
{
	return sig > 0 && sig < 64;
}

int sigemptyset(sigset_t *set)
{
	memset(set, 0, sizeof(*set));
	return 0;
}

int sigfillset(sigset_t *set)
{
	memset(set, 0xff, sizeof(*set));
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (!sig_ok(sig)) {
		errno = EINVAL;
		return -1;
	}
	set->sig[0] |= 1ul << (sig - 1);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (!sig_ok(sig)) {
		errno = EINVAL;
		return -1;
	}
	set->sig[0] &= ~(1ul << (sig - 1));
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (!sig_ok(sig)) {
		errno = EINVAL;
		return -1;
	}
	return (set->sig[0] >> (sig - 1)) & 1;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	if (old) {
		*old = mask;
	}
	if (!set) {
		return 0;
	}
	switch (how) {
	case SIG_BLOCK:
		mask.sig[0] |= set->sig[0];
		break;
	case SIG_UNBLOCK:
		mask.sig[0] &= ~set->sig[0];
		break;
	case SIG_SETMASK:
		mask = *set;
		break;
	default:
		return EINVAL;
	}
	return 0;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	int r = pthread_sigmask(how, set, old);

	if (r != 0) {
		errno = r;
		return -1;
	}
	return 0;
}

sighandler_t signal(int sig, sighandler_t handler)
{
	if (!sig_ok(sig)) {
		errno = EINVAL;
		return SIG_ERR;
	}
	if (handler == SIG_DFL) {
		return SIG_DFL; /* every disposition is the default one */
	}
	tzm__unsupported("signal");
	return SIG_ERR;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	if (!sig_ok(sig)) {
		errno = EINVAL;
		return -1;
	}
	if (old) {
		memset(old, 0, sizeof(*old)); /* SIG_DFL, empty mask, no flags */
	}
	if (!act || act->sa_handler == SIG_DFL) {
		return 0;
	}
	return tzm__unsupported("sigaction");
}

int raise(int sig)
{
	(void)sig;
	return tzm__unsupported("raise");
}
