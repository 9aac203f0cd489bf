// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The packet queue against this machine's kernel, inside a network
 * namespace whose ruleset (tests/netns/queue.sh) queues UDP to ports
 * 5000-5049 and TCP to port 6000 to queue 7, and UDP to 5050-5099 to
 * queue 8, at the output hook. This program sends the traffic itself on
 * loopback, receives it from the queue, checks what it parsed against what
 * it sent, gives verdicts and watches their effect: delivered or not, with
 * the bytes the receiver got. /proc/net/netfilter/nfnetlink_queue shows
 * what the kernel still holds.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include <ctalg/queue.h>

#include "queue_internal.h"
#include "tap.h"

#define QA     7
#define QB     8
#define MAXPKT 64

static struct ctalg_queue_pkt pkts[MAXPKT];
static unsigned int lo_index;

/* ---- /proc/net/netfilter/nfnetlink_queue ---- */

struct qinfo {
	uint32_t num, portid, total, mode, range, dropped, user_dropped, seq;
};

/* The line of queue @num; false when it is not bound. */
static bool proc_queue(uint16_t num, struct qinfo *qi)
{
	char buf[8192];
	struct ctalg_cursor c;
	ssize_t n;
	int fd;

	fd = open("/proc/net/netfilter/nfnetlink_queue", O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0)
		return false;
	c = ctalg_cursor_make(buf, (size_t)n);
	while (ctalg_cursor_left(&c)) {
		uint32_t *f[] = { &qi->num,	     &qi->portid, &qi->total,
				  &qi->mode,	     &qi->range,  &qi->dropped,
				  &qi->user_dropped, &qi->seq };
		long eol = ctalg_cursor_find(&c, '\n');
		struct ctalg_cursor line = { 0 };
		unsigned int i;

		if (eol < 0)
			break;
		ctalg_cursor_sub(&c, (size_t)eol + 1, &line);
		for (i = 0; i < (sizeof(f) / sizeof(f[0])); i++) {
			while (ctalg_cursor_accept(&line, ' '))
				;
			if (!ctalg_cursor_get_dec(&line, UINT32_MAX, f[i]))
				break;
		}
		if (i == (sizeof(f) / sizeof(f[0])) && qi->num == num)
			return true;
	}
	return false;
}

static uint32_t proc_total(uint16_t num)
{
	struct qinfo qi;

	return proc_queue(num, &qi) ? qi.total : 0;
}

/* The next word of @line (separated by spaces or tabs) into @word. */
static bool next_word(struct ctalg_cursor *line, struct ctalg_cursor *word)
{
	size_t n = 0;

	while (ctalg_cursor_accept(line, ' ') || ctalg_cursor_accept(line, '\t'))
		;
	while (n < ctalg_cursor_left(line) && line->data[line->off + n] > ' ')
		n++;
	return n && ctalg_cursor_sub(line, n, word);
}

/*
 * The kernel's count of UDP datagrams dropped for a bad checksum in this
 * namespace: "Udp: ... InCsumErrors ..." (a line of names, then one of
 * values) in /proc/net/snmp, "Udp6InCsumErrors N" in /proc/net/snmp6.
 */
static long udp_csum_errors(int family)
{
	const char *key = family == AF_INET ? "Udp:" : "Udp6InCsumErrors";
	char buf[16384];
	struct ctalg_cursor c, line, word;
	int col = -1, i;
	uint32_t v;
	ssize_t n;
	int fd;

	fd = open(family == AF_INET ? "/proc/net/snmp" : "/proc/net/snmp6",
		  O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0)
		return -1;
	c = ctalg_cursor_make(buf, (size_t)n);
	for (;;) {
		long eol = ctalg_cursor_find(&c, '\n');

		if (eol < 0 || !ctalg_cursor_sub(&c, (size_t)eol + 1, &line))
			return -1;
		if (!next_word(&line, &word) ||
		    !ctalg_cursor_starts(&word, key, strlen(key)) ||
		    word.len != strlen(key))
			continue;
		if (col < 0 && family == AF_INET) {
			/* The names: find the column. */
			for (i = 0; next_word(&line, &word); i++) {
				if (word.len == 12 &&
				    ctalg_cursor_starts(&word, "InCsumErrors", 12))
					col = i;
			}
			continue;
		}
		for (i = 0; i <= (col < 0 ? 0 : col); i++) {
			if (!next_word(&line, &word))
				return -1;
		}
		if (!ctalg_cursor_get_dec(&word, UINT32_MAX, &v))
			return -1;
		return (long)v;
	}
}

/* ---- sockets ---- */

static void addr_make(int family, uint16_t port, struct sockaddr_storage *ss,
		      socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		a->sin6_addr = in6addr_loopback;
		*len = sizeof(*a);
	}
}

static int sock_bound(int family, int type, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, on = 1;

	fd = socket(family, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	addr_make(family, port, &ss, &len);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool udp_send(int fd, int family, uint16_t port, const void *data,
		     size_t len)
{
	struct sockaddr_storage ss;
	socklen_t alen;

	addr_make(family, port, &ss, &alen);
	return sendto(fd, data, len, 0, (struct sockaddr *)&ss, alen) ==
	       (ssize_t)len;
}

/* The next datagram on @fd within @ms, its length, or -1. */
static ssize_t udp_recv(int fd, void *buf, size_t size, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, ms) != 1)
		return -1;
	return recv(fd, buf, size, MSG_DONTWAIT);
}

