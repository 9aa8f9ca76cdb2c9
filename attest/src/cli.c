// SPDX-License-Identifier: BSD-2-Clause
/*
 * tzm-attest: the program behind `tzm attest ...`.
 *
 *   tzm-attest verify TOKEN [--platform-key PEM] [--challenge HEX] [--ref-values FILE]
 *                           [--wasm-module FILE] [--json]
 *   tzm-attest show TOKEN
 *   tzm-attest platform-key          (PEM public key of this machine's emulated platform)
 *   tzm-attest optee-measure TA_FILE (expected OP-TEE measurement of a .ta, tzm_attest_optee.h)
 *
 * Exit status of verify: 0 affirming, 1 warning, 2 contraindicated; for every command 64
 * bad usage, 65 unusable key / reference-value file / challenge, 66 unreadable input.
 */
#include "tzm_attest.h"
#include "tzm_attest_optee.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#define EXIT_USAGE 64
#define EXIT_DATAERR 65
#define EXIT_NOINPUT 66

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tzm attest verify TOKEN [--platform-key PEM] [--challenge HEX]\n"
		"                         [--ref-values FILE] [--wasm-module FILE] [--json]\n"
		"       tzm attest show TOKEN\n"
		"       tzm attest platform-key\n"
		"       tzm attest optee-measure TA_FILE\n"
		"       tzm attest --help\n"
		"\n"
		"verify  appraise a CCA attestation token (tag 399 or 907 envelope): both\n"
		"        signatures, the realm/platform binding, claims, lifecycle, and, if\n"
		"        given, the challenge (64 bytes hex) and reference values.\n"
		"        --wasm-module: the token must name this module (a Wasm TA built\n"
		"        from it by tzm wasm build: its SHA-256 in the RPV claim).\n"
		"        Exit status: 0 affirming, 1 warning, 2 contraindicated.\n"
		"show    print every claim of a token.\n"
		"platform-key  print the public key of this machine's emulated TEE platform\n"
		"        (creating it in $TZM_STATE_DIR on first use).\n"
		"optee-measure  print (hex) the measurement OP-TEE's attestation PTA reports\n"
		"        for a TA loaded from this signed .ta file (HASH_TA_MEMORY): the value\n"
		"        an OP-TEE attestation token (tzm_attest_optee.h) must carry.\n"
		"TOKEN may be - for standard input. Other exit statuses: 64 bad usage, 65 bad\n"
		"key, challenge or reference-value file, 66 unreadable token.\n");
}

/* Reads a whole file (at most max bytes) into a fresh buffer. */
static int read_file(const char *path, size_t max, char **data, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL) {
		return -errno;
	}
	char *buf = malloc(max + 1);
	if (buf == NULL) {
		if (f != stdin) {
			fclose(f);
		}
		return -ENOMEM;
	}
	errno = 0;
	size_t n = fread(buf, 1, max + 1, f);
	/* keep fread's errno (e.g. EISDIR for a directory) so the message says what is wrong */
	int rc = ferror(f) ? (errno != 0 ? -errno : -EIO) : n > max ? -EFBIG : 0;
	if (f != stdin) {
		fclose(f);
	}
	if (rc != 0) {
		free(buf);
		return rc;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

static int parse_hex(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = strlen(s);
	if (n == 0 || n % 2 != 0 || n / 2 > cap) {
		return -EINVAL;
	}
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v = 0;
		if (sscanf(s + 2 * i, "%2x", &v) != 1 ||
		    !strchr("0123456789abcdefABCDEF", s[2 * i]) ||
		    !strchr("0123456789abcdefABCDEF", s[2 * i + 1])) {
			return -EINVAL;
		}
		out[i] = (uint8_t)v;
	}
	*len = n / 2;
	return 0;
}

/* SHA-256 of a file, read in pieces (a module may be large). */
static int sha256_file(const char *path, uint8_t out[32])
{
	uint8_t buf[65536];
	unsigned int len = 0;
	size_t n;
	int rc = 0;
	FILE *f = fopen(path, "rb");
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (f == NULL || ctx == NULL) {
		rc = f == NULL ? -errno : -ENOMEM;
		goto out;
	}
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		rc = -EIO;
		goto out;
	}
	errno = 0;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (EVP_DigestUpdate(ctx, buf, n) != 1) {
			rc = -EIO;
			goto out;
		}
	}
	if (ferror(f)) {
		rc = errno != 0 ? -errno : -EIO;
		goto out;
	}
	if (EVP_DigestFinal_ex(ctx, out, &len) != 1 || len != 32) {
		rc = -EIO;
	}
