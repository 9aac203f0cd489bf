// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The packet queue handle: bind, batched receive, batched verdicts.
 *
 * No packet is ever left without a verdict. Every packet handed to the
 * caller is tracked until its verdict is sent; a message the library cannot
 * hand over (cut by the receive buffer) is accepted by the library. The
 * tracking is also what makes verdict batching safe: the kernel's batch
 * verdict releases every queued id up to the one it names, so plain accepts
 * are folded into one only up to the first packet still waiting.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include "queue_internal.h"

/* Retries of the bind after the kernel loaded the conntrack glue module. */
#define QUEUE_EAGAIN_RETRIES 3
/*
 * Room for every attribute of a packet message besides the payload:
 * header, interfaces, mark, priority, hardware address, layer-2 header,
 * timestamp, uid/gid, security context, and the conntrack with its tuples,
 * counters, helper, labels and sequence adjustments come to about 1 KiB.
 */
#define QUEUE_ATTR_ROOM	  8192
#define QUEUE_BUFSIZE_MIN 256
/* The largest verdict message without its payload bytes. */
#define QUEUE_VERDICT_HEAD_MAX (256 + CTALG_QUEUE_EXP_MAX)

enum slot_state {
	SLOT_WAIT = 1, /* the caller owes a verdict */
	SLOT_MARK,     /* the caller's verdict is in the send being built */
	SLOT_AUTO,     /* the library owes an ACCEPT (message cut) */
	SLOT_DONE,     /* sent; freed when it reaches the head */
};

struct queue_slot {
	uint32_t id;
	uint8_t state;
};

/* What one send has built and not yet sent: one datagram. */
struct queue_tx {
	uint8_t *buf; /* verdict messages, without payload bytes */
	size_t size;
	size_t used;
	size_t chunk; /* start of the bytes not yet in an iovec */
	size_t total; /* datagram length so far */
	struct iovec *iov;
	unsigned int niov;
	unsigned int iov_max;
	unsigned int msgs;    /* verdict messages in it */
	unsigned int batches; /* of which batch verdicts */
};

struct ctalg_queue {
	struct ctalg_nl *nl;
	int fd;
	uint16_t num;
	unsigned int batch;
	uint32_t bufsize;

	/* Receive: batch buffers of bufsize bytes, for one recvmmsg. */
	uint8_t *rx;
	struct mmsghdr *mmsg;
	struct iovec *rx_iov;
	struct sockaddr_nl *rx_addr;

	/* Packets received and not yet given a verdict, in id order. */
	struct queue_slot *ring;
	unsigned int ring_cap;
	unsigned int ring_head;
	unsigned int ring_count;
	unsigned int ring_hint;
	unsigned int waiting; /* SLOT_WAIT entries */
	unsigned int autos;   /* SLOT_AUTO entries */

	struct queue_tx tx;
	size_t send_max; /* largest datagram the socket sends */

	struct ctalg_queue_stats st;
};

static const uint8_t queue_pad[MNL_ALIGNTO];

EXPORT void ctalg_queue_config_init(struct ctalg_queue_config *cfg, uint16_t num)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->num = num;
	cfg->maxlen = 1024;
	cfg->batch = 32;
}

EXPORT int ctalg_queue_fd(const struct ctalg_queue *q)
{
	return q->fd;
}

EXPORT unsigned int ctalg_queue_pending(const struct ctalg_queue *q)
{
	return q->waiting;
}

EXPORT void ctalg_queue_stats(const struct ctalg_queue *q,
			      struct ctalg_queue_stats *st)
{
	*st = q->st;
}

/* ---- tracking ---- */

static struct queue_slot *ring_at(struct ctalg_queue *q, unsigned int pos)
{
	return &q->ring[(q->ring_head + pos) % q->ring_cap];
}

static void ring_push(struct ctalg_queue *q, uint32_t id, uint8_t state)
{
	struct queue_slot *s = ring_at(q, q->ring_count++);

	s->id = id;
	s->state = state;
	if (state == SLOT_WAIT)
		q->waiting++;
	else
		q->autos++;
}

/*
 * The position of @id among the tracked packets, or -1. Verdicts usually
 * come in the order the packets came, so the search starts after the last
 * hit and a batch costs one pass.
 */
