// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A worker: one thread per queue. It receives a batch of packets, runs each
 * control packet through its helper, checks what the helper asks for
 * against the policy, and sends all verdicts of the batch in one sendmsg.
 * Nothing here allocates once the worker is created.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <sys/eventfd.h>

#include <ctalg/expect.h>

#include "ctalgd.h"
#include "policy.h"

#define WORKER_BATCH 64
/* Batches handled before the stop event is looked at again. */
#define WORKER_ROUNDS 16
/* The TCP payload of a 1500-byte IPv4 packet: see worker_stream(). */
#define WORKER_SEG_MAX 1460

static struct running_type *worker_type(struct worker *w,
					const struct ctalg_queue_pkt *pkt)
{
	unsigned int i;

	for (i = 0; i < w->n_types; i++) {
		struct running_type *t = w->types[i];

		if (t->cfg.family == pkt->ct.orig.family &&
		    t->cfg.l4proto == pkt->ct.orig.l4proto &&
		    !strcmp(t->cfg.kname, pkt->ct.helper))
			return t;
	}
	return NULL;
}

static const char *addr_str(uint8_t family, const union ctalg_addr *a,
			    char *buf, size_t size)
{
	if (!inet_ntop(family, a->b, buf, (socklen_t)size))
		snprintf(buf, size, "?");
	return buf;
}

/* The mask of a source prefix: @bits leading ones over the address. */
static void prefix_mask(union ctalg_addr *m, unsigned int bits)
{
	unsigned int i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < bits / 8; i++)
		m->b[i] = 0xff;
	if (bits % 8)
		m->b[bits / 8] = (uint8_t)(0xff << (8 - bits % 8));
}

/* The expectation the kernel gets for request @e. */
static void exp_from_req(struct ctalg_expect *x, const struct ctalg_conn *conn,
			 const struct ctalg_exp_req *e, const char *kname)
{
	memset(x, 0, sizeof(*x));
	x->family = conn->family;
	x->set = CTALG_EXP_TUPLE | CTALG_EXP_MASK | CTALG_EXP_CLASS;
	x->tuple.family = conn->family;
	x->tuple.set = CTALG_TUPLE_SRC | CTALG_TUPLE_DST | CTALG_TUPLE_PROTO |
		       CTALG_TUPLE_SPORT | CTALG_TUPLE_DPORT;
	x->tuple.l4proto = e->l4proto;
	x->tuple.src = e->src;
	x->tuple.dst = e->dst;
	x->tuple.sport = e->any_sport ? 0 : e->sport;
	x->tuple.dport = e->dport;
	x->mask = x->tuple;
	prefix_mask(&x->mask.src, e->src_prefix);
	memset(x->mask.dst.b, 0xff, ctalg_addr_len(conn->family));
	x->mask.sport = e->any_sport ? 0 : 0xffff;
	x->mask.dport = 0xffff;
	x->class_nr = e->cls;
	if (e->flags & CTALG_EXP_F_PERMANENT) {
		x->flags = CTALG_EXP_FLAG_PERMANENT;
		x->set |= CTALG_EXP_FLAGS;
	}
	if (e->flags & CTALG_EXP_F_HELPER) {
		snprintf(x->helper, sizeof(x->helper), "%s", kname);
		x->set |= CTALG_EXP_HELPER;
	}
}

/* The CTA_EXPECT_* attributes of @x into a verdict's exp buffer. */
static uint32_t exp_attrs(struct worker *w, unsigned int i,
			  const struct ctalg_expect *x)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(w->exp_buf[i]);

	if (ctalg_exp_put(nlh, sizeof(w->exp_buf[i]), x) < 0)
		return 0;
	return nlh->nlmsg_len - MNL_NLMSG_HDRLEN;
}

/*
 * A packet asked for more than one expectation: the verdict carries one,
 * the others go through ctnetlink, which needs the master confirmed and
 * reports errors (the verdict path reports none).
 */
static int exp_create_extra(struct worker *w, const struct ctalg_conn *conn,
			    struct ctalg_expect *x)
{
	char buf[CTALG_NL_MSG_SIZE];
	struct nlmsghdr *nlh;