static bool udp_got(int fd, const void *want, size_t len, int ms)
{
	char buf[70000];
	ssize_t n = udp_recv(fd, buf, sizeof(buf), ms);

	if (n != (ssize_t)len || memcmp(buf, want, len) != 0) {
		if (n >= 0)
			tap_diag_bytes("received", buf,
				       (size_t)n < 64 ? (size_t)n : 64);
		else
			tap_diag("nothing received");
		return false;
	}
	return true;
}

/* ---- the queue ---- */

/* Receive with a deadline: packets, 0 at the deadline, or -1. */
static int qrecv(struct ctalg_queue *q, unsigned int max, int ms)
{
	struct pollfd p = { .fd = ctalg_queue_fd(q), .events = POLLIN };

	if (poll(&p, 1, ms) != 1)
		return 0;
	return ctalg_queue_recv(q, pkts, max);
}

/*
 * Receive until @want packets are in pkts[], or @ms pass. Only their ids
 * and parsed fields stay valid: each receive reuses the buffers that the
 * payloads of the previous ones point into.
 */
static unsigned int qrecv_n(struct ctalg_queue *q, unsigned int want, int ms)
{
	unsigned int n = 0;
	int r;

	while (n < want) {
		struct pollfd p = { .fd = ctalg_queue_fd(q), .events = POLLIN };

		if (poll(&p, 1, ms) != 1)
			break;
		r = ctalg_queue_recv(q, pkts + n, want - n);
		if (r < 0)
			break;
		n += (unsigned int)r;
	}
	return n;
}

static int verdict_one(struct ctalg_queue *q, uint32_t id, uint32_t verdict)
{
	struct ctalg_queue_verdict v = { .id = id, .verdict = verdict };

	return ctalg_queue_send(q, &v, 1);
}

/* Accept everything that comes within @ms: traffic that is not the test's. */
static unsigned int drain(struct ctalg_queue *q, int ms)
{
	unsigned int total = 0;
	int n;

	while ((n = qrecv(q, MAXPKT, ms)) > 0) {
		total += (unsigned int)n;
		ctalg_queue_accept_all(q);
	}
	return total;
}

static struct ctalg_queue *qopen(uint16_t num, uint32_t flags,
				 void (*tune)(struct ctalg_queue_config *))
{
	struct ctalg_queue_config cfg;
	char err[256];
	struct ctalg_queue *q;

	ctalg_queue_config_init(&cfg, num);
	cfg.flags = flags;
	cfg.batch = 16;
	if (tune)
		tune(&cfg);
	q = ctalg_queue_open(&cfg, err, sizeof(err));
	if (!q)
		tap_diag("open queue %u: %s (%s)", num, strerror(errno), err);
	return q;
}

/*
 * The kernel checksummed the packet it queued: spoiling our fields and
 * fixing them must give its bytes back.
 */
static bool csum_matches_kernel(const struct ctalg_queue_pkt *p)
{
	static uint8_t buf[70000];
	const struct ctalg_ip *ip = &p->ip;

	memcpy(buf, p->payload, p->payload_len);
	if (ip->version == 4) {
		buf[10] ^= 0xff;
		buf[2] ^= 0x01;
	} else {
		buf[5] ^= 0x01;
	}
	buf[ip->l4_off + (ip->l4proto == IPPROTO_TCP ? 16 : 6)] ^= 0x5a;
	if (ctalg_ip_csum_fix(buf, p->payload_len) < 0)
		return false;
	return memcmp(buf, p->payload, p->payload_len) == 0;
}

/* ---- the tests ---- */

static void test_conntrack_flag(void)
{
	struct ctalg_queue_config cfg;
	struct ctalg_queue *q;
	char err[256];
	struct qinfo qi;

	ctalg_queue_config_init(&cfg, QA);
	cfg.flags = CTALG_QUEUE_F_CONNTRACK;
	errno = 0;
	q = ctalg_queue_open(&cfg, err, sizeof(err));
	if (q) {
		/* A kernel with the glue: nothing to show here. */
		tap_skip("this kernel has the NFQUEUE conntrack glue");
		ctalg_queue_close(q);
		return;
	}
	tap_diag("conntrack flag: errno %d (%s): %s", errno, strerror(errno),
		 err);
	tap_ok(errno == EOPNOTSUPP,
	       "conntrack flag without the kernel's glue: open fails with "
	       "EOPNOTSUPP");
	tap_ok(strstr(err, "CONFIG_NETFILTER_NETLINK_GLUE_CT") != NULL,
	       "conntrack flag: the message names the missing kernel option");
	tap_ok(!proc_queue(QA, &qi),
	       "conntrack flag: the queue is not left bound (no silent "
	       "COPY_NONE queue dropping everything)");
}

static void test_bind(struct ctalg_queue *q)
{
	struct ctalg_queue *q2;
	struct qinfo qi;
	char err[256];
	struct ctalg_queue_config cfg;
	struct sockaddr_nl me;
	socklen_t len = sizeof(me);

	tap_ok(proc_queue(QA, &qi) && qi.mode == 2 && qi.range == 65531,
	       "bound with copy mode packet and range 65531 in one message");
	ctalg_queue_config_init(&cfg, QA);
	errno = 0;
	q2 = ctalg_queue_open(&cfg, err, sizeof(err));
	tap_diag("second bind: errno %d (%s): %s", errno, strerror(errno), err);
	tap_ok(!q2 && errno == EPERM,
	       "a second socket binding the same queue fails (EPERM)");
	ctalg_queue_close(q2);
	getsockname(ctalg_queue_fd(q), (struct sockaddr *)&me, &len);
	tap_ok(proc_queue(QA, &qi) && qi.portid == me.nl_pid,
	       "the first binding still holds");
}