static long ring_find(struct ctalg_queue *q, uint32_t id)
{
	unsigned int i, pos;

	for (i = 0; i < q->ring_count; i++) {
		pos = (q->ring_hint + i) % q->ring_count;
		if (ring_at(q, pos)->id == id) {
			q->ring_hint = pos + 1;
			return (long)pos;
		}
	}
	return -1;
}

/* Free the sent entries at the head. */
static void ring_trim(struct ctalg_queue *q)
{
	while (q->ring_count && ring_at(q, 0)->state == SLOT_DONE) {
		q->ring_head = (q->ring_head + 1) % q->ring_cap;
		q->ring_count--;
		q->ring_hint = q->ring_hint ? q->ring_hint - 1 : 0;
	}
}

/* ---- sending ---- */

static int tx_flush(struct ctalg_queue *q)
{
	struct queue_tx *tx = &q->tx;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct msghdr msg = {
		.msg_name = &kernel,
		.msg_namelen = sizeof(kernel),
		.msg_iov = tx->iov,
	};
	ssize_t n;

	if (tx->used > tx->chunk) {
		tx->iov[tx->niov].iov_base = tx->buf + tx->chunk;
		tx->iov[tx->niov].iov_len = tx->used - tx->chunk;
		tx->niov++;
	}
	if (!tx->niov)
		return 0;
	msg.msg_iovlen = tx->niov;
	do {
		n = sendmsg(q->fd, &msg, 0);
	} while (n < 0 && errno == EINTR);
	tx->used = tx->chunk = tx->total = 0;
	tx->niov = 0;
	if (n < 0) {
		tx->msgs = tx->batches = 0;
		return -1;
	}
	q->st.send_calls++;
	q->st.verdict_msgs += tx->msgs;
	q->st.verdict_batches += tx->batches;
	tx->msgs = tx->batches = 0;
	return 0;
}

/*
 * Make room for a message of @head bytes in our buffer and @payload bytes
 * from the caller's memory, sending what is built if it would not fit in
 * the buffer, the iovecs or one datagram.
 */
static int tx_room(struct ctalg_queue *q, size_t head, size_t payload)
{
	struct queue_tx *tx = &q->tx;

	if (tx->used + head <= tx->size && tx->niov + 3 <= tx->iov_max &&
	    (tx->total == 0 || tx->total + head + payload <= q->send_max))
		return 0;
	return tx_flush(q);
}

static int tx_verdict(struct ctalg_queue *q, const struct ctalg_queue_verdict *v)
{
	struct queue_tx *tx = &q->tx;
	size_t head = queue_verdict_head_size(v);
	size_t payload = v->payload ? MNL_ALIGN(v->payload_len) : 0;

	if (tx_room(q, head, payload) < 0)
		return -1;
	queue_verdict_build(tx->buf + tx->used, head, q->num, v, false);
	tx->used += head;
	tx->total += head + payload;
	if (v->payload) {
		/* Our bytes so far, then the caller's, then the padding. */
		tx->iov[tx->niov].iov_base = tx->buf + tx->chunk;
		tx->iov[tx->niov].iov_len = tx->used - tx->chunk;
		tx->niov++;
		tx->iov[tx->niov].iov_base = (void *)v->payload;
		tx->iov[tx->niov].iov_len = v->payload_len;
		tx->niov++;
		if (payload > v->payload_len) {
			tx->iov[tx->niov].iov_base = (void *)queue_pad;
			tx->iov[tx->niov].iov_len = payload - v->payload_len;
			tx->niov++;
		}
		tx->chunk = tx->used;
	}
	tx->msgs++;
	return 0;
}

static int tx_accept(struct ctalg_queue *q, uint32_t id)
{
	struct ctalg_queue_verdict v = { .id = id, .verdict = NF_ACCEPT };

	return tx_verdict(q, &v);
}

static int tx_batch(struct ctalg_queue *q, uint32_t id)
{
	struct queue_tx *tx = &q->tx;
	size_t len;

	if (tx_room(q, QUEUE_BATCH_LEN, 0) < 0)
		return -1;
	len = queue_batch_build(tx->buf + tx->used, QUEUE_BATCH_LEN, q->num,
				NF_ACCEPT, id);
	tx->used += len;
	tx->total += len;
	tx->msgs++;
	tx->batches++;
	return 0;
}

