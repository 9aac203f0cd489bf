// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SLP helper from byte vectors (helper_vec.h). Debian 12 ships no SLP
 * implementation (OpenSLP is gone), so the messages are built from RFC
 * 2608 section 8 as a user agent sends them, every field in its place:
 * the three requests to the groups and broadcasts of IPv4 and IPv6 (RFC
 * 3111), with extensions; replies and advertisements; then every header
 * field and every length one past its bound, extension chains that loop.
 * conntrackd's helper parses nothing: the malformed messages here made
 * its expectation.
 */
#include "builtin.h"
#include "helper_vec.h"
#include "udp_check.h"

enum {
	M4,  /* 192.0.2.10:40000 -> 239.255.255.253:427, the SLP group */
	B4,  /* 192.0.2.10:40000 -> 255.255.255.255:427 */
	D4,  /* 192.0.2.10:40000 -> 192.0.2.255:427, a subnet's broadcast */
	U4,  /* 192.0.2.10:40000 -> 192.0.2.20:427, one agent */
	P4,  /* 192.0.2.10:40000 -> 239.255.255.253:428 */
	SA4, /* 192.0.2.20:427 -> 239.255.255.253:427, an agent itself */
	R4,  /* 192.0.2.20:427 -> 192.0.2.10:40000, an expected reply */
	M6,  /* [fe80::10]:40000 -> [ff02::116]:427 */
	A6,  /* [fe80::10]:40000 -> [ff02::123]:427 */
	S6,  /* [2001:db8::10]:40000 -> [ff05::1:1000]:427 */
	T6,  /* [2001:db8::10]:40000 -> [ff05::1:13ff]:427 */
	X6,  /* [2001:db8::10]:40000 -> [ff05::1:1400]:427 */
	U6,  /* [2001:db8::10]:40000 -> [2001:db8::20]:427 */
};

static const struct hv_conn conns[] = {
	[M4] = { "M4", AF_INET, "192.0.2.10", 40000, "239.255.255.253", 427 },
	[B4] = { "B4", AF_INET, "192.0.2.10", 40000, "255.255.255.255", 427 },
	[D4] = { "D4", AF_INET, "192.0.2.10", 40000, "192.0.2.255", 427 },
	[U4] = { "U4", AF_INET, "192.0.2.10", 40000, "192.0.2.20", 427 },
	[P4] = { "P4", AF_INET, "192.0.2.10", 40000, "239.255.255.253", 428 },
	[SA4] = { "SA4", AF_INET, "192.0.2.20", 427, "239.255.255.253", 427 },
	[R4] = { "R4", AF_INET, "192.0.2.20", 427, "192.0.2.10", 40000 },
	[M6] = { "M6", AF_INET6, "fe80::10", 40000, "ff02::116", 427 },
	[A6] = { "A6", AF_INET6, "fe80::10", 40000, "ff02::123", 427 },
	[S6] = { "S6", AF_INET6, "2001:db8::10", 40000, "ff05::1:1000", 427 },
	[T6] = { "T6", AF_INET6, "2001:db8::10", 40000, "ff05::1:13ff", 427 },
	[X6] = { "X6", AF_INET6, "2001:db8::10", 40000, "ff05::1:1400", 427 },
	[U6] = { "U6", AF_INET6, "2001:db8::10", 40000, "2001:db8::20", 427 },
};

#define WANT(addr, port) \
	"UDP from any port 427 to " addr " port " #port " class 0 permanent"
#define WANT4  WANT("192.0.2.10", 40000)
#define WANT6  WANT("fe80::10", 40000)
#define WANT6G WANT("2001:db8::10", 40000)
#define WANTSA WANT("192.0.2.20", 427)

/*
 * Built by a script from the fields RFC 2608 section 8 lists: version,
 * function, 24-bit length, flags, 24-bit next extension offset, XID,
 * language tag; then each request's length-prefixed fields.
 */
