// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vm-cross: FTP-like sessions whose server greeting and client's first
 * command cross, for the vm tier. One process serves or opens N sessions,
 * so the scenario can make them all send at the same moment.
 *
 *   vm-cross server PORT N GO1 GO2
 *	accept N connections; once the file GO1 exists, send "220" on all,
 *	then read each client's first line; once GO2 exists, read each PASV
 *	and answer "227 ... (h1,h2,h3,h4,p1,p2)" with the server's address
 *	and the client's own port; then wait for the clients to close.
 *   vm-cross client ADDR PORT N GO1 GO2
 *	open N connections to ADDR:PORT (IPv4); once GO1 exists send
 *	"USER anonymous" on all, once GO2 exists send "PASV" on all, read
 *	the answers, print how many 227 came, and close.
 * Exit status 0 when all N sessions went through, 1 otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAXN 256

static void wait_file(const char *path)
{
	struct stat st;
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	while (stat(path, &st) < 0)
		nanosleep(&ts, NULL);
}

/* Read one line (up to '\n') from @fd within 20 s; 0 on success. */
static int read_line(int fd, char *buf, size_t size)
{
	struct pollfd p = { fd, POLLIN, 0 };
	size_t n = 0;
	char c;

	while (n + 1 < size) {
		if (poll(&p, 1, 20000) <= 0 || read(fd, &c, 1) != 1)
			return -1;
		buf[n++] = c;
		if (c == '\n')
			break;
	}
	buf[n] = '\0';
	return 0;
}

static int send_str(int fd, const char *s)
{
	return write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
}

static unsigned int num(const char *s, unsigned int max)
{
	unsigned long v = strtoul(s, NULL, 10);

	if (v == 0 || v > max) {
		fprintf(stderr, "vm-cross: bad number %s\n", s);
		exit(2);
	}
	return (unsigned int)v;
}

static int server(unsigned int port, unsigned int n, const char *go1,
		  const char *go2)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons((uint16_t)port) };
	int ls, fd[MAXN], one = 1;
	unsigned int i, ok = 0;
	char line[256];

	ls = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(ls, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(ls, MAXN) < 0) {
		perror("vm-cross: listen");
		return 1;
	}
	for (i = 0; i < n; i++)
		fd[i] = accept(ls, NULL, NULL);
	wait_file(go1);
	for (i = 0; i < n; i++)
		send_str(fd[i], "220 crossing\r\n");
	for (i = 0; i < n; i++)
		read_line(fd[i], line, sizeof(line));
	wait_file(go2);
	for (i = 0; i < n; i++) {
		struct sockaddr_in me, peer;
		socklen_t len = sizeof(me);
		uint8_t *a = (uint8_t *)&me.sin_addr;
		unsigned int p;

		if (read_line(fd[i], line, sizeof(line)) < 0 ||
		    strncmp(line, "PASV", 4))
			continue;
		getsockname(fd[i], (struct sockaddr *)&me, &len);
		len = sizeof(peer);
		getpeername(fd[i], (struct sockaddr *)&peer, &len);
		p = ntohs(peer.sin_port);
		snprintf(line, sizeof(line),
			 "227 Entering Passive Mode (%u,%u,%u,%u,%u,%u).\r\n",
			 a[0], a[1], a[2], a[3], p / 256, p % 256);
		if (send_str(fd[i], line) == 0)
			ok++;
	}
	for (i = 0; i < n; i++)
		read_line(fd[i], line, sizeof(line)); /* until they close */
	printf("%u\n", ok);
	return ok == n ? 0 : 1;
}

static int client(const char *addr, unsigned int port, unsigned int n,
		  const char *go1, const char *go2)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons((uint16_t)port) };
	int fd[MAXN];
	unsigned int i, ok = 0;
	char line[256];

	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "vm-cross: bad address %s\n", addr);
		return 2;
	}
	for (i = 0; i < n; i++) {
		fd[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(fd[i], (struct sockaddr *)&sin, sizeof(sin)) < 0) {
			perror("vm-cross: connect");
			return 1;
		}
	}
	wait_file(go1);
	for (i = 0; i < n; i++)
		send_str(fd[i], "USER anonymous\r\n");
	for (i = 0; i < n; i++)
		read_line(fd[i], line, sizeof(line)); /* the greeting */
	wait_file(go2);
	for (i = 0; i < n; i++)
		send_str(fd[i], "PASV\r\n");
	for (i = 0; i < n; i++)
		if (read_line(fd[i], line, sizeof(line)) == 0 &&
		    !strncmp(line, "227 ", 4))
			ok++;
	for (i = 0; i < n; i++)
		close(fd[i]);
	printf("%u\n", ok);
	return ok == n ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "server"))
		return server(num(argv[2], 65535), num(argv[3], MAXN), argv[4],
			      argv[5]);
	if (argc == 7 && !strcmp(argv[1], "client"))
		return client(argv[2], num(argv[3], 65535), num(argv[4], MAXN),
			      argv[5], argv[6]);
	fprintf(stderr, "usage: vm-cross server PORT N GO1 GO2\n"
			"       vm-cross client ADDR PORT N GO1 GO2\n");
	return 2;
}
