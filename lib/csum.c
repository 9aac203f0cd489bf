// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Checksums for rewritten packets. The kernel takes an NFQA_PAYLOAD as it is
 * and marks it CHECKSUM_NONE, so a receiver verifies every checksum of the
 * packet sent back: lengths and checksums must be fixed here.
 */
#include <errno.h>
#include <string.h>
#include <netinet/in.h>

#include <ctalg/queue.h>

#include "queue_internal.h"

/* The one's complement sum of @len bytes as big-endian 16-bit words. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
		if (sum & 0x80000000u)
			sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Offset of the checksum field in the layer-4 header, or -1 for none. */
static int csum_l4_field(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return 16;
	case IPPROTO_UDP:
		return 6;
	default:
		return -1;
	}
}

/*
 * The IPv6 pseudo-header takes the final destination, which is not the
 * header's while a routing header still has segments to visit: that case
 * is refused rather than guessed. @pkt was checked by ctalg_ip_parse().
 */
static bool csum_v6_routed(const uint8_t *pkt, size_t len)
{
	struct ctalg_cursor c = ctalg_cursor_make(pkt, len);
	uint8_t next, hl, type, left;

	if (!ctalg_cursor_skip(&c, 6) || !ctalg_cursor_get_u8(&c, &next) ||
	    !ctalg_cursor_skip(&c, 33))
		return false;
	while (next == IPPROTO_HOPOPTS || next == IPPROTO_DSTOPTS ||
	       next == IPPROTO_ROUTING) {
		struct ctalg_cursor eh = c;
		bool routing = next == IPPROTO_ROUTING;

		if (!ctalg_cursor_get_u8(&eh, &next) ||
		    !ctalg_cursor_get_u8(&eh, &hl) ||
		    !ctalg_cursor_get_u8(&eh, &type) ||
		    !ctalg_cursor_get_u8(&eh, &left))
			return false;
		if (routing && left)
			return true;
		if (!ctalg_cursor_skip(&c, ((size_t)hl + 1) * 8))
			return false;
	}
	return false;
}

EXPORT int ctalg_ip_csum_fix(void *pkt, size_t len)
{
	uint8_t *p = pkt;
	struct ctalg_ip ip;
	uint32_t sum;
	int field;

	if (len < 1)
		goto invalid;
	switch (p[0] >> 4) {
	case 4:
		if (len < 20 || len > 0xffff || (size_t)(p[0] & 0x0f) * 4 > len)
			goto invalid;
		put_be16(p + 2, (uint16_t)len);
		put_be16(p + 10, 0);
		put_be16(p + 10,
			 csum_fold(csum_add(0, p, (size_t)(p[0] & 0x0f) * 4)));
		break;
	case 6:
		if (len < 40 || len - 40 > 0xffff)
			goto invalid;
		put_be16(p + 4, (uint16_t)(len - 40));
		break;
	default:
		goto invalid;
	}
	/* The UDP length is ours to fix, not to check. */
	if (ip_parse(p, len, &ip, true) < 0)
		goto invalid;
	if (ip.flags & CTALG_IP_FRAG) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	if (ip.version == 6 && csum_v6_routed(p, len)) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	field = csum_l4_field(ip.l4proto);
	if (field < 0)
		return 0;
	if (!(ip.flags & CTALG_IP_L4))
		goto invalid;
	if (ip.l4proto == IPPROTO_UDP)
		put_be16(p + ip.l4_off + 4, (uint16_t)(len - ip.l4_off));
	put_be16(p + ip.l4_off + field, 0);

	/* The pseudo-header: addresses, protocol, layer-4 length. */
	sum = csum_add(0, ip.src.b, ip.version == 4 ? 4 : 16);
	sum = csum_add(sum, ip.dst.b, ip.version == 4 ? 4 : 16);
	sum += ip.l4proto;
	sum += (uint32_t)(len - ip.l4_off) & 0xffff;
	sum += (uint32_t)(len - ip.l4_off) >> 16;
	sum = csum_add(sum, p + ip.l4_off, len - ip.l4_off);
	sum = csum_fold(sum);
	/* For UDP, 0 means "no checksum": send its other form. */
	if (sum == 0 && ip.l4proto == IPPROTO_UDP)
		sum = 0xffff;
	put_be16(p + ip.l4_off + field, (uint16_t)sum);
	return 0;

invalid:
	errno = EINVAL;
	return -1;
}
