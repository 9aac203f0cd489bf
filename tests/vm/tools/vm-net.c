// SPDX-License-Identifier: GPL-2.0-or-later
/* Socket helpers of the vm tier's crafted peers: see vm-net.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vm-net.h"

int64_t vm_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int vm_listen(int type, uint16_t port)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_port = htons(port) };
	int one = 1, zero = 0;
	int fd;

	fd = socket(AF_INET6, type, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 64) < 0)) {
		fprintf(stderr, "port %u: %s\n", port, strerror(errno));
		exit(1);
	}
	return fd;
}

int vm_addr(const char *host, uint16_t port, struct sockaddr_storage *ss,
	    socklen_t *len)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		*len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		*len = sizeof(*sin6);
		return 0;
	}
	return -1;
}

const char *vm_ntop(const struct sockaddr_storage *ss, char buf[VM_ADDR_MAX])
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

	if (ss->ss_family == AF_INET)
		return inet_ntop(AF_INET, &sin->sin_addr, buf, VM_ADDR_MAX);
	if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
		return inet_ntop(AF_INET, &sin6->sin6_addr.s6_addr[12], buf,
				 VM_ADDR_MAX);
	return inet_ntop(AF_INET6, &sin6->sin6_addr, buf, VM_ADDR_MAX);
}

int vm_connect(const struct sockaddr *sa, socklen_t len, int ms)
{
	struct pollfd p = { .events = POLLOUT };
	socklen_t elen = sizeof(int);
	int err = 0;

	p.fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (p.fd < 0)
		return -1;
	if (connect(p.fd, sa, len) < 0 && errno != EINPROGRESS)
		goto fail;
	if (poll(&p, 1, ms) != 1 ||
	    getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0 || err) {
		errno = err ? err : ETIMEDOUT;
		goto fail;
	}
	fcntl(p.fd, F_SETFL, fcntl(p.fd, F_GETFL) & ~O_NONBLOCK);
	return p.fd;
fail:
	err = errno;
	close(p.fd);
	errno = err;
	return -1;
}

int vm_read_full(int fd, void *buf, size_t n, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint8_t *b = buf;
	int64_t left;
	ssize_t r;

	while (n) {
		left = deadline - vm_now_ms();
		if (left <= 0 || poll(&p, 1, (int)left) != 1)
			return -1;
		r = read(fd, b, n);
		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

int vm_write_full(int fd, const void *buf, size_t n)
{
	const uint8_t *b = buf;
	ssize_t r;

	while (n) {
		r = write(fd, b, n);
		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

int vm_wait_file(const char *path, int ms)
{
	const struct timespec tick = { 0, 20 * 1000 * 1000 };
	const int64_t deadline = vm_now_ms() + ms;
	struct stat st;

	while (stat(path, &st) < 0) {
		if (vm_now_ms() >= deadline)
			return -1;
		nanosleep(&tick, NULL);
	}
	return 0;
}
