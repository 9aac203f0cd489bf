// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The worker's packet path without a kernel: hand-built queued packets, as
 * the kernel delivers them, through the ferry example helper. Shows that a
 * connection's state stays consistent when its packets are pipelined (two
 * queued together, each with the kernel's copy of the state from before),
 * that expectations go into the verdict, and that the policy refuses what
 * it must.
 */
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>

#include <ctalg/cthelper.h>
#include <ctalg/expect.h>

#include "ctalgd.h"
#include "tap.h"

extern const struct ctalg_helper *const ctalg_plugin_helpers[];

static struct worker w;
static struct running_type rt;
static struct ctalg_queue_pkt pkts[8];
static struct ctalg_queue_verdict v[8];
static uint8_t wire[8][256];

/* The kernel's private state as it was when a packet was queued. */
static uint8_t kstate[32];

static void setup(void)
{
	memset(&w, 0, sizeof(w));
	memset(&rt, 0, sizeof(rt));
	rt.cfg.h = ctalg_plugin_helpers[0];
	snprintf(rt.cfg.kname, sizeof(rt.cfg.kname), "ferry");
	rt.cfg.family = AF_INET;
	rt.cfg.l4proto = IPPROTO_TCP;
	rt.cfg.n_classes = 1;
	rt.cfg.classes[0].max_expected = 1;
	rt.cfg.classes[0].timeout = 60;
	rt.cfg.port_floor = 1024;
	rt.priv_len = (uint32_t)ctalg_cthelper_priv_len(rt.cfg.h);
	rt.log_parse = (struct log_limit)LOG_LIMIT_INIT;
	rt.log_refuse = (struct log_limit)LOG_LIMIT_INIT;
	w.types[0] = &rt;
	w.n_types = 1;
	w.batch = 8;
	w.scratch = malloc(STREAM_SCRATCH_SIZE);
	w.exp_buf = calloc(8, sizeof(*w.exp_buf));
	conncache_init(&w.cache, 64, 8);
	memset(kstate, 0, sizeof(kstate));
}

static void teardown(void)
{
	conncache_free(&w.cache);
	free(w.scratch);
	free(w.exp_buf);
}

/*
 * A queued TCP packet of the connection client 10.0.1.2:40000 -> server
 * 10.0.2.2:7070, in direction @dir, with @flags (TCP) and @data, carrying
 * the kernel's state kstate.
 */
static struct ctalg_queue_pkt *pkt(unsigned int i, int dir, uint32_t seq,
				   uint8_t tcpflags, const char *data)
{
	struct ctalg_queue_pkt *p = &pkts[i];
	size_t len = strlen(data);

	memset(p, 0, sizeof(*p));
	p->id = 100 + i;
	p->flags = CTALG_PKT_CT | CTALG_PKT_CT_INFO | CTALG_PKT_CT_HELP |
		   CTALG_PKT_PAYLOAD;
	p->ctinfo = dir ? IP_CT_ESTABLISHED_REPLY : IP_CT_ESTABLISHED;
	p->ct.id = 0xabcdef;
	p->ct.orig.family = p->ct.reply.family = AF_INET;
	p->ct.orig.l4proto = p->ct.reply.l4proto = IPPROTO_TCP;
	p->ct.orig.set = p->ct.reply.set = CTALG_TUPLE_SRC | CTALG_TUPLE_DST |
					   CTALG_TUPLE_PROTO |
					   CTALG_TUPLE_SPORT | CTALG_TUPLE_DPORT;
	inet_pton(AF_INET, "10.0.1.2", p->ct.orig.src.b);
	inet_pton(AF_INET, "10.0.2.2", p->ct.orig.dst.b);
	p->ct.orig.sport = 40000;
	p->ct.orig.dport = 7070;
	p->ct.reply.src = p->ct.orig.dst;
	p->ct.reply.dst = p->ct.orig.src;
	p->ct.reply.sport = 7070;
	p->ct.reply.dport = 40000;
	snprintf(p->ct.helper, sizeof(p->ct.helper), "ferry");
	p->ct.help_info = kstate;
	p->ct.help_info_len = rt.priv_len;
	/* Only the layer-4 view matters to the worker. */
	memcpy(wire[i] + 40, data, len);
	p->payload = wire[i];
	p->payload_len = (uint32_t)(40 + len);
	p->cap_len = p->payload_len;
	p->ip.version = 4;
	p->ip.l4proto = IPPROTO_TCP;
	p->ip.flags = CTALG_IP_L4;
	p->ip.tcp_flags = tcpflags;
	p->ip.seq = seq;
	p->ip.data_off = 40;
	p->ip.data_len = (uint32_t)len;
	return p;
}

