// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Amanda helper from datagrams (vecrun.h: each case as given, and every
 * datagram cut short in an exact-size buffer). The connection is the
 * backup server's (192.0.2.10 or 2001:db8::10, port 40000) to amandad
 * (198.51.100.20 or 2001:db8:1::20, port 10080); amandad's replies come
 * in the reply direction.
 *
 * The datagrams follow Amanda's sources: the header of pkthdr2str()
 * (common-src/security-util.c), sendbackup's CONNECT line as amandad
 * rewrites it (amandad-src/amandad.c, s_processrep), amindexd's and
 * amidxtaped's CONNECT lines, the OPTIONS line of the reply.
 */
#include "amanda_check.h"
#include "builtin.h"
#include "vecrun.h"

#define SRV4 VR_C4 /* the backup server: sends REQ, gets REP */
#define AMD4 VR_S4 /* amandad's host */
#define SRV6 VR_C6
#define AMD6 VR_S6

#define REQ                                                          \
	"Amanda 3.5 REQ HANDLE 000-00000001 SEQ 1700000000\n"        \
	"SECURITY USER backup\n"                                     \
	"SERVICE sendbackup\n"                                       \
	"OPTIONS features=9ffe00;maxdumps=1;hostname=client;"        \
	"config=daily;\n"                                            \
	"<dle>\n  <program>GNUTAR</program>\n  <disk>/home</disk>\n" \
	"  <level>0</level>\n  <index>YES</index>\n</dle>\n"
#define ACK	"Amanda 3.5 ACK HANDLE 000-00000001 SEQ 1700000000\n"
#define REP	"Amanda 3.5 REP HANDLE 000-00000001 SEQ 1700000000\n"
#define OPTIONS "OPTIONS features=9ffe00;\n"
#define REP_3	REP "CONNECT DATA 11001 MESG 11002 INDEX 11003\n" OPTIONS
#define WANT_3                                        \
	{ AMD4, 11001, SRV4 }, { AMD4, 11002, SRV4 }, \
	{                                             \
		AMD4, 11003, SRV4                     \
	}