out:
	EVP_MD_CTX_free(ctx);
	if (f != NULL) {
		fclose(f);
	}
	return rc;
}

static int cmd_verify(int argc, char **argv)
{
	const char *token_path = NULL, *key_path = NULL, *chal_hex = NULL, *rv_path = NULL;
	const char *module_path = NULL;
	bool json = false;
	uint8_t chal[TZM_ATTEST_CHALLENGE_LEN];
	size_t chal_len = 0;
	char *token = NULL, *pem = NULL;
	size_t token_len = 0, pem_len = 0;
	struct tzm_attest_refvals *rv = NULL;
	struct tzm_attest_report *rep = NULL;
	struct tzm_attest_verify_opts o;
	char err[256];
	int ex = EXIT_USAGE, rc;

	memset(&o, 0, sizeof(o));
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = strcmp(a, "--platform-key") == 0  ? &key_path
				    : strcmp(a, "--challenge") == 0   ? &chal_hex
				    : strcmp(a, "--ref-values") == 0  ? &rv_path
				    : strcmp(a, "--wasm-module") == 0 ? &module_path
								      : NULL;
		if (slot != NULL) {
			if (i + 1 >= argc) {
				fprintf(stderr, "tzm attest verify: %s needs a value\n", a);
				goto out;
			}
			*slot = argv[++i];
		} else if (strcmp(a, "--json") == 0) {
			json = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			ex = 0;
			goto out;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "tzm attest verify: unknown option %s\n", a);
			goto out;
		} else if (token_path == NULL) {
			token_path = a;
		} else {
			fprintf(stderr, "tzm attest verify: more than one TOKEN given\n");
			goto out;
		}
	}
	if (token_path == NULL) {
		fprintf(stderr, "tzm attest verify: TOKEN missing (see tzm attest --help)\n");
		goto out;
	}
	ex = EXIT_DATAERR;
	if (chal_hex != NULL) {
		if (parse_hex(chal_hex, chal, sizeof(chal), &chal_len) != 0 ||
		    chal_len != TZM_ATTEST_CHALLENGE_LEN) {
			fprintf(stderr, "tzm attest verify: --challenge must be 64 bytes (128 hex "
					"digits)\n");
			goto out;
		}
		o.challenge = chal;
		o.challenge_len = chal_len;
	}
	if (key_path != NULL) {
		if ((rc = read_file(key_path, 16384, &pem, &pem_len)) != 0) {
			fprintf(stderr, "tzm attest verify: %s: %s\n", key_path, strerror(-rc));
			goto out;
		}
		o.platform_key_pem = pem;
		o.platform_key_pem_len = pem_len;
	}
	if (rv_path != NULL) {
		rv = malloc(sizeof(*rv));
		if (rv == NULL || tzm_attest_refvals_load(rv_path, rv, err, sizeof(err)) != 0) {
			fprintf(stderr, "tzm attest verify: %s\n",
				rv == NULL ? "out of memory" : err);
			goto out;
		}
		o.refvals = rv;
	}
	if (module_path != NULL) {
		if (rv == NULL && (rv = calloc(1, sizeof(*rv))) == NULL) {
			fprintf(stderr, "tzm attest verify: out of memory\n");
			goto out;
		}
		if (rv->count >= TZM_ATTEST_MAX_REFVALS) {
			fprintf(stderr, "tzm attest verify: too many reference values\n");
			goto out;
		}
		if ((rc = sha256_file(module_path, rv->entry[rv->count].value)) != 0) {
			fprintf(stderr, "tzm attest verify: %s: %s\n", module_path, strerror(-rc));
			ex = EXIT_NOINPUT;
			goto out;
		}
		rv->entry[rv->count].kind = TZM_ATTEST_RV_WASM_MODULE;
		rv->entry[rv->count].len = 32;
		rv->count++;
		o.refvals = rv;
	}
	if ((rc = read_file(token_path, TZM_ATTEST_MAX_TOKEN, &token, &token_len)) != 0) {
		fprintf(stderr, "tzm attest verify: %s: %s\n", token_path,
			rc == -EFBIG ? "larger than the 64 KiB token limit" : strerror(-rc));
		ex = EXIT_NOINPUT;
		goto out;
	}
	rep = malloc(sizeof(*rep));
	rc = rep == NULL ? -ENOMEM : tzm_attest_verify(token, token_len, &o, rep);
	if (rc != 0) {
		fprintf(stderr, "tzm attest verify: %s\n",
			rc == -EINVAL ? "the platform key is not an EC P-256/P-384 PEM public key"
				      : strerror(-rc));
		goto out;
	}
	if (json) {
		tzm_attest_report_print_json(stdout, rep);
	} else {
		tzm_attest_report_print(stdout, rep);
	}
	ex = (int)rep->status; /* 0 affirming, 1 warning, 2 contraindicated */