/* After a failed send: the marked packets are still owed. */
static void send_unmark(struct ctalg_queue *q)
{
	unsigned int i;

	for (i = 0; i < q->ring_count; i++) {
		struct queue_slot *s = ring_at(q, i);

		if (s->state == SLOT_MARK) {
			s->state = SLOT_WAIT;
			q->waiting++;
		}
	}
}

/* After a send: every marked and library-owed packet is done. */
static void send_done(struct ctalg_queue *q)
{
	unsigned int i;

	for (i = 0; i < q->ring_count; i++) {
		struct queue_slot *s = ring_at(q, i);

		if (s->state == SLOT_MARK || s->state == SLOT_AUTO)
			s->state = SLOT_DONE;
	}
	q->autos = 0;
	ring_trim(q);
}

/*
 * The ring position up to which plain accepts may be folded into one batch
 * verdict, or -1 for none. The batch releases every queued id up to the
 * last one folded; the ids queued in the kernel that are not above the
 * last one we received are exactly the tracked ones, because the kernel
 * numbers packets in the order it queues them to our socket and we read
 * them in that order. So the batch may reach up to, not including, the
 * first packet still waiting for a verdict that this send does not carry:
 * below it, every packet is either sent individually first (the kernel
 * handles the messages of a datagram in order), folded, or already done.
 */
static long send_fold_limit(struct ctalg_queue *q,
			    const struct ctalg_queue_verdict *v, unsigned int n,
			    unsigned int *folds)
{
	unsigned int i, stop = q->ring_count;
	long last = -1;
	long pos;

	for (i = 0; i < q->ring_count; i++) {
		if (ring_at(q, i)->state == SLOT_WAIT) {
			stop = i;
			break;
		}
	}
	*folds = 0;
	for (i = 0; i < n; i++) {
		if (!queue_verdict_plain(&v[i]))
			continue;
		pos = ring_find(q, v[i].id);
		if (pos < 0 || (unsigned int)pos >= stop)
			continue;
		(*folds)++;
		if (pos > last)
			last = pos;
	}
	for (i = 0; i < stop; i++) {
		if (ring_at(q, i)->state != SLOT_AUTO)
			continue;
		(*folds)++;
		if ((long)i > last)
			last = i;
	}
	/* One packet alone is as cheap to release by its own verdict. */
	return *folds >= 2 ? last : -1;
}

/* The verdicts of the caller, plus those the library owes. */
static int send_all(struct ctalg_queue *q, const struct ctalg_queue_verdict *v,
		    unsigned int n)
{
	unsigned int i, folds;
	long limit, pos;

	for (i = 0; i < n; i++) {
		pos = ring_find(q, v[i].id);
		if (pos >= 0 && ring_at(q, pos)->state == SLOT_WAIT) {
			ring_at(q, pos)->state = SLOT_MARK;
			q->waiting--;
		}
	}
	limit = send_fold_limit(q, v, n, &folds);

	for (i = 0; i < n; i++) {
		if (limit >= 0 && queue_verdict_plain(&v[i])) {
			pos = ring_find(q, v[i].id);
			if (pos >= 0 && pos <= limit)
				continue;
		}
		if (tx_verdict(q, &v[i]) < 0)
			goto err;
	}
	for (i = 0; i < q->ring_count; i++) {
		if (ring_at(q, i)->state != SLOT_AUTO ||
		    (limit >= 0 && (long)i <= limit))
			continue;
		if (tx_accept(q, ring_at(q, i)->id) < 0)
			goto err;
	}
	/* Last, so that the individual verdicts before it are handled first. */
	if (limit >= 0) {
		if (tx_batch(q, ring_at(q, (unsigned int)limit)->id) < 0)
			goto err;
		q->st.folded += folds;
	}
	if (tx_flush(q) < 0)
		goto err;
	send_done(q);
	return 0;

err:
	send_unmark(q);
	return -1;
}

EXPORT int ctalg_queue_send(struct ctalg_queue *q,
			    const struct ctalg_queue_verdict *v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (queue_verdict_check(&v[i]) < 0)
			return -1;
	}
	return send_all(q, v, n);
}

