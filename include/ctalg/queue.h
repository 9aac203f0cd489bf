/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The packet queue: nfnetlink_queue with its conntrack glue.
 *
 * One handle per queue, used by one thread. Everything the packet path
 * needs is allocated by ctalg_queue_open(): receiving, parsing and sending
 * verdicts never allocate.
 *
 * The cycle is: ctalg_queue_recv() fills an array of packets (several
 * datagrams per system call), the caller decides, and ctalg_queue_send()
 * sends the verdicts of all of them in one sendmsg(). Every packet that
 * ctalg_queue_recv() returns must get a verdict from the caller; a packet
 * the library cannot hand over (a message larger than the receive buffer)
 * is accepted by the library itself, so nothing is ever left queued.
 *
 * Conventions, as in libmnl: -1 (or NULL) and errno, with the errno values
 * listed above each function.
 */
#ifndef CTALG_QUEUE_H
#define CTALG_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ctalg/cursor.h>
#include <ctalg/tuple.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The kernel copies at most this much of a packet (0xffff - NLA_HDRLEN). */
#define CTALG_QUEUE_COPY_MAX 65531
/* Most datagrams one ctalg_queue_recv() reads. */
#define CTALG_QUEUE_BATCH_MAX 1024
/* The kernel keeps 32 bytes of helper state per connection. */
#define CTALG_QUEUE_HELP_INFO_MAX 32
/* Longest helper name (NF_CT_HELPER_NAME_LEN - 1). */
#define CTALG_QUEUE_HELPER_NAME_MAX 15
/* Largest NFQA_EXP content a verdict may carry. */
#define CTALG_QUEUE_EXP_MAX 1024

/* struct ctalg_queue_config.flags */
enum {
	/*
	 * Ask for NFQA_CT and NFQA_CT_INFO (NFQA_CFG_F_CONNTRACK). Needs the
	 * kernel's NFQUEUE conntrack glue (CONFIG_NETFILTER_NETLINK_GLUE_CT);
	 * without it ctalg_queue_open() fails with EOPNOTSUPP.
	 */
	CTALG_QUEUE_F_CONNTRACK = 1 << 0,
	/* Accept instead of drop when the queue or the socket is full. */
	CTALG_QUEUE_F_FAIL_OPEN = 1 << 1,
	/*
	 * Let GSO packets through unsegmented, with checksums possibly not
	 * computed: not for a queue whose payloads are parsed or rewritten.
	 */
	CTALG_QUEUE_F_GSO = 1 << 2,
	/*
	 * Do not report socket overruns (NETLINK_NO_ENOBUFS); the kernel
	 * still counts them in /proc/net/netfilter/nfnetlink_queue.
	 */
	CTALG_QUEUE_F_NO_ENOBUFS = 1 << 3,
};

struct ctalg_queue_config {
	uint16_t num;	 /* queue number */
	uint32_t flags;	 /* CTALG_QUEUE_F_* */
	uint32_t maxlen; /* packets the kernel keeps queued; 0: its default */
	uint32_t copy_range; /* bytes of each packet; 0 or above max: the max */
	int rcvbuf;	    /* socket receive buffer in bytes; 0: the default */
	unsigned int batch; /* datagrams per receive, 1..CTALG_QUEUE_BATCH_MAX */
	/*
	 * Packets received and not yet given a verdict that the handle can
	 * track (for safe verdict batching); at least @batch. 0: 4 * batch.
	 */
	unsigned int pending_max;
	/*
	 * Bytes of each receive buffer; 0: enough for copy_range plus every
	 * attribute, so that no message is ever cut. Smaller values only
	 * make sense in tests of the cut-message path (at least 256).
	 */
	uint32_t bufsize;
};

/* Defaults: @num, maxlen 1024, full copy, batch 32, no flags. */
void ctalg_queue_config_init(struct ctalg_queue_config *cfg, uint16_t num);

/* ---- the layer 3/4 view of a packet ---- */

/* struct ctalg_ip.flags */
enum {
	CTALG_IP_L4 = 1 << 0,	      /* a TCP or UDP header was read */
	CTALG_IP_FRAG = 1 << 1,	      /* a fragment (first or later) */
	CTALG_IP_FRAG_LATER = 1 << 2, /* not the first fragment: no L4 */
	CTALG_IP_CUT = 1 << 3,	      /* captured less than the packet */
	CTALG_IP_BAD = 1 << 4,	      /* malformed: see .error */
};

