// SPDX-License-Identifier: BSD-2-Clause
/*
 * tzm — the tzmediator command-line front end.
 *
 * Like git, `tzm <command> args...` runs the program `tzm-<command>` that implements the
 * command: first from the directory holding this executable (so a build tree and an
 * installed tree both work without PATH changes), then from PATH. Each command owns its
 * own --help. Keeping the commands as separate programs keeps the shadow (`tzm run`)
 * free of the attestation code and vice versa.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tzm_command {
	const char *name;
	const char *summary;
};

static const struct tzm_command commands[] = {
	{ "run", "run a POSIX TA through a shadow process (tzm run --help)" },
	{ "attest", "verify or show CCA-format attestation tokens (tzm attest --help)" },
	{ "realm", "realm model tools: predict a realm's RIM (tzm realm --help)" },
	{ "wasm", "make a WASI module a TA: tzm wasm build app.wasm -o <uuid>.ta" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: tzm <command> [args...]\n"
		     "       tzm --help | --version\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	}
}

static const struct tzm_command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, name) == 0) {
			return &commands[i];
		}
	}
	return NULL;
}

/* Directory of this executable, or "" when /proc is unavailable. */
static void self_dir(char *dir, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", dir, cap - 1);
	if (n <= 0) {
		dir[0] = '\0';
		return;
	}
	dir[n] = '\0';
	char *slash = strrchr(dir, '/');
	if (slash != NULL) {
		*slash = '\0';
	} else {
		dir[0] = '\0';
	}
}

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("tzm %s\n", TZM_VERSION);
		return 0;
	}
	const struct tzm_command *cmd = find_command(argv[1]);
	if (cmd == NULL) {
		fprintf(stderr, "tzm: '%s' is not a tzm command\n", argv[1]);
		usage(stderr);
		return 2;
	}

	char prog[64];
	snprintf(prog, sizeof(prog), "tzm-%s", cmd->name);
	argv[1] = prog;

	char dir[PATH_MAX];
	self_dir(dir, sizeof(dir));
	if (dir[0] != '\0') {
		char path[PATH_MAX + sizeof(prog) + 1];
		snprintf(path, sizeof(path), "%s/%s", dir, prog);
		if (access(path, X_OK) == 0) {
			execv(path, &argv[1]);
			fprintf(stderr, "tzm: cannot run %s: %s\n", path, strerror(errno));
			return 127;
		}
	}
	execvp(prog, &argv[1]);
	fprintf(stderr, "tzm: cannot run %s: %s (is tzmediator fully installed?)\n", prog,
		strerror(errno));
	return 127;
}
