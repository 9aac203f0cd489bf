// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TNS helper from packets. No Oracle server is free to run here, so
 * the packets are built from the protocol (the header and the packet
 * bodies as Oracle's clients read them: python-oracledb's thin driver,
 * Wireshark's dissector), the redirect data in the forms listeners send:
 * "(ADDRESS=...)\0(DESCRIPTION=...)" with a host address or name, with
 * DEV= on Windows, in a DESCRIPTION, with the data in a DATA packet after
 * an empty REDIRECT. Each case is built into segments (one per packet, or
 * one per direction's run of packets), then run by vecrun.h as given,
 * on every prefix, cut anywhere and byte by byte.
 */
#include "builtin.h"
#include "tns_check.h"
#include "vecrun.h"

#define C4 VR_C4 /* the client */
#define S4 VR_S4 /* the listener */
#define C6 VR_C6
#define S6 VR_S6

#define ORIG  CTALG_DIR_ORIGINAL
#define REPLY CTALG_DIR_REPLY

enum tkind {
	T_END,
	T_RED,	     /* REDIRECT with its data */
	T_RED_EMPTY, /* REDIRECT of only the data length (num) */
	T_DATA,	     /* DATA: data flags 0, then s */
	T_ACCEPT,    /* ACCEPT of version 318 */
	T_PKT,	     /* packet of type num, body s */
	T_RAW,	     /* s as it is */
};

struct tpkt {
	uint8_t kind;
	enum ctalg_dir dir;
	bool gap;
	uint16_t num;
	const char *s;
	size_t n;
};

#define RED(x)                                             \
	{                                                  \
		T_RED, REPLY, false, 0, (x), sizeof(x) - 1 \
	}
#define RED_EMPTY(k)                                  \
	{                                             \
		T_RED_EMPTY, REPLY, false, (k), "", 0 \
	}
#define DATA(x)                                             \
	{                                                   \
		T_DATA, REPLY, false, 0, (x), sizeof(x) - 1 \
	}
#define ACCEPT                                   \
	{                                        \
		T_ACCEPT, REPLY, false, 0, "", 0 \
	}
#define PKT(t, x)                                            \
	{                                                    \
		T_PKT, REPLY, false, (t), (x), sizeof(x) - 1 \
	}
#define CPKT(t, x)                                          \
	{                                                   \
		T_PKT, ORIG, false, (t), (x), sizeof(x) - 1 \
	}
#define RAW(x)                                             \
	{                                                  \
		T_RAW, REPLY, false, 0, (x), sizeof(x) - 1 \
	}
#define RAW_GAP(x)                                        \
	{                                                 \
		T_RAW, REPLY, true, 0, (x), sizeof(x) - 1 \
	}
#define CRAW_GAP(x)                                      \
	{                                                \
		T_RAW, ORIG, true, 0, (x), sizeof(x) - 1 \
	}
/* The client's CONNECT: version 318, SDU 8192, its connect data. */
#define CONNECT(x)                                                 \
	CPKT(1, "\x01\x3e\x01\x2c\x0c\x41\x20\x00\xff\xff\x7f\x08" \
		"\x00\x00\x00\x01\x00\x21\x00\x3a\x00\x00\x00\x00" \
		"\x41\x41\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" x)
#define RESEND	  PKT(11, "")
#define REFUSE(x) PKT(4, "\x22\x00\x00\x10" x)

struct tcase {
	const char *name;
	enum vr_conn conn;
	bool joined; /* a direction's packets in one segment */
	struct tpkt pk[8];
	size_t keep;
	const char *error;
	struct vr_want exp[2];
};

#define ADDR  "(ADDRESS=(PROTOCOL=TCP)(HOST=198.51.100.20)(PORT=40001))"
#define ADDR6 "(ADDRESS=(PROTOCOL=TCP)(HOST=2001:db8:1::20)(PORT=40001))"
#define CDATA                                                          \
	"(DESCRIPTION=(CONNECT_DATA=(SERVICE_NAME=orcl)(CID=(PROGRAM=" \
	"sqlplus)(HOST=client)(USER=scott))(SERVER=shared))(ADDRESS="  \
	"(PROTOCOL=TCP)(HOST=198.51.100.20)(PORT=1521)))"
#define WANT                  \
	{                     \
		S4, 40001, C4 \
	}
#define WANT6                 \
	{                     \
		S6, 40001, C6 \
	}
#define CLIENT_CONNECT                                                  \
	CONNECT("(DESCRIPTION=(CONNECT_DATA=(SERVICE_NAME=orcl)(CID="   \
		"(PROGRAM=sqlplus)(HOST=client)(USER=scott)))(ADDRESS=" \
		"(PROTOCOL=TCP)(HOST=198.51.100.20)(PORT=1521)))")

// clang-format off
static const struct tcase cases[] = {
	/* The REDIRECT and its forms. */
	{ "REDIRECT to a dispatcher: address, NUL, connect data", VR_V4, false,
	  { CLIENT_CONNECT, RED(ADDR "\0" CDATA) }, .exp = { WANT } },
	{ "REDIRECT over IPv6", VR_V6, false,
	  { RED(ADDR6 "\0" CDATA) }, .exp = { WANT6 } },
	{ "REDIRECT with an IPv6 address in brackets", VR_V6, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=[2001:db8:1::20])(PORT=40001))") },
	  .exp = { WANT6 } },
	{ "REDIRECT without the NUL and connect data", VR_V4, false,
	  { RED(ADDR) }, .exp = { WANT } },
	{ "REDIRECT of a Windows dedicated server (DEV=)", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=tcp)(DEV=316)(HOST=198.51.100.20)"
		"(PORT=1118))\0" CDATA) },
	  .exp = { { S4, 1118, C4 } } },
	{ "an address in a DESCRIPTION and an ADDRESS_LIST", VR_V4, false,
	  { RED("(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(PROTOCOL=TCP)"
		"(HOST=198.51.100.20)(PORT=40001))))") },
	  .exp = { WANT } },
	{ "keywords in small letters, blanks around the tokens", VR_V4, false,
	  { RED(" ( address = ( protocol = tcp ) ( host = 198.51.100.20 )\n"
		"\t( port = 40001 ) ) ") },
	  .exp = { WANT } },
	{ "quoted values", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=\"TCP\")(HOST=\"198.51.100.20\")"
		"(PORT='40001'))") },
	  .exp = { WANT } },
	{ "TCPS counts as TCP", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCPS)(HOST=198.51.100.20)(PORT=2484))") },
	  .exp = { { S4, 2484, C4 } } },
	{ "the first TCP address counts; IPC is skipped", VR_V4, false,
	  { RED("(ADDRESS_LIST=(ADDRESS=(PROTOCOL=IPC)(KEY=orcl))"
		"(ADDRESS=(PROTOCOL=TCP)(HOST=198.51.100.20)(PORT=40001))"
		"(ADDRESS=(PROTOCOL=TCP)(HOST=198.51.100.20)(PORT=40002)))") },
	  .exp = { WANT } },
	{ "PROTOCOL after HOST and PORT", VR_V4, false,
	  { RED("(ADDRESS=(PORT=40001)(HOST=198.51.100.20)(PROTOCOL=TCP))") },
	  .exp = { WANT } },
	{ "HOST is a name: the listener's address, never resolved", VR_V4,
	  false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=db1.example.com)(PORT=40001))"
		"\0" CDATA) },
	  .exp = { WANT } },
	{ "HOST is a name, IPv6", VR_V6, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=DB1)(PORT=40001))") },
	  .exp = { WANT6 } },
	{ "HOST is a Windows name with an underscore, and a final dot", VR_V4,
	  false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=ORA_SRV1.corp.)(PORT=40001))") },
	  .exp = { WANT } },
	{ "HOST is another address: asked as written (ctalgd refuses it)",
	  VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=203.0.113.5)(PORT=40001))") },
	  .exp = { { "203.0.113.5", 40001, C4 } } },
	{ "HOST is an IPv4-mapped address on IPv6: asked as written", VR_V6,
	  false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=::ffff:198.51.100.20)"
		"(PORT=40001))") },
	  .exp = { { "::ffff:198.51.100.20", 40001, C6 } } },
	{ "HOST in the connect data before the ADDRESS is the client's "
	  "(conntrackd takes the first HOST=)", VR_V4, false,
	  { RED("(DESCRIPTION=(CONNECT_DATA=(CID=(HOST=10.9.9.9)))"
		"(ADDRESS=(PROTOCOL=TCP)(HOST=198.51.100.20)(PORT=40001)))") },
	  .exp = { WANT } },
	{ "on loopback", VR_V4LO, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=127.0.0.1)(PORT=40001))") },
	  .exp = { { "127.0.0.1", 40001, "127.0.0.1" } } },
	{ "the highest port", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=198.51.100.20)(PORT=65535))") },
	  .exp = { { S4, 65535, C4 } } },

	/* The data in the next packet. */
	{ "an empty REDIRECT (length 0), then the data in a DATA packet",
	  VR_V4, false, { RED_EMPTY(0), DATA(ADDR "\0" CDATA) },
	  .exp = { WANT } },
	{ "an empty REDIRECT announcing the length, then DATA", VR_V4, false,
	  { RED_EMPTY(sizeof(ADDR "\0" CDATA) - 1), DATA(ADDR "\0" CDATA) },
	  .exp = { WANT } },
	{ "an empty REDIRECT announcing less than the DATA holds", VR_V4, false,
	  { RED_EMPTY(sizeof(ADDR) - 1), DATA(ADDR "\0" CDATA) },
	  .exp = { WANT } },
	{ "REDIRECT and its DATA in one segment", VR_V4, true,
	  { RED_EMPTY(0), DATA(ADDR "\0" CDATA) }, .exp = { WANT } },
	{ "a DATA packet without a REDIRECT before it is not read", VR_V4,
	  false, { DATA(ADDR) } },
	{ "only the packet right after the REDIRECT", VR_V4, false,
	  { RED_EMPTY(0), RESEND, DATA(ADDR) } },
	{ "a second REDIRECT ends the wait for DATA", VR_V4, false,
	  { RED_EMPTY(0), RED(ADDR), DATA("(ADDRESS=(PROTOCOL=TCP)"
		"(HOST=198.51.100.20)(PORT=40002))") },
	  .exp = { WANT } },

	/* What comes before and after. */
	{ "RESEND, then REDIRECT", VR_V4, false,
	  { CLIENT_CONNECT, RESEND, CLIENT_CONNECT, RED(ADDR) },
	  .exp = { WANT } },
	{ "a long REFUSE is skipped, not carried", VR_V4, false,
	  { REFUSE("(DESCRIPTION=(TMP=)(VSNNUM=0)(ERR=12514)(ERROR_STACK="
		   "(ERROR=(CODE=12514)(EMFI=4))))"), RED(ADDR) },
	  .exp = { WANT } },
	{ "packets in one segment", VR_V4, true,
	  { RESEND, PKT(12, "\x01\x00\x02"), RED(ADDR) }, .exp = { WANT } },
	{ "after ACCEPT nothing is read", VR_V4, false,
	  { CLIENT_CONNECT, ACCEPT, RED(ADDR) } },
	{ "after ACCEPT even bytes that are no packets", VR_V4, false,
	  { ACCEPT, RAW("\x00\x00\x00\x00\xff\x00\x00\x00") } },
	{ "REDIRECT from the client is not read", VR_V4, false,
	  { { T_RED, ORIG, false, 0, ADDR, sizeof(ADDR) - 1 } } },
	{ "an incomplete header is left for the next segment", VR_V4, false,
	  { RAW("\x00\x4a\x00\x00\x05") }, .keep = 5 },
	{ "an incomplete REDIRECT is left whole", VR_V4, false,
	  { RAW("\x00\x4a\x00\x00\x05\x00\x00\x00\x00\x3e(ADDRESS=") },
	  .keep = 19 },
	{ "an incomplete RESEND is not left: its bytes are skipped", VR_V4,
	  false, { RAW("\x00\x4a\x00\x00\x0b\x00\x00\x00\x00") } },

	/* Lost bytes. */
	{ "bytes lost from the listener: nothing more is read", VR_V4, false,
	  { RAW_GAP("\x00\x00\x00\x00"), RED(ADDR) } },
	{ "bytes lost from the client do not matter", VR_V4, false,
	  { CRAW_GAP("\x00\x01\x02"), RED(ADDR) }, .exp = { WANT } },

	/* Hostile packets. */
	{ "a packet length below the header", VR_V4, false,
	  { RAW("\x00\x07\x00\x00\x05\x00\x00\x00"), RED(ADDR) },
	  .error = "packet length below its header" },
	{ "packet type 0", VR_V4, false,
	  { RAW("\x00\x08\x00\x00\x00\x00\x00\x00"), RED(ADDR) },
	  .error = "unknown packet type" },
	{ "packet type 20", VR_V4, false,
	  { RAW("\x00\x08\x00\x00\x14\x00\x00\x00") },
	  .error = "unknown packet type" },
	{ "a REDIRECT of 8 bytes", VR_V4, false,
	  { RAW("\x00\x08\x00\x00\x05\x00\x00\x00"), RED(ADDR) },
	  .error = "REDIRECT without its data length", .exp = { WANT } },
	{ "a REDIRECT of 9 bytes", VR_V4, false,
	  { RAW("\x00\x09\x00\x00\x05\x00\x00\x00\x00") },
	  .error = "REDIRECT without its data length" },
	{ "a DATA of 9 bytes after an empty REDIRECT", VR_V4, false,
	  { RED_EMPTY(0), RAW("\x00\x09\x00\x00\x06\x00\x00\x00\x00") },
	  .error = "DATA packet without data flags" },
	{ "REDIRECT data going on past the packet: the address is in it",
	  VR_V4, false,
	  { RAW("\x00\x43\x00\x00\x05\x00\x00\x00\x01\x00" ADDR "\0") },
	  .exp = { WANT } },
	{ "REDIRECT data going on past the packet, the address too", VR_V4,
	  false,
	  { RAW("\x00\x0d\x00\x00\x05\x00\x00\x00\x00\x04(A=") },
	  .error = "the address does not end in this packet" },
	{ "a REDIRECT with data but a data length of 0", VR_V4, false,
	  { RAW("\x00\x0b\x00\x00\x05\x00\x00\x00\x00\x00(") },
	  .error = "data length of 0" },
	{ "an empty REDIRECT announcing more than the DATA holds: the address "
	  "is in it", VR_V4, false,
	  { RED_EMPTY(200), DATA(ADDR "\0") }, .exp = { WANT } },
	{ "an empty REDIRECT announcing more than the DATA holds, the address "
	  "too", VR_V4, false,
	  { RED_EMPTY(200), DATA(ADDR) },
	  .error = "the address does not end in this packet" },
	{ "data length 0xffff in a short packet", VR_V4, false,
	  { RAW("\x00\x0e\x00\x00\x05\x00\x00\x00\xff\xff(A=)") },
	  .error = "the address does not end in this packet" },

	/* Hostile addresses. */
	{ "PORT 0", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=198.51.100.20)(PORT=0))") },
	  .error = "PORT is not 1-65535" },
	{ "PORT 65537 (conntrackd wraps it to 1)", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=198.51.100.20)(PORT=65537))") },
	  .error = "PORT is not 1-65535" },
	{ "PORT of 6 digits", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=198.51.100.20)(PORT=040001))") },
	  .error = "PORT is not 1-65535" },
	{ "PORT with letters", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=198.51.100.20)(PORT=1521x))") },
	  .error = "PORT is not 1-65535" },
	{ "PORT negative", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=198.51.100.20)(PORT=-1))") },
	  .error = "PORT is not 1-65535" },
	{ "PORT empty", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=198.51.100.20)(PORT=))") },
	  .error = "PORT is not 1-65535" },
	{ "PORT twice", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=198.51.100.20)(PORT=40001)"
		"(PORT=40002))") },
	  .error = "PORT twice" },
	{ "HOST twice", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=198.51.100.20)(HOST=10.0.0.1)"
		"(PORT=40001))") },
	  .error = "HOST twice" },
	{ "PROTOCOL twice", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=IPC)(PROTOCOL=TCP)(HOST=198.51.100.20)"
		"(PORT=40001))") },
	  .error = "PROTOCOL twice" },
	{ "HOST 256.1.1.1 (conntrackd wraps it to 0.1.1.1)", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=256.1.1.1)(PORT=40001))") },
	  .error = "HOST is no valid IPv4 address" },
	{ "HOST of three numbers", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=198.51.100)(PORT=40001))") },
	  .error = "HOST is no valid IPv4 address" },
	{ "HOST an IPv4 address on IPv6", VR_V6, false,
	  { RED(ADDR) }, .error = "IPv4 address on an IPv6 connection" },
	{ "HOST an IPv6 address on IPv4", VR_V4, false,
	  { RED(ADDR6) }, .error = "IPv6 address on an IPv4 connection" },
	{ "HOST a bad IPv6 address", VR_V6, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=2001:db8:::20)(PORT=40001))") },
	  .error = "HOST is no valid IPv6 address" },
	{ "HOST with a blank inside", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=db 1)(PORT=40001))") },
	  .error = "neither an address nor a host name" },
	{ "HOST empty", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=)(PORT=40001))") },
	  .error = "neither an address nor a host name" },
	{ "HOST with an empty label", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=db..example)(PORT=40001))") },
	  .error = "neither an address nor a host name" },
	{ "HOST with a label of 64 bytes", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=a234567890123456789012345678901"
		"234567890123456789012345678901234)(PORT=40001))") },
	  .error = "neither an address nor a host name" },
	{ "HOST with an escaped character", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=db\\)1)(PORT=40001))") },
	  .error = "neither an address nor a host name" },
	{ "a TCP ADDRESS without PORT", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=198.51.100.20))") },
	  .error = "without HOST or PORT" },
	{ "a TCP ADDRESS without HOST", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(PORT=40001))") },
	  .error = "without HOST or PORT" },
	{ "no TCP address", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=IPC)(KEY=orcl))") },
	  .error = "no TCP ADDRESS" },
	{ "an ADDRESS without PROTOCOL is no TCP address", VR_V4, false,
	  { RED("(ADDRESS=(HOST=198.51.100.20)(PORT=40001))") },
	  .error = "no TCP ADDRESS" },
	{ "no list at all", VR_V4, false, { RED("HOST=198.51.100.20") },
	  .error = "\"(\" expected" },
	{ "blanks only", VR_V4, false, { RED("  \n") },
	  .error = "no (KEYWORD=VALUE) list" },
	{ "text after the list", VR_V4, false, { RED(ADDR "x") },
	  .error = "\"(\" expected" },
	{ "an unclosed list", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=198.51.100.20)(PORT=40001)") },
	  .error = "\")\" expected after a list" },
	{ "an unclosed value", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=198.51.100.20") },
	  .error = "a value does not end" },
	{ "an unclosed quote", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=\"198.51.100.20)(PORT=1))") },
	  .error = "a value does not end" },
	{ "text after a quoted value", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=\"198.51.100.20\"x)(PORT=1))") },
	  .error = "\")\" expected after a value" },
	{ "a value with \"=\"", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=a=b)(PORT=40001))") },
	  .error = "\")\" expected after a value" },
	{ "no \"=\" after a keyword", VR_V4, false,
	  { RED("(ADDRESS(PROTOCOL=TCP))") },
	  .error = "\"=\" expected" },
	{ "an empty keyword", VR_V4, false, { RED("(=TCP)") },
	  .error = "a keyword is not" },
	{ "a keyword of 65 bytes", VR_V4, false,
	  { RED("(K234567890123456789012345678901234567890123456789012345678901"
		"2345=1)") },
	  .error = "a keyword is not" },
	{ "a keyword with a dash", VR_V4, false, { RED("(A-B=1)") },
	  .error = "\"=\" expected" },
	{ "8 levels deep", VR_V4, false,
	  { RED("(A=(B=(C=(D=(E=(F=(ADDRESS=(PROTOCOL=TCP)"
		"(HOST=198.51.100.20)(PORT=40001))))))))") },
	  .exp = { WANT } },
	{ "9 levels deep", VR_V4, false,
	  { RED("(A=(B=(C=(D=(E=(F=(G=(ADDRESS=(PROTOCOL=TCP)"
		"(HOST=198.51.100.20)(PORT=40001)))))))))") },
	  .error = "nested deeper than 8" },
	{ "a NUL inside the address cuts it", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=198.51\0.100.20)(PORT=40001))") },
	  .error = "a value does not end" },
	{ "a bad REDIRECT does not hide the next", VR_V4, false,
	  { RED("(ADDRESS=(PROTOCOL=TCP)(HOST=198.51.100.20)(PORT=0))"),
	    RED(ADDR) },
	  .error = "PORT is not 1-65535", .exp = { WANT } },
};
// clang-format on

