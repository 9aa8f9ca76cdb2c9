/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * util_helpers: the contract of tzm_util.h (util/README.md): endpoint parsing (accepted
 * forms, lengths, and what is refused), exact-length I/O over a pipe and a socket pair
 * (short reads and writes, early end of stream), the little-endian fields, and which
 * words $TZM_EXEC_WRAPPER puts before an ELF file and a script.
 */
#include <tzm_test.h>
#include <tzm_util.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_parse_unix(void)
{
	struct sockaddr_storage ss;
	const struct sockaddr_un *un = (const struct sockaddr_un *)&ss;
	char longname[sizeof(un->sun_path) + 1];
	socklen_t len = 0;

	TEST_STEP("a path: NUL-terminated, the length counts the NUL");
	ASSERT_OK(tzm_util_parse_unix("/tmp/x.sock", &ss, &len));
	ASSERT_EQ_INT(un->sun_family, AF_UNIX);
	ASSERT_EQ_STR(un->sun_path, "/tmp/x.sock");
	ASSERT_EQ_U64(len, offsetof(struct sockaddr_un, sun_path) + strlen("/tmp/x.sock") + 1);

	TEST_STEP("an abstract name: leading NUL, no terminating one");
	ASSERT_OK(tzm_util_parse_unix("@abc", &ss, &len));
	ASSERT_EQ_MEM(un->sun_path, "\0abc", 4);
	ASSERT_EQ_U64(len, offsetof(struct sockaddr_un, sun_path) + 4);

	TEST_STEP("empty, and one byte longer than sun_path holds");
	ASSERT_EQ_INT(tzm_util_parse_unix("", &ss, &len), -ENAMETOOLONG);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ASSERT_EQ_INT(tzm_util_parse_unix(longname, &ss, &len), -ENAMETOOLONG);
	longname[sizeof(longname) - 2] = '\0'; /* sun_path - 1 characters + NUL: fits */
	ASSERT_OK(tzm_util_parse_unix(longname, &ss, &len));
}

static void test_parse_inet(void)
{
	static const char *const bad[] = { "127.0.0.1",       "127.0.0.1:",   ":80",
					   "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:1x",
					   "host:80",         "[::1:80",      "[]:80" };
	struct sockaddr_storage ss;
	const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&ss;
	socklen_t len = 0;

	TEST_STEP("IPv4 with a port");
	ASSERT_OK(tzm_util_parse_inet("127.0.0.1:7000", &ss, &len));
	ASSERT_EQ_INT(in->sin_family, AF_INET);
	ASSERT_EQ_U64(ntohs(in->sin_port), 7000);
	ASSERT_EQ_U64(ntohl(in->sin_addr.s_addr), INADDR_LOOPBACK);
	ASSERT_EQ_U64(len, sizeof(*in));

	TEST_STEP("IPv6 in brackets, port 0 and 65535 accepted");
	ASSERT_OK(tzm_util_parse_inet("[::1]:0", &ss, &len));
	ASSERT_EQ_INT(in6->sin6_family, AF_INET6);
	ASSERT_EQ_U64(ntohs(in6->sin6_port), 0);
	ASSERT_EQ_MEM(&in6->sin6_addr, &in6addr_loopback, sizeof(in6addr_loopback));
	ASSERT_EQ_U64(len, sizeof(*in6));
	ASSERT_OK(tzm_util_parse_inet("127.0.0.1:65535", &ss, &len));
	ASSERT_EQ_U64(ntohs(in->sin_port), 65535);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		TEST_STEP("refused: \"%s\"", bad[i]);
		ASSERT_EQ_INT(tzm_util_parse_inet(bad[i], &ss, &len), -EINVAL);
	}
}

