/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Directory snapshots for tests that play a backup against the TEE's rollback checks: a
 * copy of a directory's regular files, and putting exactly those files back. Host
 * programs only (tzm_test); every failure is a test failure (tzm_test.h's checks).
 */
#ifndef TZM_TEST_SNAP_H
#define TZM_TEST_SNAP_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#define TZM_TEST_SNAP_MAX 32

struct tzm_test_snap {
	size_t count;
	char name[TZM_TEST_SNAP_MAX][NAME_MAX + 1];
	uint8_t *data[TZM_TEST_SNAP_MAX];
	size_t len[TZM_TEST_SNAP_MAX];
};

/* Copies the regular files of dir into s (at most TZM_TEST_SNAP_MAX). */
void tzm_test_snap_take(const char *dir, struct tzm_test_snap *s);
/* Makes dir (created when missing) hold exactly the snapshot's files, mode 0600. */
void tzm_test_snap_restore(const char *dir, const struct tzm_test_snap *s);
void tzm_test_snap_free(struct tzm_test_snap *s);

#endif
