/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test, netdb family: the name-service calls whose glibc versions a TA's
 * sandbox refused or killed (NSS, found running Tcl's tclsh as a TA): gethostbyname
 * gethostbyname2 gethostbyname_r gethostbyaddr (no aliases are compared: libtzm's come
 * from getaddrinfo, which has none), getservbyname getservbyport getservent and _r,
 * getprotobyname getprotobynumber getprotoent and _r, getnetbyname getnetbyaddr
 * getnetent, getpwent getgrent and _r, getgrouplist, gethostid, sethostent gethostent
 * gethostent_r endhostent (/etc/hosts as `getent hosts` lists it). Not found, ERANGE and a
 * bad family are covered; lookups use only names the host's files hold (localhost,
 * loopback addresses, root), plus one name and one address no file holds.
 */
#include "tr.h"

#include <arpa/inet.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Notes a host lookup's answer: name, family, length and the addresses, or h_errno. */
static void note_host(const char *what, const struct hostent *h, int herr)
{
	char list[512] = "";
	size_t used = 0;

	if (!h) {
		NOTE("%s: NULL h_errno=%d", what, herr);
		return;
	}
	for (char **a = h->h_addr_list; *a && used < sizeof(list) - 64; a++) {
		char text[INET6_ADDRSTRLEN];

		inet_ntop(h->h_addrtype, *a, text, sizeof(text));
		used += (size_t)snprintf(list + used, sizeof(list) - used, " %s", text);
	}
	NOTE("%s: %s family %d length %d addresses%s", what, h->h_name, h->h_addrtype, h->h_length,
	     list);
}

static void hosts(void)
{
	struct hostent h, *r = NULL;
	struct in_addr v4;
	struct in6_addr v6;
	char buf[2048], small[16];
	int herr = 0;

	r = gethostbyname("localhost");
	note_host("gethostbyname(localhost)", r, h_errno);
	ASSERT(r && r->h_addrtype == AF_INET && r->h_length == 4);
	r = gethostbyname("127.0.0.1");
	note_host("gethostbyname(127.0.0.1)", r, h_errno);
	ASSERT(r && strcmp(r->h_name, "127.0.0.1") == 0);
	r = gethostbyname2("::1", AF_INET6);
	note_host("gethostbyname2(::1, AF_INET6)", r, h_errno);
	ASSERT(r && r->h_length == 16);
	r = gethostbyname2("127.0.0.1", AF_INET6);
	note_host("gethostbyname2(127.0.0.1, AF_INET6)", r, h_errno);
	ASSERT(!r);
	errno = 0;
	r = gethostbyname2("localhost", AF_UNIX);
	NOTE("gethostbyname2(localhost, AF_UNIX): %s h_errno=%d errno_is_eafnosupport=%d",
	     r ? "ptr" : "NULL", h_errno, errno == EAFNOSUPPORT);
	r = gethostbyname("tzm-no-such-host.invalid");
	note_host("gethostbyname(tzm-no-such-host.invalid)", r, h_errno);
	ASSERT(!r);

	EXPECT(0, 0, gethostbyname_r("localhost", &h, buf, sizeof(buf), &r, &herr));
	ASSERT(r == &h);
	note_host("gethostbyname_r(localhost)", r, herr);
	EXPECT(ERANGE, 0, gethostbyname_r("localhost", &h, small, sizeof(small), &r, &herr));
	ASSERT(r == NULL && herr == NETDB_INTERNAL);
	EXPECT(0, 0, gethostbyname2_r("::1", AF_INET6, &h, buf, sizeof(buf), &r, &herr));
	note_host("gethostbyname2_r(::1)", r, herr);

	inet_pton(AF_INET, "127.0.0.1", &v4);
	r = gethostbyaddr(&v4, sizeof(v4), AF_INET);
	note_host("gethostbyaddr(127.0.0.1)", r, h_errno);
	ASSERT(r != NULL);
	EXPECT(0, 0, gethostbyaddr_r(&v4, sizeof(v4), AF_INET, &h, buf, sizeof(buf), &r, &herr));
	note_host("gethostbyaddr_r(127.0.0.1)", r, herr);
	inet_pton(AF_INET, "192.0.2.7", &v4); /* TEST-NET-1: in no file */
	r = gethostbyaddr(&v4, sizeof(v4), AF_INET);
	note_host("gethostbyaddr(192.0.2.7)", r, h_errno);
	errno = 0;
	r = gethostbyaddr(&v4, 3, AF_INET);
	NOTE("gethostbyaddr(len 3): %s h_errno=%d", r ? "ptr" : "NULL", h_errno);
	inet_pton(AF_INET6, "::1", &v6);
	r = gethostbyaddr(&v6, sizeof(v6), AF_INET6);
	note_host("gethostbyaddr(::1)", r, h_errno);
}

