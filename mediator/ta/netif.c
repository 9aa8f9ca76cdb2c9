/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Network interfaces for a TA: getifaddrs freeifaddrs if_nameindex if_freenameindex
 * if_nametoindex if_indextoname, answered by the shadow's own libc calls (GETIFADDRS,
 * IF_NAMEINDEX, IF_NAMETOINDEX, IF_INDEXTONAME); and getaddrinfo_a (unsupported). glibc
 * builds only: the OP-TEE libtzm does not have them.
 *
 * glibc's ask the kernel over a netlink or an ioctl socket of their own, which the TA
 * sandbox kills the TA for. Here the shadow answers fixed records (tzm_wire.h,
 * tzm_wire_ifaddr and tzm_wire_ifindex, layout TZM_WIRE_IF_VERSION, at most
 * TZM_WIRE_MAX_IFS: a host with more answers ENOBUFS), which are copied once into private
 * memory and checked whole before anything is built (copy -> validate -> act): names
 * NUL-terminated, 1..15 bytes, no '/' or white space; socket addresses AF_INET (16 B),
 * AF_INET6 (28 B) or AF_PACKET (a sockaddr_ll of its hardware address's length, a
 * nonzero index); a netmask only beside an AF_INET/AF_INET6 address of its family, with
 * contiguous bits; a broadcast/destination address only beside an address of its family;
 * if_nameindex's indexes nonzero and unique, its names unique. Any violation fails the
 * call with EIO and one log line, and nothing is returned or leaked.
 *
 * Memory: getifaddrs returns one block (entries, their addresses and names), as glibc's,
 * so glibc's freeifaddrs (free) would free it too; if_nameindex returns an array ending
 * with {0, NULL} whose names are allocated one by one, as glibc's, freed by
 * if_freenameindex. ifa_data (glibc: the link's statistics, AF_PACKET entries) is NULL:
 * the statistics are not forwarded.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tzm_int.h"

static_assert(IF_NAMESIZE == TZM_WIRE_IFNAMSIZ, "interface name size");
static_assert(sizeof(struct sockaddr_in6) <= TZM_WIRE_IF_SA &&
		      sizeof(struct sockaddr_ll) + 16 == TZM_WIRE_IF_SA,
	      "interface address slot: sockaddr_in6 or a sockaddr_ll of 24 address bytes");

/* glibc's largest hardware address in a getifaddrs AF_PACKET entry */
#define HW_ADDR_MAX 24u

/*
 * An interface name from the shadow, in its 16-byte field: NUL-terminated, 1..15 bytes,
 * not "." or "..", no '/' or white space (Linux's rule for device names; ':' stays
 * allowed: IPv4 labels such as "eth0:1"). Its length into *len.
 */
static bool if_name_ok(const char name[TZM_WIRE_IFNAMSIZ], size_t *len)
{
	size_t n = strnlen(name, TZM_WIRE_IFNAMSIZ);

	if (n == 0 || n == TZM_WIRE_IFNAMSIZ || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (ch == '/' || ch == ' ' || (ch >= '\t' && ch <= '\r')) {
			return false;
		}
	}
	*len = n;
	return true;
}

/*
 * One socket address of an entry: a family this encoding carries, with exactly its
 * length. *family receives it.
 */
static bool if_sa_ok(const uint8_t sa[TZM_WIRE_IF_SA], size_t len, sa_family_t *family)
{
	struct sockaddr_ll ll;
	sa_family_t fam = 0;

	if (len < sizeof(fam) || len > TZM_WIRE_IF_SA) {
		return false;
	}
	memcpy(&fam, sa, sizeof(fam));
	*family = fam;
	switch (fam) {
	case AF_INET:
		return len == sizeof(struct sockaddr_in);
	case AF_INET6:
		return len == sizeof(struct sockaddr_in6);
	case AF_PACKET:
		if (len < sizeof(ll)) {
			return false;
		}
		memcpy(&ll, sa, sizeof(ll));
		return ll.sll_halen <= HW_ADDR_MAX && ll.sll_ifindex > 0 &&
		       len == sizeof(ll) + (ll.sll_halen > sizeof(ll.sll_addr)
						    ? ll.sll_halen - sizeof(ll.sll_addr)
						    : 0);
	default:
		return false;
	}
}

/* A netmask's address bits are a prefix: ones, then zeros (glibc builds it from one). */
static bool mask_contiguous(const uint8_t *bits, size_t n)
{
	bool ended = false;

	for (size_t i = 0; i < n; i++) {
		uint8_t inv = (uint8_t)~bits[i];

		if ((ended && bits[i] != 0) || (inv & (uint8_t)(inv + 1)) != 0) {
			return false;
		}
		ended = ended || bits[i] != 0xff;
	}
	return true;
}

/* A whole getifaddrs record (pure): see the file comment. */
static bool ifaddr_ok(const struct tzm_wire_ifaddr *w)
{
	sa_family_t fa = 0, fm = 0, fu = 0;
	size_t len = 0;

	if (!if_name_ok(w->name, &len)) {
		return false;
	}
	if (w->addr_len == 0) {
		return w->netmask_len == 0 && w->ifu_len == 0;
	}
	if (!if_sa_ok(w->addr, w->addr_len, &fa)) {
		return false;
	}
	if (w->netmask_len != 0) {
		if (!if_sa_ok(w->netmask, w->netmask_len, &fm) || fm != fa) {
			return false;
		}
		if (fa == AF_INET &&
		    !mask_contiguous(w->netmask + offsetof(struct sockaddr_in, sin_addr), 4)) {
			return false;
		}
		if (fa == AF_INET6 &&
		    !mask_contiguous(w->netmask + offsetof(struct sockaddr_in6, sin6_addr), 16)) {
			return false;
		}
		if (fa == AF_PACKET) {
			return false;
		}
	}
	return w->ifu_len == 0 || (if_sa_ok(w->ifu, w->ifu_len, &fu) && fu == fa);
}

/*
 * A records answer (GETIFADDRS, IF_NAMEINDEX) of records of size rec: its count, checked
 * against the layout version and the blob, and a private copy of the records in *out (to
 * be freed; NULL for none). -1 with errno.
 */
static int64_t if_records(struct tzm__call *c, size_t rec, void **out)
{
	int64_t r = tzm__invoke(c);
	void *copy = NULL;

	*out = NULL;
	if (r < 0) {
		return -1;
	}
	if (c->resp.aux[0] != (int64_t)TZM_WIRE_IF_VERSION) {
		return tzm__malformed(c, "interface records of another layout version");
	}
	if (r > (int64_t)TZM_WIRE_MAX_IFS || c->resp.data_len != (uint64_t)r * rec) {
		return tzm__malformed(c, "interface record count");
	}
	if (r == 0) {
		return 0;
	}
	copy = malloc((size_t)r * rec);
	if (!copy) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(copy, c->buf, (size_t)r * rec); /* the only read of the answer */
	*out = copy;
	return r;
}

/* One entry of the block getifaddrs returns: the entry first, so the block is entry 0. */
union if_sa {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
	struct sockaddr_ll ll;
	uint8_t raw[TZM_WIRE_IF_SA];
};
struct ifa_entry {
	struct ifaddrs ifa;
	union if_sa addr, netmask, ifu;
	char name[TZM_WIRE_IFNAMSIZ];
};

static struct sockaddr *put_sa(union if_sa *dst, const uint8_t *src, size_t len)
{
	if (len == 0) {
		return NULL;
	}
	memcpy(dst->raw, src, len);
	return &dst->sa;
}

int getifaddrs(struct ifaddrs **ifap)
{
	struct tzm_wire_ifaddr *w = NULL;
	struct ifa_entry *e = NULL;
	struct tzm__call c;
	void *copy = NULL;
	int64_t n = 0;

	if (tzm__null(ifap)) {
		errno = EFAULT;
		return -1;
	}
	tzm__begin(&c, TZM_OP_GETIFADDRS);
	n = if_records(&c, sizeof(*w), &copy);
	if (n <= 0) {
		if (n == 0) {
			*ifap = NULL; /* no interface at all: glibc's answer too */
		}
		return n == 0 ? 0 : -1;
	}
	w = copy;
	for (int64_t i = 0; i < n; i++) {
		if (!ifaddr_ok(&w[i])) {
			free(copy);
			return (int)tzm__malformed(&c, "interface address record");
		}
	}
	e = calloc((size_t)n, sizeof(*e));
	if (!e) {
		free(copy);
		errno = ENOMEM;
		return -1;
	}
	for (int64_t i = 0; i < n; i++) {
		struct ifaddrs *ifa = &e[i].ifa;

		memcpy(e[i].name, w[i].name, sizeof(e[i].name));
		ifa->ifa_next = i + 1 < n ? &e[i + 1].ifa : NULL;
		ifa->ifa_name = e[i].name;
		ifa->ifa_flags = w[i].flags;
		ifa->ifa_addr = put_sa(&e[i].addr, w[i].addr, w[i].addr_len);
		ifa->ifa_netmask = put_sa(&e[i].netmask, w[i].netmask, w[i].netmask_len);
		ifa->ifa_broadaddr = put_sa(&e[i].ifu, w[i].ifu, w[i].ifu_len);
		ifa->ifa_data = NULL;
	}
	free(copy);
	*ifap = &e[0].ifa;
	return 0;
}

/* One block, entry 0 at its start: what glibc's freeifaddrs does too. */
void freeifaddrs(struct ifaddrs *ifa)
{
	free(ifa);
}

void if_freenameindex(struct if_nameindex *ptr)
{
	if (!ptr) {
		return;
	}
	for (struct if_nameindex *p = ptr; p->if_index != 0 || p->if_name; p++) {
		free(p->if_name);
	}
	free(ptr);
}

/* The if_nameindex records (pure): indexes 1..INT_MAX and names legal, both unique. */
static bool ifindex_ok(const struct tzm_wire_ifindex *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = 0;

		if (w[i].index == 0 || w[i].index > INT32_MAX || !if_name_ok(w[i].name, &len)) {
			return false;
		}
		for (size_t j = 0; j < i; j++) {
			if (w[j].index == w[i].index || strcmp(w[j].name, w[i].name) == 0) {
				return false;
			}
		}
	}
	return true;
}

