/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fault-injection unit: the policy loader (every kind of rule: directory and single-object
 * path rules, fifo, unix, abstract names, net rules, mq, the log file) and opens under it.
 * A load that meets a failure must fail with that errno and a message, holding nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tzm_test.h>

#include "finj.h"
#include "policy.h"
#include "units.h"

static char base[PATH_MAX], policy_file[PATH_MAX + 16];

static int policy_setup(void)
{
	char path[PATH_MAX + 32];
	FILE *f = NULL;

	if (finj_tmpdir(base, sizeof(base)) != 0) {
		return -1;
	}
	snprintf(path, sizeof(path), "%s/tree", base);
	if (mkdir(path, 0700) != 0) {
		return -1;
	}
	snprintf(path, sizeof(path), "%s/tree/sub", base);
	if (mkdir(path, 0700) != 0) {
		return -1;
	}
	snprintf(path, sizeof(path), "%s/tree/file.txt", base);
	f = fopen(path, "w");
	if (!f || fputs("text\n", f) < 0 || fclose(f) != 0) {
		return -1;
	}
	snprintf(policy_file, sizeof(policy_file), "%s/policy", base);
	f = fopen(policy_file, "w");
	if (!f) {
		return -1;
	}
	fprintf(f,
		"# every kind of rule\n"
		"path ro %s/tree\n"
		"path rw %s/tree/sub nolinks\n"
		"path ro %s/tree/file.txt\n"
		"path rw %s/tree/not-yet\n"
		"fifo %s/tree/fifo\n"
		"unix %s/tree/sock\n"
		"unix @tzm-finj*\n"
		"tcp bind 127.0.0.1 7000-7010\n"
		"udp connect ::1/128 *\n"
		"mq /tzm-finj*\n"
		"max_fds 64\n"
		"max_inflight 256K\n"
		"udp_reply off\n"
		"log %s/denials.log\n",
		base, base, base, base, base, base, base);
	return fclose(f) == 0 ? 0 : -1;
}

static void policy_reset(void)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/tree/sub/new", base);
	(void)unlink(path);
}

static void policy_teardown(void)
{
	finj_rmtree(base);
}

/* An open under the policy: a descriptor, or the injected failure. */
static void check_open(const struct tzm_policy *p, const char *rel, bool write, int flags)
{
	char abs[PATH_MAX + 32];
	bool before = finj_fired();
	int fd = -1;

	finj_step("open %s", rel);
	snprintf(abs, sizeof(abs), "%s/%s", base, rel);
	fd = tzm_policy_open(p, "open", abs, write, TZM_POL_MASK(TZM_POL_FILE), flags, 0600);
	if (fd >= 0) {
		close(fd);
		return;
	}
	/* only the injected failure may make it fail, and with its errno */
	ASSERT_FALSE(before);
	ASSERT_TRUE(finj_fired());
	ASSERT_EQ_ERRNO(fd, -finj_fired_errno());
}

static void policy_run(void)
{
	struct tzm_policy *p = NULL;
	char err[256] = "";
	int rc = 0;

	finj_step("load");
	rc = tzm_policy_load(policy_file, &p, err, sizeof(err));
	if (rc != 0) {
		/* a failed load holds nothing, says why, and fails with the injected errno */
		ASSERT_NULL(p);
		ASSERT_NE_STR(err, "");
		ASSERT_TRUE(finj_fired());
		ASSERT_EQ_ERRNO(rc, -finj_fired_errno());
		return;
	}
	check_open(p, "tree/file.txt", false, O_RDONLY);
	check_open(p, "tree/sub", false, O_RDONLY | O_DIRECTORY);
	check_open(p, "tree/sub/new", true, O_RDWR | O_CREAT);
	finj_step("free");
	tzm_policy_free(p);
}

const struct finj_unit finj_unit_policy = {
	.name = "policy",
	.setup = policy_setup,
	.reset = policy_reset,
	.run = policy_run,
	.teardown = policy_teardown,
};