EXPORT int ctalg_queue_accept_all(struct ctalg_queue *q)
{
	unsigned int i;

	if (!q->ring_count)
		return 0;
	for (i = 0; i < q->ring_count; i++) {
		struct queue_slot *s = ring_at(q, i);

		if (s->state == SLOT_WAIT) {
			s->state = SLOT_MARK;
			q->waiting--;
		}
	}
	/* Every tracked packet is released: the batch can name the last. */
	if (tx_batch(q, ring_at(q, q->ring_count - 1)->id) < 0 ||
	    tx_flush(q) < 0) {
		send_unmark(q);
		return -1;
	}
	send_done(q);
	return 0;
}

/* ---- receiving ---- */

static void recv_error(struct ctalg_queue *q, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*e) || e->error >= 0)
		return;
	/* Each verdict carries its packet id as sequence number. */
	q->st.verdict_errors++;
	q->st.last_verdict_errno = -e->error;
	q->st.last_verdict_id = e->msg.nlmsg_seq;
}

/*
 * A packet the library must accept itself: tracked until the accept is
 * sent, or, with no room left to track it, accepted at once.
 */
static void recv_auto(struct ctalg_queue *q, const void *msg, size_t len)
{
	uint32_t id;

	if (queue_msg_id(msg, len, &id) < 0) {
		q->st.malformed++;
		return;
	}
	if (q->ring_count < q->ring_cap) {
		ring_push(q, id, SLOT_AUTO);
		return;
	}
	if (tx_accept(q, id) < 0 || tx_flush(q) < 0)
		q->st.lost++;
}

/* The messages of one datagram; returns the packets added to @pkts. */
static unsigned int recv_datagram(struct ctalg_queue *q, const uint8_t *buf,
				  size_t len, bool cut,
				  struct ctalg_queue_pkt *pkts, unsigned int room)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	int left = (int)len;
	unsigned int n = 0;

	if (cut) {
		/* Its packet id is in the first attribute, still here. */
		q->st.truncated++;
		recv_auto(q, buf, len);
		return 0;
	}
	for (; nl_msg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			recv_error(q, nlh);
			continue;
		}
		if (nlh->nlmsg_type != (NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_PACKET))
			continue;
		if (n == room || q->ring_count == q->ring_cap) {
			/* The kernel sends one packet per datagram. */
			recv_auto(q, nlh, nlh->nlmsg_len);
			continue;
		}
		if (ctalg_queue_pkt_parse(nlh, nlh->nlmsg_len, &pkts[n]) < 0) {
			q->st.malformed++;
			continue;
		}
		if (pkts[n].bad)
			q->st.malformed++;
		q->st.packets++;
		q->st.bytes += pkts[n].payload_len;
		ring_push(q, pkts[n].id, SLOT_WAIT);
		n++;
	}
	return n;
}

/* The receive headers, set once: a receive changes only their lengths. */
static void recv_setup(struct ctalg_queue *q)
{
	unsigned int i;

	for (i = 0; i < q->batch; i++) {
		q->rx_iov[i].iov_base = q->rx + (size_t)i * q->bufsize;
		q->rx_iov[i].iov_len = q->bufsize;
		q->mmsg[i].msg_hdr.msg_name = &q->rx_addr[i];
		q->mmsg[i].msg_hdr.msg_namelen = sizeof(q->rx_addr[i]);
		q->mmsg[i].msg_hdr.msg_iov = &q->rx_iov[i];
		q->mmsg[i].msg_hdr.msg_iovlen = 1;
	}
}

/* Read up to @want datagrams into the buffers; returns how many. */
static int recv_datagrams(struct ctalg_queue *q, unsigned int want)
{
	int n, i;

	for (;;) {
		n = recvmmsg(q->fd, q->mmsg, want, MSG_WAITFORONE, NULL);
		if (n >= 0)
			break;
		if (errno != ENOBUFS)
			return -1;
		/*
		 * The socket overran: the kernel dropped (or, failing open,
		 * accepted) what did not fit, so nothing is left queued for
		 * us. Count it and read on.
		 */
		q->st.enobufs++;
	}
	/* The address length is in and out: ready it for the next time. */
	for (i = 0; i < n; i++)
		q->mmsg[i].msg_hdr.msg_namelen = sizeof(q->rx_addr[i]);
	if (n > 0) {
		q->st.recv_calls++;
		if ((uint64_t)n > q->st.recv_max)
			q->st.recv_max = (uint64_t)n;
	}
	return n;
}

