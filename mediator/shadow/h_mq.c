/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shadow handlers for POSIX message queues. Queue names are checked against the policy's
 * `mq` rules; a queue descriptor is a TA fd like any other.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <string.h>

#include "shadow.h"

static bool get_name(const struct tzm_wire_req *rq, const uint8_t *buf, char *name, size_t len,
		     struct tzm_wire_resp *rs)
{
	if (tzm__req_str(buf, rq->data_len, 0, name, len) < 0) {
		tzm__set_err(rs, ENAMETOOLONG);
		return false;
	}
	return true;
}

void tzm__h_MQ_OPEN(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		    struct tzm_wire_resp *rs)
{
	char name[NAME_MAX + 2];
	struct mq_attr attr;
	int oflag = (int)rq->args[0];
	mqd_t q = (mqd_t)-1;

	(void)cap;
	if (!get_name(rq, buf, name, sizeof(name), rs)) {
		return;
	}
	if (oflag & ~(O_ACCMODE | O_CREAT | O_EXCL | O_NONBLOCK | O_CLOEXEC)) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	if (tzm_policy_mq(s->pol, name) != 0) {
		tzm_policy_deny_log(s->pol, "mq_open %s", name);
		tzm__set_err(rs, EACCES);
		return;
	}
	memset(&attr, 0, sizeof(attr));
	attr.mq_maxmsg = rq->args[3];
	attr.mq_msgsize = rq->args[4];
	q = mq_open(name, oflag | O_CLOEXEC, (mode_t)(rq->args[1] & 0777),
		    (oflag & O_CREAT) && rq->args[2] ? &attr : NULL);
	/* Linux: message queue descriptors are always close-on-exec */
	(void)tzm__sfd_answer(s, (int)q, SFD_MQ, true, rs);
}

static struct tzm__sfd *get_mq(struct tzm_shadow *s, int64_t fd, struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = tzm__sfd_get(s, fd, rs);

	if (f && f->kind != SFD_MQ) {
		tzm__set_err(rs, EBADF);
		return NULL;
	}
	return f;
}

void tzm__h_MQ_SEND(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		    struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = get_mq(s, rq->args[0], rs);
	struct tzm__unlocked u;

	(void)cap;
	/* a full queue waits for a receiver */
	if (f && tzm__unlock(s, &u, f->host, -1, rs)) {
		tzm__set_ret(rs, mq_send((mqd_t)u.fd[0], (const char *)buf, rq->data_len,
					 (unsigned)rq->args[1]));
		tzm__relock(s, &u);
	}
}

void tzm__h_MQ_RECEIVE(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
		       size_t cap, struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = get_mq(s, rq->args[0], rs);
	struct tzm__unlocked u;
	unsigned prio = 0;
	ssize_t r = 0;

	if (!f) {
		return;
	}
	if (!tzm__req_count(rq->args[1], cap, rs)) {
		return;
	}
	/* an empty queue waits for a sender */
	if (!tzm__unlock(s, &u, f->host, -1, rs)) {
		return;
	}
	r = mq_receive((mqd_t)u.fd[0], (char *)buf, (size_t)rq->args[1], &prio);
	tzm__set_ret(rs, r);
	if (r >= 0) {
		rs->data_len = (uint32_t)r;
		rs->aux[0] = prio;
	}
	tzm__relock(s, &u);
}

void tzm__h_MQ_UNLINK(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf, size_t cap,
		      struct tzm_wire_resp *rs)
{
	char name[NAME_MAX + 2];

	(void)cap;
	if (!get_name(rq, buf, name, sizeof(name), rs)) {
		return;
	}
	if (tzm_policy_mq(s->pol, name) != 0) {
		tzm_policy_deny_log(s->pol, "mq_unlink %s", name);
		tzm__set_err(rs, EACCES);
		return;
	}
	tzm__set_ret(rs, mq_unlink(name));
}

void tzm__h_MQ_GETATTR(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
		       size_t cap, struct tzm_wire_resp *rs)
{
	struct tzm__sfd *f = get_mq(s, rq->args[0], rs);
	struct mq_attr attr;

	(void)buf;
	(void)cap;
	if (!f) {
		return;
	}
	if (mq_getattr((mqd_t)f->host, &attr) != 0) {
		tzm__set_ret(rs, -1);
		return;
	}
	rs->aux[0] = attr.mq_flags;
	rs->aux[1] = attr.mq_maxmsg;
	rs->aux[2] = attr.mq_msgsize;
	rs->aux[3] = attr.mq_curmsgs;
	tzm__set_ret(rs, 0);
}
