// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vm-tns: an Oracle Net (TNS) listener that redirects, and a client that
 * follows, for the vm tier's tns scenario. Debian has no Oracle server;
 * these speak the start of the protocol as doc/helpers/tns.md describes
 * it: the client's CONNECT, the listener's REDIRECT (an 8-byte header,
 * the data length, "(ADDRESS=...)\0" and the connect data), the CONNECT
 * to the redirected address and the dispatcher's ACCEPT.
 *
 *   vm-tns listener PORT BASE
 *	listen on PORT (the listener) and on BASE..BASE+9 (dispatchers),
 *	IPv4 and IPv6. A CONNECT to the listener gets a REDIRECT in the
 *	form its SERVICE_NAME asks for, to port BASE + form (+5 on IPv6):
 *	  lit	  HOST is the listener's own address, as a literal
 *	  name	  HOST is "server", a host name
 *	  split	  as lit, the REDIRECT written in two segments cut inside
 *		  the address
 *	  empty	  a REDIRECT of data length 0, then the data in a DATA packet
 *	  foreign HOST is an address of no host of the listener's network
 *	A CONNECT to a dispatcher gets an ACCEPT and a DATA packet saying
 *	"dispatcher PORT: SERVICE".
 *   vm-tns client HOST SERVICE [GO]
 *	connect to HOST (an address) port 1521 asking for SERVICE, read the
 *	REDIRECT and print "redirect HOST PORT"; once the file GO exists
 *	(if given), connect there (a name is resolved in the family of
 *	HOST), send the connect data and print the dispatcher's answer.
 *
 * Exit status: 0 the dispatcher answered (the client) or never (the
 * listener), 1 a step failed (the reason on stderr), 2 bad arguments.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vm-net.h"

enum {
	TNS_CONNECT = 1,
	TNS_ACCEPT = 2,
	TNS_REDIRECT = 5,
	TNS_DATA = 6,
};

#define TNS_PORT     1521
#define HDR	     8
#define PKT_MAX	     4096
#define CONNECT_BODY 50 /* the CONNECT body before its connect data */
#define DISPATCHERS  10
#define IO_MS	     5000
#define CONNECT_MS   2000

static const char *const forms[] = { "lit", "name", "split", "empty", "foreign" };
#define FORMS (sizeof(forms) / sizeof(forms[0]))

struct pkt {
	uint8_t type;
	size_t len; /* of the body */
	uint8_t body[PKT_MAX];
};