/* EBUSY is what the same socket gets when it binds a queue twice. */
static void test_bind_twice(void)
{
	struct ctalg_queue_config cfg;
	struct ctalg_nl *nl = ctalg_nl_open();
	char buf[256];
	int r1, r2;

	ctalg_queue_config_init(&cfg, 9);
	r1 = ctalg_nl_request(nl, queue_config_build(buf, sizeof(buf), &cfg),
			      NULL, NULL);
	errno = 0;
	r2 = ctalg_nl_request(nl, queue_config_build(buf, sizeof(buf), &cfg),
			      NULL, NULL);
	tap_ok(r1 == 0 && r2 < 0 && errno == EBUSY,
	       "the same socket binding a queue twice gets EBUSY");
	ctalg_nl_close(nl);
}

static void test_udp_fields(struct ctalg_queue *q, int family)
{
	const char *fam = family == AF_INET ? "IPv4" : "IPv6";
	const char msg[] = "hello, queue";
	uint16_t port = family == AF_INET ? 5001 : 5002;
	int rx = sock_bound(family, SOCK_DGRAM, port);
	int tx = sock_bound(family, SOCK_DGRAM, 4001);
	uint32_t mark = 0x1234;
	struct ctalg_cursor data;
	const struct ctalg_queue_pkt *p = &pkts[0];
	uint8_t loop[16] = { 0 };
	int n;

	setsockopt(tx, SOL_SOCKET, SO_MARK, &mark, sizeof(mark));
	udp_send(tx, family, port, msg, sizeof(msg));
	n = qrecv(q, MAXPKT, 2000);
	if (!tap_ok(n == 1, "%s UDP: one packet queued", fam)) {
		close(rx);
		close(tx);
		return;
	}
	loop[family == AF_INET ? 0 : 15] = family == AF_INET ? 127 : 1;
	if (family == AF_INET)
		loop[3] = 1;
	tap_ok(p->bad == 0, "%s UDP: nothing malformed", fam);
	tap_eq_u(p->hw_protocol, family == AF_INET ? 0x0800 : 0x86dd,
		 "%s UDP: hw protocol", fam);
	tap_eq_u(p->hook, NF_INET_LOCAL_OUT, "%s UDP: hook LOCAL_OUT", fam);
	tap_eq_u(p->family, family, "%s UDP: family", fam);
	tap_ok((p->flags & CTALG_PKT_OUTDEV) && p->outdev == lo_index &&
		   !(p->flags & CTALG_PKT_INDEV),
	       "%s UDP: out interface lo, no in interface", fam);
	tap_ok((p->flags & CTALG_PKT_MARK) && p->mark == mark,
	       "%s UDP: the socket's mark", fam);
	tap_ok(p->ip.version == (family == AF_INET ? 4 : 6) &&
		   !memcmp(p->ip.src.b, loop, family == AF_INET ? 4 : 16) &&
		   !memcmp(p->ip.dst.b, loop, family == AF_INET ? 4 : 16),
	       "%s UDP: addresses", fam);
	tap_ok(p->ip.l4proto == IPPROTO_UDP && p->ip.sport == 4001 &&
		   p->ip.dport == port,
	       "%s UDP: ports", fam);
	data = ctalg_queue_pkt_data(p);
	tap_ok(data.len == sizeof(msg) && !memcmp(data.data, msg, sizeof(msg)),
	       "%s UDP: the layer-4 payload is what was sent", fam);
	tap_ok(p->payload_len == p->cap_len &&
		   p->payload_len == p->ip.data_off + sizeof(msg),
	       "%s UDP: whole packet copied", fam);
	tap_ok(csum_matches_kernel(p),
	       "%s UDP: checksum fix-up gives the kernel's bytes", fam);
	verdict_one(q, p->id, NF_ACCEPT);
	tap_ok(udp_got(rx, msg, sizeof(msg), 1000),
	       "%s UDP: ACCEPT delivers it", fam);

	udp_send(tx, family, port, "drop me", 7);
	n = qrecv(q, MAXPKT, 2000);
	tap_ok(n == 1 && verdict_one(q, pkts[0].id, NF_DROP) == 0,
	       "%s UDP: second packet queued, DROP sent", fam);
	tap_ok(udp_recv(rx, (char[16]){ 0 }, 16, 300) < 0,
	       "%s UDP: DROP: nothing delivered", fam);
	close(rx);
	close(tx);
}

/* IPv6 with a destination-options header: the extension-header walk. */
static void test_udp6_ext(struct ctalg_queue *q)
{
	/* Next header (filled in by the kernel), length 0, PadN of 4. */
	static const uint8_t dstopts[8] = { 0, 0, 1, 4, 0, 0, 0, 0 };
	int rx = sock_bound(AF_INET6, SOCK_DGRAM, 5003);
	int tx = sock_bound(AF_INET6, SOCK_DGRAM, 4002);
	const struct ctalg_queue_pkt *p = &pkts[0];
	struct ctalg_cursor data;
	int n;

	tap_ok(setsockopt(tx, IPPROTO_IPV6, IPV6_DSTOPTS, dstopts,
			  sizeof(dstopts)) == 0,
	       "IPv6 destination options set on the socket");
	udp_send(tx, AF_INET6, 5003, "ext", 3);
	n = qrecv(q, MAXPKT, 2000);
	if (!tap_ok(n == 1, "IPv6 with extension header: queued")) {
		close(rx);
		close(tx);
		return;
	}
	data = ctalg_queue_pkt_data(p);
	tap_ok(p->payload_len > 6 && p->payload[6] == IPPROTO_DSTOPTS &&
		   p->ip.l4proto == IPPROTO_UDP && p->ip.l4_off == 48 &&
		   p->ip.sport == 4002 && data.len == 3 &&
		   !memcmp(data.data, "ext", 3),
	       "IPv6 with extension header: walked to UDP at offset 48");
	tap_ok(csum_matches_kernel(p),
	       "IPv6 with extension header: checksum fix-up gives the "
	       "kernel's bytes");
	verdict_one(q, p->id, NF_ACCEPT);
	tap_ok(udp_got(rx, "ext", 3, 1000),
	       "IPv6 with extension header: delivered");
	close(rx);
	close(tx);
}

