// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The FTP helper from byte vectors. Each vector is one call of the parser:
 * bytes, connection, direction, resync in; the expected result (an error
 * string part, or none), the bytes left unconsumed, and the requests out.
 * Every vector is also run
 *   - on each of its prefixes: no read past the end (the data is in an
 *     exact-size allocation; the ASan build of this test catches it), and
 *     the requests of a prefix are the first requests of the whole;
 *   - cut into two segments at every position and byte by byte, through
 *     the daemon's carry (stream.c): the same requests as in one piece.
 * Then whole sessions as real clients and servers send them.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "builtin.h"
#include "ftp_check.h"
#include "stream.h"
#include "tap.h"

enum conn_kind {
	V4,   /* 192.0.2.10:40000 -> 198.51.100.20:21 */
	V6,   /* [2001:db8::10]:40000 -> [2001:db8:1::20]:21 */
	V4LO, /* 127.0.0.1:40000 -> 127.0.0.1:21: one address for both */
};

#define C4 "192.0.2.10"
#define S4 "198.51.100.20"
#define C6 "2001:db8::10"
#define S6 "2001:db8:1::20"
#define LO "127.0.0.1"

#define ORIG  CTALG_DIR_ORIGINAL
#define REPLY CTALG_DIR_REPLY

/* A request as the test expects it: TCP from src (exact, any port). */
struct want {
	const char *dst;
	uint16_t port;
	const char *src;
};

struct ftp_vec {
	const char *name;
	const char *bytes;
	size_t len;
	enum conn_kind conn;
	enum ctalg_dir dir;
	bool resync;
	size_t keep;	   /* bytes left unconsumed, for the next call */
	const char *error; /* part of p->error; NULL: CTALG_PARSE_OK */
	struct want exp[CTALG_EXP_PER_PACKET];
};

#define B(s) .bytes = (s), .len = sizeof(s) - 1

/* A PORT from the client at 192.0.2.10, port 40000 (156 * 256 + 64). */
// clang-format off
#define PORT_OK	 "PORT 192,0,2,10,156,64\r\n"
#define WANT_C4	 { C4, 40000, S4 }
#define PASV_OK	 "227 Entering Passive Mode (198,51,100,20,117,49).\r\n"
#define WANT_S4	 { S4, 30001, C4 }
#define EPSV_OK	 "229 Entering Extended Passive Mode (|||30001|)\r\n"
#define EPRT6_OK "EPRT |2|2001:db8::10|40000|\r\n"
// clang-format on

