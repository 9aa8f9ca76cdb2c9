// SPDX-License-Identifier: BSD-2-Clause
/*
 * tzm-realm (run as `tzm realm ...`): realm tools. `measure` predicts the RIM of a realm
 * image loaded by the fixed load sequence (tzm_realm.h), so a relying party can write
 * reference values (`rim HEX` lines for `tzm attest verify --ref-values`) before the realm
 * ever runs.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tzm_attest.h"
#include "tzm_realm.h"

#define MAX_IMAGE (256u << 20)

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tzm realm measure IMAGE [--hash sha256|sha512] [--s2sz BITS]\n"
		"                         [--base IPA] [--ram BYTES] [--entry IPA] [--recs N]\n"
		"       tzm realm run [--policy FILE | --allow-all] [--env NAME[=VALUE]]... IMAGE\n"
		"                     [-- args...]\n"
		"       tzm realm platform-key KEYFILE\n"
		"measure prints the realm's RIM as a reference-value line: rim <hex>\n"
		"Defaults: sha256, s2sz 32, base 0, RAM = image rounded up to 2 MB,\n"
		"entry = base, 1 REC. Exit: 0 ok, 64 usage, 65 bad layout, 66 unreadable image.\n"
		"run runs IMAGE (a program built with libtzm's realm entry, e.g. <name>-realm)\n"
		"in a realm with the default layout, serving its POSIX calls as `tzm run` does\n"
		"(TZM_REALM_PLATFORM_KEY=KEYFILE: the platform key, created if missing; else a\n"
		"fresh key per run). platform-key prints KEYFILE's public half (PEM).\n");
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end = NULL;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-') {
		return -EINVAL;
	}
	*v = x;
	return 0;
}

static int read_image(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1u << 20, n = 0;
	uint8_t *b = NULL;
	int rc = -EIO;
	if (f == NULL) {
		return -errno;
	}
	b = malloc(cap);
	while (b != NULL) {
		n += fread(b + n, 1, cap - n, f);
		if (n < cap) {
			break;
		}
		if (cap >= MAX_IMAGE) {
			rc = -EFBIG;
			goto out;
		}
		uint8_t *nb = realloc(b, cap * 2);
		if (nb == NULL) {
			goto out;
		}
		b = nb;
		cap *= 2;
	}
	if (b == NULL || ferror(f)) {
		goto out;
	}
	*buf = b;
	*len = n;
	b = NULL;
	rc = 0;
out:
	free(b);
	fclose(f);
	return rc;
}

static int cmd_measure(int argc, char **argv)
{
	const char *image_path = NULL;
	uint64_t s2sz = 0, base = 0, ram = 0, entry = 0, recs = 0;
	int has_ram = 0, has_entry = 0, has_base = 0, has_s2sz = 0, has_recs = 0;
	unsigned alg = TZM_RMI_HASH_SHA_256;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t *dst = NULL;
		int *flag = NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--hash") == 0 && v != NULL) {
			if (strcmp(v, "sha256") == 0 || strcmp(v, "sha-256") == 0) {
				alg = TZM_RMI_HASH_SHA_256;
			} else if (strcmp(v, "sha512") == 0 || strcmp(v, "sha-512") == 0) {
				alg = TZM_RMI_HASH_SHA_512;
			} else {
				fprintf(stderr, "tzm realm measure: unknown hash '%s'\n", v);
				return 64;
			}
			i++;
			continue;
		} else if (strcmp(a, "--s2sz") == 0) {
			dst = &s2sz;
			flag = &has_s2sz;
		} else if (strcmp(a, "--base") == 0) {
			dst = &base;
			flag = &has_base;
		} else if (strcmp(a, "--ram") == 0) {
			dst = &ram;
			flag = &has_ram;
		} else if (strcmp(a, "--entry") == 0) {
			dst = &entry;
			flag = &has_entry;
		} else if (strcmp(a, "--recs") == 0) {
			dst = &recs;
			flag = &has_recs;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "tzm realm measure: unknown option '%s'\n", a);
			usage(stderr);
			return 64;
		} else if (image_path == NULL) {
			image_path = a;
			continue;
		} else {
			usage(stderr);
			return 64;
		}
		if (v == NULL || parse_u64(v, dst) != 0) {
			fprintf(stderr, "tzm realm measure: %s needs a number\n", a);
			return 64;
		}
		*flag = 1;
		i++;
	}
	if (image_path == NULL) {
		usage(stderr);
		return 64;
	}
	uint8_t *image = NULL;
	size_t len = 0;
	int rc = read_image(image_path, &image, &len);
	if (rc != 0) {
		fprintf(stderr, "tzm realm measure: %s: %s\n", image_path, strerror(-rc));
		return 66;
	}
	struct tzm_realm_layout l;
	tzm_realm_layout_default(&l, len);
	l.algorithm = alg;
	if (has_s2sz) {
		l.s2sz = s2sz > 64 ? 0 : (unsigned)s2sz;
	}
	if (has_base) {
		l.ipa_base = base;
		l.entry = base;
	}
	if (has_ram) {
		l.ram_size = ram;
	}
	if (has_entry) {
		l.entry = entry;
	}
	if (has_recs) {
		l.num_recs = recs > 64 ? 0 : (unsigned)recs;
	}
	uint8_t rim[64];
	if (tzm_realm_predict_rim(&l, image, len, rim) != 0) {
		fprintf(stderr,
			"tzm realm measure: the layout is not one the RMM accepts "
			"(s2sz 32..48, 4 KB aligned base and RAM holding the image inside the "
			"protected half of the IPA space, 1..16 RECs)\n");
		free(image);
		return 65;
	}
	free(image);
	printf("rim ");
	for (size_t i = 0; i < (alg == TZM_RMI_HASH_SHA_512 ? 64u : 32u); i++) {
		printf("%02x", rim[i]);
	}
	printf("\n");
	return 0;
}

/*
 * `tzm realm run [tzm-run options] IMAGE [-- args]`: tzm-run --realm (beside this program,
 * else on PATH) plays the hypervisor and the shadow.
 */