/* The bytes of one packet; @out has room for 8 + 2 + n + 64. */
static size_t tpkt_bytes(const struct tpkt *k, uint8_t *out)
{
	/* ACCEPT of version 318: options, SDU, TDU, one, data... */
	static const uint8_t accept[] = { 0x01, 0x3e, 0x00, 0x01, 0x20, 0x00,
					  0xff, 0xff, 0x01, 0x00, 0x00, 0x00,
					  0x00, 0x20, 0x41, 0x41, 0x00, 0x00,
					  0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };
	uint8_t type = 0;
	size_t len = 8;

	switch (k->kind) {
	case T_RAW:
		memcpy(out, k->s, k->n);
		return k->n;
	case T_RED:
		type = 5;
		out[len++] = (uint8_t)(k->n >> 8);
		out[len++] = (uint8_t)k->n;
		break;
	case T_RED_EMPTY:
		type = 5;
		out[len++] = (uint8_t)(k->num >> 8);
		out[len++] = (uint8_t)k->num;
		break;
	case T_DATA:
		type = 6;
		out[len++] = 0;
		out[len++] = 0;
		break;
	case T_ACCEPT:
		type = 2;
		memcpy(out + len, accept, sizeof(accept));
		len += sizeof(accept);
		break;
	default:
		type = (uint8_t)k->num;
		break;
	}
	if (k->kind != T_RED_EMPTY && k->kind != T_ACCEPT) {
		memcpy(out + len, k->s, k->n);
		len += k->n;
	}
	out[0] = (uint8_t)(len >> 8);
	out[1] = (uint8_t)len;
	out[2] = out[3] = 0;
	out[4] = type;
	out[5] = 0;
	out[6] = out[7] = 0;
	return len;
}

