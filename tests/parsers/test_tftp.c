// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TFTP helper from byte vectors (helper_vec.h): every request form
 * RFC 1350 and the option RFCs allow, requests captured from tftp-hpa and
 * atftp talking to in.tftpd, every bound one past its limit, and the
 * reference's defects (a request in either direction, a bare opcode)
 * shown fixed.
 */
#include "builtin.h"
#include "helper_vec.h"
#include "udp_check.h"

enum {
	V4,  /* 192.0.2.10:40000 -> 198.51.100.20:69 */
	V6,  /* [2001:db8::10]:40000 -> [2001:db8:1::20]:69 */
	LO4, /* 127.0.0.1:36009 -> 127.0.0.1:69, as captured */
	LO6, /* [::1]:49552 -> [::1]:69, as captured */
};

static const struct hv_conn conns[] = {
	[V4] = { "V4", AF_INET, "192.0.2.10", 40000, "198.51.100.20", 69 },
	[V6] = { "V6", AF_INET6, "2001:db8::10", 40000, "2001:db8:1::20", 69 },
	[LO4] = { "LO4", AF_INET, "127.0.0.1", 36009, "127.0.0.1", 69 },
	[LO6] = { "LO6", AF_INET6, "::1", 49552, "::1", 69 },
};

#define WANT4 \
	"UDP from 198.51.100.20/32 port * to 192.0.2.10 port 40000 class 0"
#define WANT6                                                                  \
	"UDP from 2001:db8:1::20/128 port * to 2001:db8::10 port 40000 class " \
	"0"

/* RRQ "f" octet, then what the test adds: options. */
#define RRQ(opts)  \
	"\x00\x01" \
	"f\0octet\0" opts