EXPORT int ctalg_queue_recv(struct ctalg_queue *q, struct ctalg_queue_pkt *pkts,
			    unsigned int max)
{
	unsigned int want = max < q->batch ? max : q->batch;
	unsigned int i, n = 0;
	int got;

	if (q->ring_cap - q->ring_count < want)
		want = q->ring_cap - q->ring_count;
	if (want == 0) {
		errno = max ? ENOSPC : EINVAL;
		return -1;
	}
	got = recv_datagrams(q, want);
	if (got < 0)
		return -1;
	for (i = 0; i < (unsigned int)got; i++) {
		const struct sockaddr_nl *from = &q->rx_addr[i];

		if (from->nl_pid != 0)
			continue; /* only the kernel may talk to us */
		n += recv_datagram(q, q->rx + (size_t)i * q->bufsize,
				   q->mmsg[i].msg_len,
				   q->mmsg[i].msg_hdr.msg_flags & MSG_TRUNC,
				   pkts + n, max - n);
	}
	/*
	 * Cut messages are accepted now, by their ids alone; on failure they
	 * stay owed and go with the next send.
	 */
	if (q->autos)
		send_all(q, NULL, 0);
	return (int)n;
}

/* ---- open and close ---- */

/*
 * During the bind: a packet queued before the kernel's ACK, read while
 * looking for it. Holding it here would hide it from poll(2) on the socket,
 * so the kernel is asked to queue it again, to this queue: it comes back
 * behind the ACK, with a new id, as if it had just arrived. Should that
 * fail, the library owes it an accept.
 */
static int open_early(const struct nlmsghdr *nlh, void *data)
{
	struct ctalg_queue *q = data;
	struct ctalg_queue_verdict v = { .verdict = NF_QUEUE_NR(q->num) };

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		recv_error(q, nlh);
		return CTALG_CB_OK;
	}
	if (nlh->nlmsg_type != (NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_PACKET) ||
	    queue_msg_id(nlh, nlh->nlmsg_len, &v.id) < 0)
		return CTALG_CB_OK;
	if (tx_verdict(q, &v) < 0 || tx_flush(q) < 0)
		recv_auto(q, nlh, nlh->nlmsg_len);
	return CTALG_CB_OK;
}

static void open_explain(const struct ctalg_queue *q,
			 const struct ctalg_queue_config *cfg, int err,
			 char *buf, size_t size)
{
	const char *kmsg = q->nl ? ctalg_nl_errmsg(q->nl) : "";
	const char *why;

	if (!buf || !size)
		return;
	switch (err) {
	case EPERM:
		why = "permission denied: the queue is bound by another "
		      "socket, or CAP_NET_ADMIN is missing";
		break;
	case EBUSY:
		why = "the queue is already bound by this socket";
		break;
	case EOPNOTSUPP:
		why =
		    cfg->flags & CTALG_QUEUE_F_CONNTRACK
			? "the kernel cannot attach conntrack information to "
			  "queued packets (no NFQUEUE conntrack glue, "
			  "CONFIG_NETFILTER_NETLINK_GLUE_CT)"
			: "the kernel does not support a queue flag asked for";
		break;
	case EAGAIN:
		why = "the kernel loaded its conntrack glue module but still "
		      "refuses the conntrack flag";
		break;
	default:
		why = strerror(err);
		break;
	}
	snprintf(buf, size, "queue %u: %s%s%s", cfg->num, why,
		 kmsg[0] ? "; kernel: " : "", kmsg);
}

