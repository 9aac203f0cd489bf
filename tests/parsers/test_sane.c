// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SANE helper from byte vectors (vecrun.h: each case as given, every
 * prefix, cut anywhere, byte by byte), then the sessions real saned and
 * scanimage had (fuzz/seeds/sane/, captured in network namespaces).
 *
 * Words are 4 bytes, big-endian. A START request is W(7) W(handle); its
 * reply W(status) W(port) W(byte order) then the resource string, a length
 * word and as many bytes (W(0): none).
 */
#include "builtin.h"
#include "sane_check.h"
#include "vecrun.h"

#define C4 VR_C4
#define S4 VR_S4
#define C6 VR_C6
#define S6 VR_S6

/* Requests as scanimage sends them. */
#define START	  "\x00\x00\x00\x07\x00\x00\x00\x00" /* handle 0 */
#define GET_PARAM "\x00\x00\x00\x06\x00\x00\x00\x00"
#define CANCEL	  "\x00\x00\x00\x08\x00\x00\x00\x00"
#define EXIT	  "\x00\x00\x00\x0a"
/* AUTHORIZE: resource, user, password (as saned's interlude asked). */
#define AUTHORIZE                         \
	"\x00\x00\x00\x09"                \
	"\x00\x00\x00\x0ctest$MD5$ab\x00" \
	"\x00\x00\x00\x05scan\x00"        \
	"\x00\x00\x00\x26$MD5$d7e3feb52e8c6a6302fc70a3802f514d\x00"

/* START replies: status GOOD, port 33901, little-endian server. */
#define PORT_33901 "\x00\x00\x84\x6d"
#define ORDER_LE   "\x00\x00\x12\x34"
#define ORDER_BE   "\x00\x00\x43\x21"
#define GOOD	   "\x00\x00\x00\x00"
#define NO_RES	   "\x00\x00\x00\x00"
#define REPLY_OK   GOOD PORT_33901 ORDER_LE NO_RES
/* saned's authorization interlude: all zero but the resource. */
#define INTERLUDE GOOD GOOD GOOD "\x00\x00\x00\x0ctest$MD5$ab\x00"
#define WANT4                 \
	{                     \
		S4, 33901, C4 \
	}

