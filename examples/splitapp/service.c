/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The split application's normal-world half: a service that needs MACs but must never hold
 * the key. It asks the signer TA over its UNIX socket.
 *
 *   splitapp_service SOCKET check              sign/verify/tamper scenario, exit 0 if all hold
 *   splitapp_service SOCKET sign TEXT          prints the MAC (hex)
 *   splitapp_service SOCKET verify TEXT MAC    exit 0 if valid, 1 if not
 *   splitapp_service SOCKET key-id             prints the key's public fingerprint
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "splitapp_proto.h"

struct check_state {
	int fd;
	int passed;
	int failed;
};

static int connect_signer(const char *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (fd < 0 || strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "splitapp_service: bad socket path\n");
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		fprintf(stderr, "splitapp_service: connect %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Sends one raw record and decodes the answer; 0 or -errno/-EPROTO. */
static int exchange_raw(int fd, const uint8_t *rec, size_t len, struct splitapp_resp *resp)
{
	uint8_t in[SPLITAPP_RESP_SIZE + 1];
	ssize_t n = 0;

	if (send(fd, rec, len, MSG_NOSIGNAL) != (ssize_t)len) {
		return -errno;
	}
	n = recv(fd, in, sizeof(in), 0);
	if (n < 0) {
		return -errno;
	}
	return splitapp_decode_resp(in, (size_t)n, resp);
}

static int request(int fd, uint16_t op, const void *msg, size_t len, const uint8_t *mac,
		   struct splitapp_resp *resp)
{
	static uint8_t rec[SPLITAPP_MAX_REQ];
	struct splitapp_req req;
	long n = 0;

	memset(&req, 0, sizeof(req));
	req.op = op;
	req.msg = msg;
	req.msg_len = (uint32_t)len;
	if (len > SPLITAPP_MAX_MSG) {
		return -EMSGSIZE;
	}
	if (mac != NULL) {
		memcpy(req.mac, mac, SPLITAPP_MAC_SIZE);
	}
	n = splitapp_encode_req(rec, sizeof(rec), &req);
	if (n < 0) {
		return (int)n;
	}
	return exchange_raw(fd, rec, (size_t)n, resp);
}

static void print_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		printf("%02x", p[i]);
	}
}

static int parse_hex(const char *hex, uint8_t *out, size_t n)
{
	if (strlen(hex) != 2 * n) {
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned v = 0;

		if (sscanf(hex + 2 * i, "%2x", &v) != 1) {
			return -EINVAL;
		}
		out[i] = (uint8_t)v;
	}
	return 0;
}

static void expect(struct check_state *st, int cond, const char *what)
{
	printf("  [%s] %s\n", cond ? "ok" : "FAIL", what);
	cond ? st->passed++ : st->failed++;
}

/* sign, verify, determinism and tamper checks for one message */
static void check_message(struct check_state *st, const uint8_t *msg, size_t len, const char *label)
{
	struct splitapp_resp a, b, v;
	uint8_t tampered[SPLITAPP_MAX_MSG + 1];
	uint8_t mac[SPLITAPP_MAC_SIZE];
	char what[160];
	int rc = 0;

	printf("message %s (%zu bytes)\n", label, len);
	rc = request(st->fd, SPLITAPP_OP_SIGN, msg, len, NULL, &a);
	expect(st, rc == 0 && a.status == SPLITAPP_OK, "signed by the TA");
	rc = request(st->fd, SPLITAPP_OP_SIGN, msg, len, NULL, &b);
	expect(st, rc == 0 && memcmp(a.mac, b.mac, sizeof(a.mac)) == 0, "signing is deterministic");
	rc = request(st->fd, SPLITAPP_OP_VERIFY, msg, len, a.mac, &v);
	expect(st, rc == 0 && v.status == SPLITAPP_OK, "verify(sign(m)) holds");

	memcpy(tampered, msg, len);
	if (len > 0) {
		tampered[len - 1] ^= 0x01;
		rc = request(st->fd, SPLITAPP_OP_VERIFY, tampered, len, a.mac, &v);
		snprintf(what, sizeof(what), "message with its last bit flipped is rejected");
		expect(st, rc == 0 && v.status == SPLITAPP_MISMATCH, what);
	}
	if (len < SPLITAPP_MAX_MSG) {
		tampered[len] = 'x';
		memcpy(tampered, msg, len);
		rc = request(st->fd, SPLITAPP_OP_VERIFY, tampered, len + 1, a.mac, &v);
		expect(st, rc == 0 && v.status == SPLITAPP_MISMATCH,
		       "message with a byte appended is rejected");
	}
	memcpy(mac, a.mac, sizeof(mac));
	mac[7] ^= 0x80;
	rc = request(st->fd, SPLITAPP_OP_VERIFY, msg, len, mac, &v);
	expect(st, rc == 0 && v.status == SPLITAPP_MISMATCH,
	       "MAC with one bit flipped is rejected");
}

