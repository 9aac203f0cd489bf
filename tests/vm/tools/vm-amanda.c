// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vm-amanda: amandad and a backup server, crafted, for the vm tier's
 * amanda scenario. Amanda's own packages need a whole backup setup and
 * their server tools are Perl; these speak what the helper reads (the
 * "bsd"/"bsdudp" datagrams on port 10080, as Amanda's sources write them:
 * doc/helpers/amanda.md) and really open the streams they announce.
 *
 *   vm-amanda amandad BASE
 *	on UDP port 10080 (IPv4 and IPv6), answer each REQ with an ACK, then
 *	listen on TCP ports BASE..BASE+4 and send the REP whose CONNECT line
 *	announces them as sendbackup of Amanda 3.4 and later does: DATA,
 *	MESG, INDEX, STATE and CMD. Each connection to a stream port gets
 *	that stream's bytes (DATA 64 KiB, the others 512) and is closed. A
 *	new REQ closes the last one's listeners first.
 *   vm-amanda server HOST [GO]
 *	send a sendbackup REQ to amandad on HOST (an address), read its ACK
 *	and REP, print the CONNECT line and acknowledge the REP; once the
 *	file GO exists (if given), connect to every announced port on HOST
 *	at once and read each stream to its end, then print one line per
 *	stream: "TAG PORT ok BYTES" or "TAG PORT failed: REASON".
 *
 * Exit status: 0 every stream arrived intact (the server), 1 otherwise,
 * 2 bad arguments.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vm-net.h"

#define AMANDA_PORT 10080
#define STREAMS	    5
#define DGRAM_MAX   2048
#define IO_MS	    5000
#define CONNECT_MS  2000

static const char *const tags[STREAMS] = { "DATA", "MESG", "INDEX", "STATE",
					   "CMD" };

/* Stream @i's length and its byte at @off: both sides compute them. */
static size_t stream_len(unsigned int i)
{
	return i == 0 ? 65536 : 512;
}

static uint8_t stream_byte(unsigned int i, size_t off)
{
	return (uint8_t)(off * 31 + i * 7 + 1);
}

/* "Amanda 3.5 TYPE HANDLE h SEQ s\n": TYPE and the rest after it. */
static int header(const char *d, size_t n, char type[8], const char **rest)
{
	const char *nl = memchr(d, '\n', n), *sp;

	if (!nl || n < 11 || memcmp(d, "Amanda 3.5 ", 11))
		return -1;
	sp = memchr(d + 11, ' ', (size_t)(nl - d - 11));
	if (!sp || sp - (d + 11) >= 8)
		return -1;
	memcpy(type, d + 11, (size_t)(sp - (d + 11)));
	type[sp - (d + 11)] = '\0';
	*rest = sp; /* " HANDLE h SEQ s\n..." */
	return 0;
}

/* The handle and sequence part of a header, up to its newline. */
static int handle(const char *rest, size_t n)
{
	const char *nl = memchr(rest, '\n', n);

	return nl ? (int)(nl - rest) : -1;
}

struct amandad {
	int udp;
	int listen[STREAMS];
};

static void streams_close(struct amandad *a)
{
	unsigned int i;

	for (i = 0; i < STREAMS; i++) {
		if (a->listen[i] >= 0)
			close(a->listen[i]);
		a->listen[i] = -1;
	}
}

/* One datagram: a REQ gets its ACK, new listeners and the REP. */
static void amandad_dgram(struct amandad *a, uint16_t base)
{
	char d[DGRAM_MAX + 1], out[DGRAM_MAX], type[8];
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	const char *rest;
	ssize_t n;
	int h;
	size_t m;

	n = recvfrom(a->udp, d, DGRAM_MAX, 0, (struct sockaddr *)&from, &flen);
	if (n <= 0 || header(d, (size_t)n, type, &rest) < 0 ||
	    strcmp(type, "REQ") ||
	    (h = handle(rest, (size_t)(n - (rest - d)))) < 0)
		return; /* the server's ACK of our REP, or noise */
	m = (size_t)snprintf(out, sizeof(out), "Amanda 3.5 ACK%.*s\n", h, rest);
	sendto(a->udp, out, m, 0, (struct sockaddr *)&from, flen);
	streams_close(a);
	for (unsigned int i = 0; i < STREAMS; i++)
		a->listen[i] = vm_listen(SOCK_STREAM, (uint16_t)(base + i));
	m = (size_t)snprintf(
	    out, sizeof(out),
	    "Amanda 3.5 REP%.*s\n"
	    "CONNECT DATA %u MESG %u INDEX %u STATE %u CMD %u\n"
	    "OPTIONS features=9ffe00;\n",
	    h, rest, base, base + 1, base + 2, base + 3, base + 4);
	sendto(a->udp, out, m, 0, (struct sockaddr *)&from, flen);
	printf("REP to a REQ: streams on %u-%u\n", base, base + 4);
	fflush(stdout);
}

