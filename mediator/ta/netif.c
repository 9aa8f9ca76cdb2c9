/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Network interfaces for a TA: getifaddrs if_nametoindex if_indextoname if_nameindex, and
 * getaddrinfo_a (glibc builds only: the OP-TEE libtzm has its own netdb surface).
 * glibc's ask the kernel over a netlink or an ioctl socket of their own, a system call
 * for which the TA sandbox kills the TA; the shadow has no call for them (yet). Each
 * fails with ENOSYS and one log line. (freeifaddrs and if_freenameindex stay glibc's:
 * they only free what a successful call returned, which never happens here.)
 */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>

#include "tzm_int.h"

int getifaddrs(struct ifaddrs **ifap)
{
	if (!tzm__null(ifap)) {
		*ifap = NULL;
	}
	return tzm__unsupported("getifaddrs");
}

unsigned int if_nametoindex(const char *name)
{
	(void)name;
	tzm__unsupported("if_nametoindex");
	return 0;
}

char *if_indextoname(unsigned int index, char name[IF_NAMESIZE])
{
	(void)index;
	(void)name;
	tzm__unsupported("if_indextoname");
	return NULL;
}

struct if_nameindex *if_nameindex(void)
{
	tzm__unsupported("if_nameindex");
	return NULL;
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
