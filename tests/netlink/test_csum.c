// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Checksum fix-up for rewritten packets. Known-good packets come from two
 * independent sources: a published IPv4 header with its checksum, and
 * packets whose checksums libnetfilter_queue computed (the helpers
 * conntrackd mangles with). Each packet gets its checksums and lengths
 * spoiled, is fixed, and must come out byte for byte the same. The netns
 * test adds packets checksummed by the kernel itself.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <libnetfilter_queue/libnetfilter_queue_ipv4.h>
#include <libnetfilter_queue/libnetfilter_queue_tcp.h>
#include <libnetfilter_queue/libnetfilter_queue_udp.h>

#include <ctalg/queue.h>

#include "tap.h"

/* Aligned, as the reference's struct pointers need. */
static union {
	uint8_t b[70000];
	uint64_t align;
} pkt, want;

static uint32_t rnd = 12345;

static uint8_t rnd8(void)
{
	rnd = rnd * 1103515245 + 12345;
	return (uint8_t)(rnd >> 16);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

struct csum_case {
	const char *what;
	uint8_t version;
	uint8_t proto;
	unsigned int opt_len; /* IPv4 options, or IPv6 extension headers */
	unsigned int tcp_opt; /* bytes of TCP options */
	unsigned int data;    /* bytes of layer-4 payload */
};

static const struct csum_case cases[] = {
	{ "IPv4 UDP, no data", 4, IPPROTO_UDP, 0, 0, 0 },
	{ "IPv4 UDP, 1 byte", 4, IPPROTO_UDP, 0, 0, 1 },
	{ "IPv4 UDP, 2 bytes", 4, IPPROTO_UDP, 0, 0, 2 },
	{ "IPv4 UDP, 1401 bytes", 4, IPPROTO_UDP, 0, 0, 1401 },
	{ "IPv4 with options, UDP", 4, IPPROTO_UDP, 8, 0, 33 },
	{ "IPv4 TCP, no options", 4, IPPROTO_TCP, 0, 0, 17 },
	{ "IPv4 TCP with options", 4, IPPROTO_TCP, 0, 12, 1000 },
	{ "IPv4 UDP, 65507 bytes (largest)", 4, IPPROTO_UDP, 0, 0, 65507 },
	{ "IPv6 UDP", 6, IPPROTO_UDP, 0, 0, 5 },
	{ "IPv6 TCP with options", 6, IPPROTO_TCP, 0, 20, 333 },
	{ "IPv6 hop-by-hop and destination options, UDP", 6, IPPROTO_UDP, 24, 0,
	  77 },
	{ "IPv6 destination options, TCP", 6, IPPROTO_TCP, 8, 0, 64 },
};

/* A packet with random addresses, ports and data, checksummed by the
 * reference; returns its length. */
static size_t make(const struct csum_case *c, uint8_t *p)
{
	unsigned int l3 = c->version == 4 ? 20 + c->opt_len : 40 + c->opt_len;
	unsigned int l4 = c->proto == IPPROTO_TCP ? 20 + c->tcp_opt : 8;
	size_t len = l3 + l4 + c->data, i;
	uint8_t *th = p + l3;

	for (i = 0; i < len; i++)
		p[i] = rnd8();
	if (c->version == 4) {
		p[0] = (uint8_t)(0x40 | (l3 / 4));
		p[1] = 0;
		put16(p + 2, (uint16_t)len);
		put16(p + 6, 0x4000); /* DF, not a fragment */
		p[9] = c->proto;
	} else {
		p[0] = 0x60;
		put16(p + 4, (uint16_t)(len - 40));
		p[6] = c->opt_len ? IPPROTO_HOPOPTS : c->proto;
		for (i = 0; i < c->opt_len; i += 8) {
			bool last = i + 8 >= c->opt_len;

			/* Hop-by-hop first, then destination options. */
			p[40 + i] = last ? c->proto : IPPROTO_DSTOPTS;
			p[40 + i + 1] = 0;
			memcpy(p + 40 + i + 2, "\x01\x04\0\0\0\0", 6);
		}
		if (c->opt_len == 8)
			p[6] = IPPROTO_DSTOPTS;
	}
	if (c->proto == IPPROTO_UDP) {
		put16(th + 4, (uint16_t)(l4 + c->data));
		if (c->version == 4)
			nfq_udp_compute_checksum_ipv4((struct udphdr *)th,
						      (struct iphdr *)p);
		else
			nfq_udp_compute_checksum_ipv6((struct udphdr *)th,
						      (struct ip6_hdr *)p);
	} else {
		th[12] = (uint8_t)((l4 / 4) << 4);
		if (c->version == 4)
			nfq_tcp_compute_checksum_ipv4((struct tcphdr *)th,
						      (struct iphdr *)p);
		else
			nfq_tcp_compute_checksum_ipv6((struct tcphdr *)th,
						      (struct ip6_hdr *)p);
	}
	if (c->version == 4)
		nfq_ip_set_checksum((struct iphdr *)p);
	return len;
}

static void test_reference(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct csum_case *c = &cases[i];
		size_t len = make(c, want.b);
		unsigned int l3 = c->version == 4 ? 20 + c->opt_len
						  : 40 + c->opt_len;
		int r;

		memcpy(pkt.b, want.b, len);
		/* Spoil every field the fix owns. */
		if (c->version == 4) {
			put16(pkt.b + 2, 1);
			put16(pkt.b + 10, 0x1234);
		} else {
			put16(pkt.b + 4, 2);
		}
		put16(pkt.b + l3 + (c->proto == IPPROTO_TCP ? 16 : 6), 0xbeef);
		if (c->proto == IPPROTO_UDP)
			put16(pkt.b + l3 + 4, 3);
		r = ctalg_ip_csum_fix(pkt.b, len);
		if (!tap_ok(r == 0 && memcmp(pkt.b, want.b, len) == 0,
			    "csum: %s, as libnetfilter_queue computes it",
			    c->what)) {
			tap_diag("returned %d", r);
			tap_diag_bytes("want", want.b, len < 96 ? len : 96);
			tap_diag_bytes("got", pkt.b, len < 96 ? len : 96);
		}
	}
}