out:
	free(rep);
	free(rv);
	free(token);
	free(pem);
	return ex;
}

static int cmd_show(int argc, char **argv)
{
	char *token = NULL;
	size_t len = 0;
	if (argc == 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: tzm attest show TOKEN\n");
		return EXIT_USAGE;
	}
	int rc = read_file(argv[0], TZM_ATTEST_MAX_TOKEN, &token, &len);
	if (rc != 0) {
		fprintf(stderr, "tzm attest show: %s: %s\n", argv[0],
			rc == -EFBIG ? "larger than the 64 KiB token limit" : strerror(-rc));
		return EXIT_NOINPUT;
	}
	rc = tzm_attest_show(stdout, token, len);
	free(token);
	if (rc != 0) {
		fprintf(stderr, "tzm attest show: %s: malformed token\n", argv[0]);
		return EXIT_DATAERR;
	}
	return 0;
}

static int cmd_platform_key(int argc, char **argv)
{
	char path[4096], pem[1024];
	size_t len = 0;
	struct tzm_attest_key *key = NULL;
	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "usage: tzm attest platform-key\n");
		return EXIT_USAGE;
	}
	int rc = tzm_attest_platform_key_path(NULL, path, sizeof(path));
	if (rc == 0) {
		rc = tzm_attest_key_load_or_create(path, &key);
	}
	if (rc == 0) {
		rc = tzm_attest_key_public_pem(key, pem, sizeof(pem), &len);
	}
	tzm_attest_key_free(key);
	if (rc != 0) {
		fprintf(stderr, "tzm attest platform-key: %s: %s\n", path, strerror(-rc));
		return EXIT_NOINPUT;
	}
	fputs(pem, stdout);
	return 0;
}

static int cmd_optee_measure(int argc, char **argv)
{
	uint8_t m[TZM_ATTEST_OPTEE_DIGEST_LEN];
	char err[256] = "";
	if (argc != 1 || argv[0][0] == '-') {
		fprintf(stderr, "usage: tzm attest optee-measure TA_FILE\n");
		return EXIT_USAGE;
	}
	int rc = tzm_attest_optee_measure_ta_file(argv[0], m, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "tzm attest optee-measure: %s: %s\n", argv[0], err);
		return rc == -EBADMSG || rc == -ENOTSUP ? EXIT_DATAERR : EXIT_NOINPUT;
	}
	for (size_t i = 0; i < sizeof(m); i++) {
		printf("%02x", m[i]);
	}
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "verify") == 0) {
		return cmd_verify(argc - 2, argv + 2);
	}
	if (strcmp(argv[1], "show") == 0) {
		return cmd_show(argc - 2, argv + 2);
	}
	if (strcmp(argv[1], "platform-key") == 0) {
		return cmd_platform_key(argc - 2, argv + 2);
	}
	if (strcmp(argv[1], "optee-measure") == 0) {
		return cmd_optee_measure(argc - 2, argv + 2);
	}
	fprintf(stderr, "tzm attest: unknown command '%s' (see tzm attest --help)\n", argv[1]);
	return EXIT_USAGE;
}
