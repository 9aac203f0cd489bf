// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The mDNS helper from byte vectors (helper_vec.h): one-shot queries that
 * dig 9.18 sent and avahi-daemon 0.8 answered between two namespaces,
 * avahi's own probes and announcements (multicast DNS proper), every
 * other message form, and hostile names: compression pointers forward,
 * into the header, in loops and long chains, over-long names and labels,
 * counts past the message. conntrackd's helper parses nothing, so any
 * packet to the group made its expectation: the responses and the noise
 * here show that defect fixed.
 */
#include "builtin.h"
#include "helper_vec.h"
#include "udp_check.h"

enum {
	Q4, /* 192.0.2.10:38215 -> 224.0.0.251:5353, dig's query */
	Q6, /* [fe80::94e2:5aff:fecd:c910]:41719 -> [ff02::fb]:5353 */
	P4, /* 192.0.2.20:5353 -> 224.0.0.251:5353, avahi itself */
	P6, /* [2001:db8::20]:5353 -> [ff02::fb]:5353 */
	U4, /* 192.0.2.10:40000 -> 192.0.2.20:5353, a unicast query */
	R4, /* 192.0.2.20:5353 -> 192.0.2.10:38215: an expected answer */
	R6, /* [2001:db8::20]:5353 -> [fe80::...]:41719 */
	G4, /* 192.0.2.10:40000 -> 224.0.0.252:5353, another group */
	D4, /* 192.0.2.10:40000 -> 224.0.0.251:5354, another port */
};

static const struct hv_conn conns[] = {
	[Q4] = { "Q4", AF_INET, "192.0.2.10", 38215, "224.0.0.251", 5353 },
	[Q6] = { "Q6", AF_INET6, "fe80::94e2:5aff:fecd:c910", 41719, "ff02::fb",
		 5353 },
	[P4] = { "P4", AF_INET, "192.0.2.20", 5353, "224.0.0.251", 5353 },
	[P6] = { "P6", AF_INET6, "2001:db8::20", 5353, "ff02::fb", 5353 },
	[U4] = { "U4", AF_INET, "192.0.2.10", 40000, "192.0.2.20", 5353 },
	[R4] = { "R4", AF_INET, "192.0.2.20", 5353, "192.0.2.10", 38215 },
	[R6] = { "R6", AF_INET6, "2001:db8::20", 5353,
		 "fe80::94e2:5aff:fecd:c910", 41719 },
	[G4] = { "G4", AF_INET, "192.0.2.10", 40000, "224.0.0.252", 5353 },
	[D4] = { "D4", AF_INET, "192.0.2.10", 40000, "224.0.0.251", 5354 },
};

#define WANT4 \
	"UDP from any port 5353 to 192.0.2.10 port 38215 class 0 permanent"
#define WANT6                                                             \
	"UDP from any port 5353 to fe80::94e2:5aff:fecd:c910 port 41719 " \
	"class 0 permanent"

/* A header: ID 0x1234, the flags, one question, no records. */
#define HDR(flags) "\x12\x34" flags "\x00\x01\x00\x00\x00\x00\x00\x00"
#define QUERY	   HDR("\x00\x00")
/* "device.local" */
#define NAME     \
	"\x06"   \
	"device" \
	"\x05"   \
	"local"  \
	"\x00"
/* QTYPE A, QCLASS IN */
#define A_IN "\x00\x01\x00\x01"

