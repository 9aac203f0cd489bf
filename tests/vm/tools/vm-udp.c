// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vm-udp: the crafted peers of the discovery scenarios of the vm tier,
 * where Debian has no small peer: a one-shot query to a multicast group
 * that takes its answers from whatever address (dig drops those), an SLP
 * agent, a second SSDP device, a UPnP event listener. A MESSAGE is
 * "hex:..." (bytes) or "@FILE" (the file's bytes).
 *
 *   vm-udp ask [-p SPORT] [-i IFNAME] [-n COUNT] [-t SECONDS] ADDR PORT
 *	MESSAGE
 *	send MESSAGE from SPORT (default: any) to ADDR:PORT, out of IFNAME
 *	for a multicast or link-local ADDR; print one line "ADDR PORT LEN"
 *	per answer, from whatever address, until COUNT (default 1) came or
 *	SECONDS (default 3) passed. Exit 0 when an answer came, 1 when none
 *	did.
 *   vm-udp answer -g GROUP [-i IFNAME] [-n COUNT] [-t SECONDS] PORT
 *	MESSAGE
 *	listen on PORT (joined to GROUP on IFNAME), say "ready" on standard
 *	error, answer each datagram with MESSAGE by unicast from PORT to its
 *	sender, print "ADDR PORT LEN" for each; exit 0 after COUNT (default
 *	1) datagrams, 1 when SECONDS (default 20) pass first.
 *   vm-udp tcp-serve [-t SECONDS] PORT MESSAGE
 *	accept one connection on PORT (IPv4 and IPv6), read a request (its
 *	head up to an empty line, and the body its Content-Length gives),
 *	print it, answer MESSAGE and close. Exit 0 when a request came.
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vm-net.h"

#define MAXMSG 4096

struct opts {
	unsigned int sport;
	const char *ifname;
	const char *group;
	unsigned int count;
	int seconds;
};

static unsigned char msg[MAXMSG];
static size_t msg_len;

static void usage(void)
{
	fprintf(
	    stderr,
	    "usage: vm-udp ask [-p SPORT] [-i IF] [-n N] [-t S] ADDR PORT MSG\n"
	    "       vm-udp answer -g GROUP [-i IF] [-n N] [-t S] PORT MSG\n"
	    "       vm-udp tcp-serve [-t S] PORT MSG\n");
	exit(2);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* MESSAGE into msg; -1 with a message when it cannot be read. */
static int load(const char *arg)
{
	if (!strncmp(arg, "hex:", 4)) {
		const char *s = arg + 4;

		while (*s) {
			int hi = hexval(s[0]);
			int lo = hi < 0 ? -1 : hexval(s[1]);

			if (lo < 0 || msg_len == MAXMSG) {
				fprintf(stderr, "vm-udp: bad hex at '%s'\n", s);
				return -1;
			}
			msg[msg_len++] = (unsigned char)(hi << 4 | lo);
			s += 2;
		}
		return 0;
	}
	if (arg[0] == '@') {
		FILE *f = fopen(arg + 1, "rb");

		if (!f) {
			perror(arg + 1);
			return -1;
		}
		msg_len = fread(msg, 1, sizeof(msg), f);
		fclose(f);
		return 0;
	}
	fprintf(stderr, "vm-udp: a message is hex:... or @FILE\n");
	return -1;
}

static unsigned int number(const char *s, unsigned int max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max) {
		fprintf(stderr, "vm-udp: bad number '%s'\n", s);
		exit(2);
	}
	return (unsigned int)v;
}

/* ADDR PORT into @ss; a link-local or multicast IPv6 one scoped to IFNAME. */
static socklen_t address(const char *addr, unsigned int port,
			 const char *ifname, struct sockaddr_storage *ss)
{
	socklen_t len;

	if (vm_addr(addr, (uint16_t)port, ss, &len) < 0) {
		fprintf(stderr, "vm-udp: bad address '%s'\n", addr);
		exit(2);
	}
	if (ss->ss_family == AF_INET6 && ifname)
		((struct sockaddr_in6 *)ss)->sin6_scope_id = if_nametoindex(
		    ifname);
	return len;
}

static void print_peer(const struct sockaddr_storage *ss, size_t len)
{
	char buf[VM_ADDR_MAX];
	uint16_t port = ss->ss_family == AF_INET
			    ? ((const struct sockaddr_in *)ss)->sin_port
			    : ((const struct sockaddr_in6 *)ss)->sin6_port;

	printf("%s %u %zu\n", vm_ntop(ss, buf), ntohs(port), len);
	fflush(stdout);
}

/* A UDP socket of one @family on @port (0: any), for multicast options. */
static int udp_socket(int family, unsigned int port)
{
	struct sockaddr_storage ss = { .ss_family = (sa_family_t)family };
	socklen_t len = sizeof(struct sockaddr_in);
	int one = 1;
	int fd;

	if (family == AF_INET) {
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
	} else {
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)port);
		len = sizeof(struct sockaddr_in6);
	}
	fd = socket(family, SOCK_DGRAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0) ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0) {
		fprintf(stderr, "vm-udp: port %u: %s\n", port, strerror(errno));
		exit(2);
	}
	return fd;
}

/* @fd has something to read before @deadline (vm_now_ms()). */
static int readable(int fd, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int64_t left = deadline - vm_now_ms();

	return left > 0 && poll(&p, 1, (int)left) == 1;
}