struct if_nameindex *if_nameindex(void)
{
	struct if_nameindex *out = NULL;
	struct tzm_wire_ifindex *w = NULL;
	struct tzm__call c;
	void *copy = NULL;
	int64_t n = 0;

	tzm__begin(&c, TZM_OP_IF_NAMEINDEX);
	n = if_records(&c, sizeof(*w), &copy);
	if (n < 0) {
		return NULL;
	}
	w = copy;
	if (!ifindex_ok(w, (size_t)n)) {
		free(copy);
		tzm__malformed(&c, "interface index record");
		return NULL;
	}
	out = calloc((size_t)n + 1, sizeof(*out));
	for (int64_t i = 0; out && i < n; i++) {
		size_t len = strlen(w[i].name) + 1; /* validated: < 16 */

		out[i].if_name = malloc(len);
		if (!out[i].if_name) {
			if_freenameindex(out); /* entries 0..i-1; entry i is the terminator */
			out = NULL;
			break;
		}
		memcpy(out[i].if_name, w[i].name, len);
		out[i].if_index = w[i].index;
	}
	free(copy);
	if (!out) {
		errno = ENOBUFS; /* glibc's errno when memory runs out here */
	}
	return out;
}

unsigned int if_nametoindex(const char *name)
{
	struct tzm__call c;
	size_t len = 0;
	int64_t r = 0;

	if (tzm__null(name)) {
		errno = EFAULT;
		return 0;
	}
	len = strlen(name);
	if (len >= IF_NAMESIZE) {
		errno = ENODEV; /* glibc's answer, without asking the kernel */
		return 0;
	}
	tzm__begin(&c, TZM_OP_IF_NAMETOINDEX);
	memcpy(c.buf, name, len + 1);
	c.req.data_len = (uint32_t)(len + 1);
	r = tzm__invoke(&c);
	if (r < 0) {
		return 0;
	}
	if (r == 0 || r > INT32_MAX) {
		tzm__malformed(&c, "interface index");
		return 0;
	}
	return (unsigned int)r;
}