/* Every entry of /etc/hosts with its aliases, as `getent hosts` lists them. */
static void note_hostent(const char *what, const struct hostent *h)
{
	char aliases[512] = "";
	size_t used = 0;

	for (char **a = h->h_aliases; *a && used < sizeof(aliases) - 64; a++) {
		used += (size_t)snprintf(aliases + used, sizeof(aliases) - used, " %s", *a);
	}
	note_host(what, h, 0);
	NOTE("  aliases:%s", aliases);
}

static void host_entries(void)
{
	struct hostent h, *r = NULL;
	char buf[2048], small[8];
	int herr = 0, n = 0;

	sethostent(0);
	while ((r = gethostent()) != NULL && n++ < 64) {
		note_hostent("gethostent", r);
	}
	NOTE("gethostent end: h_errno=%d after %d", h_errno, n);
	sethostent(1); /* rewinds */
	EXPECT(0, 0, gethostent_r(&h, buf, sizeof(buf), &r, &herr));
	ASSERT(r == &h && herr == 0);
	note_hostent("gethostent_r after sethostent", r);
	EXPECT(ERANGE, 0, gethostent_r(&h, small, sizeof(small), &r, &herr));
	NOTE("gethostent_r small: result %s h_errno=%d", r ? "ptr" : "NULL", herr);
	if (gethostent_r(&h, buf, sizeof(buf), &r, &herr) == 0) { /* the same entry again */
		note_hostent("gethostent_r after ERANGE", r);
	}
	endhostent();
	for (n = 0; gethostent_r(&h, buf, sizeof(buf), &r, &herr) == 0 && r && n < 64; n++) {
	}
	EXPECT(ENOENT, 0, gethostent_r(&h, buf, sizeof(buf), &r, &herr));
	NOTE("gethostent_r end after %d: result %s h_errno=%d", n, r ? "ptr" : "NULL", herr);
	endhostent();
}

static void note_serv(const char *what, const struct servent *s)
{
	char aliases[256] = "";
	size_t used = 0;

	if (!s) {
		NOTE("%s: NULL", what);
		return;
	}
	for (char **a = s->s_aliases; *a && used < sizeof(aliases) - 64; a++) {
		used += (size_t)snprintf(aliases + used, sizeof(aliases) - used, " %s", *a);
	}
	NOTE("%s: %s %d/%s aliases:%s", what, s->s_name, ntohs((uint16_t)s->s_port), s->s_proto,
	     aliases);
}

static void note_proto(const char *what, const struct protoent *p)
{
	char aliases[256] = "";
	size_t used = 0;

	if (!p) {
		NOTE("%s: NULL", what);
		return;
	}
	for (char **a = p->p_aliases; *a && used < sizeof(aliases) - 64; a++) {
		used += (size_t)snprintf(aliases + used, sizeof(aliases) - used, " %s", *a);
	}
	NOTE("%s: %s %d aliases:%s", what, p->p_name, p->p_proto, aliases);
}

static void services(void)
{
	struct servent s, *sr = NULL;
	struct protoent p, *pr = NULL;
	char buf[1024], small[8];

	note_serv("getservbyname(http, tcp)", EXPECT_PTR(0, 0, getservbyname("http", "tcp")));
	note_serv("getservbyname(www, tcp)", EXPECT_PTR(0, 0, getservbyname("www", "tcp")));
	note_serv("getservbyname(domain, NULL)", EXPECT_PTR(0, 0, getservbyname("domain", NULL)));
	note_serv("getservbyport(53, udp)", EXPECT_PTR(0, 0, getservbyport(htons(53), "udp")));
	note_serv("getservbyport(22, NULL)", EXPECT_PTR(0, 0, getservbyport(htons(22), NULL)));
	EXPECT_PTR(1, 0, getservbyname("tzm-no-such-service", "tcp"));
	EXPECT_PTR(1, 0, getservbyname("http", "tzm-no-such-proto"));
	EXPECT_PTR(1, 0, getservbyport(htons(1), "udp"));
	EXPECT(0, 0, getservbyname_r("ssh", "tcp", &s, buf, sizeof(buf), &sr));
	ASSERT(sr == &s);
	note_serv("getservbyname_r(ssh, tcp)", sr);
	EXPECT(0, 0, getservbyport_r(htons(443), "tcp", &s, buf, sizeof(buf), &sr));
	note_serv("getservbyport_r(443, tcp)", sr);
	EXPECT(0, 0, getservbyname_r("tzm-no-such-service", NULL, &s, buf, sizeof(buf), &sr));
	ASSERT(sr == NULL);
	EXPECT(ERANGE, 0, getservbyname_r("http", "tcp", &s, small, sizeof(small), &sr));
	ASSERT(sr == NULL);
	setservent(1);
	for (int i = 0; i < 3; i++) {
		note_serv("getservent", EXPECT_PTR(0, 0, getservent()));
	}
	setservent(0);
	note_serv("getservent after setservent", EXPECT_PTR(0, 0, getservent()));
	endservent();

	note_proto("getprotobyname(tcp)", EXPECT_PTR(0, 0, getprotobyname("tcp")));
	note_proto("getprotobyname(UDP)", EXPECT_PTR(0, 0, getprotobyname("UDP")));
	note_proto("getprotobynumber(58)", EXPECT_PTR(0, 0, getprotobynumber(58)));
	EXPECT_PTR(1, 0, getprotobyname("tzm-no-such-protocol"));
	EXPECT_PTR(1, 0, getprotobynumber(-1));
	EXPECT(0, 0, getprotobynumber_r(1, &p, buf, sizeof(buf), &pr));
	note_proto("getprotobynumber_r(1)", pr);
	EXPECT(0, 0, getprotobyname_r("udp", &p, buf, sizeof(buf), &pr));
	note_proto("getprotobyname_r(udp)", pr);
	EXPECT(ERANGE, 0, getprotobyname_r("tcp", &p, small, sizeof(small), &pr));
	ASSERT(pr == NULL);
	setprotoent(0);
	note_proto("getprotoent", EXPECT_PTR(0, 0, getprotoent()));
	endprotoent();
}