static void test_tcp(struct ctalg_queue *q, int family)
{
	const char *fam = family == AF_INET ? "IPv4" : "IPv6";
	const char msg[] = "hello over tcp";
	int srv = sock_bound(family, SOCK_STREAM | SOCK_NONBLOCK, 6000);
	int cli = socket(family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct sockaddr_storage ss;
	socklen_t alen;
	bool syn = false, data = false, csum = true;
	int conn = -1, n, i, rounds;
	char buf[64];

	listen(srv, 1);
	addr_make(family, 6000, &ss, &alen);
	connect(cli, (struct sockaddr *)&ss, alen);
	/* Accept what comes until the connection is up and data went. */
	for (rounds = 0; rounds < 20 && !data; rounds++) {
		n = qrecv(q, MAXPKT, 300);
		for (i = 0; i < n; i++) {
			const struct ctalg_queue_pkt *p = &pkts[i];
			struct ctalg_cursor d = ctalg_queue_pkt_data(p);

			csum = csum && csum_matches_kernel(p);
			if (p->ip.tcp_flags == 0x02 && p->ip.dport == 6000 &&
			    d.len == 0 && p->ip.data_off > p->ip.l4_off + 20)
				syn = true;
			if (d.len == sizeof(msg) &&
			    !memcmp(d.data, msg, sizeof(msg)) &&
			    (p->ip.tcp_flags & 0x18) == 0x18)
				data = true;
		}
		if (n > 0)
			ctalg_queue_accept_all(q);
		if (conn < 0) {
			conn = accept4(srv, NULL, NULL, SOCK_NONBLOCK);
			if (conn >= 0)
				send(cli, msg, sizeof(msg), 0);
		}
	}
	tap_ok(syn, "%s TCP: SYN seen, with options past the 20-byte header",
	       fam);
	tap_ok(data, "%s TCP: data segment seen with PSH|ACK and its payload",
	       fam);
	tap_ok(csum, "%s TCP: checksum fix-up gives the kernel's bytes", fam);
	n = conn >= 0 ? (int)udp_recv(conn, buf, sizeof(buf), 1000) : -1;
	tap_ok(n == (int)sizeof(msg) && !memcmp(buf, msg, sizeof(msg)),
	       "%s TCP: the server read the data", fam);
	close(cli);
	if (conn >= 0)
		close(conn);
	close(srv);
	drain(q, 200); /* FIN, ACK, RST */
}

static void test_batch(struct ctalg_queue *q)
{
	struct ctalg_queue_verdict v[MAXPKT];
	struct ctalg_queue_stats a, b;
	int rx = sock_bound(AF_INET, SOCK_DGRAM, 5010);
	int tx = sock_bound(AF_INET, SOCK_DGRAM, 4010);
	unsigned int i, got = 0;
	int n1, n2;
	char msg[16];

	for (i = 0; i < 20; i++) {
		snprintf(msg, sizeof(msg), "b%02u", i);
		udp_send(tx, AF_INET, 5010, msg, 3);
	}
	tap_eq_u(proc_total(QA), 20, "batch: 20 packets queued in the kernel");
	ctalg_queue_stats(q, &a);
	n1 = ctalg_queue_recv(q, pkts, 16);
	ctalg_queue_stats(q, &b);
	tap_ok(n1 == 16 && b.recv_calls == a.recv_calls + 1,
	       "batch: 16 packets in one recvmmsg (got %d in %llu calls)", n1,
	       (unsigned long long)(b.recv_calls - a.recv_calls));
	n2 = ctalg_queue_recv(q, pkts + 16, 16);
	tap_eq_u(n2, 4, "batch: the other 4 in the next");
	tap_eq_u(ctalg_queue_pending(q), 20, "batch: 20 waiting for verdicts");
	for (i = 0; i < 20; i++)
		v[i] = (struct ctalg_queue_verdict){ .id = pkts[i].id,
						     .verdict = NF_ACCEPT };
	ctalg_queue_stats(q, &a);
	tap_ok(ctalg_queue_send(q, v, 20) == 0, "batch: verdicts sent");
	ctalg_queue_stats(q, &b);
	tap_ok(b.verdict_msgs - a.verdict_msgs == 1 &&
		   b.verdict_batches - a.verdict_batches == 1 &&
		   b.folded - a.folded == 20 && b.send_calls - a.send_calls == 1,
	       "batch: 20 plain accepts folded into one batch verdict, one "
	       "sendmsg");
	for (i = 0; i < 20; i++) {
		snprintf(msg, sizeof(msg), "b%02u", i);
		got += udp_got(rx, msg, 3, 1000);
	}
	tap_eq_u(got, 20, "batch: every packet released, in order");
	tap_eq_u(proc_total(QA), 0, "batch: nothing left in the kernel queue");
	close(rx);
	close(tx);
}

/*
 * Folding must never release a packet still waiting: verdicts for a later
 * receive, sent before those of an earlier one, stay individual.
 */
static void test_fold_safety(struct ctalg_queue *q)
{
	struct ctalg_queue_verdict v[10];
	struct ctalg_queue_stats a, b;
	struct ctalg_queue_pkt first[5];
	int rx = sock_bound(AF_INET, SOCK_DGRAM, 5011);
	int tx = sock_bound(AF_INET, SOCK_DGRAM, 4011);
	unsigned int i, got = 0;
	char msg[16];

	for (i = 0; i < 10; i++) {
		snprintf(msg, sizeof(msg), "f%u", i);
		udp_send(tx, AF_INET, 5011, msg, 2);
	}
	if (!tap_ok(ctalg_queue_recv(q, pkts, 5) == 5,
		    "fold safety: first five received"))
		goto out;
	memcpy(first, pkts, sizeof(first));
	if (!tap_ok(ctalg_queue_recv(q, pkts, 5) == 5,
		    "fold safety: next five received"))
		goto out;
	for (i = 0; i < 5; i++)
		v[i] = (struct ctalg_queue_verdict){ .id = pkts[i].id,
						     .verdict = NF_ACCEPT };
	ctalg_queue_stats(q, &a);
	ctalg_queue_send(q, v, 5);
	ctalg_queue_stats(q, &b);
	tap_ok(b.verdict_batches == a.verdict_batches &&
		   b.verdict_msgs - a.verdict_msgs == 5,
	       "fold safety: later accepts sent one by one (a batch would "
	       "release the earlier five)");
	for (i = 5; i < 10; i++) {
		snprintf(msg, sizeof(msg), "f%u", i);
		got += udp_got(rx, msg, 2, 1000);
	}
	tap_eq_u(got, 5, "fold safety: the later five delivered");
	tap_eq_u(proc_total(QA), 5, "fold safety: the earlier five still held");

	/* Drop two, accept three: the three fold behind the drops. */
	for (i = 0; i < 5; i++)
		v[i] = (struct ctalg_queue_verdict){
			.id = first[i].id, .verdict = i < 2 ? NF_DROP : NF_ACCEPT
		};
	ctalg_queue_stats(q, &a);
	ctalg_queue_send(q, v, 5);
	ctalg_queue_stats(q, &b);
	tap_ok(b.verdict_msgs - a.verdict_msgs == 3 &&
		   b.verdict_batches - a.verdict_batches == 1 &&
		   b.folded - a.folded == 3,
	       "fold safety: two drops, then one batch for three accepts");
	tap_ok(udp_got(rx, "f2", 2, 1000) && udp_got(rx, "f3", 2, 1000) &&
		   udp_got(rx, "f4", 2, 1000),
	       "fold safety: the accepted three delivered");
	tap_ok(udp_recv(rx, msg, sizeof(msg), 300) < 0,
	       "fold safety: the dropped two were not");
	tap_eq_u(proc_total(QA), 0, "fold safety: nothing left in the queue");
out:
	close(rx);
	close(tx);
}

static void test_mangle(struct ctalg_queue *q, int family, const char *from,
			const char *to, bool spoil)
{
	const char *fam = family == AF_INET ? "IPv4" : "IPv6";
	uint16_t port = 5020;
	int rx = sock_bound(family, SOCK_DGRAM, port);
	int tx = sock_bound(family, SOCK_DGRAM, 4020);
	static uint8_t buf[70000];
	struct ctalg_queue_verdict v = { .verdict = NF_ACCEPT };
	const struct ctalg_queue_pkt *p = &pkts[0];
	long errors = udp_csum_errors(family);
	size_t len;

	udp_send(tx, family, port, from, strlen(from));
	if (!tap_ok(qrecv(q, MAXPKT, 2000) == 1, "%s rewrite: queued", fam))
		goto out;
	memcpy(buf, p->payload, p->ip.data_off);
	memcpy(buf + p->ip.data_off, to, strlen(to));
	len = p->ip.data_off + strlen(to);
	tap_ok(ctalg_ip_csum_fix(buf, len) == 0, "%s rewrite: checksums fixed",
	       fam);
	if (spoil)
		buf[p->ip.l4_off + 6] ^= 0x01;
	v.id = p->id;
	v.payload = buf;
	v.payload_len = (uint32_t)len;
	tap_ok(ctalg_queue_send(q, &v, 1) == 0, "%s rewrite: verdict sent", fam);
	if (spoil) {
		tap_ok(udp_recv(rx, buf, sizeof(buf), 300) < 0,
		       "%s rewrite with a wrong UDP checksum: not delivered",
		       fam);
		tap_ok(
		    errors >= 0 && udp_csum_errors(family) == errors + 1,
		    "%s rewrite with a wrong UDP checksum: the kernel counts a "
		    "checksum error (so the receiver does check)",
		    fam);
	} else
		tap_ok(udp_got(rx, to, strlen(to), 1000),
		       "%s rewrite \"%s\" -> \"%s\": the receiver gets the new "
		       "bytes",
		       fam, from, to);
out:
	close(rx);
	close(tx);
}

static void tune_copy64(struct ctalg_queue_config *cfg)
{
	cfg->copy_range = 64;
}

static void test_copy_range(void)
{
	struct ctalg_queue *q = qopen(QB, 0, tune_copy64);
	int rx = sock_bound(AF_INET, SOCK_DGRAM, 5050);
	int tx = sock_bound(AF_INET, SOCK_DGRAM, 4050);
	static char big[500];
	const struct ctalg_queue_pkt *p = &pkts[0];
	struct qinfo qi;

	if (!tap_ok(q != NULL, "copy range 64: queue 8 bound"))
		goto out;
	tap_ok(proc_queue(QB, &qi) && qi.range == 64,
	       "copy range 64: the kernel has it");
	memset(big, 'x', sizeof(big));
	udp_send(tx, AF_INET, 5050, big, sizeof(big));
	if (tap_ok(qrecv(q, MAXPKT, 2000) == 1, "copy range 64: queued")) {
		tap_ok(p->payload_len == 64 && p->cap_len == 528 &&
			   (p->flags & CTALG_PKT_CUT) && p->bad == 0 &&
			   (p->ip.flags & CTALG_IP_CUT) &&
			   (p->ip.flags & CTALG_IP_L4) && p->ip.data_len == 36,
		       "copy range 64: 64 bytes of 528, flagged cut, headers "
		       "read");
		verdict_one(q, p->id, NF_ACCEPT);
		tap_ok(udp_got(rx, big, sizeof(big), 1000),
		       "copy range 64: the whole datagram delivered");
	}
out:
	ctalg_queue_close(q);
	close(rx);
	close(tx);
}

static void tune_small_buffer(struct ctalg_queue_config *cfg)
{
	cfg->bufsize = 512;
}

/* A message larger than the receive buffer: accepted by the library. */
static void test_truncated(void)
{
	struct ctalg_queue *q = qopen(QB, 0, tune_small_buffer);
	int rx = sock_bound(AF_INET, SOCK_DGRAM, 5051);
	int tx = sock_bound(AF_INET, SOCK_DGRAM, 4051);
	static char big[3000];
	struct ctalg_queue_stats st;
	int n;

	if (!tap_ok(q != NULL, "cut message: queue 8 with 512-byte buffers"))
		goto out;
	memset(big, 'y', sizeof(big));
	udp_send(tx, AF_INET, 5051, big, sizeof(big));
	udp_send(tx, AF_INET, 5051, "small", 5);
	n = qrecv_n(q, 1, 1000);
	ctalg_queue_stats(q, &st);
	tap_ok(n == 1 && pkts[0].ip.data_len == 5 && st.truncated == 1,
	       "cut message: counted, not handed over; the small one is "
	       "(n=%d, truncated=%llu)",
	       n, (unsigned long long)st.truncated);
	tap_ok(udp_got(rx, big, sizeof(big), 1000),
	       "cut message: accepted by the library, delivered whole");
	if (n == 1)
		verdict_one(q, pkts[0].id, NF_ACCEPT);
	tap_ok(udp_got(rx, "small", 5, 1000), "cut message: the small one too");
	tap_eq_u(proc_total(QB), 0, "cut message: nothing stuck in the queue");
out:
	ctalg_queue_close(q);
	close(rx);
	close(tx);
}

static void tune_tiny_rcvbuf(struct ctalg_queue_config *cfg)
{
	cfg->rcvbuf = 8192;
}

/* A burst into a tiny socket buffer: losses, no packet stuck. */
static void test_overrun(uint32_t flags)
{
	const char *how = flags & CTALG_QUEUE_F_NO_ENOBUFS ? "NO_ENOBUFS"
							   : "ENOBUFS";
	struct ctalg_queue *q = qopen(QB, flags, tune_tiny_rcvbuf);
	int rx = sock_bound(AF_INET, SOCK_DGRAM, 5052);
	int tx = sock_bound(AF_INET, SOCK_DGRAM, 4052);
	int rcv = 1 << 20;
	static char data[1000];
	struct ctalg_queue_stats st;
	unsigned int i, seen = 0, delivered = 0;
	struct qinfo qi;
	int n;

	if (!tap_ok(q != NULL, "overrun (%s): queue 8 with an 8 KiB buffer", how))
		goto out;
	setsockopt(rx, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv));
	memset(data, 'z', sizeof(data));
	for (i = 0; i < 200; i++)
		udp_send(tx, AF_INET, 5052, data, sizeof(data));
	while ((n = qrecv(q, MAXPKT, 300)) > 0) {
		seen += (unsigned int)n;
		ctalg_queue_accept_all(q);
	}
	ctalg_queue_stats(q, &st);
	while (udp_recv(rx, data, sizeof(data), 200) == (ssize_t)sizeof(data))
		delivered++;
	proc_queue(QB, &qi);
	tap_diag("overrun (%s): %u received, %u dropped by the kernel, %llu "
		 "overruns reported",
		 how, seen, qi.user_dropped, (unsigned long long)st.enobufs);
	tap_ok(qi.user_dropped > 0 && seen + qi.user_dropped == 200,
	       "overrun (%s): every packet either received or counted lost "
	       "by the kernel",
	       how);
	if (flags & CTALG_QUEUE_F_NO_ENOBUFS)
		tap_ok(st.enobufs == 0, "overrun (NO_ENOBUFS): not reported");
	else
		tap_ok(st.enobufs > 0, "overrun (ENOBUFS): reported, counted, "
				       "and the socket read on");
	tap_eq_u(delivered, seen,
		 "overrun (%s): every received packet "
		 "delivered after its verdict",
		 how);
	tap_eq_u(qi.total, 0, "overrun (%s): queue_total back to 0", how);
out:
	ctalg_queue_close(q);
	close(rx);
	close(tx);
}

