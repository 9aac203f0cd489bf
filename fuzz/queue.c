// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: the queue packet decoder and the layer 3/4 view.
 *
 * The input is a datagram from nfnetlink_queue. Each message, in its own
 * allocation, goes through ctalg_queue_pkt_parse() as ctalg_queue_recv()
 * hands it over; the whole input also goes through it as given, and through
 * queue_msg_id() as a datagram the receive buffer cut. Of a parsed packet,
 * every byte that the packet points at is read: the layer-4 payload of
 * ctalg_queue_pkt_data(), the helper's private state. Its layer-3 packet is
 * then copied into an allocation of its own size, parsed again with
 * ctalg_ip_parse() (the same view, and a payload inside the packet), and
 * given to ctalg_ip_csum_fix(): a packet it fixes must parse cleanly and
 * carry checksums and lengths that an independent computation here
 * accepts. An input holding no queue packet message is taken as such a
 * layer-3 packet itself, so raw IPv4 and IPv6 packets are seeds too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include <ctalg/queue.h>

#include "fuzz.h"
#include "queue_internal.h"

#define QUEUE_PACKET_TYPE (NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_PACKET)

/* Read every byte, so that ASan sees any of them out of bounds. */
static void queue_touch(const uint8_t *p, size_t len)
{
	volatile uint8_t sink = 0;
	size_t i;

	for (i = 0; i < len; i++)
		sink ^= p[i];
	(void)sink;
}

/* [p, p + len) lies within [start, start + size). */
static bool queue_within(const void *p, size_t len, const void *start, size_t size)
{
	const uint8_t *a = p, *s = start;

	return a >= s && (size_t)(a - s) <= size && len <= size - (size_t)(a - s);
}

/* The one's complement sum, computed here apart from the library's. */
static uint64_t queue_sum(uint64_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint64_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint64_t)p[len - 1] << 8;
	return sum;
}

static uint16_t queue_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static uint16_t queue_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* A packet ctalg_ip_csum_fix() said it fixed: check that it did. */
static void queue_csum_check(const uint8_t *p, size_t len)
{
	size_t alen, l4len;
	struct ctalg_ip ip;
	uint64_t sum;

	if (ctalg_ip_parse(p, len, &ip) < 0 ||
	    (ip.flags & (CTALG_IP_CUT | CTALG_IP_FRAG)))
		fuzz_fail("ctalg_ip_csum_fix: the fixed packet does not parse "
			  "cleanly");
	if (ip.version == 4) {
		if (queue_be16(p + 2) != len ||
		    queue_fold(queue_sum(0, p, (size_t)(p[0] & 0x0f) * 4)) !=
			0xffff)
			fuzz_fail(
			    "ctalg_ip_csum_fix: a wrong IPv4 total length "
			    "or header checksum");
	} else if (queue_be16(p + 4) != len - 40) {
		fuzz_fail("ctalg_ip_csum_fix: a wrong IPv6 payload length");
	}
	if (ip.l4proto != IPPROTO_TCP && ip.l4proto != IPPROTO_UDP)
		return;
	if (!(ip.flags & CTALG_IP_L4))
		fuzz_fail("ctalg_ip_csum_fix: fixed a packet without its "
			  "layer-4 header");
	l4len = len - ip.l4_off;
	alen = ip.version == 4 ? 4 : 16;
	sum = queue_sum(0, ip.src.b, alen);
	sum = queue_sum(sum, ip.dst.b, alen);
	sum += ip.l4proto + (l4len & 0xffff) + (l4len >> 16);
	sum = queue_sum(sum, p + ip.l4_off, l4len);
	if (queue_fold(sum) != 0xffff)
		fuzz_fail("ctalg_ip_csum_fix: a wrong layer-4 checksum");
	if (ip.l4proto == IPPROTO_UDP && (queue_be16(p + ip.l4_off + 4) != l4len ||
					  queue_be16(p + ip.l4_off + 6) == 0))
		fuzz_fail("ctalg_ip_csum_fix: a wrong UDP length, or a UDP "
			  "checksum of 0");
}

/*
 * The layer-3 packet @raw (@len bytes) in an allocation of its own: parsed
 * (as @seen says the message's parse saw it, when not NULL), its layer-4
 * payload read through the cursor, and its checksums fixed in a copy.
 */