static void networks(void)
{
	struct netent *n = NULL;

	n = EXPECT_PTR(0, 0, getnetbyname("loopback"));
	if (n) {
		NOTE("getnetbyname(loopback): %s family %d net %#x", n->n_name, n->n_addrtype,
		     (unsigned)n->n_net);
	}
	n = EXPECT_PTR(0, 0, getnetbyaddr(0x7f000000, AF_INET));
	if (n) {
		NOTE("getnetbyaddr(127.0.0.0): %s", n->n_name);
	}
	EXPECT_PTR(1, 0, getnetbyname("tzm-no-such-network"));
	setnetent(0);
	n = EXPECT_PTR(0, 0, getnetent());
	if (n) {
		NOTE("getnetent: %s", n->n_name);
	}
	endnetent();
}

static void users(void)
{
	struct passwd pw, *pp = NULL;
	struct group gr, *gp = NULL;
	char buf[4096], small[8];
	gid_t groups[256];
	int n = 0, count = 0;

	setpwent();
	pp = EXPECT_PTR(0, 0, getpwent());
	if (pp) {
		NOTE("getpwent first: %s uid %u", pp->pw_name, (unsigned)pp->pw_uid);
	}
	while (getpwent()) {
		count++;
	}
	NOTE("getpwent: %d more entries", count);
	/* still the end (errno not compared: glibc's systemd source sets its own) */
	ASSERT(getpwent() == NULL);
	setpwent();
	EXPECT(0, 0, getpwent_r(&pw, buf, sizeof(buf), &pp));
	ASSERT(pp == &pw);
	NOTE("getpwent_r after setpwent: %s", pw.pw_name);
	EXPECT(ERANGE, 0, getpwent_r(&pw, small, sizeof(small), &pp));
	ASSERT(pp == NULL);
	endpwent();

	count = 0;
	setgrent();
	gp = EXPECT_PTR(0, 0, getgrent());
	if (gp) {
		NOTE("getgrent first: %s gid %u", gp->gr_name, (unsigned)gp->gr_gid);
	}
	while (getgrent()) {
		count++;
	}
	NOTE("getgrent: %d more entries", count);
	endgrent();
	EXPECT(0, 0, getgrent_r(&gr, buf, sizeof(buf), &gp)); /* reopens at the start */
	ASSERT(gp == &gr);
	NOTE("getgrent_r after endgrent: %s", gr.gr_name);
	endgrent();

	n = 256;
	EXPECT(TR_POS, 0, getgrouplist("root", 0, groups, &n));
	NOTE("getgrouplist(root, 0): %d groups, first %u", n, (unsigned)groups[0]);
	n = 256;
	EXPECT(1, 0, getgrouplist("tzm-no-such-user", 4242, groups, &n));
	ASSERT(n == 1 && groups[0] == 4242);
	n = 0;
	EXPECT(-1, 0, getgrouplist("root", 4242, groups, &n));
	NOTE("getgrouplist with no room: needs %d", n);
}

int main(int argc, char **argv)
{
	tr_begin("netdb", argc, argv);
	hosts();
	host_entries();
	services();
	networks();
	users();
	NOTE("gethostid: %#lx", (unsigned long)gethostid() & 0xffffffffUL);
	return tr_end();
}