	if (!w->exp_nl) {
		w->exp_nl = ctalg_nl_open();
		if (!w->exp_nl)
			return -1;
	}
	x->master = conn->tuple[CTALG_DIR_ORIGINAL];
	x->set |= CTALG_EXP_MASTER;
	if (conn->zone) {
		x->zone = conn->zone;
		x->set |= CTALG_EXP_ZONE;
	}
	nlh = ctalg_exp_build_new(buf, sizeof(buf), x);
	if (!nlh)
		return -1;
	return ctalg_nl_request(w->exp_nl, nlh, NULL, NULL);
}

static void refuse(struct running_type *t, const struct ctalg_parse *p,
		   const struct ctalg_exp_req *e, enum refusal why)
{
	const struct ctalg_tuple *snd = ctalg_parse_sender(p);
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], c[INET6_ADDRSTRLEN];
	uint8_t fam = p->conn->family;

	STAT_INC(t->stats.exp_refused);
	STAT_INC(t->stats.refused[why]);
	log_limited(&t->log_refuse, LOG_WARNING,
		    "%s: refused an expectation (%s) to %s port %u, asked by "
		    "%s port %u talking to %s port %u",
		    t->cfg.kname, refusal_name(why),
		    addr_str(fam, &e->dst, a, sizeof(a)), e->dport,
		    addr_str(fam, &snd->src, b, sizeof(b)), snd->sport,
		    addr_str(fam, &snd->dst, c, sizeof(c)), snd->dport);
}

/* Check the requests of @p and put the first one allowed into @v. */
static void worker_expect(struct worker *w, struct running_type *t,
			  struct ctalg_parse *p, struct ctalg_queue_verdict *v,
			  unsigned int i)
{
	unsigned int k, allowed[CTALG_HELPER_CLASSES_MAX] = { 0 };
	struct ctalg_expect x;

	for (k = 0; k < p->n_exp; k++) {
		const struct ctalg_exp_req *e = &p->exp[k];
		enum refusal why;

		why = policy_check(
		    &t->cfg, p, e,
		    e->cls < CTALG_HELPER_CLASSES_MAX ? allowed[e->cls] : 0);
		if (why != REFUSE_NONE) {
			refuse(t, p, e, why);
			continue;
		}
		allowed[e->cls]++;
		exp_from_req(&x, p->conn, e, t->cfg.kname);
		if (!v->exp) {
			v->exp_len = exp_attrs(w, i, &x);
			if (v->exp_len) {
				v->exp = w->exp_buf[i] + MNL_NLMSG_HDRLEN;
				STAT_INC(t->stats.exp_sent);
			}
		} else if (exp_create_extra(w, p->conn, &x) == 0) {
			STAT_INC(t->stats.exp_sent);
		} else {
			refuse(t, p, e, REFUSE_KERNEL);
		}
	}
}

static void log_parse_error(struct running_type *t, const struct ctalg_parse *p)
{
	const struct ctalg_tuple *snd = ctalg_parse_sender(p);
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	uint8_t fam = p->conn->family;

	STAT_ADD(t->stats.parse_errors, p->n_errors ? p->n_errors : 1);
	log_limited(&t->log_parse, LOG_NOTICE,
		    "%s: malformed input from %s port %u to %s port %u: %s",
		    t->cfg.kname, addr_str(fam, &snd->src, a, sizeof(a)),
		    snd->sport, addr_str(fam, &snd->dst, b, sizeof(b)),
		    snd->dport, p->error ? p->error : "(no reason given)");
}

/* The cache entry of the packet's connection, made from the kernel's copy. */
static struct conn *worker_conn(struct worker *w, const struct running_type *t,
				const struct ctalg_queue_pkt *pkt)
{
	uint32_t fp = conncache_fp(&pkt->ct.orig, pkt->ct.zone);
	struct conn *c = conncache_find(&w->cache, pkt->ct.id, fp);
	uint32_t n;

	if (c)
		return c;
	c = conncache_add(&w->cache, pkt->ct.id, fp);
	c->priv_len = (uint8_t)t->priv_len;
	n = pkt->ct.help_info_len < t->priv_len ? pkt->ct.help_info_len
						: t->priv_len;
	if (pkt->ct.help_info && n)
		memcpy(c->priv, pkt->ct.help_info, n);
	if (t->cfg.l4proto == IPPROTO_TCP)
		stream_load(c);
	return c;
}

