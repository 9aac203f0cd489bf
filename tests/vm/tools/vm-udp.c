// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vm-udp: the crafted peers of the discovery scenarios of the vm tier
 * (mDNS, SLP, DHCPv6, SSDP), where Debian has no small peer that sends
 * the message a helper reads and takes its answer from another address.
 * A MESSAGE is "hex:..." (bytes) or "@FILE" (the file's bytes).
 *
 *   vm-udp ask [-p SPORT] [-i IFNAME] [-n COUNT] [-t SECONDS] ADDR PORT
 *	MESSAGE
 *	send MESSAGE from SPORT (default: any) to ADDR:PORT, out of IFNAME
 *	for a multicast or link-local ADDR; print one line "ADDR PORT LEN"
 *	per answer, from whatever address, until COUNT (default 1) came or
 *	SECONDS (default 3) passed. Exit 0 when an answer came, 1 when none
 *	did.
 *   vm-udp answer [-g GROUP] [-i IFNAME] [-n COUNT] [-t SECONDS] [-6]
 *	PORT MESSAGE
 *	listen on PORT (joined to GROUP on IFNAME), say "ready" on standard
 *	error, answer each datagram with MESSAGE by unicast from PORT to its
 *	sender, print "ADDR PORT LEN" for each; exit 0 after COUNT (default
 *	1) datagrams, 1 when SECONDS (default 20) pass first.
 *   vm-udp tcp-serve [-6] [-t SECONDS] PORT MESSAGE
 *	accept one connection on PORT, read a request (its head up to an
 *	empty line, and the body its Content-Length gives), print it,
 *	answer MESSAGE and close. Exit 0 when a request came.
 *   vm-udp tcp-send [-t SECONDS] ADDR PORT MESSAGE
 *	connect to ADDR:PORT, send MESSAGE, print what comes back until the
 *	peer closes. Exit 0 when something came back.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXMSG 4096

struct opts {
	unsigned int sport;
	const char *ifname;
	const char *group;
	unsigned int count;
	int seconds;
	int family;
};

static unsigned char msg[MAXMSG];
static size_t msg_len;

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
			int hi, lo;

			if (*s == ' ' || *s == ':') {
				s++;
				continue;
			}
			hi = hexval(s[0]);
			lo = s[1] ? hexval(s[1]) : -1;
			if (hi < 0 || lo < 0 || msg_len == MAXMSG) {
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

/* ADDR PORT into @ss (the scope of a link-local address: IFNAME). */
static socklen_t sockaddr_of(const char *addr, unsigned int port,
			     const char *ifname, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		return sizeof(*s4);
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (ifname)
			s6->sin6_scope_id = if_nametoindex(ifname);
		return sizeof(*s6);
	}
	fprintf(stderr, "vm-udp: bad address '%s'\n", addr);
	exit(2);
}

static void print_peer(const struct sockaddr_storage *ss, size_t len)
{
	char buf[INET6_ADDRSTRLEN];
	unsigned int port;

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, buf, sizeof(buf));
		port = ntohs(s4->sin_port);
	} else {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, buf, sizeof(buf));
		port = ntohs(s6->sin6_port);
	}
	printf("%s %u %zu\n", buf, port, len);
	fflush(stdout);
}

static int bound_socket(int family, int type, unsigned int port)
{
	struct sockaddr_storage ss;
	int one = 1;
	int fd;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)port);
	fd = socket(family, type, 0);
	if (fd < 0) {
		perror("socket");
		exit(2);
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss,
		 family == AF_INET ? sizeof(struct sockaddr_in)
				   : sizeof(struct sockaddr_in6)) < 0) {
		perror("bind");
		exit(2);
	}
	return fd;
}

/* Milliseconds left until @end, 0 when past. */
static int left_ms(const struct timespec *end)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (end->tv_sec - now.tv_sec) * 1000 +
	     (end->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? (int)ms : 0;
}

static void deadline(struct timespec *end, int seconds)
{
	clock_gettime(CLOCK_MONOTONIC, end);
	end->tv_sec += seconds;
}

static int wait_in(int fd, const struct timespec *end)
{
	struct pollfd p = { fd, POLLIN, 0 };
	int ms = left_ms(end);

	return ms > 0 && poll(&p, 1, ms) > 0;
}

