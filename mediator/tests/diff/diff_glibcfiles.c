/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Files glibc reads itself, as `date`, `TZ=... date` and a program calling
 * setlocale(LC_ALL, "C.UTF-8") make it: time zones (TZ set with setenv, then tzset,
 * localtime_r, strftime %Z/%z, mktime; a date of an older rule; an unknown zone), the
 * C.UTF-8 locale (setlocale, nl_langinfo, mbrtowc, towupper, wcwidth, a missing locale)
 * and a conversion built into glibc's iconv (no gconv module). In a TA glibc's own openat is
 * trapped by the sandbox: it failed with ENOSYS and a log line naming only 'openat' (times came out
 * in UTC, the locale stayed C); libtzm's tzm_ta_sandbox_open now serves it under the policy.
 * Also from a thread the program created (zones main never loaded): the sandbox handed
 * only the main thread's opens to libtzm, so a thread's time came out in UTC.
 */
#include <errno.h>
#include <iconv.h>
#include <langinfo.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>

#include "tr.h"

/* One instant in the zone tz: its local time, abbreviation and offset. */
static void show_time(const char *tz, time_t t)
{
	struct tm tm;
	char text[96] = "";

	memset(&tm, 0, sizeof(tm));
	if (tz) {
		EXPECT(0, 0, setenv("TZ", tz, 1));
	} else {
		EXPECT(0, 0, unsetenv("TZ"));
	}
	tzset();
	ASSERT(localtime_r(&t, &tm) != NULL);
	strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S %Z %z", &tm);
	NOTE("TZ=%s %lld -> %s dst=%d", tz ? tz : "(unset)", (long long)t, text, tm.tm_isdst);
	tm.tm_isdst = -1;
	NOTE("mktime back: %lld", (long long)mktime(&tm));
}

static void locale_checks(void)
{
	const char *e_acute = "\xc3\xa9";
	mbstate_t st;
	wchar_t wc = 0;

	memset(&st, 0, sizeof(st));
	EXPECT_PTR(0, 0, setlocale(LC_ALL, "C.UTF-8"));
	NOTE("LC_ALL: %s", setlocale(LC_ALL, NULL));
	NOTE("codeset: %s", nl_langinfo(CODESET));
	EXPECT(2, 0, mbrtowc(&wc, e_acute, 2, &st));
	NOTE("mbrtowc: U+%04X upper U+%04X width %d", (unsigned)wc, (unsigned)towupper(wc),
	     wcwidth(wc));
	EXPECT_PTR(1, ENOENT, setlocale(LC_ALL, "xx_NOWHERE.UTF-8"));
	NOTE("after a missing locale: %s", setlocale(LC_ALL, NULL));
	EXPECT_PTR(0, 0, setlocale(LC_ALL, "C"));
	NOTE("codeset in C: %s", nl_langinfo(CODESET));
}

static void iconv_checks(void)
{
	iconv_t cd = iconv_open("UCS-2LE", "UTF-8"); /* built in: no module */
	char in[] = "caf\xc3\xa9", out[16];
	char *ip = in, *op = out;
	size_t il = strlen(in), ol = sizeof(out);

	ASSERT(cd != (iconv_t)-1);
	EXPECT(0, 0, iconv(cd, &ip, &il, &op, &ol));
	EXPECT_DATA(8, 0, out, (long)(sizeof(out) - ol));
	EXPECT(0, 0, iconv_close(cd));
}

/* zones main has not loaded: glibc opens their files on this thread */
static void *thread_times(void *arg)
{
	(void)arg;
	show_time("Asia/Tokyo", 1700000000);
	show_time("Australia/Sydney", 1690000000);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	int created = 0, joined = 0;

	tr_begin("glibcfiles", argc, argv);
	show_time("Europe/Paris", 1700000000);      /* winter: CET */
	show_time("Europe/Paris", 1690000000);      /* summer: CEST */
	show_time(":America/New_York", 1700000000); /* the ':' form */
	show_time("Europe/Paris", 300000000);       /* 1979: an older rule */
	show_time("Asia/Kolkata", 1700000000);      /* +0530 */
	show_time("UTC", 1700000000);
	show_time("CET-1CEST,M3.5.0,M10.5.0/3", 1690000000); /* a rule: no file */
	/* recorded after the join: the thread's lines must not race main's record */
	created = pthread_create(&t, NULL, thread_times, NULL);
	joined = created == 0 ? pthread_join(t, NULL) : -1;
	ASSERT(created == 0);
	ASSERT(joined == 0);
	locale_checks();
	iconv_checks();
	return tr_end();
}