static const struct ftp_vec vectors[] = {
	/* PORT (RFC 959), from the client. */
	{ "PORT", B(PORT_OK), .exp = { WANT_C4 } },
	{ "PORT in lower case (commands are case-insensitive)",
	  B("port 192,0,2,10,156,64\r\n"), .exp = { WANT_C4 } },
	{ "PORT in mixed case", B("PoRt 192,0,2,10,156,64\r\n"),
	  .exp = { WANT_C4 } },
	{ "PORT ended by LF alone", B("PORT 192,0,2,10,156,64\n"),
	  .exp = { WANT_C4 } },
	{ "PORT with leading zeros", B("PORT 192,000,002,010,156,064\r\n"),
	  .exp = { WANT_C4 } },
	{ "PORT with blanks after the command and at the end",
	  B("PORT  192,0,2,10,156,64  \r\n"), .exp = { WANT_C4 } },
	{ "PORT with the highest port", B("PORT 192,0,2,10,255,255\r\n"),
	  .exp = { { C4, 65535, S4 } } },
	{ "PORT with port 1", B("PORT 192,0,2,10,0,1\r\n"),
	  .exp = { { C4, 1, S4 } } },
	/* The daemon refuses it (not the client's address) and counts it. */
	{ "PORT naming another address: asked as written",
	  B("PORT 10,0,0,1,156,64\r\n"), .exp = { { "10.0.0.1", 40000, S4 } } },
	{ "PORT after another command in one segment", B("TYPE I\r\n" PORT_OK),
	  .exp = { WANT_C4 } },
	{ "PORT between commands", B("TYPE I\r\n" PORT_OK "RETR file\r\n"),
	  .exp = { WANT_C4 } },
	{ "two PORTs in one segment", B(PORT_OK "PORT 192,0,2,10,156,65\r\n"),
	  .exp = { WANT_C4, { C4, 40001, S4 } } },
	{ "PORT after an empty line and a line of blanks",
	  B("\r\n   \r\n" PORT_OK), .exp = { WANT_C4 } },
	{ "nine PORTs in one segment: the last eight are kept",
	  B("PORT 192,0,2,10,4,1\r\n"
	    "PORT 192,0,2,10,4,2\r\n"
	    "PORT 192,0,2,10,4,3\r\n"
	    "PORT 192,0,2,10,4,4\r\n"
	    "PORT 192,0,2,10,4,5\r\n"
	    "PORT 192,0,2,10,4,6\r\n"
	    "PORT 192,0,2,10,4,7\r\n"
	    "PORT 192,0,2,10,4,8\r\n"
	    "PORT 192,0,2,10,4,9\r\n"),
	  .exp = { { C4, 1026, S4 },
		   { C4, 1027, S4 },
		   { C4, 1028, S4 },
		   { C4, 1029, S4 },
		   { C4, 1030, S4 },
		   { C4, 1031, S4 },
		   { C4, 1032, S4 },
		   { C4, 1033, S4 } } },

	/* Incomplete lines: left for the next call, or skipped. */
	{ "PORT without its line end is left whole",
	  B("PORT 192,0,2,10,156,64"), .keep = 22 },
	{ "PORT without its LF is left whole", B("PORT 192,0,2,10,156,64\r"),
	  .keep = 23 },
	{ "a partial PORT after a complete line",
	  B("USER anonymous\r\nPORT 192,0,2,10,156"), .keep = 19 },
	{ "\"POR\" may become a PORT", B("POR"), .keep = 3 },
	{ "\"NOOP\", then \"P\"", B("NOOP\r\nP"), .keep = 1 },
	{ "an incomplete line of no interest is consumed", B("USER anonymo") },
	{ "an incomplete \"PORTX\" is no PORT", B("PORTX 1") },
	{ "a partial PORT is no longer of interest once it is \"PORT\\t\"",
	  B("PORT\t1") },

	/* Resynchronising: the data may begin inside a line. */
	{ "resync: the first line is skipped",
	  B("0,2,10,156,64\r\nPORT 192,0,2,10,156,65\r\n"), .resync = true,
	  .exp = { { C4, 40001, S4 } } },
	{ "resync: even one that looks whole",
	  B(PORT_OK "PORT 192,0,2,10,156,65\r\n"), .resync = true,
	  .exp = { { C4, 40001, S4 } } },
	{ "resync without a newline: all skipped", B("RT 192,0,2,10,156,64"),
	  .resync = true },
	{ "resync at a newline", B("\n" PORT_OK), .resync = true,
	  .exp = { WANT_C4 } },

	/* Lines that are not PORT. */
	{ "\"PORT\" then a tab is no PORT", B("PORT\t192,0,2,10,156,64\r\n") },
	{ "\"PORTX\" is no PORT", B("PORTX 192,0,2,10,156,64\r\n") },
	{ "\"PORT\" without an argument is no PORT", B("PORT\r\n") },
	{ "PORT not at the start of a line", B(" PORT 192,0,2,10,156,64\r\n") },
	{ "PORT inside another command", B("SITE PORT 192,0,2,10,156,64\r\n") },
	{ "PORT from the server is ignored", B(PORT_OK), .dir = REPLY },
	{ "a NUL in a line of no interest", B("USER a\0b\r\n" PORT_OK),
	  .exp = { WANT_C4 } },

	/* Hostile PORTs. */
	{ "PORT with an empty argument", B("PORT \r\n"),
	  .error = "PORT: not 6 numbers" },
	{ "PORT octet 256", B("PORT 256,0,2,10,156,64\r\n"),
	  .error = "PORT: not 6 numbers" },
	{ "PORT port byte 256", B("PORT 192,0,2,10,256,64\r\n"),
	  .error = "PORT: not 6 numbers" },
	{ "PORT octet 999999999999", B("PORT 999999999999,0,2,10,156,64\r\n"),
	  .error = "PORT: not 6 numbers" },
	{ "PORT octet of 4 digits", B("PORT 0192,0,2,10,156,64\r\n"),
	  .error = "PORT: not 6 numbers" },
	{ "PORT port 0", B("PORT 192,0,2,10,0,0\r\n"), .error = "port 0" },
	{ "PORT negative", B("PORT 192,0,2,10,-1,64\r\n"),
	  .error = "PORT: not 6 numbers" },
	{ "PORT plus sign", B("PORT +192,0,2,10,156,64\r\n"),
	  .error = "PORT: not 6 numbers" },
	{ "PORT hexadecimal", B("PORT 0xc0,0,2,10,156,64\r\n"),
	  .error = "PORT: not 6 numbers" },
	{ "PORT with 5 numbers", B("PORT 192,0,2,10,156\r\n"),
	  .error = "PORT: not 6 numbers" },
	{ "PORT with 7 numbers", B("PORT 192,0,2,10,156,64,1\r\n"),
	  .error = "PORT: unexpected bytes" },
	{ "PORT with an empty field", B("PORT 192,0,2,,156,64\r\n"),
	  .error = "PORT: not 6 numbers" },
	{ "PORT with blanks after the commas (not RFC 959)",
	  B("PORT 192, 0, 2, 10, 156, 64\r\n"), .error = "PORT: not 6 numbers" },
	{ "PORT with dots", B("PORT 192.0.2.10.156.64\r\n"),
	  .error = "PORT: not 6 numbers" },
	{ "PORT followed by text", B("PORT 192,0,2,10,156,64 x\r\n"),
	  .error = "PORT: unexpected bytes" },
	{ "PORT with a NUL at the end", B("PORT 192,0,2,10,156,64\0\r\n"),
	  .error = "NUL" },
	{ "PORT with a NUL inside", B("PORT 192,0\0,2,10,156,64\r\n"),
	  .error = "NUL" },
	{ "PORT, a CR without LF, another PORT",
	  B("PORT 192,0,2,10,156,64\rPORT 192,0,2,10,156,65\r\n"),
	  .error = "CR without LF" },
	{ "PORT ended by CR CR LF", B("PORT 192,0,2,10,156,64\r\r\n"),
	  .error = "CR without LF" },
	{ "a bad PORT does not hide the next line",
	  B("PORT 256,0,0,0,1,1\r\n" PORT_OK), .error = "PORT: not 6 numbers",
	  .exp = { WANT_C4 } },
	{ "PORT on an IPv6 connection", B("PORT 192,0,2,10,156,64\r\n"),
	  .conn = V6, .error = "PORT on an IPv6 connection" },

	/* EPRT (RFC 2428), IPv4. */
	{ "EPRT |1|", B("EPRT |1|192.0.2.10|40000|\r\n"), .exp = { WANT_C4 } },
	{ "EPRT in lower case", B("eprt |1|192.0.2.10|40000|\r\n"),
	  .exp = { WANT_C4 } },
	{ "EPRT with another delimiter", B("EPRT !1!192.0.2.10!40000!\r\n"),
	  .exp = { WANT_C4 } },
	{ "EPRT with \"(\" as the delimiter",
	  B("EPRT (1(192.0.2.10(40000(\r\n"), .exp = { WANT_C4 } },
	{ "EPRT with a letter as the delimiter (RFC 2428 allows it)",
	  B("EPRT x1x192.0.2.10x40000x\r\n"), .exp = { WANT_C4 } },
	{ "EPRT with leading zeros", B("EPRT |1|192.000.002.010|01024|\r\n"),
	  .exp = { { C4, 1024, S4 } } },
	{ "EPRT with the highest port", B("EPRT |1|192.0.2.10|65535|\r\n"),
	  .exp = { { C4, 65535, S4 } } },
	{ "EPRT with a trailing blank", B("EPRT |1|192.0.2.10|40000| \r\n"),
	  .exp = { WANT_C4 } },
	{ "EPRT naming another address: asked as written",
	  B("EPRT |1|10.0.0.1|40000|\r\n"), .exp = { { "10.0.0.1", 40000, S4 } } },
	{ "EPRT after other commands",
	  B("TYPE I\r\nEPRT |1|192.0.2.10|40000|\r\nLIST\r\n"),
	  .exp = { WANT_C4 } },

	/* Hostile EPRTs. */
	{ "EPRT port 65536", B("EPRT |1|192.0.2.10|65536|\r\n"),
	  .error = "EPRT: the port" },
	{ "EPRT port 0", B("EPRT |1|192.0.2.10|0|\r\n"),
	  .error = "EPRT: the port" },
	{ "EPRT port of 6 digits", B("EPRT |1|192.0.2.10|040000|\r\n"),
	  .error = "EPRT: the port" },
	{ "EPRT port 99999999999", B("EPRT |1|192.0.2.10|99999999999|\r\n"),
	  .error = "EPRT: the port" },
	{ "EPRT negative port", B("EPRT |1|192.0.2.10|-1|\r\n"),
	  .error = "EPRT: the port" },
	{ "EPRT hexadecimal port", B("EPRT |1|192.0.2.10|0x9c40|\r\n"),
	  .error = "EPRT: the port" },
	{ "EPRT empty port", B("EPRT |1|192.0.2.10||\r\n"),
	  .error = "EPRT: the port" },
	{ "EPRT without the last delimiter", B("EPRT |1|192.0.2.10|40000\r\n"),
	  .error = "EPRT: the port" },
	{ "EPRT with text after it", B("EPRT |1|192.0.2.10|40000|x\r\n"),
	  .error = "EPRT: unexpected bytes" },
	{ "EPRT with two delimiters at the end",
	  B("EPRT |1|192.0.2.10|40000||\r\n"), .error = "EPRT: unexpected bytes" },
	{ "EPRT octet 256", B("EPRT |1|192.0.2.256|40000|\r\n"),
	  .error = "EPRT: malformed IPv4" },
	{ "EPRT three octets", B("EPRT |1|192.0.2|40000|\r\n"),
	  .error = "EPRT: malformed IPv4" },
	{ "EPRT five octets", B("EPRT |1|192.0.2.10.1|40000|\r\n"),
	  .error = "EPRT: malformed IPv4" },
	{ "EPRT empty address", B("EPRT |1||40000|\r\n"),
	  .error = "EPRT: malformed IPv4" },
	{ "EPRT address with a blank", B("EPRT |1| 192.0.2.10|40000|\r\n"),
	  .error = "EPRT: malformed IPv4" },
	{ "EPRT \".\" as the delimiter splits the address",
	  B("EPRT .1.192.0.2.10.40000.\r\n"), .error = "EPRT: malformed IPv4" },
	{ "EPRT a digit as the delimiter", B("EPRT 11119202101400001\r\n"),
	  .error = "EPRT: the delimiter" },
	{ "EPRT a blank as the delimiter", B("EPRT \t1\t192.0.2.10\t40000\t\r\n"),
	  .error = "EPRT: the delimiter" },
	{ "EPRT a DEL as the delimiter",
	  B("EPRT \x7f"
	    "1\x7f"
	    "192.0.2.10\x7f"
	    "40000\x7f\r\n"),
	  .error = "EPRT: the delimiter" },
	{ "EPRT a byte above ASCII as the delimiter",
	  B("EPRT \xff"
	    "1\xff"
	    "192.0.2.10\xff"
	    "40000\xff\r\n"),
	  .error = "EPRT: the delimiter" },
	{ "EPRT mixed delimiters", B("EPRT |1|192.0.2.10!40000!\r\n"),
	  .error = "EPRT: no delimiter after the address" },
	{ "EPRT protocol 3", B("EPRT |3|192.0.2.10|40000|\r\n"),
	  .error = "EPRT: the protocol" },
	{ "EPRT protocol 12", B("EPRT |12|192.0.2.10|40000|\r\n"),
	  .error = "EPRT: the protocol" },
	{ "EPRT empty protocol", B("EPRT ||192.0.2.10|40000|\r\n"),
	  .error = "EPRT: the protocol" },
	{ "EPRT with nothing", B("EPRT \r\n"), .error = "EPRT: the delimiter" },
	{ "EPRT cut after the protocol", B("EPRT |1|\r\n"),
	  .error = "EPRT: no delimiter after the address" },
	{ "EPRT |2| on an IPv4 connection", B(EPRT6_OK),
	  .error = "EPRT: the protocol is not the connection's" },
	{ "EPRT with a NUL", B("EPRT |1|192.0.2.10|40000|\0\r\n"),
	  .error = "NUL" },
	{ "EPRT from the server is ignored", B("EPRT |1|192.0.2.10|40000|\r\n"),
	  .dir = REPLY },

	/* EPRT, IPv6. */
	{ "EPRT |2|", B(EPRT6_OK), .conn = V6, .exp = { { C6, 40000, S6 } } },
	{ "EPRT |2| with the full address",
	  B("EPRT |2|2001:0db8:0000:0000:0000:0000:0000:0010|40000|\r\n"),
	  .conn = V6, .exp = { { C6, 40000, S6 } } },
	{ "EPRT |2| in upper case", B("EPRT |2|2001:DB8::10|40000|\r\n"),
	  .conn = V6, .exp = { { C6, 40000, S6 } } },
	{ "EPRT |2| with another delimiter", B("EPRT !2!2001:db8::10!40000!\r\n"),
	  .conn = V6, .exp = { { C6, 40000, S6 } } },
	{ "EPRT |2| with a dotted quad: asked as written",
	  B("EPRT |2|::ffff:192.0.2.10|40000|\r\n"), .conn = V6,
	  .exp = { { "::ffff:192.0.2.10", 40000, S6 } } },
	{ "EPRT |2| with the unspecified address: asked as written",
	  B("EPRT |2|::|40000|\r\n"), .conn = V6, .exp = { { "::", 40000, S6 } } },
	{ "EPRT |2| with a zone", B("EPRT |2|2001:db8::10%eth0|40000|\r\n"),
	  .conn = V6, .error = "EPRT: malformed IPv6" },
	{ "EPRT |2| in brackets", B("EPRT |2|[2001:db8::10]|40000|\r\n"),
	  .conn = V6, .error = "EPRT: malformed IPv6" },
	{ "EPRT |2| with \":::\"", B("EPRT |2|2001:db8:::10|40000|\r\n"),
	  .conn = V6, .error = "EPRT: malformed IPv6" },
	{ "EPRT |2| with two \"::\"", B("EPRT |2|2001::db8::10|40000|\r\n"),
	  .conn = V6, .error = "EPRT: malformed IPv6" },
	{ "EPRT |2| with nine groups",
	  B("EPRT |2|2001:db8:0:0:0:0:0:0:10|40000|\r\n"), .conn = V6,
	  .error = "EPRT: malformed IPv6" },
	{ "EPRT |2| with seven groups",
	  B("EPRT |2|2001:db8:0:0:0:0:10|40000|\r\n"), .conn = V6,
	  .error = "EPRT: malformed IPv6" },
	{ "EPRT |2| with a group of 5 digits",
	  B("EPRT |2|2001:db8::00010|40000|\r\n"), .conn = V6,
	  .error = "EPRT: malformed IPv6" },
	{ "EPRT |2| with a non-hex digit", B("EPRT |2|2001:db8::g|40000|\r\n"),
	  .conn = V6, .error = "EPRT: malformed IPv6" },
	{ "EPRT |2| with \":\" as the delimiter",
	  B("EPRT :2:2001:db8::10:40000:\r\n"), .conn = V6,
	  .error = "EPRT: malformed IPv6" },
	{ "EPRT |1| on an IPv6 connection", B("EPRT |1|192.0.2.10|40000|\r\n"),
	  .conn = V6, .error = "EPRT: the protocol is not the connection's" },
	{ "EPRT |2| port 65536", B("EPRT |2|2001:db8::10|65536|\r\n"),
	  .conn = V6, .error = "EPRT: the port" },

	/* 227 (PASV), from the server: forms real servers send. */
	{ "227 as vsftpd and proftpd write it", B(PASV_OK), .dir = REPLY,
	  .exp = { WANT_S4 } },
	{ "227 without the period (pure-ftpd)",
	  B("227 Entering Passive Mode (198,51,100,20,117,49)\r\n"),
	  .dir = REPLY, .exp = { WANT_S4 } },
	{ "227 without parentheses",
	  B("227 Entering Passive Mode 198,51,100,20,117,49\r\n"), .dir = REPLY,
	  .exp = { WANT_S4 } },
	{ "227 after \"=\"", B("227 =198,51,100,20,117,49\r\n"), .dir = REPLY,
	  .exp = { WANT_S4 } },
	{ "227 with blanks after the commas",
	  B("227 Entering Passive Mode (198, 51, 100, 20, 117, 49)\r\n"),
	  .dir = REPLY, .exp = { WANT_S4 } },
	{ "227 ended by LF alone",
	  B("227 Entering Passive Mode (198,51,100,20,117,49).\n"),
	  .dir = REPLY, .exp = { WANT_S4 } },
	{ "227 with more numbers after the sixth (text)",
	  B("227 Entering Passive Mode (198,51,100,20,117,49,7)\r\n"),
	  .dir = REPLY, .exp = { WANT_S4 } },
	{ "227 without the closing parenthesis",
	  B("227 Entering Passive Mode (198,51,100,20,117,49\r\n"),
	  .dir = REPLY, .exp = { WANT_S4 } },
	{ "227 naming another address (NATed server): asked as written",
	  B("227 Entering Passive Mode (10,0,0,5,117,49).\r\n"), .dir = REPLY,
	  .exp = { { "10.0.0.5", 30001, C4 } } },
	{ "227 after other replies in one segment",
	  B("150 Here comes the directory listing.\r\n"
	    "226 Directory send OK.\r\n" PASV_OK),
	  .dir = REPLY, .exp = { WANT_S4 } },
	{ "227 multiline: the address on the first line",
	  B("227-Entering Passive Mode (198,51,100,20,117,49)\r\n227 OK\r\n"),
	  .dir = REPLY, .exp = { WANT_S4 } },
	{ "227 multiline: the address on the last line",
	  B("227-Welcome to server 2.0\r\n" PASV_OK), .dir = REPLY,
	  .exp = { WANT_S4 } },
	{ "227 multiline: the first address counts",
	  B("227-Entering Passive Mode (198,51,100,20,117,49)\r\n"
	    "227 Entering Passive Mode (198,51,100,20,117,50)\r\n"),
	  .dir = REPLY, .exp = { WANT_S4 } },
	{ "227 multiline: its last line ends it, the next 227 counts",
	  B("227-(198,51,100,20,117,49)\r\n 2,3,4,5,6,7\r\n227 OK\r\n"
	    "227 Entering Passive Mode (198,51,100,20,117,50).\r\n"),
	  .dir = REPLY, .exp = { WANT_S4, { S4, 30002, C4 } } },
	{ "229 multiline: the address on the first line",
	  B("229-Entering Extended Passive Mode (|||30001|)\r\n229 OK\r\n"),
	  .dir = REPLY, .exp = { { S4, 30001, C4 } } },
	{ "227 multiline: a first line without an address is no error",
	  B("227-Hello\r\n"), .dir = REPLY },
	{ "227 from the client is ignored", B(PASV_OK) },
	{ "\"2270\" is no 227", B("2270 (198,51,100,20,117,49)\r\n"),
	  .dir = REPLY },
	{ "\"227\" alone is no 227 reply", B("227\r\n"), .dir = REPLY },
	{ "227 cut short is left whole",
	  B("227 Entering Passive Mode (198,51,1"), .dir = REPLY, .keep = 35 },
	{ "227 after a complete reply, cut short",
	  B("226 Transfer complete.\r\n22"), .dir = REPLY, .keep = 2 },
	{ "a 227 with its CR cut off",
	  B("227 Entering Passive Mode (198,51,100,20,117,49).\r"),
	  .dir = REPLY, .keep = 50 },

	/* Hostile 227s. */
	{ "227 without an address", B("227 Entering Passive Mode\r\n"),
	  .dir = REPLY, .error = "227 reply without an address" },
	{ "227 octet 256",
	  B("227 Entering Passive Mode (256,51,100,20,117,49)\r\n"),
	  .dir = REPLY, .error = "227 reply: not 6 numbers" },
	{ "227 port byte 256",
	  B("227 Entering Passive Mode (198,51,100,20,117,256)\r\n"),
	  .dir = REPLY, .error = "227 reply: not 6 numbers" },
	{ "227 port byte of 4 digits",
	  B("227 Entering Passive Mode (198,51,100,20,117,4900)\r\n"),
	  .dir = REPLY, .error = "227 reply: not 6 numbers" },
	{ "227 octet 999999999999",
	  B("227 Entering Passive Mode (999999999999,51,100,20,117,49)\r\n"),
	  .dir = REPLY, .error = "227 reply: not 6 numbers" },
	{ "227 port 0", B("227 Entering Passive Mode (198,51,100,20,0,0)\r\n"),
	  .dir = REPLY, .error = "227 reply: port 0" },
	{ "227 with 5 numbers",
	  B("227 Entering Passive Mode (198,51,100,20,117)\r\n"), .dir = REPLY,
	  .error = "227 reply: not 6 numbers" },
	{ "227 negative",
	  B("227 Entering Passive Mode (-198,51,100,20,117,49)\r\n"),
	  .dir = REPLY, .error = "227 reply: signed" },
	{ "227 plus sign",
	  B("227 Entering Passive Mode (+198,51,100,20,117,49)\r\n"),
	  .dir = REPLY, .error = "227 reply: signed" },
	{ "227 hexadecimal",
	  B("227 Entering Passive Mode (0xc6,51,100,20,117,49)\r\n"),
	  .dir = REPLY, .error = "227 reply: not 6 numbers" },
	{ "227 with a NUL",
	  B("227 Entering Passive Mode (198,51,100,20,117,49)\0\r\n"),
	  .dir = REPLY, .error = "NUL" },
	{ "227 with a CR without LF",
	  B("227 Entering Passive Mode (198,51,100,20,117,49)\r.\r\n"),
	  .dir = REPLY, .error = "CR without LF" },
	{ "227 on an IPv6 connection", B(PASV_OK), .conn = V6, .dir = REPLY,
	  .error = "227 reply on an IPv6 connection" },

	/* 229 (EPSV): the server's own address. */
	{ "229 points at the server, not the client (conntrackd's EPSV defect)",
	  B(EPSV_OK), .dir = REPLY, .exp = { { S4, 30001, C4 } } },
	{ "229 on IPv6", B(EPSV_OK), .conn = V6, .dir = REPLY,
	  .exp = { { S6, 30001, C6 } } },
	{ "229 on loopback", B(EPSV_OK), .conn = V4LO, .dir = REPLY,
	  .exp = { { LO, 30001, LO } } },
	{ "229 with another delimiter",
	  B("229 Entering Extended Passive Mode (!!!30001!)\r\n"), .dir = REPLY,
	  .exp = { { S4, 30001, C4 } } },
	{ "229 with text after it",
	  B("229 Extended Passive mode OK (|||30001|).\r\n"), .dir = REPLY,
	  .exp = { { S4, 30001, C4 } } },
	{ "229 with the highest port", B("229 (|||65535|)\r\n"), .dir = REPLY,
	  .exp = { { S4, 65535, C4 } } },
	{ "229 multiline", B("229-Extended\r\n" EPSV_OK), .dir = REPLY,
	  .exp = { { S4, 30001, C4 } } },
	{ "229 from the client is ignored", B(EPSV_OK) },

	/* Hostile 229s. */
	{ "229 port 0", B("229 Entering Extended Passive Mode (|||0|)\r\n"),
	  .dir = REPLY, .error = "229 reply: not (|||port|)" },
	{ "229 port 65536",
	  B("229 Entering Extended Passive Mode (|||65536|)\r\n"), .dir = REPLY,
	  .error = "229 reply: not (|||port|)" },
	{ "229 port of 6 digits",
	  B("229 Entering Extended Passive Mode (|||030001|)\r\n"),
	  .dir = REPLY, .error = "229 reply: not (|||port|)" },
	{ "229 negative port",
	  B("229 Entering Extended Passive Mode (|||-1|)\r\n"), .dir = REPLY,
	  .error = "229 reply: not (|||port|)" },
	{ "229 with two delimiters",
	  B("229 Entering Extended Passive Mode (||30001|)\r\n"), .dir = REPLY,
	  .error = "229 reply: not (|||port|)" },
	{ "229 with mixed delimiters",
	  B("229 Entering Extended Passive Mode (|||30001!)\r\n"), .dir = REPLY,
	  .error = "229 reply: not (|||port|)" },
	{ "229 with an address (RFC 2428 leaves it empty)",
	  B("229 Entering Extended Passive Mode (|1|198.51.100.20|30001|)\r\n"),
	  .dir = REPLY, .error = "229 reply: not (|||port|)" },
	{ "229 a digit as the delimiter",
	  B("229 Entering Extended Passive Mode (111300011)\r\n"), .dir = REPLY,
	  .error = "229 reply: not (|||port|)" },
	{ "229 a blank as the delimiter",
	  B("229 Entering Extended Passive Mode (   30001 )\r\n"), .dir = REPLY,
	  .error = "229 reply: not (|||port|)" },
	{ "229 without the closing parenthesis",
	  B("229 Entering Extended Passive Mode (|||30001|\r\n"), .dir = REPLY,
	  .error = "229 reply: not (|||port|)" },
	{ "229 without parentheses",
	  B("229 Entering Extended Passive Mode |||30001|\r\n"), .dir = REPLY,
	  .error = "229 reply without (|||port|)" },
	{ "229 with a NUL",
	  B("229 Entering Extended\0 Passive Mode (|||30001|)\r\n"),
	  .dir = REPLY, .error = "NUL" },
};