/*
 * A TCP packet's payload through the stream, in pieces of at most
 * WORKER_SEG_MAX bytes: a GSO packet (the queue takes them whole) is read
 * as the segments it stands for, so that the requests of each piece are
 * checked and made, and CTALG_EXP_PER_PACKET bounds a segment, not a
 * 64 KiB burst. Returns the requests seen.
 */
static unsigned int worker_stream(struct worker *w, struct running_type *t,
				  struct conn *c,
				  const struct ctalg_queue_pkt *pkt,
				  const struct ctalg_cursor *data,
				  struct ctalg_parse *p,
				  struct ctalg_queue_verdict *v, unsigned int i)
{
	const uint8_t *d = ctalg_cursor_ptr(data);
	uint32_t left = (uint32_t)ctalg_cursor_left(data);
	struct stream_seg seg = {
		.dir = p->dir,
		.seq = pkt->ip.seq,
		.syn = pkt->ip.tcp_flags & 0x02,
	};
	enum ctalg_parse_result res;
	enum stream_result sr;
	unsigned int exps = 0;

	do {
		struct stream_stats st = { 0 };

		seg.data = d;
		/* A SYN's data is not read: all of it in one go. */
		seg.len = seg.syn || left <= WORKER_SEG_MAX ? left
							    : WORKER_SEG_MAX;
		res = CTALG_PARSE_OK;
		sr = stream_run(t->cfg.h, &w->cache, c, &seg, p, w->scratch,
				&res, &st);
		STAT_ADD(t->stats.retransmitted, st.retransmitted);
		STAT_ADD(t->stats.stream_gaps, st.gaps);
		STAT_ADD(t->stats.overlong, st.overlong);
		STAT_ADD(t->stats.carry_lost, st.carry_lost);
		if (sr == STREAM_PARSED)
			STAT_INC(t->stats.parsed);
		if (res == CTALG_PARSE_ERROR)
			log_parse_error(t, p);
		if (p->n_exp) {
			exps += p->n_exp;
			worker_expect(w, t, p, v, i);
		}
		p->n_exp = 0;
		p->n_errors = 0;
		p->error = NULL;
		d += seg.len;
		seg.seq += seg.len;
		left -= seg.len;
		seg.syn = false;
	} while (left);
	return exps;
}

void worker_packet(struct worker *w, const struct ctalg_queue_pkt *pkt,
		   struct ctalg_queue_verdict *v, unsigned int i)
{
	struct ctalg_conn conn;
	struct ctalg_parse p;
	struct running_type *t;
	enum ctalg_parse_result res;
	uint8_t before[CONN_PRIV_MAX];
	unsigned int exps;
	bool changed;
	struct ctalg_cursor data;
	struct conn *c;

	memset(v, 0, sizeof(*v));
	v->id = pkt->id;
	v->verdict = NF_ACCEPT;

	if (!(pkt->flags & CTALG_PKT_CT) || (pkt->bad & CTALG_PKT_BAD_CT) ||
	    !(pkt->flags & CTALG_PKT_CT_INFO)) {
		STAT_INC(w->stats.unknown);
		return;
	}
	t = worker_type(w, pkt);
	if (!t) {
		STAT_INC(w->stats.unknown);
		return;
	}
	STAT_INC(t->stats.packets);
	STAT_ADD(t->stats.bytes, pkt->cap_len);

	/*
	 * Packets of a connection made from an expectation: on kernels where
	 * it inherits the master's helper (6.1), they are queued too. Unless
	 * the helper reads them (SSDP), nothing in them is for it: accept them
	 * unparsed, and in a batch.
	 */
	if ((pkt->flags & CTALG_PKT_CT_MASTER) &&
	    !(t->cfg.h->flags & CTALG_HELPER_F_CHILDREN)) {
		STAT_INC(t->stats.fastpath);
		return;
	}
	if (pkt->bad & (CTALG_PKT_BAD_IP | CTALG_PKT_BAD_ATTR)) {
		STAT_INC(t->stats.malformed);
		return;
	}
	/* ICMP errors of the connection, later fragments: nothing to read. */
	if (!(pkt->ip.flags & CTALG_IP_L4) || pkt->ip.l4proto != t->cfg.l4proto)
		return;

