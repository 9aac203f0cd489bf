// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The user-space part of ctalgd's packet path, without a kernel: queue
 * messages shaped as nfnetlink_queue writes them for a router's FTP control
 * connection (one "NOOP\r\n" a segment, every fourth one a pure ACK), each
 * decoded (ctalg_queue_pkt_parse), run through the worker (worker_packet:
 * the connection cache, the stream, the ftp helper) and given its verdict
 * message (queue_verdict_build), as ctalgd does between its receive and its
 * send. It reports the time per packet; run under callgrind, the
 * instructions per packet and where they go (bench/README, "Profiling").
 *
 *   path [PACKETS [CONNECTIONS]]    default 1000000 packets, 1 connection
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>

#include "builtin.h"
#include "ctalgd.h"
#include "queue_internal.h"
#include "stream.h"

#define PATH_PAYLOAD "NOOP\r\n"
#define PATH_MSG_MAX 512

static void put_tuple(struct nlmsghdr *nlh, uint16_t type, uint32_t src,
		      uint32_t dst, uint16_t sport, uint16_t dport)
{
	struct nlattr *t = mnl_attr_nest_start(nlh, type), *n;

	n = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
	mnl_attr_put_u32(nlh, CTA_IP_V4_SRC, src);
	mnl_attr_put_u32(nlh, CTA_IP_V4_DST, dst);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
	mnl_attr_put_u8(nlh, CTA_PROTO_NUM, IPPROTO_TCP);
	mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT, htons(sport));
	mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, htons(dport));
	mnl_attr_nest_end(nlh, n);
	mnl_attr_nest_end(nlh, t);
}

/*
 * The message the kernel queues for a packet of connection @conn, in the
 * order nfqnl_build_packet_message() and ctnetlink_glue_build() write it,
 * with the kernel's copy of the state @state. Returns the TCP header's
 * offset in @buf, for the sequence number.
 */
static size_t build_msg(uint8_t *buf, uint32_t conn, bool ack,
			const uint8_t *state, size_t state_len)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;
	struct nfqnl_msg_packet_hdr ph = { .packet_id = htonl(conn + 1),
					   .hw_protocol = htons(0x0800),
					   .hook = NF_INET_POST_ROUTING };
	struct nfqnl_msg_packet_hw hw = { .hw_addrlen = htons(6) };
	struct nlattr *ct, *n, *m;
	uint8_t pkt[20 + 32 + sizeof(PATH_PAYLOAD) - 1] = { 0 };
	uint32_t client = htonl(0x0a000102), server = htonl(0x0a000202);
	uint16_t sport = (uint16_t)(40000 + conn);
	size_t plen = ack ? 52 : sizeof(pkt), at;

	nlh->nlmsg_type = NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_PACKET;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_INET;
	nfg->version = NFNETLINK_V0;
	mnl_attr_put(nlh, NFQA_PACKET_HDR, sizeof(ph), &ph);
	mnl_attr_put_u32(nlh, NFQA_IFINDEX_INDEV, htonl(2));
	mnl_attr_put_u32(nlh, NFQA_IFINDEX_OUTDEV, htonl(3));
	mnl_attr_put(nlh, NFQA_HWADDR, sizeof(hw), &hw);
	ct = mnl_attr_nest_start(nlh, NFQA_CT);
	put_tuple(nlh, CTA_TUPLE_ORIG, client, server, sport, 21);
	put_tuple(nlh, CTA_TUPLE_REPLY, server, client, 21, sport);
	mnl_attr_put_u32(nlh, CTA_STATUS,
			 htonl(IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_ASSURED |
			       IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE));
	mnl_attr_put_u32(nlh, CTA_TIMEOUT, htonl(431999));
	n = mnl_attr_nest_start(nlh, CTA_PROTOINFO);
	m = mnl_attr_nest_start(nlh, CTA_PROTOINFO_TCP);
	mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_STATE, TCP_CONNTRACK_ESTABLISHED);
	mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, 7);
	mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_WSCALE_REPLY, 7);
	mnl_attr_put(nlh, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, 2,
		     (uint8_t[]){ 0x27, 0 });
	mnl_attr_put(nlh, CTA_PROTOINFO_TCP_FLAGS_REPLY, 2,
		     (uint8_t[]){ 0x27, 0 });
	mnl_attr_nest_end(nlh, m);
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, CTA_HELP);
	mnl_attr_put_strz(nlh, CTA_HELP_NAME, "ftp");
	mnl_attr_put(nlh, CTA_HELP_INFO, state_len, state);
	mnl_attr_nest_end(nlh, n);
	mnl_attr_put_u32(nlh, CTA_ID, htonl(0x1000 + conn));
	mnl_attr_put_u32(nlh, CTA_USE, htonl(1));
	mnl_attr_nest_end(nlh, ct);
	mnl_attr_put_u32(nlh, NFQA_CT_INFO, htonl(IP_CT_ESTABLISHED));
	/* IPv4 and TCP with timestamps, as Linux sends them. */
	pkt[0] = 0x45;
	pkt[2] = (uint8_t)(plen >> 8);
	pkt[3] = (uint8_t)plen;
	pkt[8] = 63;
	pkt[9] = IPPROTO_TCP;
	memcpy(pkt + 12, &client, 4);
	memcpy(pkt + 16, &server, 4);
	pkt[20] = (uint8_t)(sport >> 8);
	pkt[21] = (uint8_t)sport;
	pkt[23] = 21;
	pkt[32] = 0x80; /* data offset: 32 bytes */
	pkt[33] = ack ? 0x10 : 0x18;
	pkt[40] = 1;
	pkt[41] = 1;
	pkt[42] = 8;
	pkt[43] = 10;
	memcpy(pkt + 52, PATH_PAYLOAD, sizeof(PATH_PAYLOAD) - 1);
	at = nlh->nlmsg_len + sizeof(struct nlattr) + 20;
	mnl_attr_put(nlh, NFQA_PAYLOAD, plen, pkt);
	return at;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* A decimal argument from 1 to @max into *@v; says what was wrong. */