// clang-format off
static const struct vr_case cases[] = {
	/* The START reply. */
	{ "START, then its reply", VR_V4,
	  { VR_C(START), VR_S(REPLY_OK) }, .exp = { WANT4 } },
	{ "START, then its reply, IPv6", VR_V6,
	  { VR_C(START), VR_S(REPLY_OK) }, .exp = { { S6, 33901, C6 } } },
	{ "START on loopback", VR_V4LO,
	  { VR_C(START), VR_S(REPLY_OK) },
	  .exp = { { "127.0.0.1", 33901, "127.0.0.1" } } },
	{ "START on IPv6 loopback", VR_V6LO,
	  { VR_C(START), VR_S(REPLY_OK) }, .exp = { { "::1", 33901, "::1" } } },
	{ "a big-endian server (byte order 0x4321)", VR_V4,
	  { VR_C(START), VR_S(GOOD PORT_33901 ORDER_BE NO_RES) },
	  .exp = { WANT4 } },
	{ "the highest port", VR_V4,
	  { VR_C(START), VR_S(GOOD "\x00\x00\xff\xff" ORDER_LE NO_RES) },
	  .exp = { { S4, 65535, C4 } } },
	{ "port 1 (asked; the port floor is ctalgd's)", VR_V4,
	  { VR_C(START), VR_S(GOOD "\x00\x00\x00\x01" ORDER_LE NO_RES) },
	  .exp = { { S4, 1, C4 } } },
	{ "START with another handle", VR_V4,
	  { VR_C("\x00\x00\x00\x07\x00\x00\x00\x03"), VR_S(REPLY_OK) },
	  .exp = { WANT4 } },
	{ "the reply is read from its first words; what follows is skipped",
	  VR_V4, { VR_C(START), VR_S(REPLY_OK "\x00\x00\x00\x07\xff") },
	  .exp = { WANT4 } },
	{ "a request after START in the same turn: the reply still counts",
	  VR_V4, { VR_C(START CANCEL), VR_S(REPLY_OK GOOD) },
	  .exp = { WANT4 } },
	{ "two scans, two requests", VR_V4,
	  { VR_C(START), VR_S(REPLY_OK), VR_C(CANCEL), VR_S(GOOD),
	    VR_C(START),
	    VR_S(GOOD "\x00\x00\x84\x6e" ORDER_LE NO_RES) },
	  .exp = { WANT4, { S4, 33902, C4 } } },
	{ "START split over segments (the kernel needs one 8-byte segment)",
	  VR_V4,
	  { VR_C("\x00\x00"), VR_C("\x00\x07\x00"), VR_C("\x00\x00\x00"),
	    VR_S(GOOD "\x00\x00"), VR_S("\x84\x6d" ORDER_LE "\x00\x00"),
	    VR_S("\x00\x00") },
	  .exp = { WANT4 } },
	{ "the client's last request before the reply counts: GET_PARAMETERS "
	  "then START", VR_V4,
	  { VR_C(GET_PARAM), VR_S(GOOD GOOD GOOD GOOD GOOD GOOD GOOD),
	    VR_C(START), VR_S(REPLY_OK) },
	  .exp = { WANT4 } },

	/* The authorization interlude (saned's auth_callback). */
	{ "an interlude is no reply: no request for its port 0 (the kernel and "
	  "conntrackd expect port 0 here)", VR_V4,
	  { VR_C(START), VR_S(INTERLUDE) } },
	{ "interlude, AUTHORIZE, its word and the START reply", VR_V4,
	  { VR_C(START), VR_S(INTERLUDE), VR_C(AUTHORIZE),
	    VR_S(GOOD REPLY_OK) },
	  .exp = { WANT4 } },
	{ "the AUTHORIZE reply word and the START reply in two segments",
	  VR_V4,
	  { VR_C(START), VR_S(INTERLUDE), VR_C(AUTHORIZE), VR_S(GOOD),
	    VR_S(REPLY_OK) },
	  .exp = { WANT4 } },
	{ "two interludes before the reply", VR_V6,
	  { VR_C(START), VR_S(INTERLUDE), VR_C(AUTHORIZE), VR_S(GOOD INTERLUDE),
	    VR_C(AUTHORIZE), VR_S(GOOD REPLY_OK) },
	  .exp = { { S6, 33901, C6 } } },
	{ "after an interlude, another request than AUTHORIZE ends the wait",
	  VR_V4,
	  { VR_C(START), VR_S(INTERLUDE), VR_C(CANCEL), VR_S(GOOD REPLY_OK) } },
	{ "AUTHORIZE without an interlude starts nothing", VR_V4,
	  { VR_C(AUTHORIZE), VR_S(GOOD REPLY_OK) } },
	{ "the interlude's turn ends before the reply: nothing", VR_V4,
	  { VR_C(START), VR_S(INTERLUDE), VR_C(AUTHORIZE), VR_S(GOOD),
	    VR_C(GET_PARAM), VR_S(REPLY_OK) } },

	/* Replies that open nothing. */
	{ "START refused (SANE_STATUS_NO_DOCS)", VR_V4,
	  { VR_C(START), VR_S("\x00\x00\x00\x07" GOOD GOOD NO_RES) } },
	{ "START refused, then a START that works", VR_V4,
	  { VR_C(START), VR_S("\x00\x00\x00\x09" GOOD GOOD NO_RES),
	    VR_C(START), VR_S(REPLY_OK) },
	  .exp = { WANT4 } },
	{ "a reply to another request has the same bytes: nothing", VR_V4,
	  { VR_C(GET_PARAM), VR_S(REPLY_OK) } },
	{ "a reply without any request: nothing", VR_V4, { VR_S(REPLY_OK) } },
	{ "the server speaks first: nothing", VR_V4,
	  { VR_S(REPLY_OK), VR_C(GET_PARAM), VR_S(REPLY_OK) } },
	{ "START as the server's bytes: nothing", VR_V4,
	  { VR_S(START), VR_C(REPLY_OK) } },
	{ "START inside a request's arguments: nothing", VR_V4,
	  { VR_C("\x00\x00\x00\x02" "\x00\x00\x00\x08" START),
	    VR_S(REPLY_OK) } },
	{ "a reply cut short by the client's next request: nothing", VR_V4,
	  { VR_C(START), VR_S(GOOD PORT_33901), VR_C(CANCEL),
	    VR_S(ORDER_LE NO_RES) } },
	{ "a request after the reply: nothing more", VR_V4,
	  { VR_C(START), VR_S(REPLY_OK), VR_C(EXIT), VR_S(REPLY_OK) },
	  .exp = { WANT4 } },

	/* Lost bytes (resync). */
	{ "bytes of the reply lost: nothing", VR_V4,
	  { VR_C(START), VR_SG(PORT_33901 ORDER_LE NO_RES) } },
	{ "bytes lost before START: its turn is skipped", VR_V4,
	  { VR_CG(START), VR_S(REPLY_OK) } },
	{ "picked up in the middle: the next client turn starts a request",
	  VR_V4,
	  { VR_CG("\x00\x07\x00\x00\x00\x00"), VR_S(GOOD GOOD), VR_C(START),
	    VR_S(REPLY_OK) },
	  .exp = { WANT4 } },
	{ "bytes lost in the client's turn after START", VR_V4,
	  { VR_C(START), VR_CG(CANCEL), VR_S(REPLY_OK) } },
	{ "bytes lost in a server turn, then a new scan", VR_V4,
	  { VR_C(GET_PARAM), VR_SG(GOOD), VR_C(START), VR_S(REPLY_OK) },
	  .exp = { WANT4 } },

	/* Hostile replies and requests. */
	{ "port 0", VR_V4,
	  { VR_C(START), VR_S(GOOD GOOD ORDER_LE NO_RES) },
	  .error = "port 0 or above 65535" },
	{ "port 65536", VR_V4,
	  { VR_C(START), VR_S(GOOD "\x00\x01\x00\x00" ORDER_LE NO_RES) },
	  .error = "port 0 or above 65535" },
	{ "port 0xffffffff", VR_V4,
	  { VR_C(START), VR_S(GOOD "\xff\xff\xff\xff" ORDER_LE NO_RES) },
	  .error = "port 0 or above 65535" },
	{ "port in the high half of the word (the reference reads only the "
	  "low 16 bits, after a zero check)", VR_V4,
	  { VR_C(START), VR_S(GOOD "\x84\x6d\x00\x00" ORDER_LE NO_RES) },
	  .error = "port 0 or above 65535" },
	{ "byte order 0", VR_V4,
	  { VR_C(START), VR_S(GOOD PORT_33901 GOOD NO_RES) },
	  .error = "byte order word" },
	{ "byte order 0x3412", VR_V4,
	  { VR_C(START), VR_S(GOOD PORT_33901 "\x00\x00\x34\x12" NO_RES) },
	  .error = "byte order word" },
	{ "a resource of 1025 bytes", VR_V4,
	  { VR_C(START), VR_S(GOOD PORT_33901 ORDER_LE "\x00\x00\x04\x01") },
	  .error = "resource name longer than 1024" },
	{ "a resource of 0xffffffff bytes", VR_V4,
	  { VR_C(START), VR_S(GOOD PORT_33901 ORDER_LE "\xff\xff\xff\xff") },
	  .error = "resource name longer than 1024" },
	{ "a resource of 1024 bytes is an interlude", VR_V4,
	  { VR_C(START), VR_S(GOOD PORT_33901 ORDER_LE "\x00\x00\x04\x00") } },
	{ "procedure number 11", VR_V4,
	  { VR_C("\x00\x00\x00\x0b\x00\x00\x00\x00"), VR_S(REPLY_OK) },
	  .error = "procedure number above 10" },
	{ "procedure number 0x07000000 (little-endian 7)", VR_V4,
	  { VR_C("\x07\x00\x00\x00\x00\x00\x00\x00"), VR_S(REPLY_OK) },
	  .error = "procedure number above 10" },
	{ "an unknown procedure ends the wait for a reply", VR_V4,
	  { VR_C(START), VR_S(INTERLUDE), VR_C("\xff\xff\xff\xff"),
	    VR_S(GOOD REPLY_OK) },
	  .error = "procedure number above 10" },
	{ "a bad reply does not stop the next scan", VR_V4,
	  { VR_C(START), VR_S(GOOD GOOD ORDER_LE NO_RES), VR_C(START),
	    VR_S(REPLY_OK) },
	  .error = "port 0", .exp = { WANT4 } },
};
// clang-format on

