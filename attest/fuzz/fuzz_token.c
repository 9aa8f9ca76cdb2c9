// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer entry point for everything in attest/ that reads untrusted bytes: the strict
 * CBOR checker, the full token verifier (with and without a platform key, with a
 * challenge and reference values so every appraisal path runs), the claim printer, and
 * the reference-value parser. Also built without libFuzzer as a replay test.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbor.h"
#include "tzm_attest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The P-256 key of the Veraison test vector, so its platform signature path is reached. */
static const char platform_pem[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEMKBCTNIcKUSDii11ySs3526iDZ8A\n"
	"iTo7Tu6KPAqv7D7gS2XpJFbZiItSs3m9+9Ue6GnvHw/GW2ZZaVtszggXIw==\n"
	"-----END PUBLIC KEY-----\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tzm_attest_report report;
	static struct tzm_attest_refvals rv;
	static FILE *devnull;
	static const uint8_t challenge[64];
	struct tzm_attest_verify_opts o;

	if (devnull == NULL) {
		devnull = fopen("/dev/null", "w");
		if (devnull == NULL) {
			abort();
		}
		static const char refs[] = "rim 00\nsw 0102\nrem0 ff\n";
		if (tzm_attest_refvals_parse(refs, sizeof(refs) - 1, &rv, NULL, 0) != 0) {
			abort();
		}
	}
	(void)tzm__cbor_check(data, size, NULL, NULL);

	memset(&o, 0, sizeof(o));
	if (tzm_attest_verify(data, size, &o, &report) != 0) {
		abort(); /* only bad arguments may fail, and these are fine */
	}
	o.platform_key_pem = platform_pem;
	o.platform_key_pem_len = sizeof(platform_pem) - 1;
	o.challenge = challenge;
	o.challenge_len = sizeof(challenge);
	o.refvals = &rv;
	if (tzm_attest_verify(data, size, &o, &report) != 0) {
		abort();
	}
	/* A report must never claim success for a token whose signatures did not verify. */
	if (report.status == TZM_ATTEST_AFFIRMING &&
	    (!report.realm_signature_ok || !report.platform_signature_ok)) {
		abort();
	}
	tzm_attest_report_print(devnull, &report);
	tzm_attest_report_print_json(devnull, &report);
	(void)tzm_attest_show(devnull, data, size);

	struct tzm_attest_refvals parsed;
	char err[128];
	(void)tzm_attest_refvals_parse((const char *)data, size, &parsed, err, sizeof(err));
	return 0;
}
