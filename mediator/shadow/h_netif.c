/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shadow handlers for the TA's network interface calls: getifaddrs, if_nameindex,
 * if_nametoindex and if_indextoname, run with the shadow's libc and answered in the fixed
 * records of tzm_wire.h (tzm_wire_ifaddr, tzm_wire_ifindex; layout TZM_WIRE_IF_VERSION in
 * aux0).
 *
 * Not gated by the policy: like uname/gethostname (the host's name) and getaddrinfo
 * (name resolution), the host's interface names and addresses describe the host the TA
 * runs on, which is not secret from it; the policy limits what a TA can reach and change,
 * and these calls reach nothing (no descriptor is made for the TA).
 *
 * Bounds: an answer carries at most TZM_WIRE_MAX_IFS records, and no more than a call's
 * answer holds (max_chunk: 136 bytes each, 68 KiB for 512 entries, within the smallest
 * slot area of 128 KiB; a policy's max_inflight can make it smaller). A host with more
 * answers ENOBUFS and the shadow says so once on its stderr, rather than a truncated list
 * the TA would take for the whole. getifaddrs entries of an
 * address family the encoding does not carry (AF_INET, AF_INET6 and AF_PACKET are all
 * glibc reports on Linux today) are left out, with one line.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "shadow.h"

static_assert(IF_NAMESIZE == TZM_WIRE_IFNAMSIZ, "interface name size");

/* glibc's largest hardware address in a getifaddrs AF_PACKET entry */
#define HW_ADDR_MAX 24u

/* A host with more than max entries (ENOBUFS): one line on tzm-run's stderr per run. */
static void say_too_many(bool *said, const char *call, size_t max)
{
	if (!*said) {
		fprintf(stderr,
			"tzm-run: %s: the host has more than %zu entries, more than one answer "
			"carries: the TA gets ENOBUFS\n",
			call, max);
		*said = true;
	}
}

/*
 * One socket address of a getifaddrs entry into a record field: its length, 0 for none,
 * -1 for a family the encoding does not carry.
 */
static int put_sa(uint8_t dst[TZM_WIRE_IF_SA], const struct sockaddr *sa)
{
	size_t len = 0;

	if (!sa) {
		return 0;
	}
	switch (sa->sa_family) {
	case AF_INET:
		len = sizeof(struct sockaddr_in);
		break;
	case AF_INET6:
		len = sizeof(struct sockaddr_in6);
		break;
	case AF_PACKET: {
		const struct sockaddr_ll *ll = (const struct sockaddr_ll *)(const void *)sa;

		if (ll->sll_halen > HW_ADDR_MAX) {
			return -1;
		}
		len = sizeof(*ll) + (ll->sll_halen > sizeof(ll->sll_addr)
					     ? ll->sll_halen - sizeof(ll->sll_addr)
					     : 0);
		break;
	}
	default:
		return -1;
	}
	memcpy(dst, sa, len);
	return (int)len;
}

/* One entry into *w; false when it cannot be carried (left out). */
static bool put_ifaddr(struct tzm_wire_ifaddr *w, const struct ifaddrs *ifa)
{
	int a = 0, m = 0, u = 0;

	size_t len = ifa->ifa_name ? strnlen(ifa->ifa_name, TZM_WIRE_IFNAMSIZ) : 0;

	memset(w, 0, sizeof(*w));
	if (len == 0 || len == TZM_WIRE_IFNAMSIZ) {
		return false; /* the kernel's names are 1..15 bytes */
	}
	memcpy(w->name, ifa->ifa_name, len);
	w->flags = ifa->ifa_flags;
	a = put_sa(w->addr, ifa->ifa_addr);
	m = a > 0 ? put_sa(w->netmask, ifa->ifa_netmask) : 0;
	u = a > 0 ? put_sa(w->ifu, ifa->ifa_broadaddr) : 0;
	if (a < 0 || m < 0 || u < 0) {
		return false;
	}
	w->addr_len = (uint8_t)a;
	w->netmask_len = (uint8_t)m;
	w->ifu_len = (uint8_t)u;
	return true;
}

/* How many records fit the answer: TZM_WIRE_MAX_IFS, or fewer in a small slot area. */
static size_t max_records(size_t cap, size_t rec)
{
	return cap / rec < TZM_WIRE_MAX_IFS ? cap / rec : TZM_WIRE_MAX_IFS;
}

/*
 * Appends one record of rec bytes at index *n of buf, or, when max are there already,
 * marks the list as too long (*n = max + 1) and returns false: stop.
 */
static bool append_record(uint8_t *buf, size_t *n, size_t max, const void *record, size_t rec)
{
	if (*n == max) {
		*n = max + 1;
		return false;
	}
	memcpy(buf + *n * rec, record, rec);
	(*n)++;
	return true;
}

/* n records of rec bytes are in the buffer (n == max + 1: more than fit): the answer. */
static void answer_records(struct tzm_wire_resp *rs, size_t n, size_t max, size_t rec, bool *said,
			   const char *call)
{
	if (n > max) {
		say_too_many(said, call, max);
		tzm__set_err(rs, ENOBUFS);
		return;
	}
	rs->aux[0] = TZM_WIRE_IF_VERSION;
	rs->data_len = (uint32_t)(n * rec);
	tzm__set_ret(rs, (int64_t)n);
}

void tzm__h_GETIFADDRS(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
		       size_t cap, struct tzm_wire_resp *rs)
{
	static bool said_many, said_family;
	size_t n = 0, max = max_records(cap, sizeof(struct tzm_wire_ifaddr));
	struct ifaddrs *list = NULL;

	(void)s;
	(void)rq;
	if (getifaddrs(&list) != 0) {
		tzm__set_ret(rs, -1);
		return;
	}
	for (const struct ifaddrs *ifa = list; ifa; ifa = ifa->ifa_next) {
		struct tzm_wire_ifaddr w;

		if (!put_ifaddr(&w, ifa)) {
			if (!said_family) {
				fprintf(stderr,
					"tzm-run: getifaddrs: an entry of address family %d left "
					"out: the TA gets AF_INET, AF_INET6 and AF_PACKET "
					"entries\n",
					ifa->ifa_addr ? (int)ifa->ifa_addr->sa_family : 0);
				said_family = true;
			}
			continue;
		}
		if (!append_record(buf, &n, max, &w, sizeof(w))) {
			break;
		}
	}
	freeifaddrs(list);
	answer_records(rs, n, max, sizeof(struct tzm_wire_ifaddr), &said_many, "getifaddrs");
}

void tzm__h_IF_NAMEINDEX(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
			 size_t cap, struct tzm_wire_resp *rs)
{
	static bool said_many;
	size_t n = 0, max = max_records(cap, sizeof(struct tzm_wire_ifindex));
	struct if_nameindex *list = NULL;

	(void)s;
	(void)rq;
	list = if_nameindex();
	if (!list) {
		tzm__set_ret(rs, -1);
		return;
	}
	for (const struct if_nameindex *p = list; p->if_index != 0 || p->if_name; p++) {
		struct tzm_wire_ifindex w;

		memset(&w, 0, sizeof(w));
		w.index = p->if_index;
		if (p->if_name) {
			/* the kernel's names are 1..15 bytes; libtzm refuses anything else */
			memcpy(w.name, p->if_name, strnlen(p->if_name, sizeof(w.name) - 1));
		}
		if (!append_record(buf, &n, max, &w, sizeof(w))) {
			break;
		}
	}
	if_freenameindex(list);
	answer_records(rs, n, max, sizeof(struct tzm_wire_ifindex), &said_many, "if_nameindex");
}

void tzm__h_IF_NAMETOINDEX(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
			   size_t cap, struct tzm_wire_resp *rs)
{
	char name[TZM_WIRE_IFNAMSIZ];
	unsigned int ifindex = 0;

	(void)s;
	(void)cap;
	if (tzm__req_str(buf, rq->data_len, 0, name, sizeof(name)) != (long)rq->data_len) {
		tzm__set_err(rs, EINVAL); /* libtzm sends 1..15 bytes and their NUL, nothing else */
		return;
	}
	errno = 0;
	ifindex = if_nametoindex(name);
	if (ifindex == 0 || ifindex > INT32_MAX) {
		tzm__set_err(rs, ifindex ? EIO : errno ? errno : ENODEV);
		return;
	}
	tzm__set_ret(rs, ifindex);
}

void tzm__h_IF_INDEXTONAME(struct tzm_shadow *s, const struct tzm_wire_req *rq, uint8_t *buf,
			   size_t cap, struct tzm_wire_resp *rs)
{
	char name[IF_NAMESIZE] = "";
	size_t len = 0;

	(void)s;
	if (rq->args[0] < 0 || rq->args[0] > (int64_t)UINT32_MAX || rq->data_len != 0) {
		tzm__set_err(rs, EINVAL);
		return;
	}
	errno = 0;
	if (!if_indextoname((unsigned int)rq->args[0], name)) {
		tzm__set_err(rs, errno ? errno : ENXIO);
		return;
	}
	len = strnlen(name, sizeof(name));
	if (len == 0 || len == sizeof(name) || len + 1 > cap) {
		tzm__set_err(rs, EIO); /* glibc's copy of the kernel's name: never */
		return;
	}
	memcpy(buf, name, len + 1);
	rs->data_len = (uint32_t)(len + 1);
	tzm__set_ret(rs, (int64_t)(len + 1));
}