	memset(&conn, 0, sizeof(conn));
	conn.family = t->cfg.family;
	conn.l4proto = t->cfg.l4proto;
	conn.zone = pkt->ct.zone;
	conn.status = pkt->ct.status;
	conn.tuple[CTALG_DIR_ORIGINAL] = pkt->ct.orig;
	conn.tuple[CTALG_DIR_REPLY] = pkt->ct.reply;
	memset(&p, 0, sizeof(p));
	p.conn = &conn;
	p.dir = pkt->ctinfo >= IP_CT_IS_REPLY ? CTALG_DIR_REPLY
					      : CTALG_DIR_ORIGINAL;
	p.ctinfo = (uint8_t)pkt->ctinfo;
	data = ctalg_queue_pkt_data(pkt);
	c = worker_conn(w, t, pkt);
	memcpy(before, c->priv, c->priv_len);

	if (t->cfg.l4proto == IPPROTO_TCP) {
		exps = worker_stream(w, t, c, pkt, &data, &p, v, i);
		/* Not for the positions alone: see stream.h. */
		changed = stream_stale(c, before);
	} else {
		if (!ctalg_cursor_left(&data))
			return;
		p.priv = c->priv;
		res = t->cfg.h->parse(&data, &p);
		STAT_INC(t->stats.parsed);
		changed = memcmp(before, c->priv, c->priv_len) != 0;
		if (res == CTALG_PARSE_ERROR)
			log_parse_error(t, &p);
		exps = p.n_exp;
		if (p.n_exp)
			worker_expect(w, t, &p, v, i);
	}
	if (!changed && !exps)
		return;
	if (t->cfg.l4proto == IPPROTO_TCP)
		stream_synced(c);

	/*
	 * The state goes back to the kernel with the verdict: only CTA_HELP,
	 * never the status or anything else echoed. NFQA_EXP is only applied
	 * when NFQA_CT is there, so a helper without state sends an empty one.
	 */
	if (c->priv_len) {
		v->helper = pkt->ct.helper;
		v->help_info = c->priv;
		v->help_info_len = c->priv_len;
	} else {
		v->flags |= CTALG_VERDICT_CT;
	}
}

/* One batch: returns the packets received. */
static int worker_batch(struct worker *w)
{
	unsigned int i;
	int n, err;

	n = ctalg_queue_recv(w->q, w->pkts, w->batch);
	if (n < 0) {
		err = errno;
		if (err == EAGAIN || err == EINTR)
			return 0;
		STAT_INC(w->stats.recv_errors);
		log_limited(&w->log_queue, LOG_ERR, "queue %u: receive: %s",
			    w->queue_num, strerror(err));
		if (err == ENOSPC)
			ctalg_queue_accept_all(w->q);
		return 0;
	}
	if (n == 0)
		return 0;
	STAT_INC(w->stats.batches);
	for (i = 0; i < (unsigned int)n; i++)
		worker_packet(w, &w->pkts[i], &w->verdicts[i], i);
	if (ctalg_queue_send(w->q, w->verdicts, (unsigned int)n) < 0) {
		log_limited(&w->log_queue, LOG_ERR,
			    "queue %u: sending %d verdicts: %s; accepting them",
			    w->queue_num, n, strerror(errno));
		ctalg_queue_accept_all(w->q);
	}
	return n;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pollfd pfd[2] = {
		{ .fd = ctalg_queue_fd(w->q), .events = POLLIN },
		{ .fd = w->stop_fd, .events = POLLIN },
	};
	unsigned int round;

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_err("queue %u: poll: %s", w->queue_num,
				strerror(errno));
			break;
		}
		if (pfd[1].revents)
			break;
		/*
		 * Drain, but look at the stop event now and then. A batch
		 * short of full emptied the socket: poll() says when there
		 * is more, at the cost of the receive that would find none.
		 */
		for (round = 0; round < WORKER_ROUNDS; round++) {
			if (worker_batch(w) < (int)w->batch)
				break;
		}
	}
	ctalg_queue_accept_all(w->q);
	return NULL;
}

/* The Types of @d on queue @num, and the queue settings they ask for. */
static void worker_types(struct worker *w, struct daemon *d,
			 struct ctalg_queue_config *qc)
{
	unsigned int i;