/* The case as segments, in @c (free them with vr_unload()). */
static void tcase_build(const struct tcase *t, struct vr_case *c)
{
	const struct tpkt *k;
	size_t n = 0, len;
	uint8_t *buf;

	memset(c, 0, sizeof(*c));
	c->name = t->name;
	c->conn = t->conn;
	c->keep = t->keep;
	c->error = t->error;
	memcpy(c->exp, t->exp, sizeof(t->exp));
	for (k = t->pk; k < t->pk + 8 && k->kind != T_END; k++) {
		buf = malloc(k->n + 128);
		if (!buf)
			abort();
		len = tpkt_bytes(k, buf);
		if (t->joined && n && c->seg[n - 1].dir == k->dir && !k->gap) {
			struct vr_seg *g = &c->seg[n - 1];
			uint8_t *both = malloc(g->len + len);

			if (!both)
				abort();
			memcpy(both, g->bytes, g->len);
			memcpy(both + g->len, buf, len);
			free((void *)(uintptr_t)g->bytes);
			free(buf);
			g->bytes = (const char *)both;
			g->len += len;
			continue;
		}
		c->seg[n++] = (struct vr_seg){ .dir = k->dir,
					       .gap = k->gap,
					       .bytes = (const char *)buf,
					       .len = len };
	}
}