static void amandad_stream(struct amandad *a, unsigned int i)
{
	uint8_t b[65536];
	size_t k;
	int fd;

	fd = accept(a->listen[i], NULL, NULL);
	if (fd < 0)
		return;
	for (k = 0; k < stream_len(i); k++)
		b[k] = stream_byte(i, k);
	if (vm_write_full(fd, b, stream_len(i)) == 0)
		printf("%s stream sent\n", tags[i]);
	fflush(stdout);
	close(fd);
}

static int amandad(uint16_t base)
{
	struct amandad a = { .udp = vm_listen(SOCK_DGRAM, AMANDA_PORT) };
	struct pollfd p[1 + STREAMS];
	unsigned int i;

	for (i = 0; i < STREAMS; i++)
		a.listen[i] = -1;
	for (;;) {
		p[0] = (struct pollfd){ a.udp, POLLIN, 0 };
		for (i = 0; i < STREAMS; i++)
			p[1 + i] = (struct pollfd){ a.listen[i], POLLIN, 0 };
		if (poll(p, 1 + STREAMS, -1) < 0)
			return 1;
		for (i = 0; i < STREAMS; i++)
			if (p[1 + i].revents & POLLIN)
				amandad_stream(&a, i);
		if (p[0].revents & POLLIN)
			amandad_dgram(&a, base);
	}
}

/* A datagram of @type from amandad within the I/O timeout; its length. */
static ssize_t expect_dgram(int fd, const char *want, char *d)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	const char *rest;
	char type[8];
	ssize_t n;

	for (;;) {
		if (poll(&p, 1, IO_MS) != 1)
			return -1;
		n = recv(fd, d, DGRAM_MAX, 0);
		if (n <= 0)
			return -1;
		d[n] = '\0';
		if (header(d, (size_t)n, type, &rest) == 0 && !strcmp(type, want))
			return n;
	}
}

struct stream {
	char tag[17];
	unsigned int idx; /* in tags[], for the expected bytes */
	long port;
	int fd;
	int connected;
	size_t got;
	const char *err; /* "" once the stream ended intact */
};

/*
 * The REP's "CONNECT TAG PORT..." line into @line and its pairs into @s;
 * the number of streams (0: no such line).
 */
static unsigned int connect_line(const char *rep, struct stream *s, char *line,
				 size_t size)
{
	const char *c = strstr(rep, "\nCONNECT "), *e;
	char words[300], *w, *tag, *port, *end;
	unsigned int n = 0, i;

	if (!c || !(e = strchr(c + 1, '\n')) || (size_t)(e - c) >= size ||
	    (size_t)(e - c) >= sizeof(words))
		return 0;
	snprintf(line, size, "%.*s", (int)(e - c - 1), c + 1);
	snprintf(words, sizeof(words), "%s", line + 8);
	for (w = words; n < STREAMS;) {
		tag = strsep(&w, " ");
		port = w ? strsep(&w, " ") : NULL;
		if (!port || !*tag)
			break;
		s[n] = (struct stream){ .fd = -1, .port = strtol(port, &end, 10) };
		if (*end || s[n].port < 1 || s[n].port > 65535)
			continue; /* "-1": no stream */
		snprintf(s[n].tag, sizeof(s[n].tag), "%s", tag);
		for (i = 0; i < STREAMS && strcmp(tags[i], tag); i++)
			;
		s[n].idx = i;
		s[n].err = i == STREAMS ? "unknown tag" : NULL;
		n++;
	}
	return n;
}

/* Stream @st has bytes: read them; false once it ended (or went wrong). */
static int stream_more(struct stream *st)
{
	uint8_t b[4096];
	ssize_t r, k;

	r = read(st->fd, b, sizeof(b));
	if (r < 0 && errno == EAGAIN)
		return 1;
	if (r < 0) {
		st->err = strerror(errno);
		return 0;
	}
	if (r == 0) {
		st->err = st->got == stream_len(st->idx) ? "" : "short stream";
		return 0;
	}
	for (k = 0; k < r; k++, st->got++)
		if (st->got >= stream_len(st->idx) ||
		    b[k] != stream_byte(st->idx, st->got)) {
			st->err = "wrong bytes";
			return 0;
		}
	return 1;
}

/* Connect to every stream at once, then read them all to their ends. */
static void streams_read(struct sockaddr_storage *ss, socklen_t len,
			 struct stream *s, unsigned int n)
{
	const int64_t connected_by = vm_now_ms() + CONNECT_MS;
	const int64_t deadline = connected_by + IO_MS;
	struct pollfd p[STREAMS];
	unsigned int i, open = 0;
	socklen_t elen;
	int err;