/*
 * Packets queued between the bind and its ACK. The window is a few hundred
 * nanoseconds, so the test widens it: the library's messages go through
 * this wrapper (the test links with --wrap=mnl_socket_sendto), which, for
 * the bind of @race_port's queue, sends the bind without asking an ACK,
 * sends @race_count real packets into the queue it just bound, then sends
 * the library's message turned into a no-op config (PF_BIND), which the
 * kernel acknowledges. The library then reads packets before its ACK.
 */
static uint16_t race_port;
static unsigned int race_count;

ssize_t __real_mnl_socket_sendto(const struct mnl_socket *nl, const void *buf,
				 size_t len);
ssize_t __wrap_mnl_socket_sendto(const struct mnl_socket *nl, const void *buf,
				 size_t len);

ssize_t __wrap_mnl_socket_sendto(const struct mnl_socket *nl, const void *buf,
				 size_t len)
{
	static uint8_t copy[512];
	struct nlmsghdr *nlh = (struct nlmsghdr *)copy;
	struct nfqnl_msg_config_cmd *cmd = NULL;
	struct nlattr *a;
	unsigned int i;
	int tx;

	if (!race_port || len > sizeof(copy) ||
	    ((const struct nlmsghdr *)buf)->nlmsg_type !=
		(NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_CONFIG))
		return __real_mnl_socket_sendto(nl, buf, len);
	memcpy(copy, buf, len);
	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
	{
		if (mnl_attr_get_type(a) == NFQA_CFG_CMD)
			cmd = mnl_attr_get_payload(a);
	}
	if (!cmd || cmd->command != NFQNL_CFG_CMD_BIND)
		return __real_mnl_socket_sendto(nl, buf, len);
	nlh->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
	if (__real_mnl_socket_sendto(nl, copy, len) < 0)
		return -1;
	tx = sock_bound(AF_INET, SOCK_DGRAM, 4070);
	for (i = 0; i < race_count; i++) {
		char msg[16];

		snprintf(msg, sizeof(msg), "r%u", i);
		udp_send(tx, AF_INET, race_port, msg, strlen(msg));
	}
	close(tx);
	race_port = 0;
	nlh->nlmsg_flags |= NLM_F_ACK;
	cmd->command = NFQNL_CFG_CMD_PF_BIND;
	return __real_mnl_socket_sendto(nl, copy, len);
}

