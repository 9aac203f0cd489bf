// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: the Amanda helper, a UDP helper. The input has the byte
 * layout of fuzz.h (connection byte, segment bytes, payload; the same
 * transcripts make the seeds), but each segment is one datagram: there is
 * no stream to cut differently, so instead each datagram is parsed twice,
 * in two connections, and must ask for the same requests with the same
 * result both times (the helper keeps no state), after the SDK contract and
 * the helper's own rules (amanda_check.h) held for every call.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "amanda_check.h"
#include "builtin.h"
#include "fuzz.h"
#include "stream.h"

static void amanda_conn(uint8_t config, struct ctalg_conn *conn)
{
	bool v6 = config & 1, lo = config & 2;
	const char *client, *server;

	if (v6) {
		client = lo ? "::1" : "2001:db8::10";
		server = lo ? "::1" : "2001:db8:1::20";
	} else {
		client = lo ? "127.0.0.1" : "192.0.2.10";
		server = lo ? "127.0.0.1" : "198.51.100.20";
	}
	if (!stream_conn_make(conn, v6 ? AF_INET6 : AF_INET, IPPROTO_UDP,
			      client, 40000, server, 10080))
		fuzz_fail("bad connection addresses in the target");
}

/* Up to and including the next "\n", or all that is left. */
static size_t amanda_line_len(const uint8_t *p, size_t left)
{
	const uint8_t *nl = memchr(p, '\n', left);

	return nl ? (size_t)(nl - p) + 1 : left;
}

/* One datagram in two fresh connections: the same outcome. */
static void amanda_datagram(const struct ctalg_conn *conn, enum ctalg_dir dir,
			    const uint8_t *data, size_t len)
{
	struct stream s[2];
	const char *bad = NULL;
	int i;

	for (i = 0; i < 2; i++) {
		if (!stream_init(&s[i], &ctalg_helper_amanda, conn))
			fuzz_fail("out of memory in the target");
		s[i].check = amanda_req_check;
		if (!bad)
			bad = stream_feed(&s[i], dir, data, len, false);
	}
	if (bad)
		fuzz_fail(bad);
	if (s[0].errors != s[1].errors || s[0].n_exp != s[1].n_exp ||
	    !stream_same_requests(&s[0], &s[1], s[0].n_exp) ||
	    (s[0].errors && strcmp(s[0].first_error, s[1].first_error)))
		fuzz_fail("one datagram, two outcomes");
	if (s[0].errors && s[0].n_exp &&
	    strcmp(s[0].first_error, "a second CONNECT line"))
		fuzz_fail("requests from a malformed CONNECT line");
	for (i = 0; i < 2; i++)
		stream_free(&s[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t nctl = size > 1 ? data[1] : 0, off, len, i;
	enum ctalg_dir dir = CTALG_DIR_REPLY;
	struct ctalg_conn conn;

	if (size < 2)
		return 0;
	amanda_conn(data[0], &conn);
	if (nctl > size - 2)
		nctl = size - 2;
	off = 2 + nctl;
	for (i = 0; i < nctl && off < size; i++, off += len) {
		uint8_t ctl = data[2 + i];

		len = ctl & 0x3f;
		if (len == 0)
			len = amanda_line_len(data + off, size - off);
		else if (len == 63 || len > size - off)
			len = size - off;
		amanda_datagram(&conn,
				ctl & 0x80 ? CTALG_DIR_REPLY : CTALG_DIR_ORIGINAL,
				data + off, len);
	}
	for (; off < size; off += len) {
		len = amanda_line_len(data + off, size - off);
		amanda_datagram(&conn, dir, data + off, len);
		dir = !dir;
	}
	return 0;
}