// clang-format off
static const struct hv_vec vectors[] = {
	/* As a user agent multicasts it: REQUEST MCAST set, XID 0x1234,
	 * language "en", an empty PRList, "service:printer", scope
	 * "DEFAULT", no predicate, no SPI. */
	{ "SrvRqst for service:printer to the SLP group",
	  B("\x02\x01\x00\x00\x30\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M4, .exp = { WANT4 } },
	{ "SrvRqst with a predicate and a PRList",
	  B("\x02\x01\x00\x00\x57\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x15" "192.0.2.21,192.0.2.22" "\x00\x0f"
	    "service:printer" "\x00\x07" "DEFAULT" "\x00\x12"
	    "(location=floor 2)" "\x00\x00"),
	  .conn = M4, .exp = { WANT4 } },
	{ "directory agent discovery (RFC 2608 12.2.1)",
	  B("\x02\x01\x00\x00\x38\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x17" "service:directory-agent" "\x00\x07"
	    "DEFAULT" "\x00\x00\x00\x00"),
	  .conn = M4, .exp = { WANT4 } },
	{ "SrvRqst to the limited broadcast",
	  B("\x02\x01\x00\x00\x30\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = B4, .exp = { WANT4 } },
	{ "SrvRqst to a subnet broadcast, REQUEST MCAST set",
	  B("\x02\x01\x00\x00\x30\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = D4, .exp = { WANT4 } },
	{ "SrvRqst to a unicast agent, REQUEST MCAST clear: its own connection",
	  B("\x02\x01\x00\x00\x30\x00\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = D4 },
	{ "SrvRqst to the group without REQUEST MCAST",
	  B("\x02\x01\x00\x00\x30\x00\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M4, .exp = { WANT4 } },
	{ "SrvRqst in another language",
	  B("\x02\x01\x00\x00\x38\x20\x00\x00\x00\x00\x12\x34\x00\x0a"
	    "de-CH-1996" "\x00\x00\x00\x0f" "service:printer" "\x00\x07"
	    "DEFAULT" "\x00\x00\x00\x00"),
	  .conn = M4, .exp = { WANT4 } },
	{ "AttrRqst for a URL",
	  B("\x02\x06\x00\x00\x47\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00" "&service:printer:lpr://192.0.2.30/queue"
	    "\x00\x07" "DEFAULT" "\x00\x00\x00\x00"),
	  .conn = M4, .exp = { WANT4 } },
	{ "AttrRqst for a service type with tags",
	  B("\x02\x06\x00\x00\x3e\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x0e" "location,color" "\x00\x00"),
	  .conn = M4, .exp = { WANT4 } },
	{ "SrvTypeRqst for every naming authority",
	  B("\x02\x09\x00\x00\x1d\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\xff\xff\x00\x07" "DEFAULT"),
	  .conn = M4, .exp = { WANT4 } },
	{ "SrvTypeRqst for IANA (an empty authority)",
	  B("\x02\x09\x00\x00\x1d\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x00\x00\x07" "DEFAULT"),
	  .conn = M4, .exp = { WANT4 } },
	{ "SrvTypeRqst for one naming authority",
	  B("\x02\x09\x00\x00\x24\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x07" "example" "\x00\x07" "DEFAULT"),
	  .conn = M4, .exp = { WANT4 } },
	{ "SrvRqst with an extension (attribute list, RFC 3059)",
	  B("\x02\x01\x00\x00\x4d\x20\x00\x00\x00\x30\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x13"
	    "service:printer://x" "\x00\x00\x00"),
	  .conn = M4, .exp = { WANT4 } },
	{ "SrvRqst with two extensions",
	  B("\x02\x01\x00\x00\x3c\x20\x00\x00\x00\x30\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00\x80\x01\x00\x00" "7xy" "\x80\x02\x00\x00\x00"),
	  .conn = M4, .exp = { WANT4 } },
	{ "SrvRqst over IPv6 to ff02::116",
	  B("\x02\x01\x00\x00\x30\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M6, .exp = { WANT6 } },
	{ "SrvRqst over IPv6 to ff02::123",
	  B("\x02\x01\x00\x00\x38\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x17" "service:directory-agent" "\x00\x07"
	    "DEFAULT" "\x00\x00\x00\x00"),
	  .conn = A6, .exp = { WANT6 } },
	{ "SrvRqst over IPv6 to the service group ff05::1:1000",
	  B("\x02\x01\x00\x00\x30\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = S6, .exp = { WANT6G } },
	{ "SrvRqst over IPv6 to the last service group ff05::1:13ff",
	  B("\x02\x01\x00\x00\x30\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = T6, .exp = { WANT6G } },
	{ "SrvRqst over IPv6 to ff05::1:1400, no SLP group",
	  B("\x02\x01\x00\x00\x30\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = X6 },
	{ "SrvRqst over IPv6 to a unicast agent, REQUEST MCAST set",
	  B("\x02\x01\x00\x00\x30\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = U6 },
	{ "SrvRqst to another port",
	  B("\x02\x01\x00\x00\x30\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = P4 },
	/* Asked for as the packet says; ctalgd refuses it (port 427 is below
	 * the floor): an agent listening on 427 is reached there anyway. */
	{ "a service agent looking for directory agents from port 427",
	  B("\x02\x01\x00\x00\x38\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x17" "service:directory-agent" "\x00\x07"
	    "DEFAULT" "\x00\x00\x00\x00"),
	  .conn = SA4, .exp = { WANTSA } },
	{ "SrvRply from an agent on its own connection",
	  B("\x02\x02\x00\x00\x3a\x00\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x01\x00\xff\xff\x00\x1f"
	    "service:printer:lpr://192.0.2.30" "\x00"),
	  .conn = R4 },
	{ "DAAdvert to the group: no request, no expectation",
	  B("\x02\x08\x00\x00\x4a\x00\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x00\x00\x01\x00"
	    "$service:directory-agent://192.0.2.40" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00\x00"),
	  .conn = M4 },
	{ "SrvReg to an agent",
	  B("\x02\x03\x00\x00\x11\x40\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00"),
	  .conn = D4 },
	{ "a request from the reply side",
	  B("\x02\x01\x00\x00\x30\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = U4, .dir = REPLY },
	{ "SLPv1",
	  B("\x01\x01\x00\x00\x30\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M4, .error = "not version 2" },
	{ "version 3",
	  B("\x03\x01\x00\x00\x30\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M4, .error = "not version 2" },
	{ "function 0",
	  B("\x02\x00\x00\x00\x30\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M4, .error = "unknown function" },
	{ "function 12",
	  B("\x02\x0c\x00\x00\x30\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M4, .error = "unknown function" },
	{ "function 255",
	  B("\x02\xff\x00\x00\x30\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M4, .error = "unknown function" },
	{ "the length field one short",
	  B("\x02\x01\x00\x00\x2f\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M4, .error = "the length field" },
	{ "the length field one long",
	  B("\x02\x01\x00\x00\x31\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M4, .error = "the length field" },
	{ "the length field 0xffffff",
	  B("\x02\x01\xff\xff\xff\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M4, .error = "the length field" },
	{ "a reserved flag",
	  B("\x02\x01\x00\x00\x30\x20\x01\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M4, .error = "reserved flags" },
	{ "an empty language tag",
	  B("\x02\x01\x00\x00\x2e\x20\x00\x00\x00\x00\x12\x34\x00\x00"
	    "\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M4, .error = "the language tag is not 1-64" },
	{ "a language tag of 65 bytes",
	  B("\x02\x01\x00\x00\x6f\x20\x00\x00\x00\x00\x12\x34\x00"
	    "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M4, .error = "the language tag is not 1-64" },
	{ "a language tag of 64 bytes",
	  B("\x02\x01\x00\x00\x6e\x20\x00\x00\x00\x00\x12\x34\x00"
	    "@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M4, .exp = { WANT4 } },
	{ "a language tag with a blank",
	  B("\x02\x01\x00\x00\x31\x20\x00\x00\x00\x00\x12\x34\x00\x03" "e n"
	    "\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M4, .error = "letters, digits and hyphens" },
	{ "a language tag with a NUL",
	  B("\x02\x01\x00\x00\x31\x20\x00\x00\x00\x00\x12\x34\x00\x03"
	    "\x65\x6e\x00\x00\x00\x00\x0f" "service:printer" "\x00\x07"
	    "DEFAULT" "\x00\x00\x00\x00"),
	  .conn = M4, .error = "letters, digits and hyphens" },
	{ "a language tag longer than the message",
	  B("\x02\x01\x00\x00\x10\x20\x00\x00\x00\x00\x12\x34\x00\x09"
	    "\x65\x6e"),
	  .conn = M4, .error = "the language tag is longer" },
	{ "13 bytes",
	  B("\x02\x01\x00\x00\x30\x20\x00\x00\x00\x00\x12\x34\x00"),
	  .conn = M4, .error = "shorter than its header" },
	{ "SrvRqst without its fields",
	  B("\x02\x01\x00\x00\x10\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e"),
	  .conn = M4, .error = "SrvRqst: a field longer" },
	{ "SrvRqst with a field longer than the message",
	  B("\x02\x01\x00\x00\x23\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00" "@service:printer"),
	  .conn = M4, .error = "SrvRqst: a field longer" },
	{ "SrvRqst missing the SPI",
	  B("\x02\x01\x00\x00\x2e\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00"),
	  .conn = M4, .error = "SrvRqst: a field longer" },
	{ "SrvRqst without a service type",
	  B("\x02\x01\x00\x00\x21\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x00\x00\x07" "DEFAULT" "\x00\x00\x00\x00"),
	  .conn = M4, .error = "no service type" },
	{ "SrvRqst with a byte after the SPI",
	  B("\x02\x01\x00\x00\x31\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00\x00"),
	  .conn = M4, .error = "bytes after the request" },
	{ "AttrRqst without a URL",
	  B("\x02\x06\x00\x00\x21\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x00\x00\x07" "DEFAULT" "\x00\x00\x00\x00"),
	  .conn = M4, .error = "no URL" },
	{ "AttrRqst cut short",
	  B("\x02\x06\x00\x00\x46\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00" "&service:printer:lpr://192.0.2.30/queue"
	    "\x00\x07" "DEFAULT" "\x00\x00\x00"),
	  .conn = M4, .error = "AttrRqst: a field longer" },
	{ "SrvTypeRqst with an authority longer than the message",
	  B("\x02\x09\x00\x00\x20\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00" " abc" "\x00\x07" "DEFAULT"),
	  .conn = M4, .error = "SrvTypeRqst: a field longer" },
	{ "SrvTypeRqst without scopes",
	  B("\x02\x09\x00\x00\x14\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\xff\xff"),
	  .conn = M4, .error = "SrvTypeRqst: a field longer" },
	{ "an extension offset into the header",
	  B("\x02\x01\x00\x00\x30\x20\x00\x00\x00\x04\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M4, .error = "not inside the message" },
	{ "an extension offset past the message",
	  B("\x02\x01\x00\x00\x30\x20\x00\x00\x00\x3a\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M4, .error = "not inside the message" },
	{ "an extension offset at the message end",
	  B("\x02\x01\x00\x00\x30\x20\x00\x00\x00\x30\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00"),
	  .conn = M4, .error = "not inside the message" },
	{ "an extension cut short",
	  B("\x02\x01\x00\x00\x33\x20\x00\x00\x00\x30\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00\x00\x02\x00"),
	  .conn = M4, .error = "an extension past the end" },
	{ "an extension pointing to itself",
	  B("\x02\x01\x00\x00\x35\x20\x00\x00\x00\x30\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00\x00\x02\x00\x00\x30"),
	  .conn = M4, .error = "does not go forward" },
	{ "an extension pointing back to the first",
	  B("\x02\x01\x00\x00\x3a\x20\x00\x00\x00\x30\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00\x00\x02\x00\x00\x35\x00\x03\x00\x00\x30"),
	  .conn = M4, .error = "does not go forward" },
	{ "an extension pointing past the message",
	  B("\x02\x01\x00\x00\x35\x20\x00\x00\x00\x30\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00\x00\x02\x00\x00\x94"),
	  .conn = M4, .error = "an extension past the end" },
	{ "the fields running into the extensions",
	  B("\x02\x01\x00\x00\x33\x20\x00\x00\x00\x2e\x12\x34\x00\x02"
	    "\x65\x6e\x00\x00\x00\x0f" "service:printer" "\x00\x07" "DEFAULT"
	    "\x00\x00\x00\x00\x00\x00\x00"),
	  .conn = M4, .error = "SrvRqst: a field longer" },
	{ "a malformed reply is an error too",
	  B("\x02\x02\x00\x00\x64\x20\x00\x00\x00\x00\x12\x34\x00\x02"
	    "\x65\x6e"),
	  .conn = R4, .error = "the length field" },
};
// clang-format on

static const struct hv_suite suite = {
	.helper = &ctalg_helper_slp,
	.conns = conns,
	.n_conns = sizeof(conns) / sizeof(conns[0]),
	.check = slp_req_check,
};

/*
 * A chain of 10000 extensions of 5 bytes each in one datagram, each
 * pointing to the next: walked to its end, once.
 */
static void test_long_chain(void)
{
	static const char head[] = "\x02\x01\x00\x00\x00\x20\x00\x00\x00\x00"
				   "\x12\x34\x00\x02"
				   "en\x00\x00\x00\x0f"
				   "service:printer\x00\x07"
				   "DEFAULT\x00\x00\x00\x00";
	size_t n = sizeof(head) - 1, len = n + 5 * 10000, i;
	uint8_t *buf = malloc(len);
	struct hv_vec v = { .name = "10000 extensions in a chain",
			    .bytes = (const char *)buf,
			    .len = len,
			    .exp = { WANT4 } };

	if (!buf)
		abort();
	memcpy(buf, head, n);
	buf[2] = (uint8_t)(len >> 16);
	buf[3] = (uint8_t)(len >> 8);
	buf[4] = (uint8_t)len;
	buf[7] = (uint8_t)(n >> 16);
	buf[8] = (uint8_t)(n >> 8);
	buf[9] = (uint8_t)n;
	for (i = n; i < len; i += 5) {
		size_t next = i + 5 < len ? i + 5 : 0;

		buf[i] = 0x80;
		buf[i + 1] = 0x01;
		buf[i + 2] = (uint8_t)(next >> 16);
		buf[i + 3] = (uint8_t)(next >> 8);
		buf[i + 4] = (uint8_t)next;
	}
	hv_once(&suite, &v);
	free(buf);
}

static void test_definition(void)
{
	const struct ctalg_helper *h = &ctalg_helper_slp;

	tap_ok(h->abi == CTALG_HELPER_ABI && !strcmp(h->name, "slp") &&
		   h->l4proto == IPPROTO_UDP &&
		   h->families == (CTALG_HELPER_INET | CTALG_HELPER_INET6) &&
		   h->ports[0] == 427 && h->ports[1] == 0 &&
		   h->min_port == 1024 && h->priv_size == 0,
	       "slp: UDP port 427, IPv4 and IPv6, ports from 1024, no state");
	tap_ok(h->n_classes == 1 && !strcmp(h->classes[0].name, "slp") &&
		   h->classes[0].max_expected == 8 && h->classes[0].timeout == 16,
	       "slp: one class \"slp\", at most 8, 16 s, as conntrackd's");
}

int main(void)
{
	test_definition();
	hv_run_all(&suite, vectors, sizeof(vectors) / sizeof(vectors[0]));
	test_long_chain();
	return tap_done();
}