static void test_io_all(void)
{
	uint8_t out[200000], back[sizeof(out)];
	int sv[2] = { -1, -1 };
	int pfd[2] = { -1, -1 };
	pid_t pid = -1;

	for (size_t i = 0; i < sizeof(out); i++) {
		out[i] = (uint8_t)(i * 31 + 7);
	}
	TEST_STEP("a socket pair: more than one send and one read each way");
	ASSERT_SYS(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = ASSERT_SYS(fork());
	if (pid == 0) {
		/* echo exactly sizeof(out) bytes back, then exit */
		close(sv[0]);
		_exit(tzm_util_read_all(sv[1], back, sizeof(back)) != 0 ||
		      tzm_util_write_all(sv[1], back, sizeof(back), true) != 0);
	}
	close(sv[1]);
	ASSERT_OK(tzm_util_write_all(sv[0], out, sizeof(out), true));
	memset(back, 0, sizeof(back));
	ASSERT_OK(tzm_util_read_all(sv[0], back, sizeof(back)));
	ASSERT_EQ_MEM(back, out, sizeof(out));

	TEST_STEP("an early end of stream is -EPIPE");
	ASSERT_EQ_INT(tzm_util_read_all(sv[0], back, 1), -EPIPE);

	TEST_STEP("the echoing child read and wrote everything");
	int status = 0;
	ASSERT_EQ_INT(waitpid(pid, &status, 0), pid);
	ASSERT_EQ_INT(status, 0);

	TEST_STEP("a socket whose peer is gone: -EPIPE from send, no SIGPIPE");
	ASSERT_EQ_INT(tzm_util_write_all(sv[0], out, 1, true), -EPIPE);
	close(sv[0]);

	TEST_STEP("a pipe with write(): short read at its end");
	ASSERT_SYS(pipe(pfd));
	ASSERT_OK(tzm_util_write_all(pfd[1], out, 100, false));
	close(pfd[1]);
	ASSERT_EQ_INT(tzm_util_read_all(pfd[0], back, 101), -EPIPE);
	ASSERT_EQ_MEM(back, out, 100);
	close(pfd[0]);
}

static void test_le(void)
{
	uint8_t b[8] = { 0 };

	TEST_STEP("little-endian fields");
	tzm_util_put_le64(b, 0x0807060504030201ull);
	ASSERT_EQ_MEM(b, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	tzm_util_put_le32(b, 0xa1b2c3d4u);
	ASSERT_EQ_MEM(b, "\xd4\xc3\xb2\xa1", 4);
	ASSERT_EQ_U64(tzm_util_get_le32(b), 0xa1b2c3d4u);
	tzm_util_put_le16(b + 4, 0xbeef);
	ASSERT_EQ_U64(tzm_util_get_le16(b + 4), 0xbeef);
}

static void test_exec_wrapper(const char *self, const char *script)
{
	char store[32];
	const char *words[3] = { NULL, NULL, NULL };

	TEST_STEP("unset or empty: no words");
	ASSERT_SYS(unsetenv("TZM_EXEC_WRAPPER"));
	ASSERT_EQ_INT(tzm_util_exec_wrapper(self, store, sizeof(store), words, 3), 0);
	ASSERT_SYS(setenv("TZM_EXEC_WRAPPER", "", 1));
	ASSERT_EQ_INT(tzm_util_exec_wrapper(self, store, sizeof(store), words, 3), 0);

	TEST_STEP("set: its words before an ELF file, none before a script");
	ASSERT_SYS(setenv("TZM_EXEC_WRAPPER", " qemu-aarch64\t-L  / ", 1));
	ASSERT_TRUE(tzm_util_is_elf(self));
	ASSERT_EQ_INT(tzm_util_exec_wrapper(self, store, sizeof(store), words, 3), 3);
	ASSERT_EQ_STR(words[0], "qemu-aarch64");
	ASSERT_EQ_STR(words[1], "-L");
	ASSERT_EQ_STR(words[2], "/");
	ASSERT_FALSE(tzm_util_is_elf(script));
	ASSERT_EQ_INT(tzm_util_exec_wrapper(script, store, sizeof(store), words, 3), 0);
	ASSERT_FALSE(tzm_util_is_elf("/nonexistent/program"));

	TEST_STEP("more words than room, a value longer than the store: -E2BIG");
	ASSERT_EQ_INT(tzm_util_exec_wrapper(self, store, sizeof(store), words, 2), -E2BIG);
	ASSERT_SYS(setenv("TZM_EXEC_WRAPPER", "a-wrapper-name-longer-than-32-bytes", 1));
	ASSERT_EQ_INT(tzm_util_exec_wrapper(self, store, sizeof(store), words, 3), -E2BIG);
	ASSERT_SYS(unsetenv("TZM_EXEC_WRAPPER"));
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s A-SHELL-SCRIPT\n", argv[0]);
		return 2;
	}
	signal(SIGPIPE, SIG_DFL); /* a SIGPIPE would kill the test: send must not raise it */
	test_parse_unix();
	test_parse_inet();
	test_io_all();
	test_le();
	test_exec_wrapper("/proc/self/exe", argv[1]);
	printf("util_helpers: all checks passed\n");
	return 0;
}