struct ctalg_ip {
	uint8_t version;   /* 4 or 6; 0 when not even that was readable */
	uint8_t l4proto;   /* after IPv6 extension headers */
	uint8_t flags;	   /* CTALG_IP_* */
	uint8_t tcp_flags; /* TCP: FIN 0x01, SYN 0x02, RST 0x04, PSH, ACK, URG */
	uint32_t len;	   /* the packet's length per its header, or captured */
	uint32_t l4_off;   /* offset of the layer-4 header */
	uint32_t data_off; /* TCP/UDP: offset of the layer-4 payload */
	uint32_t data_len; /* its bytes present in the capture */
	union ctalg_addr src;
	union ctalg_addr dst;
	uint16_t sport; /* host order */
	uint16_t dport;
	uint32_t seq; /* TCP, host order */
	uint32_t ack;
	const char *error; /* with CTALG_IP_BAD: a static text */
};

/*
 * Parse the IPv4 or IPv6 packet in [@data, @data + @len): the header, IPv6
 * extension headers (hop-by-hop, routing, fragment, destination options,
 * AH), and a TCP or UDP header. Everything is read through the bounded
 * cursor; hostile input only sets CTALG_IP_BAD.
 * Returns 0 (what could be read is in @ip, see its flags), or -1 with
 * errno EBADMSG when the packet is malformed (@ip->error says why; the
 * fields before the problem are filled).
 */
int ctalg_ip_parse(const void *data, size_t len, struct ctalg_ip *ip);

/*
 * Make the IPv4 or IPv6 packet of @len bytes at @pkt consistent after a
 * rewrite, in place: the IPv4 total length and header checksum or the IPv6
 * payload length, the UDP length, and the TCP or UDP checksum over the
 * pseudo-header. Other layer-4 protocols get the layer-3 part only.
 * On failure the length fields may already have been rewritten.
 * Returns 0, or -1 with errno:
 *   EINVAL: not an IPv4/IPv6 packet, malformed, or too long for its family;
 *   EPROTONOSUPPORT: a fragment, or an IPv6 routing header with segments
 *   left (its final destination is not the header's).
 */
int ctalg_ip_csum_fix(void *pkt, size_t len);

/* ---- received packets ---- */

/* struct ctalg_queue_pkt.flags: what the message carried */
enum {
	CTALG_PKT_MARK = 1 << 0,
	CTALG_PKT_INDEV = 1 << 1,
	CTALG_PKT_OUTDEV = 1 << 2,
	CTALG_PKT_PAYLOAD = 1 << 3,
	CTALG_PKT_CUT = 1 << 4, /* copy range cut it: cap_len > payload_len */
	CTALG_PKT_CT = 1 << 5,	/* NFQA_CT */
	CTALG_PKT_CT_INFO = 1 << 6,   /* NFQA_CT_INFO */
	CTALG_PKT_CT_MASTER = 1 << 7, /* an expected connection */
	CTALG_PKT_CT_HELP = 1 << 8,   /* CTA_HELP: a helper is attached */
};

/* struct ctalg_queue_pkt.bad: what was malformed (the rest is usable) */
enum {
	CTALG_PKT_BAD_ATTR = 1 << 0, /* the message's attributes */
	CTALG_PKT_BAD_CT = 1 << 1,   /* NFQA_CT (ct fields then unset) */
	CTALG_PKT_BAD_IP = 1 << 2,   /* the packet's headers (see ip.error) */
};

struct ctalg_queue_ct {
	uint32_t id;
	uint32_t status; /* IPS_* */
	uint32_t mark;
	uint16_t zone;
	struct ctalg_tuple orig;
	struct ctalg_tuple reply;
	char helper[CTALG_QUEUE_HELPER_NAME_MAX + 1]; /* "" without CTA_HELP */
	const uint8_t *help_info; /* CTA_HELP_INFO, in the receive buffer */
	uint32_t help_info_len;
};