static const char *const conn_client[] = { C4, C6, LO };
static const char *const conn_server[] = { S4, S6, LO };
static const char *const conn_names[] = { "V4", "V6", "V4LO" };

static struct ctalg_conn conns[3];

static void conns_init(void)
{
	static const uint8_t family[] = { AF_INET, AF_INET6, AF_INET };
	int i;

	for (i = 0; i < 3; i++)
		if (!stream_conn_make(&conns[i], family[i], IPPROTO_TCP,
				      conn_client[i], 40000, conn_server[i], 21))
			abort();
}

static unsigned int want_count(const struct ftp_vec *v)
{
	unsigned int n = 0;

	while (n < CTALG_EXP_PER_PACKET && v->exp[n].dst)
		n++;
	return n;
}

static bool ftp_stream_init(struct stream *s, enum conn_kind conn)
{
	if (!stream_init(s, &ctalg_helper_ftp, &conns[conn]))
		return false;
	s->strict_carry = true;
	s->check = ftp_req_check;
	return true;
}

static bool req_matches(const struct ctalg_exp_req *e, const struct want *w,
			uint8_t family)
{
	union ctalg_addr dst = { 0 }, src = { 0 };

	if (inet_pton(family, w->dst, &dst) != 1 ||
	    inet_pton(family, w->src, &src) != 1)
		return false;
	return !memcmp(&e->dst, &dst, sizeof(dst)) &&
	       !memcmp(&e->src, &src, sizeof(src)) && e->dport == w->port;
}

