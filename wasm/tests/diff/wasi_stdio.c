/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * WASI differential test: stdio over WASI fds. stdout (the transcript itself), stderr
 * ("stdio-err:" lines, compared by the runner), stdin (a pipe from the runner) and files:
 * fopen modes and failures, fgets/fgetc/ungetc/fread/fscanf, fputs/fprintf/fwrite,
 * fseek/ftell/rewind, feof/ferror, fflush, setvbuf, fileno, fdopen, fclose.
 * Built natively and as a Wasm TA: the two transcripts must be identical.
 */
#include "wasi_diff.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *dir = tr_begin("wasi_stdio", argc, argv);
	char file[PATH_MAX], sub[PATH_MAX], path[PATH_MAX];
	char line[64] = "", word[16] = "";
	int num = 0;
	FILE *f = NULL;

	tr_join(file, sizeof(file), dir, "text.txt");
	tr_join(sub, sizeof(sub), dir, "sub");

	/* stderr and stdin */
	fprintf(stderr, "stdio-err: to stderr %d\n", 42);
	fputs("stdio-err: fputs to stderr\n", stderr);
	EXPECT_PTR(0, 0, fgets(line, sizeof(line), stdin));
	NOTE("stdin line: [%.*s]", (int)strcspn(line, "\n"), line);
	EXPECT(EOF, 0, fgetc(stdin));
	EXPECT(1, 0, feof(stdin) != 0);

	/* fopen failures */
	EXPECT_PTR(1, ENOENT, fopen(file, "r"));
	EXPECT_PTR(1, ENOENT, fopen(file, "r+"));
	EXPECT(0, 0, mkdir(sub, 0755));
	EXPECT_PTR(1, EISDIR, fopen(sub, "w"));
	tr_join(path, sizeof(path), dir, "text.txt/x");
	EXPECT_PTR(1, ENOENT, fopen(path, "w"));
	EXPECT_PTR(1, EINVAL, fopen(file, "q"));

	/* write a file */
	f = EXPECT_PTR(0, 0, fopen(file, "w"));
	if (f == NULL) {
		return tr_end();
	}
	EXPECT(TR_OK, 0, fputs("first line\n", f));
	EXPECT(20, 0, fprintf(f, "number %d word %s\n", 123, "xyz"));
	EXPECT(5, 0, fwrite("abcde", 1, 5, f));
	EXPECT('\n', 0, fputc('\n', f));
	EXPECT(0, 0, ftell(f) == 37 ? 0 : -1);
	EXPECT(0, 0, fflush(f));
	EXPECT(0, 0, ferror(f));
	EXPECT(0, 0, fclose(f));

	/* read it back */
	f = EXPECT_PTR(0, 0, fopen(file, "r"));
	if (f == NULL) {
		return tr_end();
	}
	EXPECT_PTR(0, 0, fgets(line, sizeof(line), f));
	NOTE("line: [%.*s]", (int)strcspn(line, "\n"), line);
	EXPECT(2, 0, fscanf(f, "number %d word %15s", &num, word));
	NOTE("scanned %d %s", num, word);
	EXPECT('\n', 0, fgetc(f));
	EXPECT('a', 0, fgetc(f));
	EXPECT('a', 0, ungetc('a', f));
	EXPECT_DATA(5, 0, line, fread(line, 1, 5, f));
	EXPECT(1, 0, fread(line, 1, 10, f));
	EXPECT(1, 0, feof(f) != 0);
	EXPECT(0, 0, fseek(f, 6, SEEK_SET));
	EXPECT(6, 0, ftell(f));
	EXPECT_DATA(4, 0, line, fread(line, 1, 4, f));
	EXPECT(0, 0, fseek(f, -3, SEEK_END));
	EXPECT_DATA(3, 0, line, fread(line, 1, 3, f));
	rewind(f);
	EXPECT(0, 0, ftell(f));
	EXPECT(-1, EINVAL, fseek(f, -100, SEEK_SET));
	EXPECT(TR_FD, 0, fileno(f));
	EXPECT(0, 0, fclose(f));

	/* append and update modes */
	f = EXPECT_PTR(0, 0, fopen(file, "a"));
	if (f != NULL) {
		EXPECT(0, 0, fseek(f, 0, SEEK_SET));
		EXPECT(5, 0, fprintf(f, "tail\n"));
		EXPECT(0, 0, fclose(f));
	}
	f = EXPECT_PTR(0, 0, fopen(file, "r+"));
	if (f != NULL) {
		EXPECT(0, 0, setvbuf(f, NULL, _IONBF, 0));
		EXPECT(5, 0, fwrite("FIRST", 1, 5, f));
		EXPECT(0, 0, fseek(f, -5, SEEK_END));
		EXPECT_PTR(0, 0, fgets(line, sizeof(line), f));
		NOTE("last line: [%.*s]", (int)strcspn(line, "\n"), line);
		EXPECT(0, 0, fclose(f));
	}
	f = EXPECT_PTR(0, 0, fopen(file, "w+"));
	if (f != NULL) {
		EXPECT(3, 0, fwrite("new", 1, 3, f));
		rewind(f);
		EXPECT_DATA(3, 0, line, fread(line, 1, sizeof(line), f));
		EXPECT(0, 0, fclose(f));
	}

	/* fdopen on a descriptor */
	int fd = (int)EXPECT(TR_FD, 0, open(file, O_RDONLY));
	f = EXPECT_PTR(0, 0, fdopen(fd, "r"));
	if (f != NULL) {
		EXPECT('n', 0, fgetc(f));
		EXPECT(0, 0, fclose(f));
		EXPECT(-1, EBADF, close(fd)); /* fclose closed it */
	}

	/* stdout line buffering and a partial line at the end */
	EXPECT(0, 0, fflush(stdout));
	fprintf(stderr, "stdio-err: done\n");
	EXPECT(0, 0, unlink(file));
	EXPECT(0, 0, rmdir(sub));
	return tr_end();
}
