/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One libc call per run, named by argv[1], whose glibc implementation reaches code a TA's
 * sandbox refuses (NSS asking nscd over a socket, a DNS query, a netlink socket, syslog's
 * /dev/log, fork/exec/clone, gconv and locale files, stat and open in tree walks): prints "<name>:
 * <outcome>" and exits 0. As a TA each must end that way, never by the sandbox's kill;
 * test_nss_probe.sh runs every name and checks the outcome (an answer, or ENOSYS and libtzm's log
 * line naming the call). "list" prints the names.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <ftw.h>
#include <grp.h>
#include <iconv.h>
#include <ifaddrs.h>
#include <langinfo.h>
#include <locale.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <syslog.h>
#include <unistd.h>
#include <wordexp.h>

extern char **environ;

static const char *errname(int e)
{
	switch (e) {
	case 0:
		return "0";
	case ENOSYS:
		return "ENOSYS";
	case ENOENT:
		return "ENOENT";
	case EACCES:
		return "EACCES";
	case EPERM:
		return "EPERM";
	case ERANGE:
		return "ERANGE";
	case EINVAL:
		return "EINVAL";
	case EAFNOSUPPORT:
		return "EAFNOSUPPORT";
	case ENODEV:
		return "ENODEV";
	case ENXIO:
		return "ENXIO";
	case EOPNOTSUPP:
		return "EOPNOTSUPP";
	default:
		return "other";
	}
}

static void ptr_result(const char *name, const void *p, int err)
{
	printf("%s: %s errno=%s\n", name, p ? "found" : "NULL", p ? "0" : errname(err));
}

static void int_result(const char *name, int r, int err)
{
	printf("%s: %d errno=%s\n", name, r, r < 0 ? errname(err) : "0");
}

static void h_result(const char *name, const struct hostent *h)
{
	int herr = h_errno;

	if (h) {
		printf("%s: found %s type %d len %d\n", name, h->h_name, h->h_addrtype,
		       h->h_length);
	} else {
		printf("%s: NULL h_errno=%d\n", name, herr);
	}
}

#define P(name) static void probe_##name(void)

P(gethostbyname)
{
	h_result("gethostbyname", gethostbyname("localhost"));
}

P(gethostbyname2)
{
	h_result("gethostbyname2", gethostbyname2("localhost", AF_INET));
}

P(gethostbyname_r)
{
	struct hostent h, *r = NULL;
	char buf[1024];
	int herr = 0, rc = gethostbyname_r("localhost", &h, buf, sizeof(buf), &r, &herr);

	printf("gethostbyname_r: %d %s h_errno=%d\n", rc, r ? r->h_name : "NULL", herr);
}

P(gethostbyaddr)
{
	struct in_addr a = { htonl(INADDR_LOOPBACK) };

	h_result("gethostbyaddr", gethostbyaddr(&a, sizeof(a), AF_INET));
}

P(gethostent)
{
	sethostent(0);
	h_result("gethostent", gethostent());
	endhostent();
}

P(getservbyname)
{
	struct servent *s = getservbyname("http", "tcp");

	printf("getservbyname: %s %d\n", s ? s->s_name : "NULL", s ? ntohs(s->s_port) : -1);
}

P(getservbyport)
{
	struct servent *s = getservbyport(htons(22), "tcp");

	printf("getservbyport: %s\n", s ? s->s_name : "NULL");
}

P(getservent)
{
	struct servent *s = NULL;

	setservent(0);
	s = getservent();
	printf("getservent: %s\n", s ? s->s_name : "NULL");
	endservent();
}

P(getprotobyname)
{
	struct protoent *p = getprotobyname("tcp");

	printf("getprotobyname: %s %d\n", p ? p->p_name : "NULL", p ? p->p_proto : -1);
}

P(getprotobynumber)
{
	struct protoent *p = getprotobynumber(17);

	printf("getprotobynumber: %s\n", p ? p->p_name : "NULL");
}

P(getnetbyname)
{
	struct netent *n = getnetbyname("loopback");
	int err = errno;

	ptr_result("getnetbyname", n, err);
}

P(getpwent)
{
	struct passwd *p = NULL;

	setpwent();
	p = getpwent();
	printf("getpwent: %s\n", p ? p->pw_name : "NULL");
	endpwent();
}

P(getgrent)
{
	struct group *g = NULL;

	setgrent();
	g = getgrent();
	printf("getgrent: %s\n", g ? g->gr_name : "NULL");
	endgrent();
}

P(getgrouplist)
{
	gid_t groups[64];
	int n = 64, rc = getgrouplist("root", 0, groups, &n);

	printf("getgrouplist: %d n=%d\n", rc, n);
}

P(initgroups)
{
	int rc = initgroups("root", 0);

	int_result("initgroups", rc, errno);
}

P(getlogin)
{
	char *l = getlogin();
	int err = errno;

	ptr_result("getlogin", l, err);
}

P(getaddrinfo_a)
{
	struct gaicb req = { .ar_name = "localhost" };
	struct gaicb *list[1] = { &req };
	int rc = getaddrinfo_a(GAI_WAIT, list, 1, NULL);

	printf("getaddrinfo_a: %d errno=%s\n", rc, errname(errno));
	if (rc == 0 && req.ar_result) {
		freeaddrinfo(req.ar_result);
	}
}