/* The requests a stream collected are exactly @want (@n of them). */
static bool reqs_match(const struct stream *s, const struct want *want,
		       unsigned int n)
{
	unsigned int i;

	if (s->n_exp != n || s->exp_overflow)
		return false;
	for (i = 0; i < n; i++)
		if (!req_matches(&s->exp[i], &want[i], s->conn.family))
			return false;
	return true;
}

/* A vector with what the helper actually did, ready to paste. */
static void vec_print(const struct ftp_vec *v, const struct stream *s,
		      const char *violation)
{
	char addr[2][INET6_ADDRSTRLEN];
	unsigned int i;

	if (violation)
		tap_diag("SDK contract broken: %s", violation);
	tap_diag("the helper did this (check it before pasting):");
	tap_diag("{ \"%s\",", v->name);
	tap_diag_bytes("  B(...)", v->bytes, v->len);
	tap_diag("  .conn = %s, .dir = %s, .resync = %s, .keep = %zu,",
		 conn_names[v->conn], v->dir == ORIG ? "ORIG" : "REPLY",
		 v->resync ? "true" : "false",
		 (size_t)(v->len - s->last.consumed));
	if (s->errors)
		tap_diag("  .error = \"%s\",", s->first_error);
	for (i = 0; i < s->n_exp; i++) {
		inet_ntop(s->conn.family, &s->exp[i].dst, addr[0],
			  sizeof(addr[0]));
		inet_ntop(s->conn.family, &s->exp[i].src, addr[1],
			  sizeof(addr[1]));
		tap_diag("  .exp[%u] = { \"%s\", %u, \"%s\" },", i, addr[0],
			 s->exp[i].dport, addr[1]);
	}
	tap_diag("},");
}