static const struct vr_helper tns = {
	.h = &ctalg_helper_tns,
	.check = tns_req_check,
};

static void run_tcase(const struct tcase *t)
{
	struct vr_case c;

	tcase_build(t, &c);
	vr_run(&tns, &c);
	vr_unload(&c);
}

/*
 * Big packets, built here: a REDIRECT is read up to 2048 bytes (its
 * address must end by then, the connect data after the NUL may go on),
 * and packets of any other kind and any length are skipped without being
 * carried.
 */
static void test_big_packets(void)
{
	enum { BIG = 65000 };
	struct vr_case c = { 0 };
	uint8_t *buf = malloc(BIG + 512);
	size_t addr = sizeof(ADDR) - 1, n;

	if (!buf)
		abort();
	/* REDIRECT: the address, NUL, 64 KB of connect data. */
	n = 10 + addr + 1 + (BIG - 100);
	memcpy(buf, "\x00\x00\x00\x00\x05\x00\x00\x00", 8);
	buf[0] = (uint8_t)(n >> 8);
	buf[1] = (uint8_t)n;
	buf[8] = (uint8_t)((n - 10) >> 8);
	buf[9] = (uint8_t)(n - 10);
	memcpy(buf + 10, ADDR "\0", addr + 1);
	memset(buf + 10 + addr + 1, 'x', BIG - 100);
	c = (struct vr_case){ .name = "a REDIRECT of 64 KB: its address "
				      "counts, the rest is skipped",
			      .conn = VR_V4,
			      .seg = { { REPLY, false, (const char *)buf, n } },
			      .exp = { WANT } };
	vr_once(&tns, &c);

	/* Without the NUL: the address goes on past 2048 bytes. */
	buf[10 + addr] = ' ';
	c.name = "a REDIRECT whose address does not end within 2048 bytes";
	c.error = "the address does not end in this packet";
	memset(c.exp, 0, sizeof(c.exp));
	vr_once(&tns, &c);

	/*
	 * A REFUSE of 65000 bytes, then a REDIRECT, byte by byte: the
	 * REFUSE is never carried (the runner checks carry_max each call).
	 */
	memset(buf, 'r', BIG);
	memcpy(buf, "\x00\x00\x00\x00\x04\x00\x00\x00", 8);
	buf[0] = (uint8_t)(BIG >> 8);
	buf[1] = (uint8_t)BIG;
	n = tpkt_bytes(&(struct tpkt)RED(ADDR), buf + BIG);
	c = (struct vr_case){ .name = "a REFUSE of 65000 bytes, then a "
				      "REDIRECT",
			      .conn = VR_V4,
			      .seg = { { REPLY, false, (const char *)buf,
					 BIG + n } },
			      .exp = { WANT } };
	vr_once(&tns, &c);
	vr_bytewise(&tns, &c);
	free(buf);
}