static int open_check(const struct ctalg_queue_config *cfg)
{
	if (cfg->batch < 1 || cfg->batch > CTALG_QUEUE_BATCH_MAX ||
	    (cfg->pending_max && cfg->pending_max < cfg->batch) ||
	    (cfg->bufsize && cfg->bufsize < QUEUE_BUFSIZE_MIN) ||
	    cfg->rcvbuf < 0 ||
	    (cfg->flags &
	     ~(uint32_t)(CTALG_QUEUE_F_CONNTRACK | CTALG_QUEUE_F_FAIL_OPEN |
			 CTALG_QUEUE_F_GSO | CTALG_QUEUE_F_NO_ENOBUFS))) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static int open_alloc(struct ctalg_queue *q, const struct ctalg_queue_config *cfg)
{
	q->num = cfg->num;
	q->batch = cfg->batch;
	q->bufsize = cfg->bufsize ? cfg->bufsize
				  : MNL_ALIGN(queue_copy_range(cfg->copy_range)) +
					QUEUE_ATTR_ROOM;
	q->ring_cap = cfg->pending_max ? cfg->pending_max : 4 * cfg->batch;
	q->tx.size = (size_t)q->batch * QUEUE_VERDICT_HEAD_MAX;
	q->tx.iov_max = 3 * q->batch + 2;

	q->rx = malloc((size_t)q->batch * q->bufsize);
	q->mmsg = calloc(q->batch, sizeof(*q->mmsg));
	q->rx_iov = calloc(q->batch, sizeof(*q->rx_iov));
	q->rx_addr = calloc(q->batch, sizeof(*q->rx_addr));
	q->ring = calloc(q->ring_cap, sizeof(*q->ring));
	q->tx.buf = malloc(q->tx.size);
	q->tx.iov = calloc(q->tx.iov_max, sizeof(*q->tx.iov));
	if (!q->rx || !q->mmsg || !q->rx_iov || !q->rx_addr || !q->ring ||
	    !q->tx.buf || !q->tx.iov) {
		errno = ENOMEM;
		return -1;
	}
	recv_setup(q);
	return 0;
}

static void queue_free(struct ctalg_queue *q)
{
	ctalg_nl_close(q->nl);
	free(q->rx);
	free(q->mmsg);
	free(q->rx_iov);
	free(q->rx_addr);
	free(q->ring);
	free(q->tx.buf);
	free(q->tx.iov);
	free(q);
}

/* The largest datagram the socket can send (the kernel's sndbuf - 32). */
static size_t open_send_max(int fd)
{
	int want = 4 << 20, have = 0;
	socklen_t len = sizeof(have);

	/* As much as allowed: a payload verdict can be 64 KiB. */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want));
	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &have, &len) < 0 || have < 4096)
		return 4096 - 32;
	return (size_t)have - 32;
}

EXPORT struct ctalg_queue *ctalg_queue_open(const struct ctalg_queue_config *cfg,
					    char *errbuf, size_t errsize)
{
	char req[256];
	struct ctalg_queue *q;
	unsigned int tries;
	int err;

	if (errbuf && errsize)
		errbuf[0] = '\0';
	if (open_check(cfg) < 0) {
		if (errbuf && errsize)
			snprintf(errbuf, errsize,
				 "queue %u: invalid configuration", cfg->num);
		return NULL;
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	if (open_alloc(q, cfg) < 0)
		goto err;
	q->nl = ctalg_nl_open();
	if (!q->nl)
		goto err;
	q->fd = ctalg_nl_fd(q->nl);
	q->send_max = open_send_max(q->fd);

	for (tries = 0;; tries++) {
		struct nlmsghdr *nlh = queue_config_build(req, sizeof(req), cfg);

		if (nl_request_other(q->nl, nlh, NULL, open_early, q) == 0)
			break;
		/*
		 * EAGAIN: the kernel loaded the module that provides the
		 * conntrack glue while handling the request; the flags are
		 * checked before the bind, so nothing is bound yet.
		 */
		if (errno != EAGAIN || tries >= QUEUE_EAGAIN_RETRIES)
			goto err;
	}
	/*
	 * Only now: packets may already flow, and the bind's ACK must not be
	 * lost to a small buffer, or silently with NO_ENOBUFS.
	 */
	if (cfg->rcvbuf && ctalg_nl_set_rcvbuf(q->nl, cfg->rcvbuf) < 0)
		goto err;
	if ((cfg->flags & CTALG_QUEUE_F_NO_ENOBUFS) &&
	    ctalg_nl_no_enobufs(q->nl) < 0)
		goto err;
	if (q->autos)
		send_all(q, NULL, 0);
	return q;

err:
	err = errno;
	open_explain(q, cfg, err, errbuf, errsize);
	queue_free(q);
	errno = err;
	return NULL;
}

EXPORT void ctalg_queue_close(struct ctalg_queue *q)
{
	char req[64];
	struct nlmsghdr *nlh;

	if (!q)
		return;
	/*
	 * Closing the socket unbinds too; asking makes it explicit. No ACK is
	 * awaited: behind a full receive buffer it could be lost, and with
	 * NETLINK_NO_ENOBUFS silently.
	 */
	nlh = queue_unbind_build(req, sizeof(req), q->num);
	ctalg_nl_send(q->nl, nlh);
	queue_free(q);
}