/* One call with all of the vector. */
static void vec_once(const struct ftp_vec *v)
{
	struct stream s;
	const char *bad;
	bool ok;

	if (!ftp_stream_init(&s, v->conn))
		abort();
	bad = stream_feed(&s, v->dir, v->bytes, v->len, v->resync);
	ok = !bad && s.calls == 1 && s.last.consumed == v->len - v->keep &&
	     reqs_match(&s, v->exp, want_count(v));
	if (v->error)
		ok = ok && s.errors == 1 && strstr(s.first_error, v->error);
	else
		ok = ok && s.errors == 0;
	if (!tap_ok(ok, "%s", v->name))
		vec_print(v, &s, bad);
	stream_free(&s);
}

/*
 * Every prefix in its own exact-size buffer, in a fresh connection: no
 * read past the end, at most what the whole asks for (the lines complete
 * in the prefix), and an error only where the whole has one.
 */
static void vec_prefixes(const struct ftp_vec *v)
{
	const char *bad = NULL;
	size_t k, at = 0;
	unsigned int i;

	for (k = 0; k <= v->len && !bad; k++) {
		struct stream s;

		if (!ftp_stream_init(&s, v->conn))
			abort();
		bad = stream_feed(&s, v->dir, v->bytes, k, v->resync);
		if (!bad && s.errors && !v->error)
			bad = "an error in a prefix only";
		/* Past eight requests the oldest go: no prefix relation. */
		for (i = 0;
		     !bad && want_count(v) < CTALG_EXP_PER_PACKET && i < s.n_exp;
		     i++)
			if (i >= want_count(v) ||
			    !req_matches(&s.exp[i], &v->exp[i], s.conn.family))
				bad = "a request the whole does not make";
		at = k;
		stream_free(&s);
	}
	if (!tap_ok(!bad, "%s: every prefix", v->name)) {
		tap_diag("%s", bad);
		tap_diag_bytes("prefix", v->bytes, at);
	}
}