static int cmd_ask(const struct opts *o, const char *addr, const char *port)
{
	struct sockaddr_storage dst, from;
	socklen_t dlen, flen;
	unsigned char buf[MAXMSG];
	struct timespec end;
	int answers = 0;
	int fd;

	dlen = sockaddr_of(addr, number(port, 65535), o->ifname, &dst);
	fd = bound_socket(dst.ss_family, SOCK_DGRAM, o->sport);
	if (o->ifname) {
		unsigned int idx = if_nametoindex(o->ifname);

		if (dst.ss_family == AF_INET) {
			struct ip_mreqn m = { .imr_ifindex = (int)idx };

			setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &m,
				   sizeof(m));
		} else {
			setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx,
				   sizeof(idx));
		}
	}
	if (sendto(fd, msg, msg_len, 0, (struct sockaddr *)&dst, dlen) < 0) {
		perror("sendto");
		return 2;
	}
	deadline(&end, o->seconds);
	while (answers < (int)o->count && wait_in(fd, &end)) {
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

static int cmd_answer(const struct opts *o, const char *port)
{
	struct sockaddr_storage g, from;
	unsigned char buf[MAXMSG];
	struct timespec end;
	unsigned int seen = 0;
	int family = o->family;
	socklen_t flen;
	int fd;

	if (o->group) {
		sockaddr_of(o->group, 0, NULL, &g);
		family = g.ss_family;
	}
	fd = bound_socket(family, SOCK_DGRAM, number(port, 65535));
	if (o->group) {
		unsigned int idx = o->ifname ? if_nametoindex(o->ifname) : 0;
		int r;

		if (family == AF_INET) {
			struct ip_mreqn m = { .imr_ifindex = (int)idx };

			m.imr_multiaddr = ((struct sockaddr_in *)&g)->sin_addr;
			r = setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m,
				       sizeof(m));
		} else {
			struct ipv6_mreq m = { .ipv6mr_interface = idx };

			m.ipv6mr_multiaddr = ((struct sockaddr_in6 *)&g)->sin6_addr;
			r = setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP,
				       &m, sizeof(m));
		}
		if (r < 0) {
			perror("join");
			return 2;
		}
	}
	/* Joined: the scenario may send now. */
	fprintf(stderr, "ready\n");
	deadline(&end, o->seconds);
	while (seen < o->count && wait_in(fd, &end)) {
		ssize_t n;

		flen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &flen);
		if (n < 0)
			continue;
		print_peer(&from, (size_t)n);
		if (sendto(fd, msg, msg_len, 0, (struct sockaddr *)&from, flen) <
		    0)
			perror("sendto");
		seen++;
	}
	return seen == o->count ? 0 : 1;
}

/*
 * A request head has ended (an empty line) and its body, when a
 * Content-Length gives one, has arrived whole.
 */
static int head_done(const char *buf, size_t len)
{
	const char *end = strstr(buf, "\r\n\r\n");
	const char *cl;
	unsigned long body = 0;

	if (!end)
		return 0;
	for (cl = buf; cl && cl < end; cl = strstr(cl, "\r\n")) {
		cl += cl == buf ? 0 : 2;
		if (!strncasecmp(cl, "Content-Length:", 15)) {
			body = strtoul(cl + 15, NULL, 10);
			break;
		}
	}
	return (size_t)(end + 4 - buf) + body <= len;
}

static int cmd_tcp_serve(const struct opts *o, const char *port)
{
	char buf[MAXMSG + 1];
	struct timespec end;
	size_t len = 0;
	int fd, c;

	fd = bound_socket(o->family, SOCK_STREAM, number(port, 65535));
	if (listen(fd, 1) < 0) {
		perror("listen");
		return 2;
	}
	deadline(&end, o->seconds);
	if (!wait_in(fd, &end))
		return 1;
	c = accept(fd, NULL, NULL);
	if (c < 0) {
		perror("accept");
		return 2;
	}
	while (len < MAXMSG && wait_in(c, &end)) {
		ssize_t n = read(c, buf + len, MAXMSG - len);

		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (head_done(buf, len))
			break;
	}
	fwrite(buf, 1, len, stdout);
	fflush(stdout);
	if (write(c, msg, msg_len) < 0)
		perror("write");
	close(c);
	return len ? 0 : 1;
}

static int cmd_tcp_send(const struct opts *o, const char *addr, const char *port)
{
	struct sockaddr_storage dst;
	char buf[MAXMSG];
	struct timespec end;
	size_t total = 0;
	socklen_t dlen;
	int fd;

	dlen = sockaddr_of(addr, number(port, 65535), o->ifname, &dst);
	fd = socket(dst.ss_family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&dst, dlen) < 0) {
		perror("connect");
		return 1;
	}
	if (write(fd, msg, msg_len) != (ssize_t)msg_len) {
		perror("write");
		return 1;
	}
	deadline(&end, o->seconds);
	while (wait_in(fd, &end)) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0)
			break;
		fwrite(buf, 1, (size_t)n, stdout);
		total += (size_t)n;
	}
	fflush(stdout);
	return total ? 0 : 1;
}

static void usage(void)
{
	fprintf(
	    stderr,
	    "usage: vm-udp ask [-p SPORT] [-i IF] [-n N] [-t S] ADDR PORT MSG\n"
	    "       vm-udp answer [-g GROUP] [-i IF] [-n N] [-t S] [-6] "
	    "PORT MSG\n"
	    "       vm-udp tcp-serve [-6] [-t S] PORT MSG\n"
	    "       vm-udp tcp-send [-t S] ADDR PORT MSG\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct opts o = { .count = 1, .family = AF_INET };
	const char *cmd;
	int c;

	if (argc < 2)
		usage();
	cmd = argv[1];
	o.seconds = !strcmp(cmd, "ask") ? 3 : 20;
	optind = 2;
	while ((c = getopt(argc, argv, "p:i:g:n:t:6")) != -1) {
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
		case '6':
			o.family = AF_INET6;
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
	if (!strcmp(cmd, "tcp-send") && argc == 3)
		return cmd_tcp_send(&o, argv[0], argv[1]);
	usage();
	return 2;
}