static int cmd_run(int argc, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char **av = calloc((size_t)argc + 3, sizeof(char *));
	if (av == NULL) {
		return 70;
	}
	snprintf(path, sizeof(path), "tzm-run");
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash != NULL) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/tzm-run", self);
			if (access(path, X_OK) != 0) {
				snprintf(path, sizeof(path), "tzm-run");
			}
		}
	}
	av[0] = path;
	av[1] = "--realm";
	for (int i = 0; i < argc; i++) {
		av[2 + i] = argv[i];
	}
	if (strchr(path, '/') != NULL) {
		execv(path, av);
	} else {
		execvp(path, av);
	}
	fprintf(stderr, "tzm realm run: cannot run %s: %s\n", path, strerror(errno));
	free(av);
	return 127;
}

/* `tzm realm platform-key KEYFILE`: the public half (PEM) of the emulated platform's key
 * that `tzm realm run` uses with TZM_REALM_PLATFORM_KEY=KEYFILE (created if missing). */
static int cmd_platform_key(int argc, char **argv)
{
	struct tzm_attest_key *key = NULL;
	char pem[1024];
	size_t len = 0;
	if (argc != 1) {
		usage(stderr);
		return 64;
	}
	if (tzm_attest_key_load_or_create(argv[0], &key) != 0 ||
	    tzm_attest_key_public_pem(key, pem, sizeof(pem), &len) != 0) {
		fprintf(stderr, "tzm realm platform-key: cannot load or create %s\n", argv[0]);
		tzm_attest_key_free(key);
		return 66;
	}
	fwrite(pem, 1, len, stdout);
	tzm_attest_key_free(key);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "platform-key") == 0) {
		return cmd_platform_key(argc - 2, argv + 2);
	}
	if (argc >= 2 && strcmp(argv[1], "measure") == 0) {
		return cmd_measure(argc - 2, argv + 2);
	}
	if (argc >= 2 && strcmp(argv[1], "run") == 0) {
		return cmd_run(argc - 2, argv + 2);
	}
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 64;
}