/* The sessions of fuzz/seeds/tns/, and what each must ask for. */
static void test_sessions(void)
{
	static const struct {
		const char *file;
		const char *error;
		struct vr_want want;
	} ses[] = {
		{ "redirect-v4.txt", NULL, WANT },
		{ "redirect-v6.txt", NULL, WANT6 },
		{ "redirect-data.txt", NULL, WANT },
		{ "hostname-dev.txt", NULL, { S4, 1118, C4 } },
		{ "accept.txt", NULL, { NULL, 0, NULL } },
		{ "split.txt", NULL, WANT },
		{ "hostile.txt", "PORT is not 1-65535", { NULL, 0, NULL } },
	};
	char name[64];
	size_t i;

	for (i = 0; i < sizeof(ses) / sizeof(ses[0]); i++) {
		struct vr_case c = { .name = name, .error = ses[i].error };

		snprintf(name, sizeof(name), "session %s", ses[i].file);
		if (!vr_load("tns", ses[i].file, &c)) {
			tap_ok(false, "%s: the transcript reads", name);
			continue;
		}
		c.exp[0] = ses[i].want;
		vr_run(&tns, &c);
		vr_unload(&c);
	}
}

static void test_definition(void)
{
	const struct ctalg_helper *h = &ctalg_helper_tns;

	tap_ok(h->abi == CTALG_HELPER_ABI && !strcmp(h->name, "tns") &&
		   h->l4proto == IPPROTO_TCP &&
		   h->families == (CTALG_HELPER_INET | CTALG_HELPER_INET6) &&
		   h->ports[0] == 1521 && h->ports[1] == 0 && h->min_port == 1024,
	       "tns: TCP port 1521, IPv4 and IPv6, ports from 1024");
	tap_ok(h->n_classes == 1 && !strcmp(h->classes[0].name, "tns") &&
		   h->classes[0].max_expected == 1 &&
		   h->classes[0].timeout == 300,
	       "tns: one class \"tns\", at most 1 expectation, 300 s, as "
	       "conntrackd");
	tap_ok(h->priv_size <= CTALG_HELPER_PRIV_MAX &&
		   h->carry_max == CTALG_HELPER_CARRY_MAX,
	       "tns: %u bytes of private state, a REDIRECT's first %u bytes "
	       "carried",
	       h->priv_size, h->carry_max);
}

int main(void)
{
	size_t i;

	test_definition();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_tcase(&cases[i]);
	test_big_packets();
	test_sessions();
	return tap_done();
}