/*
 * Cut in two at every position, and byte by byte: through the carry, the
 * same requests and the same bytes carried in the end as in one piece, or
 * the same error wherever the whole has one.
 */
static void vec_cuts(const struct ftp_vec *v)
{
	size_t *cuts = calloc(v->len + 1, sizeof(*cuts)), k, at = 0;
	const char *bad = NULL;
	struct stream s;

	if (!cuts)
		abort();
	for (k = 0; k + 1 < v->len; k++)
		cuts[k] = k + 1;
	for (k = 0; k <= v->len && !bad; k++) {
		/* k < len: one cut at k; k == len: a cut at every byte. */
		size_t one = k;

		if (!ftp_stream_init(&s, v->conn))
			abort();
		if (k == v->len)
			bad = stream_feed_cut(&s, v->dir, v->bytes, v->len,
					      v->resync, cuts,
					      v->len ? v->len - 1 : 0);
		else
			bad = stream_feed_cut(&s, v->dir, v->bytes, v->len,
					      v->resync, &one, k ? 1 : 0);
		if (!bad && !!s.errors != !!v->error)
			bad = v->error ? "the error is gone"
				       : "an error appeared";
		if (!bad && v->error && !strstr(s.first_error, v->error))
			bad = "another error than in one piece";
		if (!bad && !v->error && !reqs_match(&s, v->exp, want_count(v)) &&
		    want_count(v) < CTALG_EXP_PER_PACKET)
			bad = "other requests than in one piece";
		if (!bad && !v->error && stream_carry(&s, v->dir, NULL) != v->keep)
			bad = "another carry than in one piece";
		at = k;
		stream_free(&s);
	}
	free(cuts);
	if (!tap_ok(!bad, "%s: cut anywhere", v->name))
		tap_diag("%s (cut at %zu%s)", bad, at,
			 at == v->len ? ": byte by byte" : "");
}

