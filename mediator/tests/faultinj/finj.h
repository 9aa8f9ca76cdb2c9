/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fault injection for the mediator's host-side code (policy loader, shadow handlers): the
 * test executable is linked with -Wl,--wrap=<fn> for every call that acquires memory or a
 * descriptor (finj.c lists them), so each such call made by the code under test is counted
 * and the Nth one can be made to fail (ENOMEM / EMFILE, as the kernel or libc would).
 *
 * A unit is a deterministic workload. The driver (finj_main) runs it once to count its
 * call sites, then once per call k with call k failing, each run in a child process bounded
 * by an alarm. A run passes when it ends normally, its workload's checks (tzm_test.h) found
 * every answer clean (a well-formed error, and the injected errno for the operation that
 * met the failure), and it released everything: no descriptor left open that was not open
 * before, no block allocated by the code under test left unfreed (tracked here, in every
 * build), and, in the ASan build, LeakSanitizer finds nothing at the child's exit. A failed
 * check ends its run (exit 1); its report names the workload step, the injected call and
 * its site (the check's context), and the driver goes on with the next call.
 */
#ifndef FINJ_H
#define FINJ_H

#include <stdbool.h>
#include <stddef.h>

struct finj_unit {
	const char *name;
	/* In the driver, before any run (may create files); 0 or -1. */
	int (*setup)(void);
	/* In the driver, after each run: restore the state the workload starts from. */
	void (*reset)(void);
	/* The workload (in a child): reports each unclean answer with finj_bad(). */
	void (*run)(void);
	void (*teardown)(void);
};

/* Whether the injected failure has happened in this run, and which call it was. */
bool finj_fired(void);
int finj_fired_errno(void);
const char *finj_fired_call(void);
/* The step the workload is at: with the injected call, the context of a failed check. */
void finj_step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Runs the unit named by argv[1]; returns the process exit status. */
int finj_main(int argc, char **argv, const struct finj_unit *units, size_t nunits);

#endif