struct ctalg_queue_pkt {
	uint32_t id;
	uint16_t hw_protocol; /* ETH_P_*, host order */
	uint8_t hook;	      /* NF_INET_* */
	uint8_t family;	      /* NFPROTO_* of the hook */
	uint32_t flags;	      /* CTALG_PKT_* */
	uint32_t bad;	      /* CTALG_PKT_BAD_*, 0 when all is well */
	uint32_t mark;
	uint32_t indev; /* ifindex */
	uint32_t outdev;
	uint32_t skb_info; /* NFQA_SKB_* */
	uint32_t ctinfo;   /* IP_CT_*, with CTALG_PKT_CT_INFO */
	/* The layer-3 packet, in the receive buffer; valid until next recv. */
	const uint8_t *payload;
	uint32_t payload_len;
	uint32_t cap_len; /* the packet's full length */
	struct ctalg_queue_ct ct;
	struct ctalg_ip ip;
};

/* The layer-4 payload (TCP or UDP data) of @p; empty without one. */
static inline struct ctalg_cursor ctalg_queue_pkt_data(
    const struct ctalg_queue_pkt *p)
{
	if (!p->payload || !(p->ip.flags & CTALG_IP_L4))
		return ctalg_cursor_make(NULL, 0);
	return ctalg_cursor_make(p->payload + p->ip.data_off, p->ip.data_len);
}

/*
 * Parse one NFQNL_MSG_PACKET message of @len bytes into @pkt, which then
 * points into @msg. A malformed part is flagged in @pkt->bad and leaves the
 * rest usable; the packet still needs a verdict.
 * Returns 0, or -1 with errno EBADMSG when not even the packet id could be
 * read, EPROTO when @msg is not a queue packet message.
 */
int ctalg_queue_pkt_parse(const void *msg, size_t len,
			  struct ctalg_queue_pkt *pkt);

/* ---- verdicts ---- */

/* struct ctalg_queue_verdict.flags */
enum {
	CTALG_VERDICT_MARK = 1 << 0, /* set the packet mark to .mark */
	/*
	 * Send NFQA_CT even with no helper state: the kernel applies NFQA_EXP
	 * and TCP sequence adjustment only when NFQA_CT is present. Implied by
	 * .helper and .exp.
	 */
	CTALG_VERDICT_CT = 1 << 1,
};

struct ctalg_queue_verdict {
	uint32_t id;
	/* NF_ACCEPT, NF_DROP, NF_REPEAT, NF_STOP, or NF_QUEUE_NR(n) */
	uint32_t verdict;
	uint32_t flags; /* CTALG_VERDICT_* */
	uint32_t mark;
	/*
	 * CTA_HELP: the name of the connection's helper (the kernel refuses
	 * another; "" detaches it and its expectations) and the new private
	 * state. NULL: no CTA_HELP. Only CTA_HELP is ever sent in NFQA_CT:
	 * never CTA_STATUS, never an echo of the conntrack.
	 */
	const char *helper;
	const void *help_info;
	uint32_t help_info_len; /* at most CTALG_QUEUE_HELP_INFO_MAX */
	/*
	 * NFQA_EXP content: the CTA_EXPECT_* attributes, built by the caller
	 * (at most CTALG_QUEUE_EXP_MAX bytes of whole attributes).
	 */
	const void *exp;
	uint32_t exp_len;
	/*
	 * NFQA_PAYLOAD: the whole new layer-3 packet, consistent
	 * (ctalg_ip_csum_fix()): the kernel fixes no checksum. Not copied.
	 */
	const void *payload;
	uint32_t payload_len;
};

struct ctalg_queue;

/*
 * Open a netlink socket and bind queue @cfg->num with all of its settings
 * in one NFQNL_MSG_CONFIG (bind, copy mode and range, length, flags), so no
 * packet falls in the window where the kernel would drop it; the kernel's
 * answer is awaited. Packets queued between the bind and that answer are
 * handed back to the kernel to be queued again, so they arrive like any
 * other (with new ids, waking poll(2)). On failure, when @errbuf is not
 * NULL, up to @errsize bytes of explanation (the kernel's own message when
 * it gave one) are written there.
 * Returns the handle, or NULL with errno:
 *   EINVAL: a bad @cfg (batch out of range, bufsize too small);
 *   EPERM: no CAP_NET_ADMIN, or the queue is bound by another socket (the
 *   kernel checks the owner before the command);
 *   EBUSY: the queue is already bound by this socket;
 *   EOPNOTSUPP: CTALG_QUEUE_F_CONNTRACK without the kernel's conntrack glue,
 *   or a flag this kernel does not know (the queue is then not bound);
 *   EAGAIN: the kernel loaded the glue module but still refused, after
 *   retries; ENOMEM; those of socket(2), bind(2), sendmsg(2), recvmsg(2).
 */
