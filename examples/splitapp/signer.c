/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The split application's secure half: a POSIX program built as a TA. It keeps an
 * HMAC-SHA256 key in GP secure storage (keystore.c), computes the MACs with the GP MAC API
 * (signer_mac.c; the splitapp's own HMAC in native builds) and serves sign / verify / key-id
 * requests (splitapp_proto.h) on a UNIX SOCK_SEQPACKET socket that the shadow creates in
 * the normal world. Only MACs and verdicts leave the TA, never the key.
 *
 *   signer SOCKET_PATH [--count N] [--dev-key-file FILE | --key-server PATH]
 *
 * Prints "signer: ready unix SOCKET_PATH" when listening; serves clients one after the
 * other, each for as many requests as it sends; exits after N clients (default: never).
 * --dev-key-file is required by, and only accepted in, native developer builds;
 * --key-server (the key-release party's UNIX socket, keyrelease.h) in the realm build.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "hmac_sha256.h"
#include "keystore.h"
#include "signer_mac.h"
#include "splitapp_proto.h"

static const char key_id_label[] = "splitapp key id";

static uint8_t g_key[SPLITAPP_KEY_SIZE];
static uint8_t g_req[SPLITAPP_MAX_REQ];
static volatile sig_atomic_t g_stop;

static void on_stop(int sig)
{
	(void)sig;
	g_stop = 1; /* no SA_RESTART: the blocked accept() returns EINTR */
}

static void handle(const uint8_t *rec, size_t len, struct splitapp_resp *resp)
{
	struct splitapp_req req;
	int ok = 0;

	memset(resp, 0, sizeof(*resp));
	if (splitapp_decode_req(rec, len, &req) != 0) {
		resp->status = SPLITAPP_BAD_REQUEST;
		return;
	}
	switch (req.op) {
	case SPLITAPP_OP_SIGN:
		resp->status = signer_mac(req.msg, req.msg_len, resp->mac) == 0
				       ? SPLITAPP_OK
				       : SPLITAPP_BAD_REQUEST;
		break;
	case SPLITAPP_OP_VERIFY:
		ok = signer_mac_verify(req.msg, req.msg_len, req.mac);
		resp->status = ok == 1   ? SPLITAPP_OK
			       : ok == 0 ? SPLITAPP_MISMATCH
					 : SPLITAPP_BAD_REQUEST;
		break;
	case SPLITAPP_OP_KEY_ID:
		resp->status = signer_mac(key_id_label, sizeof(key_id_label) - 1, resp->mac) == 0
				       ? SPLITAPP_OK
				       : SPLITAPP_BAD_REQUEST;
		break;
	default:
		resp->status = SPLITAPP_BAD_REQUEST;
		break;
	}
}

/* Serves one client until it hangs up; returns the number of requests answered. */
static long serve_client(int c)
{
	uint8_t out[SPLITAPP_RESP_SIZE];
	struct splitapp_resp resp;
	long answered = 0;

	for (;;) {
		/* MSG_TRUNC: learn the real record length, so oversized records are rejected. */
		ssize_t n = recv(c, g_req, sizeof(g_req), MSG_TRUNC);

		if (n <= 0) {
			break;
		}
		if ((size_t)n > sizeof(g_req)) {
			memset(&resp, 0, sizeof(resp));
			resp.status = SPLITAPP_BAD_REQUEST;
		} else {
			handle(g_req, (size_t)n, &resp);
		}
		splitapp_encode_resp(out, &resp);
		if (send(c, out, sizeof(out), MSG_NOSIGNAL) != (ssize_t)sizeof(out)) {
			break;
		}
		answered++;
	}
	memset(g_req, 0, sizeof(g_req));
	return answered;
}

/*
 * Binds s to sa. Whatever occupies the path without serving it (connect is refused: a
 * socket left by an earlier run, or a non-socket file, since the path is the signer's by
 * its command line) is removed and the bind retried; a live signer keeps its socket. This
 * needs only what the TA's policy grants for its socket (bind, connect, unlink), no stat().
 */
static int bind_replacing_stale(int s, const struct sockaddr_un *sa)
{
	int probe = -1, err = 0;

	if (bind(s, (const struct sockaddr *)sa, sizeof(*sa)) == 0) {
		return 0;
	}
	if (errno != EADDRINUSE) {
		return -1;
	}
	probe = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (probe < 0) {
		return -1;
	}
	if (connect(probe, (const struct sockaddr *)sa, sizeof(*sa)) == 0) {
		close(probe);
		errno = EADDRINUSE; /* another signer is serving this path */
		return -1;
	}
	err = errno;
	close(probe);
	if (err != ECONNREFUSED) {
		errno = EADDRINUSE;
		return -1;
	}
	if (unlink(sa->sun_path) != 0) {
		return -1;
	}
	return bind(s, (const struct sockaddr *)sa, sizeof(*sa));
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa;
	const char *key_source = NULL;
	long count = 0, served = 0;
	int created = 0, s = -1, rc = 1, err = 0;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
			count = strtol(argv[++i], NULL, 10);
#if defined(TZM_POSIX_REALM)
		} else if (strcmp(argv[i], "--key-server") == 0 && i + 1 < argc) {
			key_source = argv[++i];
#else
		} else if (strcmp(argv[i], "--dev-key-file") == 0 && i + 1 < argc) {
			key_source = argv[++i];
#endif
		} else {
			argc = 0; /* usage */
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (argc < 2 || count < 0 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: signer SOCKET_PATH [--count N] [--dev-key-file FILE | "
				"--key-server PATH]\n");
		return 2;
	}
	memcpy(sa.sun_path, argv[1], strlen(argv[1]) + 1);

	err = keystore_load(g_key, key_source, &created);
	if (err != 0) {
		fprintf(stderr, "signer: cannot load the key: %s\n", strerror(-err));
		return 1;
	}
#if defined(TZM_POSIX_REALM)
	printf("signer: key released to this realm by the key-release party\n");
#else
	printf("signer: key %s\n", created ? "generated and stored" : "loaded from storage");
#endif
	/* From here on the key is only in the MAC's key object (the TEE's, in the TA build). */
	err = signer_mac_init(g_key, sizeof(g_key));
	secure_wipe(g_key, sizeof(g_key));
	if (err != 0) {
		fprintf(stderr, "signer: cannot set up the MAC: %s\n", strerror(-err));
		return 1;
	}

	s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (s < 0) {
		perror("signer: socket");
		goto out;
	}
	if (bind_replacing_stale(s, &sa) != 0 || listen(s, 8) != 0) {
		perror("signer: bind/listen");
		goto out;
	}
	{
		struct sigaction stop;

		memset(&stop, 0, sizeof(stop));
		stop.sa_handler = on_stop;
		sigemptyset(&stop.sa_mask);
		sigaction(SIGTERM, &stop, NULL);
		sigaction(SIGINT, &stop, NULL);
	}
	printf("signer: ready unix %s\n", sa.sun_path);
	fflush(stdout);
	while (!g_stop && (count == 0 || served < count)) {
		int c = accept(s, NULL, NULL);
		long n = 0;

		if (c < 0) {
			if (errno == EINTR) {
				break; /* SIGTERM / Ctrl-C: on_stop ran */
			}
			continue;
		}
		n = serve_client(c);
		close(c);
		served++;
		printf("signer: client %ld done, %ld requests answered\n", served, n);
		fflush(stdout);
	}
	unlink(sa.sun_path);
	rc = 0;
out:
	if (s >= 0) {
		close(s);
	}
	signer_mac_end();
	return rc;
}
