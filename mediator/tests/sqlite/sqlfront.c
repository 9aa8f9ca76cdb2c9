/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small SQLite front end, linked with Debian's libsqlite3.a unmodified, built natively
 * and as a TA (test_sqlite.sh runs both):
 *
 *   sqlfront DB basic   creates a table, inserts 100 rows in one transaction, reads them
 *                       back (count and sum), then one more insert outside a transaction
 *   sqlfront DB busy    one insert with no busy timeout: expects SQLITE_BUSY (another
 *                       process holds the write lock), prints "busy", waits for a line on
 *                       stdin (the holder has let go), inserts again: "inserted"
 *   sqlfront DB wal     PRAGMA journal_mode=WAL, then as basic
 *   sqlfront DB walx    the same after PRAGMA locking_mode=EXCLUSIVE (SQLite then keeps
 *                       the WAL index in its own memory instead of a shared mapping)
 *   sqlfront DB count   prints the number of rows of t
 *   sqlfront DB hold    BEGIN IMMEDIATE and one insert (the write lock held), prints
 *                       "holding", waits for a line on stdin, commits: "committed"
 *
 * Every result line goes to stdout; an SQLite error prints "error: <extended code>
 * <message>" and ends the program with status 1.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sqlite3 *db;

static int print_row(void *arg, int n, char **val, char **col)
{
	(void)arg;
	(void)col;
	for (int i = 0; i < n; i++) {
		printf("%s%s", i ? "|" : "", val[i] ? val[i] : "NULL");
	}
	printf("\n");
	return 0;
}

/* Runs sql; an error other than `allowed` ends the program. Returns SQLite's code. */
static int run(const char *sql, int allowed)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, print_row, NULL, &msg);

	if (rc != SQLITE_OK && rc != allowed) {
		printf("error: %d %s (%s)\n", sqlite3_extended_errcode(db), msg ? msg : "?", sql);
		sqlite3_free(msg);
		sqlite3_close(db);
		exit(1);
	}
	sqlite3_free(msg);
	return rc;
}

static void basic(void)
{
	char sql[128];

	run("CREATE TABLE t(x INTEGER, s TEXT)", 0);
	run("BEGIN", 0);
	for (int i = 1; i <= 100; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO t VALUES(%d, 'row %d')", i, i);
		run(sql, 0);
	}
	run("COMMIT", 0);
	run("SELECT count(*), sum(x) FROM t", 0);
	run("INSERT INTO t VALUES(101, 'row 101')", 0);
	run("SELECT count(*), sum(x), max(s) FROM t", 0);
	run("PRAGMA integrity_check", 0);
}

int main(int argc, char **argv)
{
	char line[16];

	if (argc != 3) {
		fprintf(stderr, "usage: sqlfront DB basic|busy|hold|wal|walx|count\n");
		return 64; /* (common.sh's warm_up_tee runs it without arguments) */
	}
	if (sqlite3_open(argv[1], &db) != SQLITE_OK) {
		printf("error: open %s: %s\n", argv[1], db ? sqlite3_errmsg(db) : "?");
		return 1;
	}
	if (strcmp(argv[2], "basic") == 0) {
		basic();
	} else if (strcmp(argv[2], "wal") == 0) {
		run("PRAGMA journal_mode=WAL", 0);
		basic();
	} else if (strcmp(argv[2], "walx") == 0) {
		run("PRAGMA locking_mode=EXCLUSIVE", 0);
		run("PRAGMA journal_mode=WAL", 0);
		basic();
	} else if (strcmp(argv[2], "busy") == 0) {
		sqlite3_busy_timeout(db, 0);
		if (run("INSERT INTO t VALUES(200, 'second writer')", SQLITE_BUSY) == SQLITE_BUSY) {
			printf("busy\n");
			fflush(stdout);
			if (!fgets(line, sizeof(line), stdin)) {
				printf("error: no go-ahead on stdin\n");
				return 1;
			}
			run("INSERT INTO t VALUES(200, 'second writer')", 0);
			printf("inserted\n");
		} else {
			printf("error: not busy: nobody held the write lock\n");
			return 1;
		}
	} else if (strcmp(argv[2], "hold") == 0) {
		run("BEGIN IMMEDIATE", 0);
		run("INSERT INTO t VALUES(300, 'holder')", 0);
		printf("holding\n");
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin)) {
			printf("error: no go-ahead on stdin\n");
			return 1;
		}
		run("COMMIT", 0);
		printf("committed\n");
	} else if (strcmp(argv[2], "count") == 0) {
		run("SELECT count(*) FROM t", 0);
	} else {
		fprintf(stderr, "sqlfront: unknown mode %s\n", argv[2]);
		return 64;
	}
	fflush(stdout);
	return sqlite3_close(db) == SQLITE_OK ? 0 : 1;
}