struct ctalg_queue *ctalg_queue_open(const struct ctalg_queue_config *cfg,
				     char *errbuf, size_t errsize);

/*
 * Unbind the queue and close it; NULL is accepted. The kernel drops the
 * packets still queued: give them verdicts first (ctalg_queue_accept_all).
 */
void ctalg_queue_close(struct ctalg_queue *q);

/* The socket, for poll(2): readable when ctalg_queue_recv() has work. */
int ctalg_queue_fd(const struct ctalg_queue *q);

/*
 * Receive up to min(@max, batch) datagrams with one recvmmsg(2), waiting for
 * the first (unless the socket is non-blocking), and parse each packet into
 * @pkts. Also counts error replies to earlier verdicts and socket overruns
 * (after which it reads on). Packets point into the handle's buffers and
 * stay valid until the next call.
 * Returns the number of packets, which may be 0 (the datagrams held only
 * verdict errors or cut messages), or -1 with errno:
 *   EINVAL: @max is 0;
 *   ENOSPC: pending_max packets are still waiting for verdicts;
 *   EAGAIN: non-blocking and nothing to read; EINTR: a signal came first;
 *   those of recvmmsg(2).
 */
int ctalg_queue_recv(struct ctalg_queue *q, struct ctalg_queue_pkt *pkts,
		     unsigned int max);

/*
 * Send the verdicts @v[0..@n) in one sendmsg(2) (more only when they exceed
 * the socket's send buffer). Plain accepts (NF_ACCEPT and nothing else) are
 * folded into one NFQNL_MSG_VERDICT_BATCH, sent after the other verdicts,
 * when no packet the handle still waits a verdict for would be released by
 * it. The payloads are sent from the caller's memory, not copied.
 * Returns 0, or -1 with errno:
 *   EINVAL: a bad verdict value, a helper name too long, private state
 *   over CTALG_QUEUE_HELP_INFO_MAX, NFQA_EXP content that is not whole
 *   attributes or is too long, a payload over CTALG_QUEUE_COPY_MAX bytes
 *   (nothing is sent);
 *   those of sendmsg(2): the packets are still owed. Sending the same
 *   verdicts again is safe: the kernel refuses (ENOENT, counted) those it
 *   had already applied.
 * The kernel reports a verdict it refuses (e.g. ENOENT for an unknown id)
 * asynchronously: ctalg_queue_recv() counts it in the statistics.
 */
int ctalg_queue_send(struct ctalg_queue *q, const struct ctalg_queue_verdict *v,
		     unsigned int n);

/*
 * Accept every packet received and not yet given a verdict, with one batch
 * verdict: for a caller that must let go (an error, a shutdown).
 * Returns 0, or -1 with errno: those of sendmsg(2).
 */
int ctalg_queue_accept_all(struct ctalg_queue *q);

/* Packets received and still waiting for a verdict. */
unsigned int ctalg_queue_pending(const struct ctalg_queue *q);

struct ctalg_queue_stats {
	uint64_t packets;    /* packet messages received */
	uint64_t bytes;	     /* packet bytes received */
	uint64_t recv_calls; /* recvmmsg calls that returned datagrams */
	uint64_t recv_max;   /* most datagrams one call returned */
	uint64_t enobufs;    /* socket overruns (packets lost by the kernel) */
	uint64_t truncated;  /* messages cut by the buffer: accepted unseen */
	uint64_t malformed;  /* packets with a malformed part */
	uint64_t verdict_msgs;	  /* verdict messages sent, batches included */
	uint64_t verdict_batches; /* NFQNL_MSG_VERDICT_BATCH messages sent */
	uint64_t folded;	  /* plain accepts sent inside a batch */
	uint64_t send_calls;	  /* sendmsg calls */
	uint64_t verdict_errors;  /* error replies to verdicts */
	uint64_t lost;		  /* accepts owed by the library that failed */
	int last_verdict_errno;	  /* of the last one, with its packet id */
	uint32_t last_verdict_id;
};

/* Copy the handle's counters to @st. */
void ctalg_queue_stats(const struct ctalg_queue *q, struct ctalg_queue_stats *st);

#ifdef __cplusplus
}
#endif

#endif
