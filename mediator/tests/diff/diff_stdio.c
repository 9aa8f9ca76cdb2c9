/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential test: stdio. printf/fprintf/puts/putchar/fputs to stdout, fprintf/perror
 * to stderr (lines prefixed "stdio-err:" so the runner can compare them apart from any
 * shadow log output), and fopen/fgets/fgetc/fread/fwrite/fputs/fprintf/fflush/fclose on
 * files in the scratch dir, incl. append mode, EOF, ferror and fopen failures.
 */
#include "tr.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#define BLOB 20000 /* larger than a stdio buffer: forces several flushes */

static unsigned char blob[BLOB];
static unsigned char blob_back[BLOB];

static void to_terminal(void)
{
	EXPECT(15, 0, printf("[%d %s %5.2f]\n", 42, "str", 3.14159));
	EXPECT(11, 0, fprintf(stdout, "fprintf %c%c\n", 'o', 'k'));
	EXPECT(TR_OK, 0, puts("puts line"));
	EXPECT('x', 0, putchar('x'));
	EXPECT('\n', 0, putchar('\n'));
	EXPECT(TR_OK, 0, fputs("fputs line\n", stdout));
	EXPECT(0, 0, fflush(stdout));
	EXPECT(21, 0, fprintf(stderr, "stdio-err: fprintf %d\n", 1));
	errno = ENOENT;
	perror("stdio-err: perror");
	EXPECT(0, 0, fflush(stderr));
}

static void files(const char *dir)
{
	char path[PATH_MAX], missing[PATH_MAX];
	char line[64] = "";
	FILE *f = NULL;
	long n = 0;

	tr_join(path, sizeof(path), dir, "stdio.txt");
	tr_join(missing, sizeof(missing), dir, "missing/stdio.txt");
	tr_pattern(blob, sizeof(blob), 9);

	EXPECT_PTR(1, ENOENT, fopen(missing, "w"));
	EXPECT_PTR(1, ENOENT, fopen(path, "r"));
	EXPECT_PTR(1, EINVAL, fopen(path, "q"));
	f = EXPECT_PTR(0, 0, fopen(path, "w"));
	if (f == NULL) {
		return;
	}
	EXPECT(TR_OK, 0, fputs("first line\n", f));
	EXPECT(12, 0, fprintf(f, "second %04d\n", 7));
	EXPECT(BLOB, 0, fwrite(blob, 1, sizeof(blob), f));
	EXPECT(0, 0, fflush(f));
	EXPECT(0, 0, fclose(f));

	f = EXPECT_PTR(0, 0, fopen(path, "r"));
	if (f == NULL) {
		return;
	}
	EXPECT_PTR(0, 0, fgets(line, sizeof(line), f));
	NOTE("fgets -> \"%.*s\"", (int)strcspn(line, "\n"), line);
	EXPECT('s', 0, fgetc(f));
	EXPECT_PTR(0, 0, fgets(line, 5, f));
	NOTE("fgets 5 -> \"%s\"", line);
	EXPECT_PTR(0, 0, fgets(line, sizeof(line), f));
	n = EXPECT(BLOB, 0, fread(blob_back, 1, sizeof(blob_back), f));
	ASSERT(n == BLOB && memcmp(blob, blob_back, BLOB) == 0);
	EXPECT(0, 0, fread(blob_back, 1, 1, f));
	ASSERT(feof(f) && !ferror(f));
	EXPECT(EOF, 0, fgetc(f));
	EXPECT_PTR(1, 0, fgets(line, sizeof(line), f));
	/* Writing to a read-only stream fails and sets the error indicator. */
	EXPECT(0, 0, fwrite("x", 1, 1, f));
	ASSERT(ferror(f));
	EXPECT(0, 0, fclose(f));

	f = EXPECT_PTR(0, 0, fopen(path, "a+"));
	if (f == NULL) {
		return;
	}
	EXPECT(TR_OK, 0, fputs("appended\n", f));
	EXPECT(0, 0, fflush(f));
	EXPECT(0, 0, fseek(f, 0, SEEK_END));
	EXPECT(11 + 12 + BLOB + 9, 0, ftell(f));
	EXPECT(0, 0, fseek(f, -9, SEEK_END));
	EXPECT_PTR(0, 0, fgets(line, sizeof(line), f));
	NOTE("tail -> \"%.*s\"", (int)strcspn(line, "\n"), line);
	EXPECT(0, 0, fclose(f));
	EXPECT(0, 0, remove(path));
}

int main(int argc, char **argv)
{
	const char *dir = tr_begin("stdio", argc, argv);

	to_terminal();
	files(dir);
	return tr_end();
}
