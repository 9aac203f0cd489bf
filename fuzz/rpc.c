// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: the RPC helpers. Each input runs twice:
 *
 * - as a TCP session of the TCP helper (fuzz_helper_session(), fuzz.h):
 *   records, carry, resync, and the same results cut anywhere;
 * - as UDP datagrams of the UDP helper, cut by the same segment bytes,
 *   where a segment of exactly 62 bytes continues in the next segment of
 *   its direction (mkseed.py cuts a longer segment into pieces of 62), and
 *   the payload left after the segments is one datagram from the client.
 *
 * Both check the SDK contract and the helper's own rules (rpc_check.h)
 * after every call.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "builtin.h"
#include "fuzz.h"
#include "rpc_check.h"
#include "stream.h"

#define SEG_PIECE 62 /* mkseed.py's pieces */
#define SEG_LINE  0  /* up to and including the next "\n" */
#define SEG_REST  63 /* the rest of the input */

static void rpc_fuzz_datagram(struct stream *s, enum ctalg_dir dir,
			      const uint8_t *data, size_t len)
{
	const char *bad = stream_feed(s, dir, data, len, false);

	if (bad)
		fuzz_fail(bad);
}

static void rpc_fuzz_udp(const uint8_t *data, size_t size)
{
	const bool v6 = size && (data[0] & 1), lo = size && (data[0] & 2);
	size_t nctl = size > 1 ? data[1] : 0, i, off, len, start = 0, dlen = 0;
	enum ctalg_dir dir, ddir = CTALG_DIR_ORIGINAL;
	bool open = false, more = false;
	struct ctalg_conn conn;
	struct stream s;

	if (!stream_conn_make(&conn, v6 ? AF_INET6 : AF_INET, IPPROTO_UDP,
			      v6 ? (lo ? "::1" : "2001:db8::10")
				 : (lo ? "127.0.0.1" : "192.0.2.10"),
			      40000,
			      v6 ? (lo ? "::1" : "2001:db8:1::20")
				 : (lo ? "127.0.0.1" : "198.51.100.20"),
			      111) ||
	    !stream_init(&s, &ctalg_helper_rpc_udp, &conn))
		fuzz_fail("cannot set up the UDP connection");
	/* UDP carries nothing: consumed means nothing, carry_max neither. */
	s.check = rpc_req_check;
	if (nctl > (size > 2 ? size - 2 : 0))
		nctl = size > 2 ? size - 2 : 0;
	off = 2 + nctl;
	for (i = 0; i < nctl && off < size; i++, off += len) {
		const uint8_t *nl;

		len = data[2 + i] & 0x3f;
		dir = data[2 + i] & 0x80 ? CTALG_DIR_REPLY : CTALG_DIR_ORIGINAL;
		if (len == SEG_LINE) {
			nl = memchr(data + off, '\n', size - off);
			len = nl ? (size_t)(nl - (data + off)) + 1 : size - off;
		} else if (len == SEG_REST || len > size - off) {
			len = size - off;
		}
		/* A piece of 62 continues in the next of its direction. */
		if (open && (!more || dir != ddir)) {
			rpc_fuzz_datagram(&s, ddir, data + start, dlen);
			open = false;
		}
		if (!open) {
			open = true;
			start = off;
			dlen = 0;
			ddir = dir;
		}
		dlen += len;
		more = len == SEG_PIECE;
	}
	if (open)
		rpc_fuzz_datagram(&s, ddir, data + start, dlen);
	if (off < size)
		rpc_fuzz_datagram(&s, CTALG_DIR_ORIGINAL, data + off, size - off);
	stream_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fuzz_helper_opts opts = {
		.strict_carry = true,
		.check = rpc_req_check,
	};

	fuzz_helper_session(&ctalg_helper_rpc_tcp, &opts, data, size);
	rpc_fuzz_udp(data, size);
	return 0;
}