// clang-format off
static const struct hv_vec vectors[] = {
	/*
	 * Captured: "dig @224.0.0.251 -p 5353 device.local A" (BIND 9.18,
	 * Debian 12): RD and AD set, an EDNS OPT record with a cookie.
	 */
	{ "dig A query with EDNS and a cookie (captured)",
	  B("\x59\x50\x01\x20\x00\x01\x00\x00\x00\x00\x00\x01\x06\x64\x65\x76"
	    "\x69\x63\x65\x05\x6c\x6f\x63\x61\x6c\x00\x00\x01\x00\x01\x00\x00"
	    "\x29\x04\xd0\x00\x00\x00\x00\x00\x0c\x00\x0a\x00\x08\x81\x19\xf0"
	    "\xb3\xc1\xda\x0d\x09"),
	  .conn = Q4, .exp = { WANT4 } },
	/* Captured: avahi-daemon's unicast answer to it, from port 5353. */
	{ "avahi's answer to the A query (captured)",
	  B("\x59\x50\x84\x00\x00\x01\x00\x01\x00\x00\x00\x00\x06\x64\x65\x76"
	    "\x69\x63\x65\x05\x6c\x6f\x63\x61\x6c\x00\x00\x01\x00\x01\xc0\x0c"
	    "\x00\x01\x00\x01\x00\x00\x00\x0a\x00\x04\xc0\x00\x02\x14"),
	  .conn = R4 },
	/* Captured: "dig +noedns ... device.local AAAA". */
	{ "dig AAAA query without EDNS (captured)",
	  B("\xf1\x63\x01\x20\x00\x01\x00\x00\x00\x00\x00\x00\x06\x64\x65\x76"
	    "\x69\x63\x65\x05\x6c\x6f\x63\x61\x6c\x00\x00\x1c\x00\x01"),
	  .conn = Q4, .exp = { WANT4 } },
	{ "avahi's AAAA answer (captured)",
	  B("\xf1\x63\x84\x00\x00\x01\x00\x01\x00\x00\x00\x00\x06\x64\x65\x76"
	    "\x69\x63\x65\x05\x6c\x6f\x63\x61\x6c\x00\x00\x1c\x00\x01\xc0\x0c"
	    "\x00\x1c\x00\x01\x00\x00\x00\x0a\x00\x10\x20\x01\x0d\xb8\x00\x00"
	    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x20"),
	  .conn = R4 },
	/* Captured: "dig -x 192.0.2.20", and avahi's PTR answer. */
	{ "dig reverse (PTR) query (captured)",
	  B("\xb2\xb9\x01\x20\x00\x01\x00\x00\x00\x00\x00\x01\x02\x32\x30\x01"
	    "\x32\x01\x30\x03\x31\x39\x32\x07\x69\x6e\x2d\x61\x64\x64\x72\x04"
	    "\x61\x72\x70\x61\x00\x00\x0c\x00\x01\x00\x00\x29\x04\xd0\x00\x00"
	    "\x00\x00\x00\x0c\x00\x0a\x00\x08\xa3\x42\x1b\x69\xc5\xd7\xc2\x33"),
	  .conn = Q4, .exp = { WANT4 } },
	{ "avahi's PTR answer (captured)",
	  B("\xb2\xb9\x84\x00\x00\x01\x00\x01\x00\x00\x00\x00\x02\x32\x30\x01"
	    "\x32\x01\x30\x03\x31\x39\x32\x07\x69\x6e\x2d\x61\x64\x64\x72\x04"
	    "\x61\x72\x70\x61\x00\x00\x0c\x00\x01\xc0\x0c\x00\x0c\x00\x01\x00"
	    "\x00\x00\x0a\x00\x0e\x06\x64\x65\x76\x69\x63\x65\x05\x6c\x6f\x63"
	    "\x61\x6c\x00"),
	  .conn = R4 },
	/* Captured: "dig _services._dns-sd._udp.local PTR" (no answer). */
	{ "dig DNS-SD services query (captured)",
	  B("\xb3\xc8\x01\x20\x00\x01\x00\x00\x00\x00\x00\x01\x09\x5f\x73\x65"
	    "\x72\x76\x69\x63\x65\x73\x07\x5f\x64\x6e\x73\x2d\x73\x64\x04\x5f"
	    "\x75\x64\x70\x05\x6c\x6f\x63\x61\x6c\x00\x00\x0c\x00\x01\x00\x00"
	    "\x29\x04\xd0\x00\x00\x00\x00\x00\x0c\x00\x0a\x00\x08\xf4\x90\x49"
	    "\x9c\x9a\x56\x8a\x07"),
	  .conn = Q4, .exp = { WANT4 } },
	/*
	 * Captured: a one-shot AAAA query to ff02::fb from a link-local
	 * address, and avahi's answer from its global address: the answer
	 * may come from any address.
	 */
	{ "IPv6 one-shot query from a link-local address (captured)",
	  B("\xf1\x63\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x06\x64\x65\x76"
	    "\x69\x63\x65\x05\x6c\x6f\x63\x61\x6c\x00\x00\x1c\x00\x01"),
	  .conn = Q6, .exp = { WANT6 } },
	{ "avahi's IPv6 answer from its global address (captured)",
	  B("\xf1\x63\x84\x00\x00\x01\x00\x01\x00\x00\x00\x00\x06\x64\x65\x76"
	    "\x69\x63\x65\x05\x6c\x6f\x63\x61\x6c\x00\x00\x1c\x00\x01\xc0\x0c"
	    "\x00\x1c\x00\x01\x00\x00\x00\x0a\x00\x10\x20\x01\x0d\xb8\x00\x00"
	    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x20"),
	  .conn = R6 },
	/*
	 * Captured: avahi probing its names (RFC 6762 8.1): a query from
	 * port 5353 with three ANY questions and four proposed records in
	 * the authority section, names compressed. Multicast DNS proper:
	 * its answers go to the group, nothing to expect.
	 */
	{ "avahi's probe, from port 5353 (captured)",
	  B("\x00\x00\x00\x00\x00\x03\x00\x00\x00\x04\x00\x00\x01\x30\x01\x32"
	    "\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30"
	    "\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30"
	    "\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30\x01\x38\x01\x62"
	    "\x01\x64\x01\x30\x01\x31\x01\x30\x01\x30\x01\x32\x03\x69\x70\x36"
	    "\x04\x61\x72\x70\x61\x00\x00\xff\x00\x01\x06\x64\x65\x76\x69\x63"
	    "\x65\x05\x6c\x6f\x63\x61\x6c\x00\x00\xff\x00\x01\x02\x32\x30\x01"
	    "\x32\x01\x30\x03\x31\x39\x32\x07\x69\x6e\x2d\x61\x64\x64\x72\xc0"
	    "\x50\x00\xff\x00\x01\xc0\x5a\x00\x01\x00\x01\x00\x00\x00\x78\x00"
	    "\x04\xc0\x00\x02\x14\xc0\x6c\x00\x0c\x00\x01\x00\x00\x00\x78\x00"
	    "\x02\xc0\x5a\xc0\x5a\x00\x1c\x00\x01\x00\x00\x00\x78\x00\x10\x20"
	    "\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x20\xc0"
	    "\x0c\x00\x0c\x00\x01\x00\x00\x00\x78\x00\x02\xc0\x5a"),
	  .conn = P4 },
	/* Captured: avahi announcing its IPv6 records (cache-flush bit). */
	{ "avahi's announcement over IPv6 (captured)",
	  B("\x00\x00\x84\x00\x00\x00\x00\x02\x00\x00\x00\x00\x01\x30\x01\x32"
	    "\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30"
	    "\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30"
	    "\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30\x01\x30\x01\x38\x01\x62"
	    "\x01\x64\x01\x30\x01\x31\x01\x30\x01\x30\x01\x32\x03\x69\x70\x36"
	    "\x04\x61\x72\x70\x61\x00\x00\x0c\x80\x01\x00\x00\x00\x78\x00\x0e"
	    "\x06\x64\x65\x76\x69\x63\x65\x05\x6c\x6f\x63\x61\x6c\x00\xc0\x60"
	    "\x00\x1c\x80\x01\x00\x00\x00\x78\x00\x10\x20\x01\x0d\xb8\x00\x00"
	    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x20"),
	  .conn = P6 },

	/* Queries, crafted: the forms RFC 6762 and 1035 allow. */
	{ "a query for A", B(QUERY NAME A_IN), .conn = Q4, .exp = { WANT4 } },
	{ "a query asking for a unicast answer (QU bit)",
	  B(QUERY NAME "\x00\x01\x80\x01"), .conn = Q4, .exp = { WANT4 } },
	{ "a query of class ANY", B(QUERY NAME "\x00\xff\x00\xff"), .conn = Q4,
	  .exp = { WANT4 } },
	{ "a query for the root name", B(QUERY "\x00" A_IN), .conn = Q4,
	  .exp = { WANT4 } },
	{ "a query over IPv6", B(QUERY NAME "\x00\x1c\x00\x01"), .conn = Q6,
	  .exp = { WANT6 } },
	{ "two questions, the second a pointer to the first",
	  B("\x12\x34\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00" NAME A_IN
	    "\x04" "host" "\xc0\x13" "\x00\x1c\x00\x01"),
	  .conn = Q4, .exp = { WANT4 } },
	{ "a query with a known answer",
	  B("\x12\x34\x00\x00\x00\x01\x00\x01\x00\x00\x00\x00" NAME A_IN
	    "\xc0\x0c" A_IN "\x00\x00\x00\x78\x00\x04\xc0\x00\x02\x14"),
	  .conn = Q4, .exp = { WANT4 } },
	{ "a query with TC set (more known answers follow)",
	  B(HDR("\x02\x00") NAME A_IN), .conn = Q4, .exp = { WANT4 } },
	{ "a query whose ID is 0 (RFC 6762 18.1)",
	  B("\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00" NAME A_IN),
	  .conn = Q4, .exp = { WANT4 } },
	{ "a name with labels of 63 and 255 bytes in all",
	  B(QUERY
	    "\x3f" "0123456789012345678901234567890123456789012345678901234567890ab"
	    "\x3f" "0123456789012345678901234567890123456789012345678901234567890ab"
	    "\x3f" "0123456789012345678901234567890123456789012345678901234567890ab"
	    "\x3d" "0123456789012345678901234567890123456789012345678901234567890"
	    "\x00" A_IN),
	  .conn = Q4, .exp = { WANT4 } },
	{ "a label of other bytes (mDNS names are UTF-8)",
	  B(QUERY "\x04\xc3\xa9\x00\xff" "\x00" A_IN), .conn = Q4,
	  .exp = { WANT4 } },

	/* Messages that ask for nothing. */
	{ "reference defect fixed: a response to the group asks for nothing",
	  B(HDR("\x84\x00") NAME A_IN), .conn = Q4 },
	{ "a query without a question asks for nothing (known answers only)",
	  B("\x12\x34\x02\x00\x00\x00\x00\x01\x00\x00\x00\x00" NAME A_IN
	    "\x00\x00\x00\x78\x00\x04\xc0\x00\x02\x14"),
	  .conn = Q4 },
	{ "a bare header asks for nothing",
	  B("\x12\x34\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"), .conn = Q4 },
	{ "a query from port 5353 is mDNS proper", B(QUERY NAME A_IN),
	  .conn = P4 },
	{ "a query from port 5353 over IPv6", B(QUERY NAME A_IN), .conn = P6 },
	{ "a unicast query is answered on its own connection",
	  B(QUERY NAME A_IN), .conn = U4 },
	{ "a query to another group", B(QUERY NAME A_IN), .conn = G4 },
	{ "a query to the group on another port", B(QUERY NAME A_IN),
	  .conn = D4 },
	{ "a query on an answer's connection", B(QUERY NAME A_IN), .conn = R4 },
	{ "a query from the reply side", B(QUERY NAME A_IN), .conn = U4,
	  .dir = REPLY },
	/* RFC 6762 18.3 and 18.11: silently ignored, not even walked. */
	{ "opcode 1 is ignored", B(HDR("\x08\x00") "\xff"), .conn = Q4 },
	{ "opcode 5 (UPDATE) is ignored", B(HDR("\x28\x00") NAME A_IN),
	  .conn = Q4 },
	{ "rcode 3 is ignored", B(HDR("\x00\x03") NAME A_IN), .conn = Q4 },

	/* Hostile: malformed messages are errors and ask for nothing. */
	{ "11 bytes", B("\x12\x34\x00\x00\x00\x01\x00\x00\x00\x00\x00"),
	  .conn = Q4, .error = "shorter than a DNS header" },
	{ "one question announced, none there", B(QUERY), .conn = Q4,
	  .error = "DNS name: cut short" },
	{ "a name without its end", B(QUERY "\x06" "device"), .conn = Q4,
	  .error = "DNS name: cut short" },
	{ "a label longer than the message", B(QUERY "\x3f" "device"),
	  .conn = Q4, .error = "DNS name: a label cut short" },
	{ "a question without its class", B(QUERY NAME "\x00\x01\x00"),
	  .conn = Q4, .error = "DNS question: cut short" },
	{ "a question of type 0", B(QUERY NAME "\x00\x00\x00\x01"), .conn = Q4,
	  .error = "question of type 0" },
	{ "a question of class CH", B(QUERY NAME "\x00\x01\x00\x03"),
	  .conn = Q4, .error = "class other than IN or ANY" },
	{ "a question of class 0 with the QU bit",
	  B(QUERY NAME "\x00\x01\x80\x00"), .conn = Q4,
	  .error = "class other than IN or ANY" },
	{ "a label of 64 bytes (type 01)", B(QUERY "\x40" "x" "\x00" A_IN),
	  .conn = Q4, .error = "a label of type 01 or 10" },
	{ "a label of type 10", B(QUERY "\x80" "\x00" A_IN), .conn = Q4,
	  .error = "a label of type 01 or 10" },
	{ "a name of 256 bytes",
	  B(QUERY
	    "\x3f" "0123456789012345678901234567890123456789012345678901234567890ab"
	    "\x3f" "0123456789012345678901234567890123456789012345678901234567890ab"
	    "\x3f" "0123456789012345678901234567890123456789012345678901234567890ab"
	    "\x3e" "01234567890123456789012345678901234567890123456789012345678901"
	    "\x00" A_IN),
	  .conn = Q4, .error = "longer than 255 bytes" },
	{ "a name made longer than 255 bytes by a pointer",
	  B("\x12\x34\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00"
	    "\x3f" "0123456789012345678901234567890123456789012345678901234567890ab"
	    "\x3f" "0123456789012345678901234567890123456789012345678901234567890ab"
	    "\x00" A_IN
	    "\x3f" "0123456789012345678901234567890123456789012345678901234567890ab"
	    "\x3f" "0123456789012345678901234567890123456789012345678901234567890ab"
	    "\xc0\x0c" A_IN),
	  .conn = Q4, .error = "longer than 255 bytes" },
	{ "a pointer to itself", B(QUERY "\xc0\x0c" A_IN), .conn = Q4,
	  .error = "does not point back" },
	{ "a pointer forward", B(QUERY "\xc0\x0e" NAME A_IN), .conn = Q4,
	  .error = "does not point back" },
	{ "a pointer past the message", B(QUERY "\xff\xff" A_IN), .conn = Q4,
	  .error = "does not point back" },
	{ "a pointer into the header", B(QUERY "\xc0\x04" A_IN), .conn = Q4,
	  .error = "into the header" },
	{ "a pointer cut short", B(QUERY "\xc0"), .conn = Q4,
	  .error = "a compression pointer cut short" },
	{ "a loop: a label, then a pointer back to it",
	  B(QUERY "\x01" "a" "\xc0\x0c" A_IN), .conn = Q4,
	  .error = "does not point back" },
	{ "a loop through two names",
	  B("\x12\x34\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00"
	    "\x01" "a" "\xc0\x12" A_IN "\x01" "b" "\xc0\x0c" A_IN),
	  .conn = Q4, .error = "does not point back" },
	{ "a record announced, none there",
	  B("\x12\x34\x00\x00\x00\x01\x00\x01\x00\x00\x00\x00" NAME A_IN),
	  .conn = Q4, .error = "DNS name: cut short" },
	{ "a record cut after its name",
	  B("\x12\x34\x00\x00\x00\x01\x00\x01\x00\x00\x00\x00" NAME A_IN
	    "\xc0\x0c" A_IN "\x00\x00"),
	  .conn = Q4, .error = "DNS record: cut short" },
	{ "a record longer than the message",
	  B("\x12\x34\x00\x00\x00\x01\x00\x01\x00\x00\x00\x00" NAME A_IN
	    "\xc0\x0c" A_IN "\x00\x00\x00\x78\x00\x05\xc0\x00\x02\x14"),
	  .conn = Q4, .error = "longer than the message" },
	{ "65535 questions announced",
	  B("\x12\x34\x00\x00\xff\xff\x00\x00\x00\x00\x00\x00" NAME A_IN),
	  .conn = Q4, .error = "DNS name: cut short" },
	{ "65535 records of each kind announced",
	  B("\x12\x34\x84\x00\x00\x00\xff\xff\xff\xff\xff\xff" NAME A_IN),
	  .conn = P4, .error = "DNS record: cut short" },
	{ "bytes after the last record", B(QUERY NAME A_IN "\x00"), .conn = Q4,
	  .error = "bytes after the last record" },
	{ "a malformed response is an error too", B(HDR("\x84\x00") "\x05" "a"),
	  .conn = R4, .error = "DNS name: a label cut short" },
};
// clang-format on

static const struct hv_suite suite = {
	.helper = &ctalg_helper_mdns,
	.conns = conns,
	.n_conns = sizeof(conns) / sizeof(conns[0]),
	.check = mdns_req_check,
};

/*
 * A message whose first record carries, as its data, a chain of
 * compression pointers, each to the one before, the first to the root
 * name of the question at offset 12; then @n records whose names point
 * at link @top of the chain: each name takes top + 2 pointers to resolve.
 * Returns the message's length.
 */
static size_t chain_build(uint8_t *buf, unsigned int links, unsigned int top,
			  unsigned int n)
{
	size_t at = 12, chain, i;

	memcpy(buf, "\x12\x34\x00\x00\x00\x01", 6);
	buf[6] = (uint8_t)((n + 1) >> 8);
	buf[7] = (uint8_t)(n + 1);
	memset(buf + 8, 0, 4);
	memcpy(buf + at, "\x00" A_IN, 5); /* the question: the root name */
	at += 5;
	memcpy(buf + at, "\x00" A_IN "\x00\x00\x00\x78", 9);
	buf[at + 9] = (uint8_t)(2 * links >> 8);
	buf[at + 10] = (uint8_t)(2 * links);
	chain = at += 11;
	for (i = 0; i < links; i++, at += 2) {
		size_t to = i ? at - 2 : 12;

		buf[at] = (uint8_t)(0xc0 | to >> 8);
		buf[at + 1] = (uint8_t)to;
	}
	for (i = 0; i < n; i++, at += 12) {
		size_t to = chain + 2 * top;

		buf[at] = (uint8_t)(0xc0 | to >> 8);
		buf[at + 1] = (uint8_t)to;
		memcpy(buf + at + 2, A_IN "\x00\x00\x00\x78\x00\x00", 10);
	}
	return at;
}

/*
 * Compression pointer chains, built here: a name resolved through 127
 * pointers is fine, through 128 it is refused; and a datagram of 64 KiB
 * of names, each at the top of a chain of 125 pointers, is parsed at a
 * cost bounded per name (it would take a hundred million steps without
 * the bound on a longer chain).
 */
static void test_chains(void)
{
	uint8_t *buf = malloc(65507);
	struct hv_vec v = { .conn = Q4, .bytes = (const char *)buf };
	unsigned int n;

	if (!buf)
		abort();
	v.len = chain_build(buf, 126, 125, 1);
	v.name = "a name through 127 compression pointers";
	v.exp[0] = WANT4;
	hv_run(&suite, &v);

	v.len = chain_build(buf, 127, 126, 1);
	v.name = "a name through 128 compression pointers";
	v.exp[0] = NULL;
	v.error = "more than 127 compression pointers";
	hv_run(&suite, &v);

	n = (65507 - 12 - 5 - 11 - 2 * 126) / 12;
	v.len = chain_build(buf, 126, 125, n);
	v.name = "64 KiB of names, each through 127 pointers";
	v.exp[0] = WANT4;
	v.error = NULL;
	hv_once(&suite, &v);
	free(buf);
}

static void test_definition(void)
{
	const struct ctalg_helper *h = &ctalg_helper_mdns;

	tap_ok(h->abi == CTALG_HELPER_ABI && !strcmp(h->name, "mdns") &&
		   h->l4proto == IPPROTO_UDP &&
		   h->families == (CTALG_HELPER_INET | CTALG_HELPER_INET6) &&
		   h->ports[0] == 5353 && h->ports[1] == 0 &&
		   h->min_port == 1024 && h->priv_size == 0,
	       "mdns: UDP port 5353, IPv4 and IPv6, ports from 1024, no state");
	tap_ok(h->n_classes == 1 && !strcmp(h->classes[0].name, "mdns") &&
		   h->classes[0].max_expected == 8 && h->classes[0].timeout == 30,
	       "mdns: one class \"mdns\", at most 8, 30 s, as conntrackd's");
}

int main(void)
{
	test_definition();
	hv_run_all(&suite, vectors, sizeof(vectors) / sizeof(vectors[0]));
	test_chains();
	return tap_done();
}
