/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hostile shadow test, TA half: the double-fetch races. The shadow keeps rewriting its
 * answer while libtzm decodes it; every round must either fail with EIO or deliver
 * values that satisfy the checks libtzm made (the value used is the value validated),
 * with no byte outside the caller's buffers changed. Paired with sh_race_* in
 * sh_attacks.c.
 */
#include <dirent.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostile_ta.h"

int ta_race_getnameinfo(void)
{
	struct sockaddr_in sin;
	int ok = 0;

	gni_addr(&sin);
	for (int i = 0; i < H_RACE_ROUNDS; i++) {
		struct guarded gh, gs;
		char *host = (char *)g_init(&gh, 256), *serv = (char *)g_init(&gs, 16);
		int r = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, 256, serv, 16, 0);

		if (!g_intact(&gh) || !g_intact(&gs)) {
			return h_fail("round %d: guard bytes changed", i);
		}
		if (r == EAI_SYSTEM) {
			continue;
		}
		if (r != 0 || strnlen(host, 256) != H_HOST_LEN || strnlen(serv, 16) != 4) {
			return h_fail("round %d: r %d, host/serv not terminated where validated", i,
				      r);
		}
		ok++;
	}
	return ok > 0 ? 0 : h_fail("no round succeeded");
}

int ta_race_canon(void)
{
	struct addrinfo hints;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_flags = AI_CANONNAME;
	for (int i = 0; i < H_RACE_ROUNDS; i++) {
		struct addrinfo *res = NULL;
		int r = getaddrinfo("hostile.example", NULL, &hints, &res);

		if (r == EAI_SYSTEM) {
			continue;
		}
		if (r != 0 || !res || !res->ai_canonname ||
		    strnlen(res->ai_canonname, 2048) != H_CANON_LEN) {
			if (r == 0) {
				freeaddrinfo(res);
			}
			return h_fail("round %d: r %d, canonical name not as validated", i, r);
		}
		freeaddrinfo(res);
	}
	return 0;
}

int ta_race_stat(void)
{
	for (int i = 0; i < H_RACE_ROUNDS; i++) {
		struct stat st;

		if (fstat(H.p[0], &st) != 0) {
			if (errno != EIO) {
				return h_fail("round %d: errno %d", i, errno);
			}
			continue;
		}
		/* torn values are fine as long as the one used is the one validated */
		if (st.st_ctim.tv_nsec < 0 || st.st_ctim.tv_nsec >= 1000000000 ||
		    !S_ISREG(st.st_mode)) {
			return h_fail("round %d: ctime nsec %ld passed validation", i,
				      (long)st.st_ctim.tv_nsec);
		}
	}
	return 0;
}

int ta_race_dirent(void)
{
	DIR *d = opendir(H_DIR_NAME);
	int rc = 0;

	if (!d) {
		return h_fail("opendir errno %d", errno);
	}
	for (int i = 0; i < H_RACE_ROUNDS && rc == 0; i++) {
		struct dirent *e = NULL;

		errno = 0;
		e = readdir(d);
		if (!e) {
			if (errno != EIO) {
				rc = h_fail("round %d: errno %d", i, errno);
			}
			continue;
		}
		if (strcmp(e->d_name, "entry") != 0 && strnlen(e->d_name, 256) != H_LONG_NAME) {
			rc = h_fail("round %d: name of length %zu", i, strnlen(e->d_name, 256));
		}
	}
	closedir(d); /* a call without a request blob: the rewriting stops here */
	return rc;
}

int ta_race_resp_header(void)
{
	for (int i = 0; i < H_RACE_ROUNDS; i++) {
		struct guarded g;
		uint8_t *buf = g_init(&g, 16);
		ssize_t r = read(H.p[0], buf, 16);

		if (!g_intact(&g)) {
			return h_fail("round %d: guard bytes changed", i);
		}
		if (r == -1 && errno == EIO) {
			continue;
		}
		if (r != 4 || memcmp(buf, "abcd", 4) != 0) {
			return h_fail("round %d: read %zd", i, r);
		}
	}
	return 0;
}