	for (i = 0; i < n; i++) {
		if (s[i].err)
			continue;
		/* sin_port and sin6_port are at the same place */
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)s[i].port);
		s[i].fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (s[i].fd < 0 ||
		    (connect(s[i].fd, (struct sockaddr *)ss, len) < 0 &&
		     errno != EINPROGRESS)) {
			s[i].err = strerror(errno);
			continue;
		}
		open++;
	}
	while (open) {
		/* Connects get CONNECT_MS, then the reads the rest. */
		const int64_t now = vm_now_ms();
		int64_t until = deadline;

		for (i = 0; i < n; i++) {
			if (s[i].err || s[i].connected)
				continue;
			if (now >= connected_by) {
				s[i].err = "connect timed out";
				open--;
			} else {
				until = connected_by;
			}
		}
		if (!open || now >= until)
			break;
		for (i = 0; i < n; i++)
			p[i] = (struct pollfd){ s[i].err ? -1 : s[i].fd,
						s[i].connected ? POLLIN : POLLOUT,
						0 };
		if (poll(p, n, (int)(until - now)) < 0)
			break;
		for (i = 0; i < n; i++) {
			if (!p[i].revents)
				continue;
			if (!s[i].connected) {
				elen = sizeof(err);
				if (getsockopt(s[i].fd, SOL_SOCKET, SO_ERROR,
					       &err, &elen) < 0 ||
				    err) {
					s[i].err = strerror(err);
					open--;
				}
				s[i].connected = 1;
				continue;
			}
			if (!stream_more(&s[i]))
				open--;
		}
	}
	for (i = 0; i < n; i++) {
		if (!s[i].err)
			s[i].err = "timed out reading";
		if (s[i].fd >= 0)
			close(s[i].fd);
	}
}

static int server(const char *host, const char *go)
{
	char d[DGRAM_MAX + 1], line[300], out[DGRAM_MAX];
	struct stream s[STREAMS];
	struct sockaddr_storage ss;
	unsigned int n, i, ok = 0;
	const char *rest;
	socklen_t len;
	char type[8];
	ssize_t m;
	int fd, h;

	if (vm_addr(host, AMANDA_PORT, &ss, &len) < 0) {
		fprintf(stderr, "server: bad address %s\n", host);
		return 2;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	m = snprintf(out, sizeof(out),
		     "Amanda 3.5 REQ HANDLE 000-00000001 SEQ 1700000000\n"
		     "SECURITY USER backup\n"
		     "SERVICE sendbackup\n"
		     "OPTIONS features=9ffe00;maxdumps=1;hostname=server;"
		     "config=daily;\n"
		     "<dle>\n  <program>GNUTAR</program>\n  <disk>/srv</disk>\n"
		     "  <level>0</level>\n  <index>YES</index>\n</dle>\n");
	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, len) < 0 ||
	    send(fd, out, (size_t)m, 0) != m) {
		perror("server: REQ");
		return 1;
	}
	if (expect_dgram(fd, "ACK", d) < 0 ||
	    (m = expect_dgram(fd, "REP", d)) < 0) {
		fprintf(stderr, "server: no ACK and REP from amandad\n");
		return 1;
	}
	n = connect_line(d, s, line, sizeof(line));
	printf("%s\n", n ? line : "no CONNECT line");
	fflush(stdout);
	if (!n)
		return 1;
	/* Acknowledge the REP, as the server does. */
	header(d, (size_t)m, type, &rest);
	h = handle(rest, (size_t)(m - (rest - d)));
	m = snprintf(out, sizeof(out), "Amanda 3.5 ACK%.*s\n", h, rest);
	send(fd, out, (size_t)m, 0);
	if (go && vm_wait_file(go, 30000) < 0) {
		fprintf(stderr, "server: %s never came\n", go);
		return 1;
	}
	streams_read(&ss, len, s, n);
	for (i = 0; i < n; i++) {
		if (*s[i].err) {
			printf("%s %ld failed: %s\n", s[i].tag, s[i].port,
			       s[i].err);
			continue;
		}
		printf("%s %ld ok %zu\n", s[i].tag, s[i].port, s[i].got);
		ok++;
	}
	return ok == n ? 0 : 1;
}

int main(int argc, char **argv)
{
	char *end;
	long base;

	if (argc == 3 && !strcmp(argv[1], "amandad")) {
		base = strtol(argv[2], &end, 10);
		if (*end || base < 1 || base > 65535 - STREAMS) {
			fprintf(stderr, "vm-amanda: bad port %s\n", argv[2]);
			return 2;
		}
		return amandad((uint16_t)base);
	}
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "server"))
		return server(argv[2], argc == 4 ? argv[3] : NULL);
	fprintf(stderr, "usage: vm-amanda amandad BASE\n"
			"       vm-amanda server HOST [GO]\n");
	return 2;
}