	ctalg_queue_config_init(qc, w->queue_num);
	/*
	 * GSO packets whole: a segmentation offload burst is one message and
	 * one verdict, not one per segment. That is what the fast path of an
	 * expected connection needs (on 6.1 every data packet is queued, and
	 * the kernel would otherwise cut each burst into segments first);
	 * helpers read the payload as a stream, for which a burst is one
	 * segment, and nothing here checks or rewrites checksums, which such
	 * a packet may leave unfinished.
	 */
	qc->flags = CTALG_QUEUE_F_CONNTRACK | CTALG_QUEUE_F_GSO;
	qc->batch = w->batch;
	qc->maxlen = 4096;
	qc->rcvbuf = 8 << 20;
	w->n_types = 0;
	for (i = 0; i < d->n_types; i++) {
		struct running_type *t = &d->types[i];

		if (t->cfg.queue_num != w->queue_num)
			continue;
		w->types[w->n_types++] = t;
		if (t->cfg.queue_len)
			qc->maxlen = t->cfg.queue_len;
		if (t->cfg.queue_buf)
			qc->rcvbuf = (int)t->cfg.queue_buf;
		if (t->cfg.fail_open)
			qc->flags |= CTALG_QUEUE_F_FAIL_OPEN;
	}
}

bool worker_retype(struct worker *w, struct daemon *d)
{
	struct ctalg_queue_config qc;

	worker_types(w, d, &qc);
	return qc.maxlen == w->qc.maxlen && qc.rcvbuf == w->qc.rcvbuf &&
	       qc.flags == w->qc.flags;
}

struct worker *worker_create(struct daemon *d, uint16_t queue_num, char *err,
			     size_t errsize)
{
	struct worker *w;
	uint32_t ncarry;

	w = calloc(1, sizeof(*w));
	if (!w) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	w->queue_num = queue_num;
	w->stop_fd = -1;
	w->batch = WORKER_BATCH;
	w->log_queue = (struct log_limit)LOG_LIMIT_INIT;
	worker_types(w, d, &w->qc);
	ncarry = d->cfg.conn_cache / 16 < 64 ? 64 : d->cfg.conn_cache / 16;
	w->pkts = calloc(w->batch, sizeof(*w->pkts));
	w->verdicts = calloc(w->batch, sizeof(*w->verdicts));
	w->exp_buf = calloc(w->batch, sizeof(*w->exp_buf));
	w->scratch = malloc(STREAM_SCRATCH_SIZE);
	if (!w->pkts || !w->verdicts || !w->exp_buf || !w->scratch ||
	    conncache_init(&w->cache, d->cfg.conn_cache, ncarry) < 0) {
		snprintf(err, errsize, "out of memory");
		goto fail;
	}
	w->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (w->stop_fd < 0) {
		snprintf(err, errsize, "eventfd: %s", strerror(errno));
		goto fail;
	}
	w->q = ctalg_queue_open(&w->qc, err, errsize);
	if (!w->q)
		goto fail;
	/* poll() says when to read; a read never waits. */
	fcntl(ctalg_queue_fd(w->q), F_SETFL,
	      fcntl(ctalg_queue_fd(w->q), F_GETFL) | O_NONBLOCK);
	return w;

fail:
	worker_destroy(w);
	return NULL;
}

int worker_start(struct worker *w)
{
	int err = pthread_create(&w->thread, NULL, worker_main, w);

	if (err) {
		errno = err;
		return -1;
	}
	w->running = true;
	return 0;
}

void worker_stop(struct worker *w)
{
	uint64_t one = 1;

	if (!w->running)
		return;
	if (write(w->stop_fd, &one, sizeof(one)) != sizeof(one))
		log_err("queue %u: cannot signal the worker: %s", w->queue_num,
			strerror(errno));
	pthread_join(w->thread, NULL);
	w->running = false;
	/* Clear the event, so that a restarted thread runs. */
	if (read(w->stop_fd, &one, sizeof(one)) != sizeof(one))
		log_err("queue %u: cannot clear the stop event: %s",
			w->queue_num, strerror(errno));
}

void worker_destroy(struct worker *w)
{
	if (!w)
		return;
	worker_stop(w);
	ctalg_queue_close(w->q);
	ctalg_nl_close(w->exp_nl);
	if (w->stop_fd >= 0)
		close(w->stop_fd);
	conncache_free(&w->cache);
	free(w->pkts);
	free(w->verdicts);
	free(w->exp_buf);
	free(w->scratch);
	free(w);
}
