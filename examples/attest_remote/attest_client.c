/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * attest_remote client (a remote verifier, normal program): sends a fresh random nonce,
 * receives the server TA's ephemeral X25519 public key and CCA token, verifies the token
 * with the tzm_attest library (platform key, the challenge recomputed from the nonce and
 * that key, reference values such as the expected TA measurement), and only if the result
 * is "affirming" sends the secret, encrypted to that key (proto.h, protocol v2: the relay
 * between here and the TA sees only ciphertext).
 * With --optee-key the server is a TA on genuine OP-TEE: the token is the "tzm-optee-pta"
 * format (tzm_attest_optee.h, not a CCA token), verified with the pinned key of OP-TEE's
 * attestation PTA and the measurement expected of the .ta file (--optee-ta) or given in
 * hex (--optee-measurement); the secret is sent only if every check passes.
 *
 * usage: attest_client ADDR PORT --platform-key PEM --ref-values FILE [--save-token F]
 *                      --secret TEXT
 *        attest_client ADDR PORT --optee-key PEM (--optee-ta FILE.ta | --optee-measurement HEX)
 *                      [--save-token F] --secret TEXT
 * Exit status: 0 secret delivered; 3 attestation refused (secret withheld); 1 other error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "chanbind.h"
#include "io_all.h"
#include "proto.h"
#include "tzm_attest.h"
#include "tzm_attest_optee.h"

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = malloc(16384);
	size_t n = 0;
	if (f == NULL || buf == NULL) {
		perror(path);
		if (f) {
			fclose(f);
		}
		free(buf);
		return NULL;
	}
	n = fread(buf, 1, 16383, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int parse_hex32(const char *s, uint8_t out[TZM_ATTEST_OPTEE_DIGEST_LEN])
{
	if (strlen(s) != 2 * TZM_ATTEST_OPTEE_DIGEST_LEN) {
		return -1;
	}
	for (size_t i = 0; i < TZM_ATTEST_OPTEE_DIGEST_LEN; i++) {
		unsigned v = 0;
		if (!strchr("0123456789abcdefABCDEF", s[2 * i]) ||
		    !strchr("0123456789abcdefABCDEF", s[2 * i + 1]) ||
		    sscanf(s + 2 * i, "%2x", &v) != 1) {
			return -1;
		}
		out[i] = (uint8_t)v;
	}
	return 0;
}

static void print_hex(const char *label, const uint8_t *p, size_t n)
{
	printf("  %-12s", label);
	for (size_t i = 0; i < n; i++) {
		printf("%02x", p[i]);
	}
	printf("\n");
}

/* The OP-TEE token: pinned PTA key, this connection's challenge, expected measurement.
 * Returns 0 (verified), 3 (refused) or 1 (unusable key). */
static int verify_optee(const uint8_t *token, size_t len, const char *pem,
			const uint8_t challenge[CB_CHALLENGE_LEN],
			const uint8_t measurement[TZM_ATTEST_OPTEE_DIGEST_LEN])
{
	static struct tzm_attest_optee_token t;
	struct tzm_attest_optee_expect e = { .pta_key_pem = pem,
					     .pta_key_pem_len = strlen(pem),
					     .nonce = challenge,
					     .nonce_len = CB_CHALLENGE_LEN,
					     .measurement = measurement };
	enum tzm_attest_optee_result r = TZM_ATTEST_OPTEE_MALFORMED;
	int rc = tzm_attest_optee_verify(token, len, &e, &r, &t);
	if (rc != 0) {
		fprintf(stderr, "attest_client: %s\n",
			rc == -EINVAL ? "the OP-TEE PTA key is not an RSA 2048..4096-bit PEM "
					"public key"
				      : strerror(-rc));
		return 1;
	}
	printf("OP-TEE attestation token (tzm-optee-pta v%d, not a CCA token): %zu bytes\n",
	       TZM_ATTEST_OPTEE_FORMAT_VERSION, len);
	if (r != TZM_ATTEST_OPTEE_MALFORMED && r != TZM_ATTEST_OPTEE_VERSION) {
		printf("  signature   RSASSA-PSS-SHA256, %zu-bit PTA key\n", t.sig_len * 8);
		print_hex("measurement", t.measurement, sizeof(t.measurement));
	}
	print_hex("expected", measurement, TZM_ATTEST_OPTEE_DIGEST_LEN);
	printf("  result      %s: %s\n", tzm_attest_optee_result_name(r),
	       tzm_attest_optee_result_text(r));
	return r == TZM_ATTEST_OPTEE_OK ? 0 : 3;
}

/* Whether the reference values name the TA (or realm) image: a kind without entries is not
 * checked by the verifier. */
static bool pins_rim(const struct tzm_attest_refvals *rv)
{
	for (size_t i = 0; i < rv->count && i < TZM_ATTEST_MAX_REFVALS; i++) {
		if (rv->entry[i].kind == TZM_ATTEST_RV_RIM) {
			return true;
		}
	}
	return false;
}

/* The secret, encrypted to the attested epub: spub | ct_len | ct | tag. 0 or -1. */
static int send_sealed(int s, const uint8_t nonce[CB_NONCE_LEN], const uint8_t epub[CB_PUB_LEN],
		       const char *secret)
{
	static uint8_t ct[PROTO_MAX_SECRET];
	uint8_t spub[CB_PUB_LEN], shared[32], tag[CB_TAG_LEN];
	const struct cb_transcript t = { PROTO_LABEL, nonce, epub, spub };
	size_t len = strlen(secret);
	int rc = -1;

	if (cb_agree_openssl(epub, spub, shared) != 0 ||
	    cb_seal(&t, shared, (const uint8_t *)secret, len, ct, tag) != 0) {
		fprintf(stderr, "attest_client: the server's ephemeral key is unusable\n");
		goto out;
	}
	if (io_write_all(s, spub, sizeof(spub)) != 0 || proto_write_u32(s, (uint32_t)len) != 0 ||
	    io_write_all(s, ct, len) != 0 || io_write_all(s, tag, sizeof(tag)) != 0) {
		goto out;
	}
	rc = 0;
out:
	memset(shared, 0, sizeof(shared));
	return rc;
}

int main(int argc, char **argv)
{
	const char *key_path = NULL, *rv_path = NULL, *secret = NULL, *save = NULL;
	const char *optee_key = NULL, *optee_ta = NULL, *optee_hex = NULL;
	uint8_t optee_m[TZM_ATTEST_OPTEE_DIGEST_LEN];
	static uint8_t token[PROTO_MAX_TOKEN];
	static struct tzm_attest_refvals rv;
	static struct tzm_attest_report report;
	uint8_t nonce[CB_NONCE_LEN], challenge[CB_CHALLENGE_LEN], epub[CB_PUB_LEN];
	struct tzm_attest_verify_opts o;
	struct sockaddr_in sa;
	uint32_t len = 0;
	char err[256], ok[3], magic[4];
	char *pem = NULL;
	int s = -1;
	int rc = 1;

	if (argc < 3) {
		fprintf(stderr,
			"usage: attest_client ADDR PORT --platform-key PEM "
			"--ref-values FILE [--save-token FILE] --secret TEXT\n"
			"       attest_client ADDR PORT --optee-key PEM (--optee-ta FILE.ta | "
			"--optee-measurement HEX) [--save-token FILE] --secret TEXT\n");
		return 1;
	}
	for (int i = 3; i + 1 < argc; i += 2) {
		const char **slot = strcmp(argv[i], "--platform-key") == 0        ? &key_path
				    : strcmp(argv[i], "--ref-values") == 0        ? &rv_path
				    : strcmp(argv[i], "--secret") == 0            ? &secret
				    : strcmp(argv[i], "--save-token") == 0        ? &save
				    : strcmp(argv[i], "--optee-key") == 0         ? &optee_key
				    : strcmp(argv[i], "--optee-ta") == 0          ? &optee_ta
				    : strcmp(argv[i], "--optee-measurement") == 0 ? &optee_hex
										  : NULL;
		if (slot == NULL) {
			fprintf(stderr, "attest_client: unknown option %s\n", argv[i]);
			return 1;
		}
		*slot = argv[i + 1];
	}
	if ((key_path == NULL) == (optee_key == NULL) || secret == NULL || secret[0] == '\0' ||
	    strlen(secret) > PROTO_MAX_SECRET) {
		fprintf(stderr, "attest_client: --platform-key or --optee-key, and --secret "
				"(1..4096 B) needed\n");
		return 1;
	}
	if (optee_key != NULL) {
		char why[256] = "";
		if ((optee_ta == NULL) == (optee_hex == NULL)) {
			fprintf(stderr, "attest_client: --optee-key needs --optee-ta or "
					"--optee-measurement\n");
			return 1;
		}
		if (optee_hex != NULL && parse_hex32(optee_hex, optee_m) != 0) {
			fprintf(stderr, "attest_client: --optee-measurement: 64 hex digits\n");
			return 1;
		}
		if (optee_ta != NULL &&
		    tzm_attest_optee_measure_ta_file(optee_ta, optee_m, why, sizeof(why)) != 0) {
			fprintf(stderr, "attest_client: %s: %s\n", optee_ta, why);
			return 1;
		}
		key_path = optee_key;
	}
	memset(&o, 0, sizeof(o));
	pem = read_text(key_path);
	if (pem == NULL) {
		return 1;
	}
	o.platform_key_pem = pem;
	o.platform_key_pem_len = strlen(pem);
	if (optee_key == NULL) {
		/*
		 * Without a pinned RIM any TA of this platform (one the relay runs itself
		 * included) gets an affirming token for its own key: the secret would go to it.
		 */
		if (rv_path == NULL) {
			fprintf(stderr, "attest_client: --ref-values FILE with the expected RIM "
					"needed: without it any TA of the platform is accepted\n");
			goto out;
		}
		if (tzm_attest_refvals_load(rv_path, &rv, err, sizeof(err)) != 0) {
			fprintf(stderr, "attest_client: %s\n", err);
			goto out;
		}
		if (!pins_rim(&rv)) {
			fprintf(stderr,
				"attest_client: %s pins no RIM: any TA of the platform "
				"would be accepted; refused\n",
				rv_path);
			goto out;
		}
		o.refvals = &rv;
	}
	/* A fresh nonce per connection: a recorded token cannot be replayed. */
	if (getrandom(nonce, sizeof(nonce), 0) != (ssize_t)sizeof(nonce)) {
		perror("attest_client: getrandom");
		goto out;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(argv[2]));
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1 || s < 0 ||
	    connect(s, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror("attest_client: connect");
		goto out;
	}
	if (io_write_all(s, PROTO_MAGIC, 4) != 0 || io_write_all(s, nonce, sizeof(nonce)) != 0 ||
	    io_read_all(s, magic, sizeof(magic)) != 0) {
		fprintf(stderr, "attest_client: no answer from the server (a protocol v1 server "
				"closes the connection: it does not speak v2)\n");
		goto out;
	}
	if (memcmp(magic, PROTO_MAGIC, 4) != 0) {
		fprintf(stderr, "attest_client: the server does not speak protocol v2 (an old "
				"attest_server, v1, would take the secret in clear): refused\n");
		goto out;
	}
	if (io_read_all(s, epub, sizeof(epub)) != 0 || proto_read_u32(s, &len) != 0 || len == 0 ||
	    len > sizeof(token) || io_read_all(s, token, len) != 0) {
		fprintf(stderr, "attest_client: no token from the server\n");
		goto out;
	}
	/* The token must answer this nonce AND vouch for this epub: a key substituted on the
	 * way fails the challenge check. */
	cb_challenge(PROTO_LABEL, nonce, epub, challenge);
	o.challenge = challenge;
	o.challenge_len = sizeof(challenge);
	if (save != NULL) {
		FILE *f = fopen(save, "wb");
		if (f == NULL || fwrite(token, 1, len, f) != len) {
			perror(save);
		}
		if (f) {
			fclose(f);
		}
	}
	if (optee_key != NULL) {
		rc = verify_optee(token, len, pem, challenge, optee_m);
		if (rc != 0) {
			if (rc == 3) {
				printf("attest_client: attestation refused: secret withheld\n");
			}
			goto out;
		}
		rc = 1;
	} else if (tzm_attest_verify(token, len, &o, &report) != 0) {
		fprintf(stderr, "attest_client: platform key unusable\n");
		goto out;
	} else {
		tzm_attest_report_print(stdout, &report);
	}
	if (optee_key == NULL && report.status != TZM_ATTEST_AFFIRMING) {
		printf("attest_client: attestation %s: secret withheld\n",
		       tzm_attest_status_name(report.status));
		rc = 3;
		goto out;
	}
	if (send_sealed(s, nonce, epub, secret) != 0 || io_read_all(s, ok, 3) != 0 ||
	    memcmp(ok, "OK\n", 3) != 0) {
		fprintf(stderr, "attest_client: secret not acknowledged\n");
		goto out;
	}
	printf("attest_client: secret delivered to the attested TA\n");
	rc = 0;
out:
	if (s >= 0) {
		close(s);
	}
	free(pem);
	return rc;
}
