/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A name server that never answers (test_thread_fds.sh, resolve-end): binds a UDP socket
 * to ADDR PORT, prints "bound", prints "query" for every datagram that comes (a resolver
 * retrying after its timeout shows as a second line), and never replies; it exits after
 * SECONDS (or when killed).
 * Usage: tzm_mute_dns ADDR PORT SECONDS
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	struct pollfd p;
	char dgram[512];
	long seconds = 0;
	time_t end = 0;
	int fd = -1;

	if (argc != 4) {
		fprintf(stderr, "usage: %s ADDR PORT SECONDS\n", argv[0]);
		return 64;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)atoi(argv[2]));
	seconds = atol(argv[3]);
	if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1 || seconds <= 0) {
		fprintf(stderr, "%s: bad address or time\n", argv[0]);
		return 64;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror("mute_dns: bind");
		return 1;
	}
	printf("bound\n");
	fflush(stdout);
	end = time(NULL) + seconds;
	p.fd = fd;
	p.events = POLLIN;
	while (time(NULL) < end) {
		p.revents = 0;
		if (poll(&p, 1, 1000) == 1 && recv(fd, dgram, sizeof(dgram), 0) >= 0) {
			printf("query\n");
			fflush(stdout);
		}
	}
	close(fd);
	return 0;
}