static void test_before_ack(unsigned int count)
{
	struct ctalg_queue *q;
	int rx = sock_bound(AF_INET, SOCK_DGRAM, 5070);
	unsigned int i, got = 0, seen = 0;
	char msg[16];

	race_port = 5070;
	race_count = count;
	q = qopen(QB, 0, NULL);
	if (!tap_ok(q != NULL && race_port == 0,
		    "before the ACK: %u packets queued between bind and ACK",
		    count))
		goto out;
	/*
	 * Through poll(2): they must wake a caller waiting on the socket.
	 * Each batch is checked before the next receive reuses its buffers.
	 */
	while (seen < count) {
		int r = qrecv(q, MAXPKT, 1000);

		if (r <= 0)
			break;
		for (i = 0; i < (unsigned int)r; i++, seen++) {
			struct ctalg_cursor d = ctalg_queue_pkt_data(&pkts[i]);

			snprintf(msg, sizeof(msg), "r%u", seen);
			got += d.len == strlen(msg) &&
			       !memcmp(d.data, msg, strlen(msg));
		}
		ctalg_queue_accept_all(q);
	}
	tap_ok(seen == count && got == count,
	       "before the ACK: all %u handed over after the bind, through "
	       "poll, in order, intact (%u seen, %u intact)",
	       count, seen, got);
	for (got = 0, i = 0; i < count; i++)
		got += udp_recv(rx, msg, sizeof(msg), 1000) > 0;
	tap_eq_u(got, count, "before the ACK: all delivered");
	tap_eq_u(proc_total(QB), 0, "before the ACK: nothing left in the queue");
out:
	race_port = 0;
	ctalg_queue_close(q);
	close(rx);
}

