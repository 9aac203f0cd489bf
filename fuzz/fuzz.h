/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the fuzz targets share. A target is one file, fuzz/NAME.c, that
 * defines LLVMFuzzerTestOneInput(); it is linked either with libFuzzer
 * (-Dfuzz=enabled, clang) or with replay.c, which runs the files of
 * fuzz/corpus/NAME/ through it as an ordinary test in every build.
 *
 * A target finds a bug by crashing: a sanitizer report, or abort() from
 * fuzz_fail() when an invariant does not hold.
 */
#ifndef CTALG_FUZZ_H
#define CTALG_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Declared, not included: ct.h and helper.h both name the directions, so a
 * decoder target could not include ct.h after helper.h.
 */
struct ctalg_helper;
struct ctalg_parse;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Say what broke on stderr and abort: the fuzzer keeps the input. */
__attribute__((noreturn)) void fuzz_fail(const char *what);

struct fuzz_helper_opts {
	/* The helper never leaves more than carry_max unconsumed. */
	bool strict_carry;
	/* The helper's own rules, checked after every call: NULL if kept. */
	const char *(*check)(const struct ctalg_parse *p, void *arg);
};

/*
 * Run one input as a session of @h's protocol, the way ctalgd feeds it
 * (tests/parsers/stream.c), and check the SDK contract on every call.
 *
 * The input: byte 0 chooses the connection (bit 0: IPv6, bit 1: client
 * and server on one address); byte 1 is the number N of segment bytes
 * that follow; the rest after them is the payload, cut into segments in
 * order. Each segment byte: bit 7 the direction (1: reply), bit 6 a gap
 * before the segment (bytes lost: the carry goes, resync), bits 0-5 the
 * length: 1-62 bytes, 0 up to and including the next "\n", 63 the rest.
 * Payload left after N segments goes line by line, alternately from the
 * server and the client (FTP-like protocols start with the server).
 *
 * Each input is run twice: as cut, and byte by byte. A stream parser must
 * not depend on where the segments were cut: both runs must meet the same
 * first error (or none) and ask for the same requests before it, and
 * without an error end with the same carry. Runs whose carry was dropped
 * for length or whose request array filled up are not compared.
 */
void fuzz_helper_session(const struct ctalg_helper *h,
			 const struct fuzz_helper_opts *o, const uint8_t *data,
			 size_t size);

/* ---- netlink decoders and printers (decoder.c) ---- */

struct nlmsghdr;

/*
 * Walk @data as one received datagram, as ctalg_nl_dump() and
 * ctalg_queue_recv() do (nl_msg_ok, mnl_nlmsg_next), and call @fn on each
 * message, copied into an allocation of exactly its nlmsg_len bytes so that
 * a decoder reading past its message is caught, not only one reading past
 * the datagram. Returns the number of messages.
 */
unsigned int fuzz_nl_each(const uint8_t *data, size_t size,
			  void (*fn)(const struct nlmsghdr *nlh, void *arg),
			  void *arg);

/* A copy of @len bytes in an allocation of exactly that size. */
void *fuzz_dup(const void *p, size_t len);

/*
 * A printer with snprintf(3) semantics, bound to its object by @obj and to
 * its flags by @flags: the library's ctalg_*_snprintf() behind a wrapper.
 */
typedef int (*fuzz_print_fn)(char *buf, size_t size, const void *obj,
			     unsigned int flags);

/*
 * Print @obj into a buffer far larger than its text, then into none, one of
 * exactly the length needed, and buffers of 1 byte, half and all but one
 * byte of it, each its own allocation. Every call must return the length of
 * the whole text (snprintf semantics); that text holds no NUL and, with
 * @json, is one well-formed JSON value; unless @clock (the text shows the
 * current time, so two calls may differ), a cut text is its start.
 */
void fuzz_print(fuzz_print_fn fn, const void *obj, unsigned int flags,
		bool json, bool clock);

/* NULL when @s (@len bytes) is exactly one JSON value, else why not. */
const char *fuzz_json_check(const char *s, size_t len);

#endif