static void run_vector(const struct ftp_vec *v)
{
	vec_once(v);
	vec_prefixes(v);
	vec_cuts(v);
}

/*
 * Long lines, built here: a line of interest is parsed up to 512 bytes
 * (counted to its "\n") and refused beyond, whole or cut; a line of no
 * interest is skipped at any length without being carried.
 */
static void test_long_lines(void)
{
	enum { KIB10 = 10 * 1024 };
	char *buf = malloc(KIB10 + 64);
	struct ftp_vec v = { 0 };
	size_t n;

	if (!buf)
		abort();
	/* "227 " + blanks + the address, exactly 512 bytes before "\n". */
	n = 512 - strlen("227 (198,51,100,20,117,49)\r");
	memcpy(buf, "227 ", 4);
	memset(buf + 4, ' ', n);
	memcpy(buf + 4 + n, "(198,51,100,20,117,49)\r\n", 24);
	v = (struct ftp_vec){ .name = "227 of 512 bytes",
			      .bytes = buf,
			      .len = 4 + n + 24,
			      .dir = REPLY,
			      .exp = { WANT_S4 } };
	run_vector(&v);

	memmove(buf + 5, buf + 4, v.len - 4);
	v.len++;
	v.name = "227 of 513 bytes";
	v.error = "longer than 512";
	memset(v.exp, 0, sizeof(v.exp));
	run_vector(&v);

	v.len--; /* without its "\n": incomplete, and still too long */
	v.keep = 0;
	v.name = "227 of 513 bytes, cut before its LF";
	run_vector(&v);

	v.len = 512; /* an incomplete 227 of exactly 512 is carried */
	v.error = NULL;
	v.keep = v.len;
	v.name = "incomplete 227 of 512 bytes is carried";
	run_vector(&v);

	memcpy(buf, "PORT ", 5);
	memset(buf + 5, '1', KIB10);
	memcpy(buf + 5 + KIB10, "\r\n", 2);
	v = (struct ftp_vec){ .name = "PORT of 10 KiB of digits",
			      .bytes = buf,
			      .len = 5 + KIB10 + 2,
			      .error = "longer than 512" };
	run_vector(&v);

	v.len = 5 + KIB10;
	v.name = "PORT of 10 KiB of digits, no line end";
	run_vector(&v);

	memcpy(buf, "RETR ", 5);
	memset(buf + 5, 'a', KIB10);
	memcpy(buf + 5 + KIB10, "\r\n" PORT_OK, 2 + strlen(PORT_OK));
	v = (struct ftp_vec){ .name = "10 KiB RETR, then PORT",
			      .bytes = buf,
			      .len = 5 + KIB10 + 2 + strlen(PORT_OK),
			      .exp = { WANT_C4 } };
	run_vector(&v);

	v.len = 5 + KIB10;
	memset(v.exp, 0, sizeof(v.exp));
	v.name = "10 KiB RETR without its end: skipped, not carried";
	run_vector(&v);
	free(buf);
}

/* A session: what each side sent, segment by segment. */
struct seg {
	enum ctalg_dir dir;
	const char *text;
};

struct session {
	const char *name;
	enum conn_kind conn;
	struct seg segs[24];
	struct want exp[6];
};

static const struct session sessions[] = {
	{ "vsftpd and curl, passive, IPv4 (EPSV, then PASV)",
	  V4,
	  { { REPLY, "220 (vsFTPd 3.0.3)\r\n" },
	    { ORIG, "USER anonymous\r\n" },
	    { REPLY, "331 Please specify the password.\r\n" },
	    { ORIG, "PASS ftp@example.com\r\n" },
	    { REPLY, "230 Login successful.\r\n" },
	    { ORIG, "PWD\r\n" },
	    { REPLY, "257 \"/\" is the current directory\r\n" },
	    { ORIG, "EPSV\r\n" },
	    { REPLY, "229 Entering Extended Passive Mode (|||30001|)\r\n" },
	    { ORIG, "TYPE I\r\n" },
	    { REPLY, "200 Switching to Binary mode.\r\n" },
	    { ORIG, "SIZE file\r\n" },
	    { REPLY, "213 1024\r\n" },
	    { ORIG, "RETR file\r\n" },
	    { REPLY, "150 Opening BINARY mode data connection for file "
		     "(1024 bytes).\r\n" },
	    { REPLY, "226 Transfer complete.\r\n" },
	    { ORIG, "PASV\r\n" },
	    { REPLY, "227 Entering Passive Mode (198,51,100,20,117,50).\r\n" },
	    { ORIG, "QUIT\r\n" },
	    { REPLY, "221 Goodbye.\r\n" } },
	  { { S4, 30001, C4 }, { S4, 30002, C4 } } },
	{ "proftpd, active, IPv4: FEAT, PORT, EPRT",
	  V4,
	  { { REPLY, "220 ProFTPD Server (Debian) [198.51.100.20]\r\n" },
	    { ORIG, "FEAT\r\n" },
	    { REPLY, "211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n"
		     " REST STREAM\r\n SIZE\r\n211 End\r\n" },
	    { ORIG, "PORT 192,0,2,10,156,64\r\n" },
	    { REPLY, "200 PORT command successful\r\n" },
	    { ORIG, "LIST\r\n" },
	    { REPLY, "150 Opening ASCII mode data connection for file list\r\n"
		     "226 Transfer complete\r\n" },
	    { ORIG, "EPRT |1|192.0.2.10|40001|\r\n" },
	    { REPLY, "200 EPRT command successful\r\n" } },
	  { { C4, 40000, S4 }, { C4, 40001, S4 } } },
	{ "pure-ftpd, IPv6: EPSV and EPRT |2|",
	  V6,
	  { { REPLY,
	      "220---------- Welcome to Pure-FTPd [privsep] ----------\r\n"
	      "220-You are user number 1 of 50 allowed.\r\n"
	      "220 You will be disconnected after 15 minutes.\r\n" },
	    { ORIG, "USER ftp\r\nPASS x\r\n" },
	    { REPLY, "230 Anonymous user logged in\r\n" },
	    { ORIG, "EPSV\r\n" },
	    { REPLY, "229 Extended Passive mode OK (|||30001|)\r\n" },
	    { ORIG, "EPRT |2|2001:db8::10|40002|\r\n" },
	    { REPLY, "200 PORT command successful\r\n" } },
	  { { S6, 30001, C6 }, { C6, 40002, S6 } } },
	{ "a client pipelining commands, a server answering in one segment",
	  V4,
	  { { ORIG, "TYPE I\r\nPORT 192,0,2,10,156,64\r\nRETR a\r\n" },
	    { REPLY, "200 Type set to I\r\n200 PORT ok\r\n150 Opening\r\n" },
	    { ORIG, "PASV\r\n" },
	    { REPLY, "226 Done\r\n227 Entering Passive Mode "
		     "(198,51,100,20,117,49).\r\n" } },
	  { { C4, 40000, S4 }, { S4, 30001, C4 } } },
	{ "commands split across segments",
	  V4,
	  { { ORIG, "PO" },
	    { ORIG, "RT 192,0,2," },
	    { ORIG, "10,156,64\r" },
	    { ORIG, "\nEP" },
	    { REPLY, "227 Entering Pas" },
	    { ORIG, "RT |1|192.0.2.10|40001|\r\n" },
	    { REPLY, "sive Mode (198,51,100,20,117,49).\r\n" } },
	  { { C4, 40000, S4 }, { C4, 40001, S4 }, { S4, 30001, C4 } } },
};