static void tune_big_rcvbuf(struct ctalg_queue_config *cfg)
{
	cfg->rcvbuf = 4 << 20;
}

/*
 * Bind while traffic flows: packets queued between the bind and its ACK
 * must be handed over too. Every id the kernel gave out is either received
 * or counted lost by the kernel.
 */
static void test_open_under_load(void)
{
	struct ctalg_queue_stats st;
	struct ctalg_queue *q;
	struct qinfo qi = { 0 };
	struct timespec t0, t;
	pid_t child;
	int status;

	child = fork();
	if (child == 0) {
		int tx = sock_bound(AF_INET, SOCK_DGRAM, 4060);

		clock_gettime(CLOCK_MONOTONIC, &t0);
		do {
			udp_send(tx, AF_INET, 5060, "load", 4);
			clock_gettime(CLOCK_MONOTONIC, &t);
		} while ((t.tv_sec - t0.tv_sec) * 1000 +
			     (t.tv_nsec - t0.tv_nsec) / 1000000 <
			 400);
		_exit(0);
	}
	usleep(100 * 1000);
	q = qopen(QB, 0, tune_big_rcvbuf);
	if (!tap_ok(q != NULL, "under load: queue 8 bound while traffic flows"))
		goto out;
	while (qrecv(q, MAXPKT, 300) > 0)
		ctalg_queue_accept_all(q);
	waitpid(child, &status, 0);
	child = -1;
	while (qrecv(q, MAXPKT, 300) > 0)
		ctalg_queue_accept_all(q);
	ctalg_queue_stats(q, &st);
	proc_queue(QB, &qi);
	tap_diag("under load: %u ids given out, %llu received, %u lost", qi.seq,
		 (unsigned long long)st.packets, qi.user_dropped);
	tap_ok(qi.seq > 0 && st.packets + qi.user_dropped == qi.seq,
	       "under load: every packet the kernel queued was received");
	tap_eq_u(qi.total, 0, "under load: nothing left in the queue");
out:
	if (child > 0)
		waitpid(child, &status, 0);
	ctalg_queue_close(q);
}

