/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Test tool: looks for the signer's key in normal-world data without knowing it. Given
 * one (message, MAC) pair produced by the TA, every 32-byte window of the scanned data is
 * tried as the HMAC key; a hit means the key is present there in plain form.
 *
 *   key_scan --msg TEXT --mac HEX FILE...     scan files (e.g. secure storage, scratch dir)
 *   key_scan --msg TEXT --mac HEX --pid PID   scan the writable memory of a live process
 *                                             (heap, stacks, shared memory, data)
 *
 * Exit 0: not found (bytes scanned printed); 1: found (location printed); 2: error.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hmac_sha256.h"

#define KEY 32

struct target {
	const char *msg;
	size_t msg_len;
	uint8_t mac[SHA256_DIGEST_SIZE];
	unsigned long long scanned;
};

/*
 * Returns the offset of a window that is the key, or -1. Windows starting with 8 zero
 * bytes are skipped (a random key does so with probability 2^-64): that is what makes
 * scanning mostly-untouched thread stacks and shared memory affordable.
 */
static long scan_buf(struct target *t, const uint8_t *buf, size_t len)
{
	uint8_t mac[SHA256_DIGEST_SIZE];

	for (size_t off = 0; off + KEY <= len; off++) {
		uint64_t head = 0;

		memcpy(&head, buf + off, sizeof(head));
		if (head == 0) {
			continue;
		}
		hmac_sha256(buf + off, KEY, t->msg, t->msg_len, mac);
		if (memcmp(mac, t->mac, sizeof(mac)) == 0) {
			return (long)off;
		}
	}
	t->scanned += len;
	return -1;
}

static int scan_file(struct target *t, const char *path)
{
	struct stat st;
	uint8_t *buf = NULL;
	ssize_t n = 0;
	long hit = -1;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) != 0) {
		fprintf(stderr, "key_scan: %s: %s\n", path, strerror(errno));
		return 2;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		close(fd);
		return 2;
	}
	n = read(fd, buf, (size_t)st.st_size);
	close(fd);
	if (n >= 0) {
		hit = scan_buf(t, buf, (size_t)n);
	}
	free(buf);
	if (hit >= 0) {
		printf("key_scan: KEY FOUND in %s at offset %ld\n", path, hit);
		return 1;
	}
	return n < 0 ? 2 : 0;
}

static int scan_pid(struct target *t, const char *pid)
{
	char path[64], line[512];
	FILE *maps = NULL;
	int mem = -1, rc = 0;
	unsigned regions = 0;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	maps = fopen(path, "r");
	snprintf(path, sizeof(path), "/proc/%s/mem", pid);
	mem = open(path, O_RDONLY);
	if (maps == NULL || mem < 0) {
		fprintf(stderr, "key_scan: cannot read process %s: %s\n", pid, strerror(errno));
		rc = 2;
		goto out;
	}
	while (rc == 0 && fgets(line, sizeof(line), maps) != NULL) {
		uintmax_t lo = 0, hi = 0;
		char perms[8] = "";
		uint8_t *buf = NULL;
		ssize_t n = 0;
		long hit = -1;

		/* Writable regions only: a runtime secret cannot be in read-only file mappings. */
		if (sscanf(line, "%jx-%jx %7s", &lo, &hi, perms) != 3 || perms[0] != 'r' ||
		    perms[1] != 'w' || strstr(line, "[vvar]") || hi <= lo || hi - lo > (1u << 30)) {
			continue;
		}
		buf = malloc((size_t)(hi - lo));
		if (buf == NULL) {
			rc = 2;
			break;
		}
		n = pread(mem, buf, (size_t)(hi - lo), (off_t)lo);
		if (n > 0) {
			hit = scan_buf(t, buf, (size_t)n);
			regions++;
		}
		free(buf);
		if (hit >= 0) {
			printf("key_scan: KEY FOUND in process %s at %#jx\n", pid,
			       lo + (uintmax_t)hit);
			rc = 1;
		}
	}
	if (rc == 0 && regions == 0) {
		fprintf(stderr, "key_scan: no readable region in process %s\n", pid);
		rc = 2;
	}
out:
	if (maps != NULL) {
		fclose(maps);
	}
	if (mem >= 0) {
		close(mem);
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct target t;
	const char *mac_hex = NULL, *pid = NULL;
	int first = 0, rc = 0;

	memset(&t, 0, sizeof(t));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--msg") == 0 && i + 1 < argc) {
			t.msg = argv[++i];
		} else if (strcmp(argv[i], "--mac") == 0 && i + 1 < argc) {
			mac_hex = argv[++i];
		} else if (strcmp(argv[i], "--pid") == 0 && i + 1 < argc) {
			pid = argv[++i];
		} else {
			first = i;
			break;
		}
	}
	if (t.msg == NULL || mac_hex == NULL || strlen(mac_hex) != 2 * SHA256_DIGEST_SIZE ||
	    (pid == NULL && first == 0)) {
		fprintf(stderr, "usage: key_scan --msg TEXT --mac HEX (--pid PID | FILE...)\n");
		return 2;
	}
	t.msg_len = strlen(t.msg);
	for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
		unsigned v = 0;

		if (sscanf(mac_hex + 2 * i, "%2x", &v) != 1) {
			fprintf(stderr, "key_scan: bad MAC hex\n");
			return 2;
		}
		t.mac[i] = (uint8_t)v;
	}
	if (pid != NULL) {
		rc = scan_pid(&t, pid);
	}
	for (int i = first; rc == 0 && first > 0 && i < argc; i++) {
		rc = scan_file(&t, argv[i]);
	}
	if (rc == 0) {
		printf("key_scan: key not present (%llu bytes scanned at every offset)\n",
		       t.scanned);
	}
	return rc;
}
