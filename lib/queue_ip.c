// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The layer 3/4 view of a queued packet: IPv4 (IHL, fragments), IPv6 and
 * its extension headers, TCP and UDP. Queued payloads are attacker-
 * controlled, so every read goes through the bounded cursor and every
 * length field is checked against both the header that claims it and the
 * bytes that were captured.
 */
#include <errno.h>
#include <string.h>
#include <netinet/in.h>

#include <ctalg/queue.h>

#include "queue_internal.h"

/*
 * Each extension header is at least 8 bytes, so a chain ends by itself; the
 * cap only bounds the work on a packet made of little else.
 */
#define IP6_EXT_MAX 32

/* Record the first problem and stop. */
static int ip_bad(struct ctalg_ip *ip, const char *why)
{
	ip->flags |= CTALG_IP_BAD;
	ip->error = why;
	errno = EBADMSG;
	return -1;
}

/*
 * The packet per its own length field, @claimed bytes, against the @len
 * captured: a capture may be shorter (copy range), never the packet
 * shorter than its headers.
 */
static size_t ip_window(struct ctalg_ip *ip, size_t len, size_t claimed)
{
	ip->len = (uint32_t)claimed;
	if (len < claimed) {
		ip->flags |= CTALG_IP_CUT;
		return len;
	}
	return claimed;
}

static int ip_parse_tcp(struct ctalg_cursor *c, struct ctalg_ip *ip)
{
	struct ctalg_cursor th = *c;
	uint8_t doff, flags;
	size_t hlen;

	if (!ctalg_cursor_get_be16(&th, &ip->sport) ||
	    !ctalg_cursor_get_be16(&th, &ip->dport) ||
	    !ctalg_cursor_get_be32(&th, &ip->seq) ||
	    !ctalg_cursor_get_be32(&th, &ip->ack) ||
	    !ctalg_cursor_get_u8(&th, &doff) ||
	    !ctalg_cursor_get_u8(&th, &flags)) {
		if (ip->flags & CTALG_IP_CUT)
			return 0; /* the copy range cut the header */
		return ip_bad(ip, "TCP header shorter than 20 bytes");
	}
	hlen = (size_t)(doff >> 4) * 4;
	if (hlen < 20)
		return ip_bad(ip, "TCP data offset below 5");
	if (ctalg_cursor_left(c) < hlen) {
		if (ip->flags & CTALG_IP_CUT)
			return 0;
		return ip_bad(ip, "TCP data offset beyond the packet");
	}
	ip->tcp_flags = flags;
	ip->data_off = ip->l4_off + (uint32_t)hlen;
	ip->data_len = (uint32_t)(ctalg_cursor_left(c) - hlen);
	ip->flags |= CTALG_IP_L4;
	return 0;
}

static int ip_parse_udp(struct ctalg_cursor *c, struct ctalg_ip *ip)
{
	struct ctalg_cursor uh = *c;
	uint16_t ulen, csum;
	size_t left = ctalg_cursor_left(c);

	if (!ctalg_cursor_get_be16(&uh, &ip->sport) ||
	    !ctalg_cursor_get_be16(&uh, &ip->dport) ||
	    !ctalg_cursor_get_be16(&uh, &ulen) ||
	    !ctalg_cursor_get_be16(&uh, &csum)) {
		if (ip->flags & CTALG_IP_CUT)
			return 0;
		return ip_bad(ip, "UDP header shorter than 8 bytes");
	}
	if (ulen < 8 && !(ip->flags & IP_LAX_UDP))
		return ip_bad(ip, "UDP length below 8");
	/*
	 * The layer-3 length bounds the UDP one, except in a first fragment,
	 * where it is the whole datagram's; a cut capture bounds both.
	 */
	if (ip->flags & (CTALG_IP_FRAG | IP_LAX_UDP))
		ulen = (uint16_t)(left < 0xffff ? left : 0xffff);
	else if (ulen > ip->len - ip->l4_off)
		return ip_bad(ip, "UDP length beyond the packet");
	ip->data_off = ip->l4_off + 8;
	ip->data_len = (uint32_t)((ulen < left ? ulen : left) - 8);
	ip->flags |= CTALG_IP_L4;
	return 0;
}

/* The layer-4 header at @c (the rest of the packet), if TCP or UDP. */
static int ip_parse_l4(struct ctalg_cursor *c, struct ctalg_ip *ip)
{
	ip->l4_off = (uint32_t)c->off;
	if (ip->flags & CTALG_IP_FRAG_LATER)
		return 0;
	switch (ip->l4proto) {
	case IPPROTO_TCP:
		return ip_parse_tcp(c, ip);
	case IPPROTO_UDP:
		return ip_parse_udp(c, ip);
	default:
		return 0;
	}
}