static bool arg_num(const char *s, unsigned long max, unsigned long *v,
		    const char *what)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || *v < 1 || *v > max) {
		fprintf(stderr,
			"path: %s: \"%s\" is not a number from 1 to %lu\n",
			what, s, max);
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	unsigned long npkts = 1000000, nconns = 1;
	static uint8_t out[4096];
	uint8_t state[STREAM_STATE_SIZE + 1] = { 0 }, (*msg)[2][PATH_MSG_MAX];
	size_t tcp[2];
	uint32_t *seq;
	static struct worker w;
	static struct running_type rt;
	struct ctalg_queue_pkt pkt;
	struct ctalg_queue_verdict v;
	struct timespec t0, t1;
	unsigned long i, plain = 0, bytes = 0;
	double ns;

	if (argc > 3 ||
	    (argc > 1 && !arg_num(argv[1], 1000000000, &npkts, "PACKETS")) ||
	    (argc > 2 && !arg_num(argv[2], 65536, &nconns, "CONNECTIONS"))) {
		fprintf(stderr, "usage: path [PACKETS [CONNECTIONS]]\n");
		return 2;
	}
	rt.cfg.h = &ctalg_helper_ftp;
	snprintf(rt.cfg.kname, sizeof(rt.cfg.kname), "ftp");
	rt.cfg.family = AF_INET;
	rt.cfg.l4proto = IPPROTO_TCP;
	rt.cfg.n_classes = 1;
	rt.cfg.classes[0].max_expected = 1;
	rt.cfg.classes[0].timeout = 300;
	rt.cfg.port_floor = 1024;
	rt.priv_len = sizeof(state);
	rt.log_parse = (struct log_limit)LOG_LIMIT_INIT;
	rt.log_refuse = (struct log_limit)LOG_LIMIT_INIT;
	w.types[0] = &rt;
	w.n_types = 1;
	w.batch = 1;
	w.scratch = malloc(STREAM_SCRATCH_SIZE);
	w.exp_buf = calloc(1, sizeof(*w.exp_buf));
	seq = calloc(nconns, sizeof(*seq));
	msg = calloc(nconns, sizeof(*msg));
	if (!w.scratch || !w.exp_buf || !seq || !msg ||
	    conncache_init(&w.cache, 65536, 4096) < 0) {
		fprintf(stderr, "path: out of memory\n");
		return 1;
	}
	/* The kernel's copy: the stream known from the SYN at 1000. */
	state[0] = 0xe9;
	state[1] = 0x03;
	state[8] = 1;
	for (i = 0; i < nconns; i++) {
		seq[i] = 1001;
		tcp[0] = build_msg(msg[i][0], (uint32_t)i, false, state,
				   sizeof(state));
		tcp[1] = build_msg(msg[i][1], (uint32_t)i, true, state,
				   sizeof(state));
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < npkts; i++) {
		unsigned int c = (unsigned int)(i % nconns);
		bool ack = i % 4 == 3;
		uint8_t *m = msg[c][ack];

		put_be32(m + tcp[ack] + 4, seq[c]);
		if (!ack)
			seq[c] += sizeof(PATH_PAYLOAD) - 1;
		if (ctalg_queue_pkt_parse(m, ((struct nlmsghdr *)m)->nlmsg_len,
					  &pkt) < 0) {
			fprintf(stderr, "path: packet %lu does not parse\n", i);
			return 1;
		}
		worker_packet(&w, &pkt, &v, 0);
		plain += queue_verdict_plain(&v);
		/* As the queue's sender: the buffer the size of the message. */
		bytes += queue_verdict_build(out, queue_verdict_head_size(&v),
					     0, &v, false);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 +
	     (double)(t1.tv_nsec - t0.tv_nsec);
	printf("path: %lu packets over %lu connection(s): %.0f ns a packet, "
	       "%lu plain verdicts, %lu parsed, %lu bytes of verdicts\n",
	       npkts, nconns, ns / (double)npkts, plain,
	       (unsigned long)STAT_GET(rt.stats.parsed), bytes);
	conncache_free(&w.cache);
	free(w.scratch);
	free(w.exp_buf);
	free(seq);
	free(msg);
	return 0;
}
