/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test, netif family: the network interface calls a server makes to list its
 * addresses or bind per interface (glibc's asked the kernel over a netlink or ioctl socket
 * the TA sandbox kills the TA for): if_nameindex/if_freenameindex, if_nametoindex,
 * if_indextoname, getifaddrs/freeifaddrs. The host's own interfaces are listed natively
 * and through the shadow in the same run: names, indexes, flags, families, addresses,
 * netmasks, broadcast/destination addresses and AF_PACKET hardware addresses must be the
 * same (ifa_data, the link statistics, is not compared: libtzm leaves it NULL). Errors: an
 * unknown name (ENODEV), a name of 16 bytes (ENODEV without asking), an empty name, index
 * 0 and an unused index (ENXIO).
 */
#include "tr.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <string.h>

/* if_nametoindex with the transcript's failure convention: -1 (errno set) for 0 */
static long name_to_index(const char *name)
{
	unsigned int ifindex = if_nametoindex(name);

	return ifindex ? (long)ifindex : -1;
}

/* if_indextoname: the length of the name, or -1 (errno set) */
static long index_to_name(unsigned int ifindex, char *name)
{
	return if_indextoname(ifindex, name) ? (long)strlen(name) : -1;
}

/* A socket address of a getifaddrs entry as text: the address, port-less. */
static const char *sa_text(const struct sockaddr *sa, char *out, size_t outlen)
{
	char ip[INET6_ADDRSTRLEN] = "";

	if (!sa) {
		return "-";
	}
	switch (sa->sa_family) {
	case AF_INET: {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;

		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
		snprintf(out, outlen, "inet %s", ip);
		break;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
		snprintf(out, outlen, "inet6 %s scope %u", ip, (unsigned)in6->sin6_scope_id);
		break;
	}
	case AF_PACKET: {
		const struct sockaddr_ll *ll = (const struct sockaddr_ll *)(const void *)sa;
		size_t used = 0;

		used = (size_t)snprintf(out, outlen, "packet index %d hatype %u halen %u hw",
					ll->sll_ifindex, (unsigned)ll->sll_hatype,
					(unsigned)ll->sll_halen);
		for (unsigned i = 0; i < ll->sll_halen && used + 4 < outlen; i++) {
			used += (size_t)snprintf(out + used, outlen - used, " %02x",
						 ((const unsigned char *)ll->sll_addr)[i]);
		}
		break;
	}
	default:
		snprintf(out, outlen, "family %d", sa->sa_family);
		break;
	}
	return out;
}

static void name_index(void)
{
	struct if_nameindex *list = NULL;
	char name[IF_NAMESIZE], long_name[IF_NAMESIZE + 1];
	unsigned int unused = 0;
	size_t n = 0;

	list = EXPECT_PTR(0, 0, if_nameindex());
	if (!list) {
		return;
	}
	for (struct if_nameindex *p = list; p->if_index != 0; p++, n++) {
		NOTE("interface %u %s", p->if_index, p->if_name);
		ASSERT(p->if_name && strlen(p->if_name) < IF_NAMESIZE);
		for (struct if_nameindex *q = list; q != p; q++) {
			ASSERT(q->if_index != p->if_index && strcmp(q->if_name, p->if_name) != 0);
		}
		EXPECT((long)p->if_index, 0, name_to_index(p->if_name));
		memset(name, 'x', sizeof(name));
		EXPECT((long)strlen(p->if_name), 0, index_to_name(p->if_index, name));
		ASSERT(strcmp(name, p->if_name) == 0);
		if (p->if_index >= unused) {
			unused = p->if_index + 1000;
		}
	}
	ASSERT(n > 0 && list[n].if_name == NULL);
	if_freenameindex(list);

	EXPECT(-1, ENODEV, name_to_index("tzmnosuchif0"));
	EXPECT(-1, ENODEV, name_to_index(""));
	memset(long_name, 'a', IF_NAMESIZE);
	long_name[IF_NAMESIZE] = '\0';
	EXPECT(-1, ENODEV, name_to_index(long_name));
	EXPECT(-1, ENXIO, index_to_name(0, name));
	NOTE("an index above every interface's");
	EXPECT(-1, ENXIO, index_to_name(unused, name));
}

static void addresses(void)
{
	struct ifaddrs *list = NULL;
	size_t n = 0;

	EXPECT(0, 0, getifaddrs(&list));
	for (struct ifaddrs *ifa = list; ifa; ifa = ifa->ifa_next, n++) {
		char a[160], m[160], u[160];
		int fam = ifa->ifa_addr ? ifa->ifa_addr->sa_family : -1;

		NOTE("%s flags %#x addr %s netmask %s %s %s", ifa->ifa_name, ifa->ifa_flags,
		     sa_text(ifa->ifa_addr, a, sizeof(a)), sa_text(ifa->ifa_netmask, m, sizeof(m)),
		     (ifa->ifa_flags & IFF_POINTOPOINT) ? "dst" : "broadcast",
		     sa_text(ifa->ifa_broadaddr, u, sizeof(u)));
		ASSERT(ifa->ifa_name && strlen(ifa->ifa_name) < IF_NAMESIZE);
		ASSERT(!ifa->ifa_netmask || ifa->ifa_netmask->sa_family == fam);
		if (fam == AF_PACKET) {
			const struct sockaddr_ll *ll =
				(const struct sockaddr_ll *)(const void *)ifa->ifa_addr;

			/* a link's entry: its name is the interface's */
			EXPECT((long)ll->sll_ifindex, 0, name_to_index(ifa->ifa_name));
		}
	}
	ASSERT(n > 0);
	freeifaddrs(list);
}

int main(int argc, char **argv)
{
	tr_begin("netif", argc, argv);
	name_index();
	addresses();
	return tr_end();
}