P(getifaddrs)
{
	struct ifaddrs *ifa = NULL;
	int rc = getifaddrs(&ifa);

	int_result("getifaddrs", rc, errno);
	if (rc == 0) {
		freeifaddrs(ifa);
	}
}

P(if_nametoindex)
{
	unsigned idx = if_nametoindex("lo");

	printf("if_nametoindex: %u errno=%s\n", idx, idx ? "0" : errname(errno));
}

P(if_nameindex)
{
	struct if_nameindex *ni = if_nameindex();
	int err = errno;

	ptr_result("if_nameindex", ni, err);
	if (ni) {
		if_freenameindex(ni);
	}
}

P(syslog)
{
	openlog("nss_probe", LOG_PID, LOG_USER);
	errno = 0;
	syslog(LOG_DEBUG, "nss_probe test message");
	printf("syslog: returned errno=%s\n", errname(errno));
	closelog();
}

P(gethostid)
{
	long id = gethostid();

	printf("gethostid: %s errno=%s\n", id ? "nonzero" : "0", errname(errno));
}

P(iconv_open)
{
	iconv_t cd = iconv_open("UTF-16", "UTF-8");
	int err = errno;

	printf("iconv_open: %s errno=%s\n", cd == (iconv_t)-1 ? "-1" : "ok",
	       cd == (iconv_t)-1 ? errname(err) : "0");
	if (cd != (iconv_t)-1) {
		iconv_close(cd);
	}
}

P(setlocale)
{
	char *l = setlocale(LC_ALL, "C.UTF-8");
	int err = errno;

	ptr_result("setlocale", l, err);
}

P(listxattr)
{
	char names[256];
	ssize_t n = listxattr(".", names, sizeof(names));

	int_result("listxattr", (int)n, errno);
}

P(fcntl_getlk)
{
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
	int fd = open("/etc/hosts", O_RDONLY);
	int rc = fcntl(fd, F_GETLK, &fl);

	int_result("fcntl_getlk", rc, errno);
	close(fd);
}

/* record locks are forwarded (above); leases are not: ENOSYS and the command named */
P(fcntl_setlease)
{
	int fd = open("/etc/hosts", O_RDONLY);
	int rc = fcntl(fd, F_SETLEASE, F_RDLCK);

	int_result("fcntl_setlease", rc, errno);
	close(fd);
}

P(posix_spawn)
{
	pid_t pid = 0;
	char *argv[] = { "true", NULL };
	int rc = posix_spawnp(&pid, "true", NULL, NULL, argv, environ);

	printf("posix_spawn: %d %s\n", rc, errname(rc));
	if (rc == 0) {
		waitpid(pid, NULL, 0);
	}
}

P(execl)
{
	int rc = execl("/bin/true", "true", (char *)NULL);

	int_result("execl", rc, errno);
}

P(execlp)
{
	int rc = execlp("true", "true", (char *)NULL);

	int_result("execlp", rc, errno);
}

P(wordexp)
{
	wordexp_t we;
	int rc = wordexp("$(true)", &we, 0);

	printf("wordexp: %d\n", rc);
	if (rc == 0 || rc == WRDE_NOSPACE) { /* NOSPACE may leave words to free */
		wordfree(&we);
	}
}

P(daemon)
{
	int rc = daemon(1, 1);

	int_result("daemon", rc, errno);
}

P(fts_open)
{
	char *paths[] = { "/usr", NULL };
	FTS *fts = fts_open(paths, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	FTSENT *e = fts ? fts_read(fts) : NULL;

	if (!fts) {
		ptr_result("fts_open", fts, errno);
		return;
	}
	printf("fts_open: first entry %s fts_errno=%s\n",
	       !e                      ? "none"
	       : e->fts_info == FTS_NS ? "FTS_NS"
				       : "not FTS_NS",
	       e ? errname(e->fts_errno) : "-");
	fts_close(fts);
}

static int walk_fn(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)path;
	(void)st;
	(void)type;
	(void)ftw;
	return 1; /* stop at the first entry */
}

P(nftw)
{
	int rc = nftw("/usr", walk_fn, 4, FTW_PHYS);

	int_result("nftw", rc, errno);
}

struct probe {
	const char *name;
	void (*fn)(void);
};

#define E(name)                                                                                    \
	{                                                                                          \
#name, probe_##name                                                                \
	}

static const struct probe probes[] = {
	E(gethostbyname),  E(gethostbyname2),   E(gethostbyname_r), E(gethostbyaddr),
	E(gethostent),     E(getservbyname),    E(getservbyport),   E(getservent),
	E(getprotobyname), E(getprotobynumber), E(getnetbyname),    E(getpwent),
	E(getgrent),       E(getgrouplist),     E(initgroups),      E(getlogin),
	E(getaddrinfo_a),  E(getifaddrs),       E(if_nametoindex),  E(if_nameindex),
	E(syslog),         E(gethostid),        E(iconv_open),      E(setlocale),
	E(listxattr),      E(fcntl_getlk),      E(posix_spawn),     E(execl),
	E(execlp),         E(wordexp),          E(daemon),          E(fts_open),
	E(nftw),           E(fcntl_setlease),
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: nss_probe list|NAME\n");
		return 64;
	}
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		if (strcmp(argv[1], "list") == 0) {
			printf("%s\n", probes[i].name);
		} else if (strcmp(argv[1], probes[i].name) == 0) {
			probes[i].fn();
			fflush(stdout);
			return 0;
		}
	}
	return strcmp(argv[1], "list") == 0 ? 0 : 64;
}