/* What a verdict asks the kernel to expect: dst:dport, or NULL. */
static bool verdict_expects(const struct ctalg_queue_verdict *vd,
			    const char *dst, uint16_t dport)
{
	struct ctalg_expect x;
	char buf[CTALG_NL_MSG_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	union ctalg_addr a;

	if (!vd->exp)
		return false;
	/* Wrap the attributes in a nest, as the queue library sends them. */
	nlh = mnl_nlmsg_put_header(buf);
	nest = mnl_attr_nest_start(nlh, 1);
	memcpy(mnl_nlmsg_get_payload_tail(nlh), vd->exp, vd->exp_len);
	nlh->nlmsg_len += vd->exp_len;
	mnl_attr_nest_end(nlh, nest);
	if (ctalg_exp_parse_nested(nest, AF_INET, &x) < 0)
		return false;
	inet_pton(AF_INET, dst, a.b);
	return x.tuple.dport == dport && !memcmp(x.tuple.dst.b, a.b, 4) &&
	       x.tuple.l4proto == IPPROTO_TCP && x.mask.sport == 0 &&
	       x.mask.dport == 0xffff;
}

/* Apply a verdict's state to the kernel's copy, as the kernel does. */
static void kernel_apply(const struct ctalg_queue_verdict *vd)
{
	if (vd->help_info)
		memcpy(kstate, vd->help_info, vd->help_info_len);
}

static void handshake(void)
{
	worker_packet(&w, pkt(0, 0, 1000, 0x02, ""), &v[0], 0);
	kernel_apply(&v[0]);
	worker_packet(&w, pkt(1, 1, 5000, 0x12, ""), &v[1], 1);
	kernel_apply(&v[1]);
}

static void test_pipelined(void)
{
	setup();
	handshake();
	tap_ok(v[0].help_info && v[1].help_info,
	       "SYN and SYN-ACK verdicts carry the stream state");
	/*
	 * The client's FETCH and the server's FERRY sit in the queue
	 * together: both carry the kernel's state from after the handshake.
	 */
	worker_packet(&w, pkt(2, 0, 1001, 0x18, "FETCH a.txt\r\n"), &v[2], 2);
	worker_packet(&w, pkt(3, 1, 5001, 0x18, "FERRY 40123\r\n"), &v[3], 3);
	tap_ok(verdict_expects(&v[3], "10.0.2.2", 40123),
	       "pipelined: the FERRY verdict creates the expectation");
	tap_ok(v[3].help_info && v[3].help_info_len == rt.priv_len &&
		   !strcmp(v[3].helper, "ferry"),
	       "the verdict writes the state back under the helper's name");
	tap_eq_u(STAT_GET(rt.stats.exp_sent), 1, "counted as sent");

	/*
	 * What a daemon that trusts the copy each packet carries sees: the
	 * FERRY with the state from before the FETCH's verdict.
	 */
	conncache_free(&w.cache);
	conncache_init(&w.cache, 64, 8);
	worker_packet(&w, pkt(4, 1, 5001, 0x18, "FERRY 40123\r\n"), &v[4], 4);
	tap_ok(!v[4].exp,
	       "with only the kernel's stale copy, FETCH was lost: no "
	       "expectation (conntrackd's failure)");
	teardown();
}

static void test_policy(void)
{
	setup();
	handshake();
	worker_packet(&w, pkt(2, 0, 1001, 0x18, "FETCH a\r\n"), &v[2], 2);
	kernel_apply(&v[2]);
	worker_packet(&w, pkt(3, 1, 5001, 0x18, "FERRY 80\r\n"), &v[3], 3);
	tap_ok(!v[3].exp && STAT_GET(rt.stats.refused[REFUSE_PORT]) == 1,
	       "a port below the floor is refused and counted");
	worker_packet(&w, pkt(4, 0, 1010, 0x18, "FETCH b\r\n"), &v[4], 4);
	worker_packet(&w, pkt(5, 1, 5011, 0x18, "FERRY 0\r\nFERRY x\r\n"),
		      &v[5], 5);
	tap_ok(!v[5].exp && STAT_GET(rt.stats.parse_errors) == 1,
	       "malformed FERRY lines: no expectation, one parse error");
	tap_eq_u(v[5].verdict, NF_ACCEPT, "malformed input is still accepted");
	teardown();
}

static void test_fastpath(void)
{
	struct ctalg_queue_pkt *p;

	setup();
	p = pkt(0, 0, 1, 0x10, "file data");
	p->flags |= CTALG_PKT_CT_MASTER;
	worker_packet(&w, p, &v[0], 0);
	tap_ok(v[0].verdict == NF_ACCEPT && !v[0].help_info && !v[0].exp &&
		   !v[0].flags && STAT_GET(rt.stats.fastpath) == 1,
	       "a packet of an expected connection: a plain accept, unparsed");
	p = pkt(1, 0, 1, 0x10, "");
	snprintf(p->ct.helper, sizeof(p->ct.helper), "other");
	worker_packet(&w, p, &v[1], 1);
	tap_ok(v[1].verdict == NF_ACCEPT && STAT_GET(w.stats.unknown) == 1,
	       "a packet of a helper this queue does not serve: accepted");
	p = pkt(2, 0, 1, 0x10, "");
	p->flags &= ~(uint32_t)CTALG_PKT_CT;
	worker_packet(&w, p, &v[2], 2);
	tap_ok(v[2].verdict == NF_ACCEPT && STAT_GET(w.stats.unknown) == 2,
	       "a packet without its conntrack: accepted");
	handshake();
	worker_packet(&w, pkt(3, 0, 1001, 0x10, ""), &v[3], 3);
	tap_ok(!v[3].help_info && !v[3].flags,
	       "a pure ACK needs no state: a plain accept the queue can fold");
	teardown();
}

/*
 * Lines that change nothing but the stream position get plain verdicts; a
 * daemon restarted after them, with the kernel's copy lagging, still reads
 * the next line whole.
 */
static void test_lazy_state(void)
{
	setup();
	handshake();
	worker_packet(&w, pkt(2, 0, 1001, 0x18, "NOOP\r\n"), &v[2], 2);
	worker_packet(&w, pkt(3, 1, 5001, 0x18, "200 ok\r\n"), &v[3], 3);
	tap_ok(!v[2].help_info && !v[2].flags && !v[3].help_info && !v[3].flags,
	       "lines that change no state: plain accepts the queue can fold");
	worker_packet(&w, pkt(4, 0, 1007, 0x18, "FETCH a\r\n"), &v[4], 4);
	tap_ok(v[4].help_info != NULL, "FETCH changes the helper's state");
	kernel_apply(&v[4]);
	worker_packet(&w, pkt(5, 1, 5009, 0x18, "150 here\r\n"), &v[5], 5);
	tap_ok(!v[5].help_info, "a reply line after it: plain again");

	/* ctalgd restarts: the kernel's reply position is 10 bytes behind. */
	conncache_free(&w.cache);
	conncache_init(&w.cache, 64, 8);
	worker_packet(&w, pkt(6, 1, 5019, 0x18, "FERRY 40300\r\n"), &v[6], 6);
	tap_ok(verdict_expects(&v[6], "10.0.2.2", 40300) &&
		   STAT_GET(rt.stats.stream_gaps) == 0,
	       "after a restart, the line past the kernel's lagging position "
	       "makes its expectation");
	teardown();
}

/* A helper that reads its expected connections (SSDP's kind) parses them. */
static void test_children(void)
{
	struct ctalg_helper h = *ctalg_plugin_helpers[0];
	struct ctalg_queue_pkt *p;

	setup();
	h.flags = CTALG_HELPER_F_CHILDREN;
	rt.cfg.h = &h;
	p = pkt(0, 0, 999, 0x02, "");
	p->flags |= CTALG_PKT_CT_MASTER;
	worker_packet(&w, p, &v[0], 0);
	kernel_apply(&v[0]);
	p = pkt(1, 1, 4999, 0x12, "");
	p->flags |= CTALG_PKT_CT_MASTER;
	worker_packet(&w, p, &v[1], 1);
	kernel_apply(&v[1]);
	p = pkt(2, 0, 1000, 0x18, "FETCH x\r\n");
	p->flags |= CTALG_PKT_CT_MASTER;
	worker_packet(&w, p, &v[2], 2);
	kernel_apply(&v[2]);
	p = pkt(3, 1, 5000, 0x18, "FERRY 40200\r\n");
	p->flags |= CTALG_PKT_CT_MASTER;
	worker_packet(&w, p, &v[3], 3);
	tap_ok(verdict_expects(&v[3], "10.0.2.2", 40200) &&
		   STAT_GET(rt.stats.fastpath) == 0,
	       "CTALG_HELPER_F_CHILDREN: an expected connection is parsed");
	teardown();
}

int main(void)
{
	test_pipelined();
	test_policy();
	test_fastpath();
	test_lazy_state();
	test_children();
	return tap_done();
}