static void tune_failopen(struct ctalg_queue_config *cfg)
{
	cfg->maxlen = 2;
}

static void test_fail_open(void)
{
	struct ctalg_queue *q = qopen(QB, CTALG_QUEUE_F_FAIL_OPEN, tune_failopen);
	int rx = sock_bound(AF_INET, SOCK_DGRAM, 5053);
	int tx = sock_bound(AF_INET, SOCK_DGRAM, 4053);
	unsigned int i, early = 0, late = 0;
	char buf[16];

	if (!tap_ok(q != NULL, "fail open: queue 8 of length 2"))
		goto out;
	for (i = 0; i < 10; i++)
		udp_send(tx, AF_INET, 5053, "fo", 2);
	while (udp_recv(rx, buf, sizeof(buf), 200) == 2)
		early++;
	tap_eq_u(early, 8,
		 "fail open: the 8 beyond the queue length pass "
		 "without a verdict");
	tap_eq_u(qrecv_n(q, 2, 1000), 2, "fail open: 2 queued");
	ctalg_queue_accept_all(q);
	while (udp_recv(rx, buf, sizeof(buf), 300) == 2)
		late++;
	tap_eq_u(late, 2, "fail open: the queued 2 pass after their verdict");
out:
	ctalg_queue_close(q);
	close(rx);
	close(tx);
}

static void test_verdict_error(struct ctalg_queue *q)
{
	struct ctalg_queue_stats st;
	int tx = sock_bound(AF_INET, SOCK_DGRAM, 4030);
	int n;

	tap_ok(verdict_one(q, 0x7ffffff0, NF_ACCEPT) == 0,
	       "verdict error: a verdict for an unknown id is sent");
	/* The error reply waits in the socket; a packet wakes us. */
	udp_send(tx, AF_INET, 5030, "wake", 4);
	n = qrecv_n(q, 1, 1000);
	ctalg_queue_stats(q, &st);
	tap_ok(st.verdict_errors == 1 && st.last_verdict_errno == ENOENT &&
		   st.last_verdict_id == 0x7ffffff0,
	       "verdict error: counted as ENOENT for that id");
	if (n == 1)
		verdict_one(q, pkts[0].id, NF_ACCEPT);
	close(tx);
}

static void test_accept_all(struct ctalg_queue *q)
{
	int rx = sock_bound(AF_INET6, SOCK_DGRAM, 5031);
	int tx = sock_bound(AF_INET6, SOCK_DGRAM, 4031);
	unsigned int i, got = 0;

	for (i = 0; i < 3; i++)
		udp_send(tx, AF_INET6, 5031, "aa", 2);
	tap_eq_u(qrecv_n(q, 3, 1000), 3, "accept all: 3 received");
	tap_ok(ctalg_queue_accept_all(q) == 0 && ctalg_queue_pending(q) == 0,
	       "accept all: one batch verdict, nothing pending");
	for (i = 0; i < 3; i++)
		got += udp_got(rx, "aa", 2, 1000);
	tap_eq_u(got, 3, "accept all: all 3 delivered");
	close(rx);
	close(tx);
}

int main(void)
{
	struct ctalg_queue *q;
	struct ctalg_queue_stats st;
	struct qinfo qi;

	lo_index = if_nametoindex("lo");
	if (access("/proc/net/netfilter/nfnetlink_queue", R_OK) != 0)
		tap_skip_all("no nfnetlink_queue in this kernel");

	test_conntrack_flag();
	q = qopen(QA, 0, NULL);
	if (!q) {
		tap_ok(false, "queue 7 bound");
		return tap_done();
	}
	test_bind(q);
	test_bind_twice();
	test_udp_fields(q, AF_INET);
	test_udp_fields(q, AF_INET6);
	test_udp6_ext(q);
	test_tcp(q, AF_INET);
	test_tcp(q, AF_INET6);
	test_batch(q);
	test_fold_safety(q);
	test_mangle(q, AF_INET, "hello world", "HELLO WORLD", false);
	test_mangle(q, AF_INET, "short", "a much longer payload than before",
		    false);
	test_mangle(q, AF_INET, "a long original payload", "tiny", false);
	test_mangle(q, AF_INET6, "hello world", "HELLO WORLD", false);
	test_mangle(q, AF_INET6, "v6", "a longer IPv6 payload", false);
	test_mangle(q, AF_INET, "checked?", "CHECKED?", true);
	test_mangle(q, AF_INET6, "checked?", "CHECKED?", true);
	test_verdict_error(q);
	test_accept_all(q);
	ctalg_queue_stats(q, &st);
	tap_diag(
	    "queue 7: %llu packets, %llu recvmmsg calls (at most %llu "
	    "datagrams), %llu verdict messages (%llu batches, %llu "
	    "folded), %llu sendmsg calls",
	    (unsigned long long)st.packets, (unsigned long long)st.recv_calls,
	    (unsigned long long)st.recv_max, (unsigned long long)st.verdict_msgs,
	    (unsigned long long)st.verdict_batches,
	    (unsigned long long)st.folded, (unsigned long long)st.send_calls);
	tap_eq_u(proc_total(QA), 0, "queue 7: nothing left in the kernel");
	ctalg_queue_close(q);
	tap_ok(!proc_queue(QA, &qi), "queue 7: unbound on close");

	test_copy_range();
	test_truncated();
	test_overrun(0);
	test_overrun(CTALG_QUEUE_F_NO_ENOBUFS);
	test_fail_open();
	test_open_under_load();
	test_before_ack(3);
	test_before_ack(40);
	return tap_done();
}