static void put16(uint8_t *b, size_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static size_t get16(const uint8_t *b)
{
	return (size_t)b[0] << 8 | b[1];
}

static int pkt_read(int fd, struct pkt *p)
{
	const int64_t deadline = vm_now_ms() + IO_MS;
	uint8_t h[HDR];
	size_t len;

	if (vm_read_full(fd, h, HDR, deadline) < 0)
		return -1;
	len = get16(h);
	if (len < HDR || len - HDR > PKT_MAX)
		return -1;
	p->type = h[4];
	p->len = len - HDR;
	return vm_read_full(fd, p->body, p->len, deadline);
}

/* A packet of @type: its header, @body (@n bytes), into @out; its size. */
static size_t pkt_make(uint8_t *out, uint8_t type, const void *body, size_t n)
{
	memset(out, 0, HDR);
	put16(out, HDR + n);
	out[4] = type;
	memcpy(out + HDR, body, n);
	return HDR + n;
}

static int pkt_send(int fd, uint8_t type, const void *body, size_t n)
{
	uint8_t b[HDR + PKT_MAX];

	return vm_write_full(fd, b, pkt_make(b, type, body, n));
}

/*
 * The value of "(KEY=" in @s (@n bytes, no NUL needed) up to ")", into
 * @out; -1 when absent.
 */
static int nv_value(const uint8_t *s, size_t n, const char *key, char *out,
		    size_t size)
{
	const size_t k = strlen(key);
	size_t i, j;

	for (i = 0; i + k + 2 <= n; i++) {
		if (s[i] != '(' || memcmp(s + i + 1, key, k) ||
		    s[i + 1 + k] != '=')
			continue;
		for (i += k + 2, j = 0; i < n && s[i] != ')' && j + 1 < size;)
			out[j++] = (char)s[i++];
		out[j] = '\0';
		return i < n && s[i] == ')' ? 0 : -1;
	}
	return -1;
}

static void pause_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* A CONNECT of @cdata: the body's fixed part, then the connect data. */
static int send_connect(int fd, const char *cdata)
{
	uint8_t body[CONNECT_BODY + PKT_MAX / 2] = {
		0x01, 0x3e, 0x01, 0x2c, 0x0c, 0x41, 0x20, 0x00,
		0xff, 0xff, 0x7f, 0x08, 0x00, 0x00, 0x00, 0x01,
	};
	const size_t n = strlen(cdata);

	if (n > PKT_MAX / 2)
		return -1;
	put16(body + 16, n);
	put16(body + 18, HDR + CONNECT_BODY);
	memcpy(body + CONNECT_BODY, cdata, n);
	return pkt_send(fd, TNS_CONNECT, body, CONNECT_BODY + n);
}

/* The connect data of a CONNECT packet; NULL when it has none. */
static const uint8_t *connect_data(const struct pkt *p, size_t *n)
{
	size_t off;

	if (p->type != TNS_CONNECT || p->len < CONNECT_BODY)
		return NULL;
	*n = get16(p->body + 16);
	off = get16(p->body + 18);
	if (off < HDR || off - HDR + *n > p->len)
		return NULL;
	return p->body + off - HDR;
}

/* The listener's answer to one CONNECT. */
static void redirect(int fd, unsigned int base)
{
	char svc[32], host[VM_ADDR_MAX], addr[160];
	uint8_t data[PKT_MAX], out[HDR + PKT_MAX];
	struct sockaddr_storage me;
	socklen_t len = sizeof(me);
	const uint8_t *cd;
	size_t form, n, cn, dlen;
	unsigned int port;
	int one = 1, v6;
	struct pkt p;

	if (pkt_read(fd, &p) < 0 || !(cd = connect_data(&p, &cn)) ||
	    nv_value(cd, cn, "SERVICE_NAME", svc, sizeof(svc)) < 0) {
		fprintf(stderr, "listener: no CONNECT with a SERVICE_NAME\n");
		return;
	}
	for (form = 0; form < FORMS && strcmp(svc, forms[form]); form++)
		;
	if (form == FORMS || getsockname(fd, (struct sockaddr *)&me, &len) < 0) {
		fprintf(stderr, "listener: unknown form %s\n", svc);
		return;
	}
	vm_ntop(&me, host);
	v6 = strchr(host, ':') != NULL;
	port = base + (unsigned int)form + (v6 ? 5 : 0);
	if (!strcmp(svc, "name"))
		snprintf(host, sizeof(host), "server");
	else if (!strcmp(svc, "foreign"))
		snprintf(host, sizeof(host), v6 ? "fd00:2::99" : "10.0.2.99");
	n = (size_t)snprintf(addr, sizeof(addr),
			     "(ADDRESS=(PROTOCOL=TCP)(HOST=%s)(PORT=%u))", host,
			     port);
	/* The address, its NUL, and the connect data for the new address. */
	dlen = n + 1 + cn;
	if (dlen + 2 > sizeof(data))
		return;
	put16(data, dlen);
	memcpy(data + 2, addr, n + 1);
	memcpy(data + 2 + n + 1, cd, cn);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	printf("redirect %s %s %u\n", svc, host, port);
	fflush(stdout);
	if (!strcmp(svc, "empty")) {
		/* The REDIRECT of data length 0; the data flags, then data. */
		put16(out, 0);
		pkt_send(fd, TNS_REDIRECT, out, 2);
		pause_ms(100);
		data[0] = data[1] = 0;
		pkt_send(fd, TNS_DATA, data, 2 + dlen);
		return;
	}
	n = pkt_make(out, TNS_REDIRECT, data, 2 + dlen);
	if (!strcmp(svc, "split")) {
		/* Cut inside the address: "(ADDRESS=(PROTOCOL=TCP)(HOS". */
		vm_write_full(fd, out, HDR + 2 + 27);
		pause_ms(100);
		vm_write_full(fd, out + HDR + 2 + 27, n - HDR - 2 - 27);
		return;
	}
	vm_write_full(fd, out, n);
}

/* A dispatcher's answer to one CONNECT. */
static void dispatch(int fd, unsigned int port)
{
	uint8_t accept[24] = { 0x01, 0x3a }; /* version 314: 16-bit lengths */
	char svc[32] = "?", text[96];
	const uint8_t *cd;
	struct pkt p;
	size_t cn, n;

	if (pkt_read(fd, &p) < 0 || !(cd = connect_data(&p, &cn))) {
		fprintf(stderr, "dispatcher %u: no CONNECT\n", port);
		return;
	}
	nv_value(cd, cn, "SERVICE_NAME", svc, sizeof(svc));
	n = (size_t)snprintf(text + 2, sizeof(text) - 2, "dispatcher %u: %s",
			     port, svc);
	text[0] = text[1] = 0;
	if (pkt_send(fd, TNS_ACCEPT, accept, sizeof(accept)) == 0 &&
	    pkt_send(fd, TNS_DATA, text, 2 + n) == 0)
		printf("accepted %s on %u\n", svc, port);
	fflush(stdout);
}

static int listener(uint16_t port, uint16_t base)
{
	struct pollfd p[1 + DISPATCHERS];
	unsigned int i;
	int fd;

	p[0] = (struct pollfd){ vm_listen(SOCK_STREAM, port), POLLIN, 0 };
	for (i = 0; i < DISPATCHERS; i++)
		p[1 + i] = (struct pollfd){
			vm_listen(SOCK_STREAM, (uint16_t)(base + i)), POLLIN, 0
		};
	for (;;) {
		if (poll(p, 1 + DISPATCHERS, -1) < 0)
			return 1;
		for (i = 0; i < 1 + DISPATCHERS; i++) {
			if (!(p[i].revents & POLLIN))
				continue;
			fd = accept(p[i].fd, NULL, NULL);
			if (fd < 0)
				continue;
			if (i == 0)
				redirect(fd, base);
			else
				dispatch(fd, base + i - 1);
			close(fd);
		}
	}
}

/* The redirect data: from the REDIRECT, or the DATA packet after it. */
static int redirect_data(int fd, const struct pkt *p, struct pkt *d,
			 const uint8_t **data, size_t *n)
{
	size_t dlen;

	if (p->type != TNS_REDIRECT || p->len < 2)
		return -1;
	dlen = get16(p->body);
	if (p->len > 2) {
		*data = p->body + 2;
		*n = dlen < p->len - 2 ? dlen : p->len - 2;
		return 0;
	}
	if (pkt_read(fd, d) < 0 || d->type != TNS_DATA || d->len < 2)
		return -1;
	*data = d->body + 2;
	*n = dlen && dlen < d->len - 2 ? dlen : d->len - 2;
	return 0;
}

/* @host (an address or a name) in @family, at @port. */
static int resolve(const char *host, int family, uint16_t port,
		   struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = { .ai_family = family,
				  .ai_socktype = SOCK_STREAM },
			*ai;

	if (vm_addr(host, port, ss, len) == 0)
		return 0;
	if (getaddrinfo(host, NULL, &hints, &ai) != 0)
		return -1;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	((struct sockaddr_in *)ss)->sin_port = htons(port); /* same place */
	freeaddrinfo(ai);
	return 0;
}

static int client(const char *host, const char *svc, const char *go)
{
	char cdata[512], rhost[256], rport[8], got[VM_ADDR_MAX];
	struct sockaddr_storage ss;
	const uint8_t *data, *nul;
	struct pkt p, d;
	socklen_t len;
	size_t n;
	long port;
	int fd;

	if (vm_addr(host, TNS_PORT, &ss, &len) < 0) {
		fprintf(stderr, "client: bad address %s\n", host);
		return 2;
	}
	snprintf(cdata, sizeof(cdata),
		 "(DESCRIPTION=(CONNECT_DATA=(SERVICE_NAME=%s)(CID=(PROGRAM="
		 "vm-tns)(HOST=client)(USER=vm)))(ADDRESS=(PROTOCOL=TCP)"
		 "(HOST=%s)(PORT=%u)))",
		 svc, host, TNS_PORT);
	fd = vm_connect((struct sockaddr *)&ss, len, CONNECT_MS);
	if (fd < 0 || send_connect(fd, cdata) < 0 || pkt_read(fd, &p) < 0 ||
	    redirect_data(fd, &p, &d, &data, &n) < 0) {
		perror("client: no REDIRECT from the listener");
		return 1;
	}
	close(fd);
	nul = memchr(data, '\0', n);
	if (nv_value(data, nul ? (size_t)(nul - data) : n, "HOST", rhost,
		     sizeof(rhost)) < 0 ||
	    nv_value(data, nul ? (size_t)(nul - data) : n, "PORT", rport,
		     sizeof(rport)) < 0 ||
	    (port = strtol(rport, NULL, 10)) < 1 || port > 65535) {
		fprintf(stderr, "client: no HOST and PORT in the REDIRECT\n");
		return 1;
	}
	printf("redirect %s %ld\n", rhost, port);
	fflush(stdout);
	if (go && vm_wait_file(go, 30000) < 0) {
		fprintf(stderr, "client: %s never came\n", go);
		return 1;
	}
	if (resolve(rhost, ss.ss_family, (uint16_t)port, &ss, &len) < 0) {
		fprintf(stderr, "client: cannot resolve %s\n", rhost);
		return 1;
	}
	fd = vm_connect((struct sockaddr *)&ss, len, CONNECT_MS);
	if (fd < 0) {
		fprintf(stderr, "client: connect to %s port %ld: %m\n",
			vm_ntop(&ss, got), port);
		return 1;
	}
	/* The connect data after the NUL goes to the new address. */
	if (nul && (size_t)(nul - data) + 1 < n) {
		n -= (size_t)(nul - data) + 1;
		memcpy(cdata, nul + 1, n < sizeof(cdata) ? n : sizeof(cdata) - 1);
		cdata[n < sizeof(cdata) ? n : sizeof(cdata) - 1] = '\0';
	}
	if (send_connect(fd, cdata) < 0 || pkt_read(fd, &p) < 0 ||
	    p.type != TNS_ACCEPT || pkt_read(fd, &d) < 0 ||
	    d.type != TNS_DATA || d.len < 2) {
		fprintf(stderr, "client: no ACCEPT from %s port %ld\n",
			vm_ntop(&ss, got), port);
		return 1;
	}
	printf("%.*s\n", (int)(d.len - 2), (const char *)d.body + 2);
	close(fd);
	return 0;
}

static long number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end || v < 1 || v > 65535 - DISPATCHERS) {
		fprintf(stderr, "vm-tns: bad port %s\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "listener"))
		return listener((uint16_t)number(argv[2]),
				(uint16_t)number(argv[3]));
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "client"))
		return client(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
	fprintf(stderr, "usage: vm-tns listener PORT BASE\n"
			"       vm-tns client HOST SERVICE [GO]\n");
	return 2;
}