static int cmd_ask(const struct opts *o, const char *addr, const char *port)
{
	struct sockaddr_storage dst, from;
	unsigned char buf[MAXMSG];
	unsigned int answers = 0;
	socklen_t dlen, flen;
	int64_t deadline;
	int fd;

	dlen = address(addr, number(port, 65535), o->ifname, &dst);
	fd = udp_socket(dst.ss_family, o->sport);
	if (o->ifname) {
		unsigned int idx = if_nametoindex(o->ifname);
		struct ip_mreqn m = { .imr_ifindex = (int)idx };

		if (dst.ss_family == AF_INET)
			setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &m,
				   sizeof(m));
		else
			setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx,
				   sizeof(idx));
	}
	if (sendto(fd, msg, msg_len, 0, (struct sockaddr *)&dst, dlen) < 0) {
		perror("vm-udp: sendto");
		return 2;
	}
	deadline = vm_now_ms() + o->seconds * 1000;
	while (answers < o->count && readable(fd, deadline)) {
		ssize_t n;

		flen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &flen);
		if (n < 0)
			continue;
		print_peer(&from, (size_t)n);
		answers++;
	}
	return answers ? 0 : 1;
}

static int join(int fd, const struct sockaddr_storage *g, const char *ifname)
{
	unsigned int idx = ifname ? if_nametoindex(ifname) : 0;

	if (g->ss_family == AF_INET) {
		struct ip_mreqn m = { .imr_ifindex = (int)idx };

		m.imr_multiaddr = ((const struct sockaddr_in *)g)->sin_addr;
		return setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m,
				  sizeof(m));
	} else {
		struct ipv6_mreq m = { .ipv6mr_interface = idx };

		m.ipv6mr_multiaddr = ((const struct sockaddr_in6 *)g)->sin6_addr;
		return setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m,
				  sizeof(m));
	}
}

static int cmd_answer(const struct opts *o, const char *port)
{
	struct sockaddr_storage g, from;
	unsigned char buf[MAXMSG];
	unsigned int seen = 0;
	int64_t deadline;
	socklen_t flen;
	int fd;

	if (!o->group)
		usage();
	address(o->group, 0, NULL, &g);
	fd = udp_socket(g.ss_family, number(port, 65535));
	if (join(fd, &g, o->ifname) < 0) {
		perror("vm-udp: join");
		return 2;
	}
	/* Joined: the scenario may send now. */
	fprintf(stderr, "ready\n");
	deadline = vm_now_ms() + o->seconds * 1000;
	while (seen < o->count && readable(fd, deadline)) {
		ssize_t n;

		flen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &flen);
		if (n < 0)
			continue;
		print_peer(&from, (size_t)n);
		if (sendto(fd, msg, msg_len, 0, (struct sockaddr *)&from, flen) <
		    0)
			perror("vm-udp: sendto");
		seen++;
	}
	return seen == o->count ? 0 : 1;
}

/*
 * A request head has ended (an empty line) and its body, when a
 * Content-Length gives one, has arrived whole.
 */
static int request_done(const char *buf, size_t len)
{
	const char *end = strstr(buf, "\r\n\r\n");
	const char *line = buf;
	unsigned long body = 0;

	if (!end)
		return 0;
	while (line && line < end) {
		if (!strncasecmp(line, "Content-Length:", 15)) {
			body = strtoul(line + 15, NULL, 10);
			break;
		}
		line = strstr(line, "\r\n");
		if (line)
			line += 2;
	}
	return (size_t)(end + 4 - buf) + body <= len;
}

static int cmd_tcp_serve(const struct opts *o, const char *port)
{
	int fd = vm_listen(SOCK_STREAM, (uint16_t)number(port, 65535));
	int64_t deadline = vm_now_ms() + o->seconds * 1000;
	char buf[MAXMSG + 1];
	size_t len = 0;
	int c;

	if (!readable(fd, deadline))
		return 1;
	c = accept(fd, NULL, NULL);
	if (c < 0) {
		perror("vm-udp: accept");
		return 2;
	}
	while (len < MAXMSG && readable(c, deadline)) {
		ssize_t n = read(c, buf + len, MAXMSG - len);

		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (request_done(buf, len))
			break;
	}
	fwrite(buf, 1, len, stdout);
	fflush(stdout);
	if (vm_write_full(c, msg, msg_len) < 0)
		perror("vm-udp: write");
	close(c);
	return len ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct opts o = { .count = 1 };
	const char *cmd;
	int c;

	if (argc < 2)
		usage();
	cmd = argv[1];
	o.seconds = !strcmp(cmd, "ask") ? 3 : 20;
	optind = 2;
	while ((c = getopt(argc, argv, "p:i:g:n:t:")) != -1) {
		switch (c) {
		case 'p':
			o.sport = number(optarg, 65535);
			break;
		case 'i':
			o.ifname = optarg;
			break;
		case 'g':
			o.group = optarg;
			break;
		case 'n':
			o.count = number(optarg, 1000);
			break;
		case 't':
			o.seconds = (int)number(optarg, 600);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2 || load(argv[argc - 1]) < 0)
		usage();
	if (!strcmp(cmd, "ask") && argc == 3)
		return cmd_ask(&o, argv[0], argv[1]);
	if (!strcmp(cmd, "answer") && argc == 2)
		return cmd_answer(&o, argv[0]);
	if (!strcmp(cmd, "tcp-serve") && argc == 2)
		return cmd_tcp_serve(&o, argv[0]);
	usage();
	return 2;
}