static const struct vr_helper sane = {
	.h = &ctalg_helper_sane,
	.check = sane_req_check,
};

/* The captured sessions and the data port each START reply named. */
static void test_captures(void)
{
	static const struct {
		const char *file;
		const char *name;
		struct vr_want want;
	} caps[] = {
		{ "scanimage-v4.txt",
		  "scanimage and saned, IPv4",
		  { S4, 33901, C4 } },
		{ "scanimage-v6.txt",
		  "scanimage and saned, IPv6",
		  { S6, 55973, C6 } },
		{ "scanimage-auth-v4.txt",
		  "scanimage and saned with an authorization interlude, IPv4",
		  { S4, 49427, C4 } },
	};
	size_t i;

	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		struct vr_case c = { .name = caps[i].name };

		if (!vr_load("sane", caps[i].file, &c)) {
			tap_ok(false, "%s: the capture reads", caps[i].name);
			continue;
		}
		c.exp[0] = caps[i].want;
		vr_run(&sane, &c);
		vr_unload(&c);
	}
}

static void test_definition(void)
{
	const struct ctalg_helper *h = &ctalg_helper_sane;

	tap_ok(h->abi == CTALG_HELPER_ABI && !strcmp(h->name, "sane") &&
		   h->l4proto == IPPROTO_TCP &&
		   h->families == (CTALG_HELPER_INET | CTALG_HELPER_INET6) &&
		   h->ports[0] == 6566 && h->ports[1] == 0 && h->min_port == 1024,
	       "sane: TCP port 6566, IPv4 and IPv6, ports from 1024");
	tap_ok(h->n_classes == 1 && !strcmp(h->classes[0].name, "sane") &&
		   h->classes[0].max_expected == 1 &&
		   h->classes[0].timeout == 300,
	       "sane: one class \"sane\", at most 1 expectation, 300 s, as "
	       "conntrackd and the kernel");
	tap_ok(h->priv_size <= CTALG_HELPER_PRIV_MAX && h->carry_max == 0,
	       "sane: %u bytes of private state, nothing carried", h->priv_size);
}

int main(void)
{
	test_definition();
	vr_run_table(&sane, cases, sizeof(cases) / sizeof(cases[0]));
	test_captures();
	return tap_done();
}
