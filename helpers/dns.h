/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Walking DNS messages (RFC 1035 section 4) for the helpers of protocols
 * that use its format (mDNS, and later LLMNR or NetBIOS name service):
 * the header, names with compression pointers, questions and resource
 * records. Every read goes through the bounded cursor; names are checked
 * (labels of at most 63 bytes, at most 255 bytes in all, compression
 * pointers bounded and loop-free) but not copied. The functions return
 * NULL, or a static string saying what was wrong.
 */
#ifndef CTALG_HELPERS_DNS_H
#define CTALG_HELPERS_DNS_H

#include <stdbool.h>
#include <stdint.h>

#include <ctalg/cursor.h>

#define DNS_HEADER_LEN 12
#define DNS_NAME_MAX   255 /* octets on the wire, RFC 1035 2.3.4 */
#define DNS_LABEL_MAX  63
/*
 * Compression pointers followed in one name: a name has at most 127
 * labels, so no encoder needs more. Without a bound a message of pointer
 * chains would cost each of its thousands of names thousands of steps.
 */
#define DNS_JUMPS_MAX 127

/* Header flags (the second 16-bit word). */
#define DNS_QR	       0x8000
#define DNS_OPCODE(f)  (((f) >> 11) & 0xf)
#define DNS_RCODE(f)   ((f)&0xf)
#define DNS_CLASS_IN   1
#define DNS_CLASS_ANY  255
#define DNS_CLASS_MASK 0x7fff /* mDNS uses the top bit (RFC 6762 5.4) */

struct dns_header {
	uint16_t id, flags;
	uint16_t qdcount, ancount, nscount, arcount;
};

static inline bool dns_get_header(struct ctalg_cursor *c, struct dns_header *h)
{
	return ctalg_cursor_get_be16(c, &h->id) &&
	       ctalg_cursor_get_be16(c, &h->flags) &&
	       ctalg_cursor_get_be16(c, &h->qdcount) &&
	       ctalg_cursor_get_be16(c, &h->ancount) &&
	       ctalg_cursor_get_be16(c, &h->nscount) &&
	       ctalg_cursor_get_be16(c, &h->arcount);
}

/*
 * Move @c past the name at its position; @c must be a cursor over the
 * whole message from its first byte (compression pointers are offsets
 * from there). A pointer must point before the place the name's current
 * run of labels started, so each pointer followed goes strictly back and
 * no name can loop; a name is at most 255 bytes, labels included, and
 * labels are at most 63 bytes; at most DNS_JUMPS_MAX pointers are
 * followed. The label types 01 and 10 (RFC 6891 obsoleted the extended
 * ones) are refused.
 */
static inline const char *dns_skip_name(struct ctalg_cursor *c)
{
	struct ctalg_cursor at = *c;
	size_t limit = c->off, total = 0;
	unsigned int jumps = 0;
	uint8_t len, low;

	for (;;) {
		if (!ctalg_cursor_get_u8(&at, &len))
			return "DNS name: cut short";
		if ((len & 0xc0) == 0xc0) {
			size_t to;

			if (!ctalg_cursor_get_u8(&at, &low))
				return "DNS name: a compression pointer cut "
				       "short";
			to = (size_t)(len & 0x3f) << 8 | low;
			if (to >= limit)
				return "DNS name: a compression pointer that "
				       "does not point back";
			if (to < DNS_HEADER_LEN)
				return "DNS name: a compression pointer into "
				       "the header";
			if (++jumps > DNS_JUMPS_MAX)
				return "DNS name: more than 127 compression "
				       "pointers";
			if (jumps == 1)
				c->off = at.off;
			limit = to;
			at.off = to;
			continue;
		}
		if (len & 0xc0)
			return "DNS name: a label of type 01 or 10";
		total += 1u + len;
		if (total > DNS_NAME_MAX)
			return "DNS name: longer than 255 bytes";
		if (!len)
			break;
		if (!ctalg_cursor_skip(&at, len))
			return "DNS name: a label cut short";
	}
	if (!jumps)
		c->off = at.off;
	return NULL;
}

/* A question: name, QTYPE, QCLASS. */
static inline const char *dns_skip_question(struct ctalg_cursor *c,
					    uint16_t *qtype, uint16_t *qclass)
{
	const char *err = dns_skip_name(c);

	if (err)
		return err;
	if (!ctalg_cursor_get_be16(c, qtype) || !ctalg_cursor_get_be16(c, qclass))
		return "DNS question: cut short after the name";
	return NULL;
}

/* A resource record: name, TYPE, CLASS, TTL, RDLENGTH, RDATA (opaque). */
static inline const char *dns_skip_rr(struct ctalg_cursor *c)
{
	const char *err = dns_skip_name(c);
	uint16_t type, cls, rdlen;
	uint32_t ttl;

	if (err)
		return err;
	if (!ctalg_cursor_get_be16(c, &type) || !ctalg_cursor_get_be16(c, &cls) ||
	    !ctalg_cursor_get_be32(c, &ttl) || !ctalg_cursor_get_be16(c, &rdlen))
		return "DNS record: cut short after the name";
	if (!ctalg_cursor_skip(c, rdlen))
		return "DNS record: the data is longer than the message";
	return NULL;
}

#endif