// clang-format off
static const struct hv_vec vectors[] = {
	/*
	 * Captured: tftp-hpa 5.2 (Debian 12) "tftp 127.0.0.1 -m octet -c
	 * get file.bin" against in.tftpd: opcode 1, "file.bin", "octet".
	 */
	{ "tftp-hpa RRQ, octet (captured)",
	  B("\x00\x01" "file.bin\0" "octet\0"), .conn = LO4,
	  .exp = { "UDP from 127.0.0.1/32 port * to 127.0.0.1 port 36009 "
		   "class 0" } },
	/* The same client without -m: its default mode. */
	{ "tftp-hpa RRQ, netascii (captured)",
	  B("\x00\x01" "file.bin\0" "netascii\0"), .conn = LO4,
	  .exp = { "UDP from 127.0.0.1/32 port * to 127.0.0.1 port 36009 "
		   "class 0" } },
	/*
	 * Captured: atftp 0.8.0 "--get --option 'blksize 1428' --option
	 * 'tsize 0' --option 'timeout 5' --option 'windowsize 4'".
	 */
	{ "atftp RRQ with tsize, timeout, blksize, windowsize (captured)",
	  B("\x00\x01" "file.bin\0" "octet\0" "tsize\0" "0\0" "timeout\0"
	    "5\0" "blksize\0" "1428\0" "windowsize\0" "4\0"), .conn = LO4,
	  .exp = { "UDP from 127.0.0.1/32 port * to 127.0.0.1 port 36009 "
		   "class 0" } },
	/* Captured: atftp "--put --option 'tsize 3000' ..." to ::1. */
	{ "atftp WRQ over IPv6 with tsize and blksize (captured)",
	  B("\x00\x02" "up2.bin\0" "octet\0" "tsize\0" "3000\0" "blksize\0"
	    "512\0"), .conn = LO6,
	  .exp = { "UDP from ::1/128 port * to ::1 port 49552 class 0" } },
	/* Captured: a request for a file the server does not have. */
	{ "tftp-hpa RRQ for a missing file (captured)",
	  B("\x00\x01" "nosuchfile\0" "octet\0"), .conn = LO4,
	  .exp = { "UDP from 127.0.0.1/32 port * to 127.0.0.1 port 36009 "
		   "class 0" } },

	/* The forms, IPv4 and IPv6. */
	{ "RRQ octet", B(RRQ("")), .exp = { WANT4 } },
	{ "RRQ octet, IPv6", B(RRQ("")), .conn = V6, .exp = { WANT6 } },
	{ "WRQ octet", B("\x00\x02" "f\0octet\0"), .exp = { WANT4 } },
	{ "WRQ netascii, IPv6", B("\x00\x02" "dir/f.txt\0netascii\0"),
	  .conn = V6, .exp = { WANT6 } },
	{ "RRQ mail (RFC 1350)", B("\x00\x01" "user\0mail\0"),
	  .exp = { WANT4 } },
	{ "mode in any case", B("\x00\x01" "f\0OcTeT\0"), .exp = { WANT4 } },
	{ "mode NETASCII", B("\x00\x01" "f\0NETASCII\0"), .exp = { WANT4 } },
	{ "a filename of other bytes", B("\x00\x01" "\xff\x01 a b\0octet\0"),
	  .exp = { WANT4 } },
	{ "a filename with a path", B("\x00\x01" "/srv/boot/pxelinux.0\0octet\0"),
	  .exp = { WANT4 } },

	/* Options (RFC 2347-2349, 7440), their bounds. */
	{ "blksize 8 (the least)", B(RRQ("blksize\0" "8\0")), .exp = { WANT4 } },
	{ "blksize 65464 (the most)", B(RRQ("blksize\0" "65464\0")),
	  .exp = { WANT4 } },
	{ "blksize 7", B(RRQ("blksize\0" "7\0")), .error = "blksize is not a number" },
	{ "blksize 65465", B(RRQ("blksize\0" "65465\0")),
	  .error = "blksize is not a number" },
	{ "blksize 99999999999", B(RRQ("blksize\0" "99999999999\0")),
	  .error = "blksize is not a number" },
	{ "blksize with leading zeros", B(RRQ("blksize\0" "01428\0")),
	  .exp = { WANT4 } },
	{ "blksize of 6 digits", B(RRQ("blksize\0" "001428\0")),
	  .error = "blksize is not a number" },
	{ "blksize signed", B(RRQ("blksize\0" "+512\0")),
	  .error = "blksize is not a number" },
	{ "blksize negative", B(RRQ("blksize\0" "-512\0")),
	  .error = "blksize is not a number" },
	{ "blksize hexadecimal", B(RRQ("blksize\0" "0x200\0")),
	  .error = "blksize is not a number" },
	{ "blksize with a blank", B(RRQ("blksize\0" " 512\0")),
	  .error = "blksize is not a number" },
	{ "blksize followed by text", B(RRQ("blksize\0" "512x\0")),
	  .error = "blksize is not a number" },
	{ "blksize empty", B(RRQ("blksize\0" "\0")),
	  .error = "blksize is not a number" },
	{ "timeout 1 and 255", B(RRQ("timeout\0" "1\0")), .exp = { WANT4 } },
	{ "timeout 255", B(RRQ("timeout\0" "255\0")), .exp = { WANT4 } },
	{ "timeout 0", B(RRQ("timeout\0" "0\0")), .error = "timeout is not a number" },
	{ "timeout 256", B(RRQ("timeout\0" "256\0")),
	  .error = "timeout is not a number" },
	{ "windowsize 1", B(RRQ("windowsize\0" "1\0")), .exp = { WANT4 } },
	{ "windowsize 65535", B(RRQ("windowsize\0" "65535\0")),
	  .exp = { WANT4 } },
	{ "windowsize 0", B(RRQ("windowsize\0" "0\0")),
	  .error = "windowsize is not a number" },
	{ "windowsize 65536", B(RRQ("windowsize\0" "65536\0")),
	  .error = "windowsize is not a number" },
	{ "tsize of 20 digits (over 4 GiB is fine)",
	  B("\x00\x02" "f\0octet\0tsize\0" "18446744073709551615\0"),
	  .exp = { WANT4 } },
	{ "tsize of 21 digits",
	  B("\x00\x02" "f\0octet\0tsize\0" "184467440737095516150\0"),
	  .error = "tsize is not a number" },
	{ "tsize not a number", B(RRQ("tsize\0" "big\0")),
	  .error = "tsize is not a number" },
	{ "option names in any case",
	  B(RRQ("BLKSIZE\0" "1428\0" "TSize\0" "0\0")), .exp = { WANT4 } },
	{ "an option twice", B(RRQ("blksize\0" "512\0" "blksize\0" "1428\0")),
	  .error = "an option given twice" },
	{ "an option twice, in another case",
	  B(RRQ("blksize\0" "512\0" "BlkSize\0" "512\0")),
	  .error = "an option given twice" },
	{ "unknown options are skipped (RFC 2347), empty values too",
	  B(RRQ("multicast\0" "\0" "rollover\0" "0\0" "utimeout\0" "1000\0")),
	  .exp = { WANT4 } },
	{ "an unknown option twice is the server's business",
	  B(RRQ("x\0" "1\0" "x\0" "2\0")), .exp = { WANT4 } },
	{ "an empty option name", B(RRQ("\0" "512\0")),
	  .error = "an empty option name" },
	{ "an option without its value", B(RRQ("blksize\0")),
	  .error = "an option without a NUL-terminated value" },
	{ "an option value without its NUL", B(RRQ("blksize\0" "512")),
	  .error = "an option without a NUL-terminated value" },
	{ "an option name without its NUL", B(RRQ("blksize")),
	  .error = "an option name without its NUL" },

	/* Malformed requests. */
	{ "reference defect fixed: a bare RRQ opcode asks for nothing",
	  B("\x00\x01"), .error = "the filename has no NUL" },
	{ "a bare WRQ opcode", B("\x00\x02"), .error = "the filename has no NUL" },
	{ "a filename without its NUL", B("\x00\x01" "file.bin"),
	  .error = "the filename has no NUL" },
	{ "an empty filename", B("\x00\x01" "\0octet\0"),
	  .error = "an empty filename" },
	{ "no mode", B("\x00\x01" "f\0"), .error = "the mode has no NUL" },
	{ "a mode without its NUL", B("\x00\x01" "f\0octet"),
	  .error = "the mode has no NUL" },
	{ "an empty mode", B("\x00\x01" "f\0\0"),
	  .error = "not netascii, octet or mail" },
	{ "mode binary", B("\x00\x01" "f\0binary\0"),
	  .error = "not netascii, octet or mail" },
	{ "mode with a trailing blank", B("\x00\x01" "f\0octet \0"),
	  .error = "not netascii, octet or mail" },
	{ "mode octets", B("\x00\x01" "f\0octets\0"),
	  .error = "not netascii, octet or mail" },
	{ "mode octe", B("\x00\x01" "f\0octe\0"),
	  .error = "not netascii, octet or mail" },
	{ "one byte", B("\x00"), .error = "shorter than an opcode" },
	{ "opcode 0", B("\x00\x00" "f\0octet\0"), .error = "unknown opcode" },
	{ "opcode 7", B("\x00\x07" "f\0octet\0"), .error = "unknown opcode" },
	{ "opcode 0x0101", B("\x01\x01" "f\0octet\0"), .error = "unknown opcode" },
	{ "opcode 0xffff", B("\xff\xff"), .error = "unknown opcode" },

	/* Directions. */
	{ "reference defect fixed: an RRQ from the server asks for nothing",
	  B(RRQ("")), .dir = REPLY, .error = "RRQ or WRQ from the server side" },
	{ "a WRQ from the server, IPv6", B("\x00\x02" "f\0octet\0"), .conn = V6,
	  .dir = REPLY, .error = "RRQ or WRQ from the server side" },
	/* A server answering from port 69: the master carries the transfer. */
	{ "DATA from the server on the master", B("\x00\x03\x00\x01" "data"),
	  .dir = REPLY },
	{ "ACK from the client on the master", B("\x00\x04\x00\x01"), },
	{ "ERROR from the server on the master",
	  B("\x00\x05\x00\x01" "File not found\0"), .dir = REPLY },
	{ "OACK from the server on the master", B("\x00\x06" "blksize\0" "1428\0"),
	  .dir = REPLY },
	{ "an empty DATA", B("\x00\x03"), .dir = REPLY },
};
// clang-format on

