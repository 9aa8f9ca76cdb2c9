/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Compute kernels of the `wasm` part of `make bench`: one C source built natively
 * (bench_kernels, the baseline) and to wasm32-wasi, then by `tzm wasm build` into a Wasm TA
 * (bench/CMakeLists.txt). Both builds run identical code.
 *
 *   bench_kernels sha256 MIB     SHA-256 of MIB MiB (tee/common/sha256.c, a 1 MiB buffer)
 *   bench_kernels matmul N       C = A * B, N x N doubles, the naive i-k-j loop
 *   bench_kernels startup 1      nothing: the CPU of a run without a kernel (start-up, the
 *                                TA's loading), which bench/summary.sh subtracts
 *
 * Prints one line "kernel=<name> size=<n> seconds=<s> check=<hex>": seconds is the kernel
 * alone (CLOCK_MONOTONIC around it; start-up and the TA's loading are outside), check a
 * digest of the result so both builds can be compared and the work cannot be optimised
 * away.
 */
#include "sha256.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		perror("clock_gettime");
		exit(1);
	}
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run_sha256(unsigned long mib)
{
	enum {
		CHUNK = 1 << 20
	};
	uint8_t *buf = malloc(CHUNK);
	if (buf == NULL) {
		perror("malloc");
		return 1;
	}
	for (size_t i = 0; i < CHUNK; i++) {
		buf[i] = (uint8_t)(i * 131u + 7u);
	}
	struct tzm__sha256 ctx;
	uint8_t digest[32];
	double t0 = now();
	tzm__sha256_init(&ctx);
	for (unsigned long i = 0; i < mib; i++) {
		buf[0] = (uint8_t)i; /* every chunk differs */
		tzm__sha256_update(&ctx, buf, CHUNK);
	}
	tzm__sha256_final(&ctx, digest);
	double t1 = now();
	printf("kernel=sha256 size=%lu seconds=%.6f check=", mib, t1 - t0);
	for (int i = 0; i < 8; i++) {
		printf("%02x", digest[i]);
	}
	printf("\n");
	free(buf);
	return 0;
}

static int run_matmul(unsigned long n)
{
	double *a = malloc(n * n * sizeof(*a));
	double *b = malloc(n * n * sizeof(*b));
	double *c = calloc(n * n, sizeof(*c));
	int rc = 1;
	if (a == NULL || b == NULL || c == NULL) {
		perror("malloc");
		goto out;
	}
	for (size_t i = 0; i < n * n; i++) {
		a[i] = (double)(i % 17) * 0.25 - 2.0;
		b[i] = (double)(i % 13) * 0.5 + 1.0;
	}
	double t0 = now();
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < n; k++) {
			double aik = a[i * n + k];
			for (size_t j = 0; j < n; j++) {
				c[i * n + j] += aik * b[k * n + j];
			}
		}
	}
	double t1 = now();
	double sum = 0;
	for (size_t i = 0; i < n * n; i++) {
		sum += c[i] * (double)(i % 7 + 1);
	}
	printf("kernel=matmul size=%lu seconds=%.6f check=%.6e\n", n, t1 - t0, sum);
	rc = 0;
out:
	free(a);
	free(b);
	free(c);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bench_kernels sha256 MIB | matmul N | startup 1\n");
		return 2;
	}
	char *end;
	unsigned long size = strtoul(argv[2], &end, 10);
	if (*end != '\0' || size == 0 || size > 4096) {
		fprintf(stderr, "bench_kernels: size must be 1..4096: %s\n", argv[2]);
		return 2;
	}
	if (strcmp(argv[1], "sha256") == 0) {
		return run_sha256(size);
	}
	if (strcmp(argv[1], "matmul") == 0) {
		return run_matmul(size);
	}
	if (strcmp(argv[1], "startup") == 0) {
		printf("kernel=startup size=%lu seconds=0.000000 check=0\n", size);
		return 0;
	}
	fprintf(stderr, "bench_kernels: unknown kernel %s\n", argv[1]);
	return 2;
}