// clang-format off
static const struct vr_case cases[] = {
	/* sendbackup's reply. */
	{ "sendbackup: DATA, MESG and INDEX, each its own expectation at its "
	  "own port (conntrackd expects the master's source port, and keeps "
	  "only the last)", VR_V4, { VR_S(REP_3) }, .exp = { WANT_3 } },
	{ "sendbackup over IPv6 (conntrackd's helper is IPv4 only)", VR_V6,
	  { VR_S(REP_3) },
	  .exp = { { AMD6, 11001, SRV6 }, { AMD6, 11002, SRV6 },
		   { AMD6, 11003, SRV6 } } },
	{ "the whole exchange: REQ, ACK, REP, ACK", VR_V4,
	  { VR_C(REQ), VR_S(ACK), VR_S(REP_3), VR_C(ACK) },
	  .exp = { WANT_3 } },
	{ "Amanda 3.4 and later: STATE too", VR_V4,
	  { VR_S(REP "CONNECT DATA 11001 MESG 11002 INDEX 11003 STATE 11004\n"
		 OPTIONS) },
	  .exp = { WANT_3, { AMD4, 11004, SRV4 } } },
	{ "STATE and CMD: five streams", VR_V4,
	  { VR_S(REP "CONNECT DATA 11001 MESG 11002 INDEX 11003 STATE 11004 "
		 "CMD 11005\n" OPTIONS) },
	  .exp = { WANT_3, { AMD4, 11004, SRV4 }, { AMD4, 11005, SRV4 } } },
	{ "INDEX -1: no index stream", VR_V4,
	  { VR_S(REP "CONNECT DATA 11001 MESG 11002 INDEX -1\n" OPTIONS) },
	  .exp = { { AMD4, 11001, SRV4 }, { AMD4, 11002, SRV4 } } },
	{ "every stream -1: nothing to expect", VR_V4,
	  { VR_S(REP "CONNECT DATA -1 MESG -1 INDEX -1\n" OPTIONS) } },
	{ "the order is free", VR_V4,
	  { VR_S(REP "CONNECT INDEX 11003 MESG 11002 DATA 11001\n" OPTIONS) },
	  .exp = { { AMD4, 11003, SRV4 }, { AMD4, 11002, SRV4 },
		   { AMD4, 11001, SRV4 } } },
	{ "amindexd: MESG", VR_V4,
	  { VR_S(REP "CONNECT MESG 11010\n\n") }, .exp = { { AMD4, 11010, SRV4 } } },
	{ "amidxtaped: CTL and DATA", VR_V4,
	  { VR_S(REP "CONNECT CTL 11020 DATA 11021\n\n") },
	  .exp = { { AMD4, 11020, SRV4 }, { AMD4, 11021, SRV4 } } },
	{ "an Amanda 2.4 header", VR_V4,
	  { VR_S("Amanda 2.4 REP HANDLE 00F-0813C008 SEQ 1151327155\n"
		 "CONNECT DATA 11001 MESG 11002 INDEX 11003\n"
		 "OPTIONS features=feff9ffe0f;\n") },
	  .exp = { WANT_3 } },
	{ "lines ended by CR LF", VR_V4,
	  { VR_S("Amanda 3.5 REP HANDLE 000-00000001 SEQ 1\r\n"
		 "CONNECT DATA 11001 MESG 11002 INDEX 11003\r\n") },
	  .exp = { WANT_3 } },
	{ "the CONNECT line without its newline", VR_V4,
	  { VR_S(REP "CONNECT DATA 11001 MESG 11002 INDEX 11003") },
	  .exp = { WANT_3 } },
	{ "the CONNECT line after another line", VR_V4,
	  { VR_S(REP "KENCRYPT\nCONNECT DATA 11001 MESG 11002 INDEX 11003\n") },
	  .exp = { WANT_3 } },
	{ "blanks between and after the pairs", VR_V4,
	  { VR_S(REP "CONNECT  DATA  11001 MESG 11002   INDEX 11003  \n") },
	  .exp = { WANT_3 } },
	{ "ports with leading zeros and the extremes", VR_V4,
	  { VR_S(REP "CONNECT DATA 00001 MESG 65535\n") },
	  .exp = { { AMD4, 1, SRV4 }, { AMD4, 65535, SRV4 } } },
	{ "two streams on one port: one expectation", VR_V4,
	  { VR_S(REP "CONNECT DATA 11001 MESG 11001 INDEX 11003\n") },
	  .exp = { { AMD4, 11001, SRV4 }, { AMD4, 11003, SRV4 } } },
	{ "eight streams: all asked (ctalgd keeps the class maximum)", VR_V4,
	  { VR_S(REP "CONNECT A 1001 B 1002 C 1003 D 1004 E 1005 F 1006 "
		 "G 1007 H 1008\n") },
	  .exp = { { AMD4, 1001, SRV4 }, { AMD4, 1002, SRV4 },
		   { AMD4, 1003, SRV4 }, { AMD4, 1004, SRV4 },
		   { AMD4, 1005, SRV4 }, { AMD4, 1006, SRV4 },
		   { AMD4, 1007, SRV4 }, { AMD4, 1008, SRV4 } } },
	{ "a stream name of 16 letters", VR_V4,
	  { VR_S(REP "CONNECT ABCDEFGHIJKLMNOP 11001\n") },
	  .exp = { { AMD4, 11001, SRV4 } } },
	{ "a NUL in another line does not matter", VR_V4,
	  { VR_S(REP "CONNECT DATA 11001 MESG 11002 INDEX 11003\n"
		 "OPTIONS a\0b;\n") },
	  .exp = { WANT_3 } },
	{ "two REPs: each asks for its streams", VR_V4,
	  { VR_S(REP_3), VR_S(REP "CONNECT MESG 11010\n") },
	  .exp = { WANT_3, { AMD4, 11010, SRV4 } } },

	/* Datagrams that announce nothing. */
	{ "the server's REQ is not read, CONNECT or not", VR_V4,
	  { VR_C(REQ), VR_C(REP_3) } },
	{ "an ACK", VR_V4, { VR_S(ACK) } },
	{ "a NAK", VR_V4,
	  { VR_S("Amanda 3.5 NAK HANDLE 000-00000001 SEQ 1700000000\n"
		 "ERROR service sendbackup failed\n") } },
	{ "a PREP (sendsize's partial reply) is no REP", VR_V4,
	  { VR_S("Amanda 3.5 PREP HANDLE 000-00000001 SEQ 1\n"
		 "CONNECT DATA 11001\n") } },
	{ "a REP without CONNECT (sendsize)", VR_V4,
	  { VR_S(REP OPTIONS "/home 0 SIZE 1024\n") } },
	{ "an ERROR reply", VR_V4,
	  { VR_S(REP "ERROR [sendbackup: unknown program FOO]\n") } },
	{ "\"CONNECT\" must start the line", VR_V4,
	  { VR_S(REP " CONNECT DATA 11001\nERROR CONNECT DATA 11002\n") } },
	{ "\"CONNECT\" is written in capitals", VR_V4,
	  { VR_S(REP "connect DATA 11001\n") } },
	{ "\"CONNECT\" alone", VR_V4, { VR_S(REP "CONNECT\n") } },
	{ "\"CONNECTDATA\" is no CONNECT", VR_V4,
	  { VR_S(REP "CONNECTDATA 11001\n") } },

	/* Hostile CONNECT lines: nothing is asked from them. */
	{ "port 0: not even the good streams before it", VR_V4,
	  { VR_S(REP "CONNECT DATA 11001 MESG 0 INDEX 11003\n") },
	  .error = "a port is not 1-65535" },
	{ "port 65536", VR_V4, { VR_S(REP "CONNECT DATA 65536\n") },
	  .error = "a port is not 1-65535" },
	{ "port 99999999999", VR_V4,
	  { VR_S(REP "CONNECT DATA 99999999999\n") },
	  .error = "a port is not 1-65535" },
	{ "port of 6 digits", VR_V4, { VR_S(REP "CONNECT DATA 011001\n") },
	  .error = "a port is not 1-65535" },
	{ "port with a plus sign", VR_V4,
	  { VR_S(REP "CONNECT DATA +11001\n") },
	  .error = "a port is not 1-65535" },
	{ "port -2", VR_V4, { VR_S(REP "CONNECT DATA -2\n") },
	  .error = "a port is not 1-65535" },
	{ "port -10", VR_V4, { VR_S(REP "CONNECT DATA -10\n") },
	  .error = "a port is not 1-65535" },
	{ "port in hexadecimal", VR_V4,
	  { VR_S(REP "CONNECT DATA 0x2af9\n") },
	  .error = "a port is not 1-65535" },
	{ "a port followed by letters", VR_V4,
	  { VR_S(REP "CONNECT DATA 11001MESG 11002\n") },
	  .error = "a port is not 1-65535" },
	{ "a stream without its port", VR_V4, { VR_S(REP "CONNECT DATA\n") },
	  .error = "a stream name is not" },
	{ "a stream with an empty port", VR_V4,
	  { VR_S(REP "CONNECT DATA 11001 MESG \n") },
	  .error = "a port is not 1-65535" },
	{ "a port without its stream", VR_V4,
	  { VR_S(REP "CONNECT 11001\n") },
	  .error = "a stream name is not" },
	{ "a stream name in small letters", VR_V4,
	  { VR_S(REP "CONNECT data 11001\n") },
	  .error = "a stream name is not" },
	{ "a stream name with a digit", VR_V4,
	  { VR_S(REP "CONNECT DATA1 11001\n") },
	  .error = "a stream name is not" },
	{ "a stream name of 17 letters", VR_V4,
	  { VR_S(REP "CONNECT ABCDEFGHIJKLMNOPQ 11001\n") },
	  .error = "a stream name is not" },
	{ "a tab between a stream and its port", VR_V4,
	  { VR_S(REP "CONNECT DATA\t11001\n") },
	  .error = "a stream name is not" },
	{ "a stream named twice", VR_V4,
	  { VR_S(REP "CONNECT DATA 11001 MESG 11002 DATA 11003\n") },
	  .error = "a stream named twice" },
	{ "nine streams", VR_V4,
	  { VR_S(REP "CONNECT A 1001 B 1002 C 1003 D 1004 E 1005 F 1006 "
		 "G 1007 H 1008 I 1009\n") },
	  .error = "more than 8 streams" },
	{ "no streams", VR_V4, { VR_S(REP "CONNECT  \n") },
	  .error = "no streams" },
	{ "a NUL in the CONNECT line", VR_V4,
	  { VR_S(REP "CONNECT DATA 11001\0 MESG 11002\n") },
	  .error = "NUL or CR" },
	{ "a CR inside the CONNECT line", VR_V4,
	  { VR_S(REP "CONNECT DATA 11001\r MESG 11002\n") },
	  .error = "NUL or CR" },
	{ "a second CONNECT line: refused, the first stands", VR_V4,
	  { VR_S(REP_3 "CONNECT DATA 11011\n") }, .error = "a second CONNECT",
	  .exp = { WANT_3 } },
	{ "a bad CONNECT line, then a good one: neither counts",
	  VR_V4,
	  { VR_S(REP "CONNECT DATA 0\nCONNECT DATA 11001\n") },
	  .error = "a port is not 1-65535" },

	/* Hostile headers. */
	{ "no header", VR_V4, { VR_S("CONNECT DATA 11001\n") },
	  .error = "not an Amanda packet" },
	{ "a header without a version", VR_V4,
	  { VR_S("Amanda REP HANDLE 000-00000001 SEQ 1\nCONNECT DATA 11001\n") },
	  .error = "not an Amanda packet" },
	{ "a header in small letters", VR_V4,
	  { VR_S("amanda 3.5 REP HANDLE 000-00000001 SEQ 1\n"
		 "CONNECT DATA 11001\n") },
	  .error = "not an Amanda packet" },
	{ "a version of 4 digits", VR_V4,
	  { VR_S("Amanda 3.1000 REP HANDLE 000-00000001 SEQ 1\n"
		 "CONNECT DATA 11001\n") },
	  .error = "not an Amanda packet" },
	{ "a type of 9 letters", VR_V4,
	  { VR_S("Amanda 3.5 REPREPREP HANDLE 000-00000001 SEQ 1\n"
		 "CONNECT DATA 11001\n") },
	  .error = "not an Amanda packet" },
	{ "\"REPX\" is no REP", VR_V4,
	  { VR_S("Amanda 3.5 REPX HANDLE 000-00000001 SEQ 1\n"
		 "CONNECT DATA 11001\n") } },
	{ "a header without its newline", VR_V4,
	  { VR_S("Amanda 3.5 REP HANDLE 000-00000001 SEQ 1") },
	  .error = "not an Amanda packet" },
	{ "a header of only \"Amanda 3.5 REP\"", VR_V4,
	  { VR_S("Amanda 3.5 REP\nCONNECT DATA 11001\n") },
	  .exp = { { AMD4, 11001, SRV4 } } },
	{ "binary junk from amandad's port", VR_V4,
	  { VR_S("\x00\x01\x02\x03\xff\n") }, .error = "not an Amanda packet" },
};
// clang-format on