static void queue_ip(const uint8_t *raw, size_t len, const struct ctalg_ip *seen)
{
	struct ctalg_queue_pkt *view = calloc(1, sizeof(*view));
	uint8_t *copy = fuzz_dup(raw, len);
	struct ctalg_cursor data;
	int r;

	if (!view)
		fuzz_fail("out of memory in the harness");
	errno = 0;
	r = ctalg_ip_parse(copy, len, &view->ip);
	if (r < 0 && (errno != EBADMSG || !(view->ip.flags & CTALG_IP_BAD) ||
		      !view->ip.error))
		fuzz_fail("ctalg_ip_parse: refused without saying why");
	if (r == 0 && (view->ip.flags & CTALG_IP_BAD))
		fuzz_fail("ctalg_ip_parse: accepted what it flagged bad");
	if (seen &&
	    (seen->version != view->ip.version ||
	     seen->l4proto != view->ip.l4proto || seen->l4_off != view->ip.l4_off ||
	     seen->data_off != view->ip.data_off ||
	     seen->data_len != view->ip.data_len ||
	     (seen->flags | CTALG_IP_BAD) != (view->ip.flags | CTALG_IP_BAD)))
		fuzz_fail("ctalg_ip_parse: another view of the packet than "
			  "ctalg_queue_pkt_parse's");
	view->payload = copy;
	view->payload_len = (uint32_t)len;
	data = ctalg_queue_pkt_data(view);
	if ((view->ip.flags & CTALG_IP_L4) &&
	    (view->ip.data_off < view->ip.l4_off + 8 ||
	     !queue_within(data.data, data.len, copy, len)))
		fuzz_fail("ctalg_ip_parse: a layer-4 payload outside the "
			  "packet");
	queue_touch(data.data, data.len);
	free(copy);

	copy = fuzz_dup(raw, len);
	errno = 0;
	if (ctalg_ip_csum_fix(copy, len) == 0)
		queue_csum_check(copy, len);
	else if (errno != EINVAL && errno != EPROTONOSUPPORT)
		fuzz_fail("ctalg_ip_csum_fix: an errno it does not document");
	free(copy);
	free(view);
}

/* Parse @msg (@len bytes) and look at everything the packet points at. */
static void queue_pkt(const void *msg, size_t len)
{
	struct ctalg_queue_pkt *pkt = malloc(sizeof(*pkt));
	struct ctalg_cursor data;

	if (!pkt)
		fuzz_fail("out of memory in the harness");
	errno = 0;
	if (ctalg_queue_pkt_parse(msg, len, pkt) < 0) {
		if (errno != EBADMSG && errno != EPROTO)
			fuzz_fail("ctalg_queue_pkt_parse: an errno it does not "
				  "document");
		free(pkt);
		return;
	}
	if (!pkt->payload != !(pkt->flags & CTALG_PKT_PAYLOAD) ||
	    (pkt->payload &&
	     !queue_within(pkt->payload, pkt->payload_len, msg, len)) ||
	    pkt->cap_len < pkt->payload_len)
		fuzz_fail("ctalg_queue_pkt_parse: a payload outside the "
			  "message");
	data = ctalg_queue_pkt_data(pkt);
	if (data.len &&
	    !queue_within(data.data, data.len, pkt->payload, pkt->payload_len))
		fuzz_fail("ctalg_queue_pkt_data: a layer-4 payload outside the "
			  "packet");
	queue_touch(data.data, data.len);
	if (strnlen(pkt->ct.helper, sizeof(pkt->ct.helper)) ==
		sizeof(pkt->ct.helper) ||
	    pkt->ct.help_info_len > CTALG_QUEUE_HELP_INFO_MAX ||
	    (pkt->ct.help_info_len &&
	     !queue_within(pkt->ct.help_info, pkt->ct.help_info_len, msg, len)))
		fuzz_fail("ctalg_queue_pkt_parse: helper name or state out of "
			  "bounds");
	if (pkt->ct.help_info)
		queue_touch(pkt->ct.help_info, pkt->ct.help_info_len);
	if (pkt->payload)
		queue_ip(pkt->payload, pkt->payload_len, &pkt->ip);
	free(pkt);
}

static void queue_one(const struct nlmsghdr *nlh, void *arg)
{
	unsigned int *packets = arg;

	if (nlh->nlmsg_type == QUEUE_PACKET_TYPE)
		(*packets)++;
	queue_pkt(nlh, nlh->nlmsg_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int packets = 0;
	uint32_t id;

	fuzz_nl_each(data, size, queue_one, &packets);
	if (!packets) {
		queue_ip(data, size, NULL);
		return 0;
	}
	/* As given, the datagram's length larger than the first message's. */
	queue_pkt(data, size);
	/* As a datagram the receive buffer cut: only the packet id matters. */
	errno = 0;
	if (queue_msg_id(data, size, &id) < 0 && errno != EBADMSG &&
	    errno != EPROTO)
		fuzz_fail("queue_msg_id: an errno it does not document");
	return 0;
}