static int ip_parse_v4(struct ctalg_cursor *c, size_t len, struct ctalg_ip *ip)
{
	uint8_t vihl, tos, ttl;
	uint16_t tot, id, frag, csum;
	size_t hlen;

	if (!ctalg_cursor_get_u8(c, &vihl) || !ctalg_cursor_get_u8(c, &tos) ||
	    !ctalg_cursor_get_be16(c, &tot) || !ctalg_cursor_get_be16(c, &id) ||
	    !ctalg_cursor_get_be16(c, &frag) || !ctalg_cursor_get_u8(c, &ttl) ||
	    !ctalg_cursor_get_u8(c, &ip->l4proto) ||
	    !ctalg_cursor_get_be16(c, &csum) ||
	    !ctalg_cursor_get_bytes(c, ip->src.b, 4) ||
	    !ctalg_cursor_get_bytes(c, ip->dst.b, 4))
		return ip_bad(ip, "IPv4 header shorter than 20 bytes");
	hlen = (size_t)(vihl & 0x0f) * 4;
	if (hlen < 20)
		return ip_bad(ip, "IPv4 header length below 5");
	if (tot < hlen)
		return ip_bad(ip, "IPv4 total length shorter than its header");
	c->len = ip_window(ip, len, tot);
	/* With tot >= hlen, only a capture cut short ends in the options. */
	if (!ctalg_cursor_skip(c, hlen - 20))
		return 0;
	if (frag & 0x3fff) {
		ip->flags |= CTALG_IP_FRAG;
		if (frag & 0x1fff)
			ip->flags |= CTALG_IP_FRAG_LATER;
	}
	return ip_parse_l4(c, ip);
}

static int ip_parse_v6(struct ctalg_cursor *c, size_t len, struct ctalg_ip *ip)
{
	uint32_t vtcfl;
	uint16_t plen;
	uint8_t nexthdr, hlim;
	unsigned int n;

	if (!ctalg_cursor_get_be32(c, &vtcfl) ||
	    !ctalg_cursor_get_be16(c, &plen) ||
	    !ctalg_cursor_get_u8(c, &nexthdr) || !ctalg_cursor_get_u8(c, &hlim) ||
	    !ctalg_cursor_get_bytes(c, ip->src.b, 16) ||
	    !ctalg_cursor_get_bytes(c, ip->dst.b, 16))
		return ip_bad(ip, "IPv6 header shorter than 40 bytes");
	/*
	 * A payload length of 0 is a jumbogram, or a BIG TCP packet whose
	 * length only the capture knows.
	 */
	c->len = ip_window(ip, len, plen ? 40 + (size_t)plen : len);

	for (n = 0;; n++) {
		struct ctalg_cursor eh = *c;
		uint8_t next, hl;
		uint16_t fo;
		size_t elen;

		switch (nexthdr) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
		case IPPROTO_FRAGMENT:
		case IPPROTO_AH:
			break;
		default:
			ip->l4proto = nexthdr;
			return ip_parse_l4(c, ip);
		}
		if (n >= IP6_EXT_MAX)
			return ip_bad(ip, "too many IPv6 extension headers");
		if (nexthdr == IPPROTO_HOPOPTS && n > 0)
			return ip_bad(ip, "IPv6 hop-by-hop options not first");
		if (!ctalg_cursor_get_u8(&eh, &next) ||
		    !ctalg_cursor_get_u8(&eh, &hl)) {
			if (ip->flags & CTALG_IP_CUT)
				goto cut;
			return ip_bad(
			    ip, "IPv6 extension header beyond the packet");
		}
		if (nexthdr == IPPROTO_FRAGMENT) {
			elen = 8;
			if (!ctalg_cursor_get_be16(&eh, &fo)) {
				if (ip->flags & CTALG_IP_CUT)
					goto cut;
				return ip_bad(ip, "IPv6 fragment header beyond "
						  "the packet");
			}
			ip->flags |= CTALG_IP_FRAG;
			if (fo & 0xfff8)
				ip->flags |= CTALG_IP_FRAG_LATER;
		} else if (nexthdr == IPPROTO_AH) {
			elen = ((size_t)hl + 2) * 4;
		} else {
			elen = ((size_t)hl + 1) * 8;
		}
		if (!ctalg_cursor_skip(c, elen)) {
			if (ip->flags & CTALG_IP_CUT)
				goto cut;
			return ip_bad(ip, "IPv6 extension header beyond the "
					  "packet");
		}
		nexthdr = next;
		if (ip->flags & CTALG_IP_FRAG_LATER) {
			/* What follows is the middle of the original. */
			ip->l4proto = nexthdr;
			ip->l4_off = (uint32_t)c->off;
			return 0;
		}
	}
cut:
	/* The copy range ended inside the chain: no layer 4 to show. */
	ip->l4proto = nexthdr;
	ip->l4_off = (uint32_t)c->off;
	return 0;
}

int ip_parse(const void *data, size_t len, struct ctalg_ip *ip, bool lax_udp)
{
	struct ctalg_cursor c = ctalg_cursor_make(data, len);
	uint8_t v;
	int r;

	memset(ip, 0, sizeof(*ip));
	if (!ctalg_cursor_peek_u8(&c, &v))
		return ip_bad(ip, "empty packet");
	if (lax_udp)
		ip->flags |= IP_LAX_UDP;
	switch (v >> 4) {
	case 4:
		ip->version = 4;
		r = ip_parse_v4(&c, len, ip);
		break;
	case 6:
		ip->version = 6;
		r = ip_parse_v6(&c, len, ip);
		break;
	default:
		r = ip_bad(ip, "neither IPv4 nor IPv6");
		break;
	}
	ip->flags &= (uint8_t)~IP_LAX_UDP;
	return r;
}

EXPORT int ctalg_ip_parse(const void *data, size_t len, struct ctalg_ip *ip)
{
	return ip_parse(data, len, ip, false);
}