static unsigned int session_wants(const struct session *t)
{
	unsigned int n = 0;

	while (n < 6 && t->exp[n].dst)
		n++;
	return n;
}

/* @bytewise: every byte its own segment; else the segments as listed. */
static const char *session_run(const struct session *t, bool bytewise,
			       struct stream *s)
{
	const struct seg *g;
	const char *bad = NULL;
	size_t i, len;

	if (!ftp_stream_init(s, t->conn))
		abort();
	for (g = t->segs; g < t->segs + 24 && g->text && !bad; g++) {
		len = strlen(g->text);
		if (!bytewise) {
			bad = stream_feed(s, g->dir, g->text, len, false);
			continue;
		}
		for (i = 0; i < len && !bad; i++)
			bad = stream_feed(s, g->dir, g->text + i, 1, false);
	}
	return bad;
}

static void test_sessions(void)
{
	char text[160];
	size_t i;
	int b;

	for (i = 0; i < sizeof(sessions) / sizeof(sessions[0]); i++) {
		const struct session *t = &sessions[i];

		for (b = 0; b < 2; b++) {
			struct stream s;
			const char *bad = session_run(t, b, &s);
			unsigned int k;

			if (!tap_ok(!bad && !s.errors &&
					reqs_match(&s, t->exp, session_wants(t)),
				    "session: %s%s", t->name,
				    b ? ", byte by byte" : "")) {
				tap_diag("%s", bad ? bad : "requests:");
				for (k = 0; k < s.n_exp; k++) {
					stream_req_text(&s.exp[k], s.conn.family,
							text, sizeof(text));
					tap_diag("  %s", text);
				}
			}
			stream_free(&s);
		}
	}
}

/*
 * The error path keeps going: a bad line is counted, and a command split
 * after it in the same segment is still carried and parsed whole.
 */
static void test_after_error(void)
{
	struct stream s;
	const char *bad;

	if (!ftp_stream_init(&s, V4))
		abort();
	bad = stream_feed(&s, ORIG, "PORT 1,2,3,4,0,0\r\nPORT 192,0,2", 30,
			  false);
	if (!bad)
		bad = stream_feed(&s, ORIG, ",10,156,64\r\n" PORT_OK,
				  12 + strlen(PORT_OK), false);
	tap_ok(!bad && s.errors == 1 && s.n_exp == 2 &&
		   req_matches(&s.exp[0], &(struct want)WANT_C4, AF_INET) &&
		   req_matches(&s.exp[1], &(struct want)WANT_C4, AF_INET),
	       "after a bad line, a command split after it in the segment is "
	       "still joined and parsed");
	stream_free(&s);
}

/*
 * A multiline reply's address is taken once; bytes lost in the reply
 * direction may have held its last line, so the next 227 counts again.
 */
static void test_multiline_resync(void)
{
	static const char first[] = "227-(198,51,100,20,117,49)\r\n";
	static const char next[] = "\r\n227 Entering Passive Mode "
				   "(198,51,100,20,117,50).\r\n";
	struct stream s;
	const char *bad;

	if (!ftp_stream_init(&s, V4))
		abort();
	bad = stream_feed(&s, REPLY, first, strlen(first), false);
	if (!bad)
		bad = stream_feed(&s, REPLY, next, strlen(next), true);
	tap_ok(!bad && !s.errors && s.n_exp == 2 &&
		   req_matches(&s.exp[1], &(struct want){ S4, 30002, C4 },
			       AF_INET),
	       "a resync ends a multiline reply: the next 227 counts");
	stream_free(&s);
}

static void test_definition(void)
{
	const struct ctalg_helper *h = &ctalg_helper_ftp;

	tap_ok(h->abi == CTALG_HELPER_ABI && !strcmp(h->name, "ftp") &&
		   h->l4proto == IPPROTO_TCP &&
		   h->families == (CTALG_HELPER_INET | CTALG_HELPER_INET6) &&
		   h->ports[0] == 21 && h->ports[1] == 0 && h->min_port == 1024,
	       "ftp: TCP port 21, IPv4 and IPv6, ports from 1024");
	tap_ok(h->n_classes == 1 && !strcmp(h->classes[0].name, "ftp") &&
		   h->classes[0].max_expected == 1 &&
		   h->classes[0].timeout == 300,
	       "ftp: one class \"ftp\", at most 1 expectation, 300 s, as the "
	       "kernel");
	tap_ok(h->priv_size <= CTALG_HELPER_PRIV_MAX &&
		   h->carry_max <= CTALG_HELPER_CARRY_MAX && h->carry_max >= 70,
	       "ftp: private state %u bytes, carry %u bytes, within the SDK's "
	       "limits",
	       h->priv_size, h->carry_max);
}

int main(void)
{
	size_t i;

	conns_init();
	test_definition();
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++)
		run_vector(&vectors[i]);
	test_long_lines();
	test_sessions();
	test_after_error();
	test_multiline_resync();
	return tap_done();
}