char *if_indextoname(unsigned int ifindex, char name[IF_NAMESIZE])
{
	char tmp[TZM_WIRE_IFNAMSIZ] = { 0 };
	struct tzm__call c;
	size_t len = 0;
	int64_t r = 0;

	if (tzm__null(name)) {
		errno = EFAULT;
		return NULL;
	}
	tzm__begin(&c, TZM_OP_IF_INDEXTONAME);
	c.req.args[0] = ifindex;
	r = tzm__invoke(&c);
	if (r < 0) {
		return NULL;
	}
	if (r < 2 || r > (int64_t)sizeof(tmp) || c.resp.data_len != (uint64_t)r) {
		tzm__malformed(&c, "interface name length");
		return NULL;
	}
	memcpy(tmp, c.buf, (size_t)r);
	if (!if_name_ok(tmp, &len) || len + 1 != (size_t)r) {
		tzm__malformed(&c, "interface name");
		return NULL;
	}
	memcpy(name, tmp, sizeof(tmp)); /* NUL-padded, as glibc's strncpy */
	return name;
}

/*
 * Asynchronous lookups: glibc's run its own getaddrinfo in a thread of its own, which
 * asks nscd and DNS over sockets the TA sandbox kills the TA for. EAI_SYSTEM with
 * errno ENOSYS and one log line; the requests are left untouched.
 */
int getaddrinfo_a(int mode, struct gaicb *list[], int nitems, struct sigevent *sevp)
{
	(void)mode;
	(void)list;
	(void)nitems;
	(void)sevp;
	tzm__unsupported("getaddrinfo_a");
	return EAI_SYSTEM;
}
