/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Connection tuples as ctnetlink carries them (CTA_TUPLE_*): the layer-3
 * addresses, the layer-4 protocol and its identifiers, and the zone.
 */
#ifndef CTALG_TUPLE_H
#define CTALG_TUPLE_H

#include <stdint.h>
#include <netinet/in.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Every request the library builds fits in a buffer of this size; builders
 * refuse smaller buffers with ENOSPC.
 */
#define CTALG_NL_MSG_SIZE 4096

/* An IPv4 address is in b[0..3] (network order), an IPv6 one in all 16. */
union ctalg_addr {
	uint8_t b[16];
	uint32_t v4;
	struct in6_addr v6;
};

/* Which fields of a tuple are present (struct ctalg_tuple.set). */
enum {
	CTALG_TUPLE_SRC = 1 << 0,
	CTALG_TUPLE_DST = 1 << 1,
	CTALG_TUPLE_PROTO = 1 << 2, /* l4proto */
	CTALG_TUPLE_SPORT = 1 << 3, /* also the GRE source key */
	CTALG_TUPLE_DPORT = 1 << 4, /* also the GRE destination key */
	CTALG_TUPLE_ICMP_ID = 1 << 5,
	CTALG_TUPLE_ICMP_TYPE = 1 << 6,
	CTALG_TUPLE_ICMP_CODE = 1 << 7,
	CTALG_TUPLE_ZONE = 1 << 8,
};

struct ctalg_tuple {
	uint16_t set;	 /* CTALG_TUPLE_* */
	uint8_t family;	 /* AF_INET or AF_INET6 */
	uint8_t l4proto; /* IPPROTO_* */
	union ctalg_addr src;
	union ctalg_addr dst;
	uint16_t sport;	  /* host order */
	uint16_t dport;	  /* host order */
	uint16_t icmp_id; /* host order */
	uint8_t icmp_type;
	uint8_t icmp_code;
	uint16_t zone;
};

/* Length in bytes of an address of @family (4, 16, or 0 if unknown). */
static inline unsigned int ctalg_addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

#ifdef __cplusplus
}
#endif

#endif