static int run_check(int fd)
{
	static uint8_t big[SPLITAPP_MAX_MSG];
	static uint8_t raw[SPLITAPP_MAX_REQ + 16];
	const char *order = "transfer 100 EUR from bob to alice";
	struct check_state st = { fd, 0, 0 };
	struct splitapp_resp r1, r2;
	int rc = 0;

	for (size_t i = 0; i < sizeof(big); i++) {
		big[i] = (uint8_t)(i * 31 + 7);
	}
	rc = request(fd, SPLITAPP_OP_KEY_ID, NULL, 0, NULL, &r1);
	expect(&st, rc == 0 && r1.status == SPLITAPP_OK, "key fingerprint available");
	check_message(&st, (const uint8_t *)order, strlen(order), "payment order");
	check_message(&st, (const uint8_t *)"", 0, "empty");
	check_message(&st, big, sizeof(big), "maximum size");

	printf("protocol robustness\n");
	rc = request(fd, SPLITAPP_OP_SIGN, "a", 1, NULL, &r1);
	rc |= request(fd, SPLITAPP_OP_SIGN, "b", 1, NULL, &r2);
	expect(&st, rc == 0 && memcmp(r1.mac, r2.mac, sizeof(r1.mac)) != 0,
	       "different messages get different MACs");
	memset(raw, 0, sizeof(raw));
	memcpy(raw, "JUNK", 4);
	rc = exchange_raw(fd, raw, SPLITAPP_REQ_HDR, &r1);
	expect(&st, rc == 0 && r1.status == SPLITAPP_BAD_REQUEST,
	       "record with a bad magic is refused");
	rc = exchange_raw(fd, raw, 3, &r1);
	expect(&st, rc == 0 && r1.status == SPLITAPP_BAD_REQUEST, "short record is refused");
	{
		struct splitapp_req req;

		memset(&req, 0, sizeof(req));
		req.op = SPLITAPP_OP_SIGN;
		req.msg = big;
		req.msg_len = 10;
		long n = splitapp_encode_req(raw, sizeof(raw), &req);

		raw[8] = 11; /* length field disagrees with the record */
		rc = n < 0 ? (int)n : exchange_raw(fd, raw, (size_t)n, &r1);
		expect(&st, rc == 0 && r1.status == SPLITAPP_BAD_REQUEST,
		       "record whose length field lies is refused");
	}
	rc = exchange_raw(fd, raw, sizeof(raw), &r1);
	expect(&st, rc == 0 && r1.status == SPLITAPP_BAD_REQUEST, "oversized record is refused");
	rc = request(fd, SPLITAPP_OP_VERIFY, "a", 1, r2.mac, &r1);
	expect(&st, rc == 0 && r1.status == SPLITAPP_MISMATCH,
	       "the connection still works after bad records");
	printf("splitapp_service: %d checks passed, %d failed\n", st.passed, st.failed);
	return st.failed == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct splitapp_resp resp;
	uint8_t mac[SPLITAPP_MAC_SIZE];
	int fd = -1, rc = 2;

	if (argc < 3) {
		fprintf(stderr,
			"usage: splitapp_service SOCKET check | sign TEXT | verify TEXT MAC |"
			" key-id\n");
		return 2;
	}
	fd = connect_signer(argv[1]);
	if (fd < 0) {
		return 1;
	}
	if (strcmp(argv[2], "check") == 0 && argc == 3) {
		rc = run_check(fd);
	} else if (strcmp(argv[2], "sign") == 0 && argc == 4) {
		rc = request(fd, SPLITAPP_OP_SIGN, argv[3], strlen(argv[3]), NULL, &resp);
		if (rc == 0 && resp.status == SPLITAPP_OK) {
			print_hex(resp.mac, sizeof(resp.mac));
			putchar('\n');
		}
		rc = rc == 0 && resp.status == SPLITAPP_OK ? 0 : 1;
	} else if (strcmp(argv[2], "verify") == 0 && argc == 5 &&
		   parse_hex(argv[4], mac, sizeof(mac)) == 0) {
		rc = request(fd, SPLITAPP_OP_VERIFY, argv[3], strlen(argv[3]), mac, &resp);
		rc = rc == 0 && resp.status == SPLITAPP_OK ? 0 : 1;
		printf("%s\n", rc == 0 ? "valid" : "INVALID");
	} else if (strcmp(argv[2], "key-id") == 0 && argc == 3) {
		rc = request(fd, SPLITAPP_OP_KEY_ID, NULL, 0, NULL, &resp);
		if (rc == 0 && resp.status == SPLITAPP_OK) {
			print_hex(resp.mac, sizeof(resp.mac));
			putchar('\n');
		}
		rc = rc == 0 && resp.status == SPLITAPP_OK ? 0 : 1;
	} else {
		fprintf(stderr, "splitapp_service: bad command\n");
	}
	close(fd);
	return rc;
}