/* A published IPv4 header and its checksum (0xb861). */
static void test_published(void)
{
	static const uint8_t hdr[20] = { 0x45, 0x00, 0x00, 0x73, 0x00,
					 0x00, 0x40, 0x00, 0x40, 0x11,
					 0xb8, 0x61, 0xc0, 0xa8, 0x00,
					 0x01, 0xc0, 0xa8, 0x00, 0xc7 };

	memset(pkt.b, 0, 0x73);
	memcpy(pkt.b, hdr, sizeof(hdr));
	put16(pkt.b + 10, 0);
	put16(pkt.b + 24, 0x73 - 20);
	tap_ok(ctalg_ip_csum_fix(pkt.b, 0x73) == 0 &&
		   memcmp(pkt.b, hdr, sizeof(hdr)) == 0,
	       "csum: published IPv4 header checksum 0xb861");
}

/* A UDP checksum that computes to 0 is sent as 0xffff. */
static void test_udp_zero(void)
{
	const struct csum_case c = { "zero", 4, IPPROTO_UDP, 0, 0, 10 };
	size_t len = make(&c, pkt.b);

	/* A data word equal to the checksum without it brings the sum to 0. */
	put16(pkt.b + 28, 0);
	ctalg_ip_csum_fix(pkt.b, len);
	memcpy(pkt.b + 28, pkt.b + 26, 2);
	tap_ok(ctalg_ip_csum_fix(pkt.b, len) == 0 && pkt.b[26] == 0xff &&
		   pkt.b[27] == 0xff,
	       "csum: UDP checksum 0 sent as 0xffff");
}

static void test_errors(void)
{
	const struct csum_case c4 = { "", 4, IPPROTO_UDP, 0, 0, 10 };
	const struct csum_case c6 = { "", 6, IPPROTO_UDP, 0, 0, 10 };
	size_t len;

	len = make(&c4, pkt.b);
	put16(pkt.b + 6, 0x2000); /* more fragments */
	errno = 0;
	tap_ok(ctalg_ip_csum_fix(pkt.b, len) < 0 && errno == EPROTONOSUPPORT,
	       "csum: IPv4 fragment refused (EPROTONOSUPPORT)");

	len = make(&c6, pkt.b + 8) + 8;
	memmove(pkt.b, pkt.b + 8, 40);
	pkt.b[6] = IPPROTO_FRAGMENT;
	memcpy(pkt.b + 40, "\x11\0\0\x01\0\0\0\x01", 8);
	errno = 0;
	tap_ok(ctalg_ip_csum_fix(pkt.b, len) < 0 && errno == EPROTONOSUPPORT,
	       "csum: IPv6 fragment refused (EPROTONOSUPPORT)");

	memcpy(pkt.b + 40, "\x11\0\0\x01\0\0\0\0", 8);
	pkt.b[6] = IPPROTO_ROUTING;
	pkt.b[43] = 1; /* segments left */
	errno = 0;
	tap_ok(ctalg_ip_csum_fix(pkt.b, len) < 0 && errno == EPROTONOSUPPORT,
	       "csum: IPv6 routing header with segments left refused");
	pkt.b[43] = 0;
	tap_ok(ctalg_ip_csum_fix(pkt.b, len) == 0,
	       "csum: IPv6 routing header with no segments left fixed");

	errno = 0;
	tap_ok(ctalg_ip_csum_fix(pkt.b, 70000) < 0 && errno == EINVAL,
	       "csum: IPv6 payload over 65535 refused (EINVAL)");
	len = make(&c4, pkt.b);
	errno = 0;
	tap_ok(ctalg_ip_csum_fix(pkt.b, 65536) < 0 && errno == EINVAL,
	       "csum: IPv4 packet over 65535 refused (EINVAL)");
	errno = 0;
	tap_ok(ctalg_ip_csum_fix(pkt.b, 24) < 0 && errno == EINVAL,
	       "csum: UDP header cut refused (EINVAL)");
	pkt.b[0] = 0x25;
	errno = 0;
	tap_ok(ctalg_ip_csum_fix(pkt.b, len) < 0 && errno == EINVAL,
	       "csum: neither IPv4 nor IPv6 refused (EINVAL)");
	errno = 0;
	tap_ok(ctalg_ip_csum_fix(pkt.b, 0) < 0 && errno == EINVAL,
	       "csum: empty refused (EINVAL)");

	/* ICMP: the IPv4 header only, the rest untouched. */
	len = make(&c4, pkt.b);
	pkt.b[9] = IPPROTO_ICMP;
	memcpy(want.b, pkt.b, len);
	tap_ok(ctalg_ip_csum_fix(pkt.b, len) == 0 &&
		   !memcmp(pkt.b + 20, want.b + 20, len - 20),
	       "csum: ICMP left alone past the IPv4 header");
}

int main(void)
{
	test_published();
	test_reference();
	test_udp_zero();
	test_errors();
	return tap_done();
}