static const struct vr_helper amanda = {
	.h = &ctalg_helper_amanda,
	.check = amanda_req_check,
};

/*
 * Long lines, built here: the header and the CONNECT line are read up to
 * 256 bytes and refused beyond; other lines may have any length.
 */
static void test_long_lines(void)
{
	enum { BIG = 60000 };
	static const char head[] = REP, conn[] = "CONNECT DATA 11001";
	char *buf = malloc(BIG + 512), *at;
	struct vr_case c = { 0 };
	size_t n;

	if (!buf)
		abort();
	/* A CONNECT line of exactly 256 bytes: blanks before its end. */
	at = buf + sizeof(head) - 1;
	memcpy(buf, head, sizeof(head) - 1);
	memcpy(at, conn, sizeof(conn) - 1);
	n = 256 - (sizeof(conn) - 1);
	memset(at + sizeof(conn) - 1, ' ', n);
	at[256] = '\n';
	c = (struct vr_case){ .name = "a CONNECT line of 256 bytes",
			      .conn = VR_V4,
			      .seg = { { CTALG_DIR_REPLY, false, buf,
					 sizeof(head) - 1 + 257 } },
			      .exp = { { AMD4, 11001, SRV4 } } };
	vr_run(&amanda, &c);

	at[256] = ' ';
	at[257] = '\n';
	c.seg[0].len++;
	c.name = "a CONNECT line of 257 bytes";
	c.error = "longer than 256";
	memset(c.exp, 0, sizeof(c.exp));
	vr_run(&amanda, &c);

	/* A header of 257 bytes. */
	memcpy(buf, "Amanda 3.5 REP ", 15);
	memset(buf + 15, 'x', 257 - 15);
	memcpy(buf + 257, "\nCONNECT DATA 11001\n", 20);
	c = (struct vr_case){ .name = "a header of 257 bytes",
			      .conn = VR_V4,
			      .seg = { { CTALG_DIR_REPLY, false, buf, 277 } },
			      .error = "not an Amanda packet" };
	vr_run(&amanda, &c);

	/* 60000 bytes of OPTIONS before the CONNECT line. */
	memcpy(buf, head, sizeof(head) - 1);
	at = buf + sizeof(head) - 1;
	memcpy(at, "OPTIONS ", 8);
	memset(at + 8, 'f', BIG);
	at += 8 + BIG;
	memcpy(at, "\nCONNECT DATA 11001\n", 20);
	c = (struct vr_case){
		.name = "a CONNECT line after 60000 bytes of options",
		.conn = VR_V6,
		.seg = { { CTALG_DIR_REPLY, false, buf, (size_t)(at + 20 - buf) } },
		.exp = { { AMD6, 11001, SRV6 } }
	};
	vr_once(&amanda, &c);
	free(buf);
}

static void test_definition(void)
{
	const struct ctalg_helper *h = &ctalg_helper_amanda;

	tap_ok(h->abi == CTALG_HELPER_ABI && !strcmp(h->name, "amanda") &&
		   h->l4proto == IPPROTO_UDP &&
		   h->families == (CTALG_HELPER_INET | CTALG_HELPER_INET6) &&
		   h->ports[0] == 10080 && h->ports[1] == 0 &&
		   h->min_port == 1024,
	       "amanda: UDP port 10080, IPv4 and IPv6, ports from 1024");
	tap_ok(h->n_classes == 1 && !strcmp(h->classes[0].name, "amanda") &&
		   h->classes[0].max_expected == 5 &&
		   h->classes[0].timeout == 180,
	       "amanda: one class \"amanda\", at most 5 expectations (a "
	       "reply's streams), 180 s as the kernel");
	tap_ok(h->priv_size == 0, "amanda: no private state");
}

int main(void)
{
	test_definition();
	vr_run_table(&amanda, cases, sizeof(cases) / sizeof(cases[0]));
	test_long_lines();
	return tap_done();
}