static const struct hv_suite suite = {
	.helper = &ctalg_helper_tftp,
	.conns = conns,
	.n_conns = sizeof(conns) / sizeof(conns[0]),
	.check = tftp_req_check,
};

/*
 * The 512-byte limit of RFC 2347, built here: a request of exactly 512
 * bytes asks for its expectation, one of 513 is refused, and so is a
 * datagram of 64 KiB, whatever it holds.
 */
static void test_long(void)
{
	size_t big = 65507;
	char *buf = malloc(big);
	struct hv_vec v = { .name = "a request of 511 bytes",
			    .bytes = buf,
			    .exp = { WANT4 } };

	if (!buf)
		abort();
	/* opcode, a filename of 502 bytes and its NUL, "octet" and NUL. */
	memcpy(buf, "\x00\x01", 2);
	memset(buf + 2, 'a', 502);
	memcpy(buf + 504, "\0octet\0", 7);
	v.len = 511;
	hv_run(&suite, &v);

	memmove(buf + 3, buf + 2, 509);
	v.len = 512;
	v.name = "a request of 512 bytes";
	hv_run(&suite, &v);

	memmove(buf + 3, buf + 2, 510);
	v.len = 513;
	v.name = "a request of 513 bytes";
	v.error = "longer than 512 bytes";
	v.exp[0] = NULL;
	hv_run(&suite, &v);

	memset(buf + 2, 'b', big - 2);
	v.len = big;
	v.name = "a request of 64 KiB without a NUL";
	hv_once(&suite, &v);
	free(buf);
}

