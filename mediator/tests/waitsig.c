/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * waitsig REPORT CMD [ARGS...]: runs CMD with SIGINT/SIGQUIT at their defaults (a
 * non-interactive shell starts background jobs with them ignored), writes "pid N" to
 * REPORT before CMD starts, then "exit N" or "signal N" when CMD ends, so a test can tell a
 * death by signal from an exit status of 128+N. Exits 0 (2 on usage or set-up errors).
 *
 * The child waits for the pid line to be on disk before it execs: a test that sees CMD's
 * first output then always finds the pid to signal (without the wait, a child scheduled
 * first printed "ready" before the line existed, and the test signalled nobody).
 */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	FILE *rep = NULL;
	pid_t pid = -1;
	int st = 0;
	int go[2] = { -1, -1 };
	char byte = 0;

	if (argc < 3 || !(rep = fopen(argv[1], "w"))) {
		fprintf(stderr, "usage: waitsig REPORT CMD [ARGS...]\n");
		return 2;
	}
	if (pipe(go) != 0) {
		perror("waitsig: pipe");
		return 2;
	}
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		/* EOF (the parent died) starts CMD too: nothing is left to report to anyway. */
		while (read(go[0], &byte, 1) < 0) {
		}
		close(go[0]);
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		execvp(argv[2], argv + 2);
		perror("waitsig: exec");
		_exit(127);
	}
	if (pid < 0) {
		perror("waitsig: fork");
		return 2;
	}
	close(go[0]);
	fprintf(rep, "pid %d\n", (int)pid);
	fflush(rep);
	if (write(go[1], "g", 1) != 1) {
		perror("waitsig: start");
	}
	close(go[1]);
	while (waitpid(pid, &st, 0) < 0) {
	}
	if (WIFSIGNALED(st)) {
		fprintf(rep, "signal %d\n", WTERMSIG(st));
	} else {
		fprintf(rep, "exit %d\n", WEXITSTATUS(st));
	}
	fclose(rep);
	return 0;
}