/* A client retransmits its request: the same expectation each time. */
static void test_retransmit(void)
{
	static const char rrq[] = RRQ("blksize\0"
				      "1428\0");
	struct stream st;
	const char *bad = NULL;
	int i;

	hv_stream_init(&suite, &st, V6);
	for (i = 0; i < 3 && !bad; i++)
		bad = stream_feed(&st, ORIG, rrq, sizeof(rrq) - 1, false);
	tap_ok(!bad && st.n_exp == 3 && !st.errors &&
		   hv_reqs_are(&st, (const char *[]){ WANT6, WANT6, WANT6 }, 3),
	       "a retransmitted request asks for the same expectation again");
	stream_free(&st);
}

static void test_definition(void)
{
	const struct ctalg_helper *h = &ctalg_helper_tftp;

	tap_ok(h->abi == CTALG_HELPER_ABI && !strcmp(h->name, "tftp") &&
		   h->l4proto == IPPROTO_UDP &&
		   h->families == (CTALG_HELPER_INET | CTALG_HELPER_INET6) &&
		   h->ports[0] == 69 && h->ports[1] == 0 && h->min_port == 1024,
	       "tftp: UDP port 69, IPv4 and IPv6, ports from 1024");
	tap_ok(h->n_classes == 1 && !strcmp(h->classes[0].name, "tftp") &&
		   h->classes[0].max_expected == 1 &&
		   h->classes[0].timeout == 300 && h->priv_size == 0,
	       "tftp: one class \"tftp\", at most 1, 300 s, as conntrackd's; "
	       "no private state");
}

int main(void)
{
	test_definition();
	hv_run_all(&suite, vectors, sizeof(vectors) / sizeof(vectors[0]));
	test_long();
	test_retransmit();
	return tap_done();
}
