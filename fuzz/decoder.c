// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the netlink decoder targets share (fuzz.h): each message of an input
 * in its own allocation, the printers checked on buffers of every size, and
 * a JSON well-formedness check.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "fuzz.h"
#include "internal.h"

void *fuzz_dup(const void *p, size_t len)
{
	/* libFuzzer hands even an empty input a valid pointer: so do we. */
	void *copy = malloc(len ? len : 1);

	if (!copy)
		fuzz_fail("out of memory in the harness");
	if (len)
		memcpy(copy, p, len);
	return copy;
}

unsigned int fuzz_nl_each(const uint8_t *data, size_t size,
			  void (*fn)(const struct nlmsghdr *nlh, void *arg),
			  void *arg)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)data;
	int left = size > INT_MAX ? INT_MAX : (int)size;
	unsigned int n = 0;

	/* The library's own walk: mnl_nlmsg_ok() of libmnl 1.0.4 is unsafe. */
	for (; nl_msg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		struct nlmsghdr *copy = fuzz_dup(nlh, nlh->nlmsg_len);

		fn(copy, arg);
		free(copy);
		n++;
	}
	return n;
}

/* More than any printer writes for one object. */
#define FUZZ_PRINT_ROOM 16384

/* One call of @fn into an exact allocation of @size bytes (none for 0). */
static char *fuzz_print_into(fuzz_print_fn fn, const void *obj,
			     unsigned int flags, size_t size, int want)
{
	char *buf = size ? malloc(size) : NULL;
	int n;

	if (size && !buf)
		fuzz_fail("out of memory in the harness");
	n = fn(buf, size, obj, flags);
	if (n != want)
		fuzz_fail("a printer returned another length for a smaller "
			  "buffer (snprintf semantics)");
	if (size && strnlen(buf, size) == size)
		fuzz_fail("a printer left its buffer without a NUL");
	return buf;
}

void fuzz_print(fuzz_print_fn fn, const void *obj, unsigned int flags,
		bool json, bool clock)
{
	size_t sizes[5], len, i;
	const char *why;
	char *whole;
	int n;

	/* Far more room than any text takes: the reference. */
	whole = malloc(FUZZ_PRINT_ROOM);
	if (!whole)
		fuzz_fail("out of memory in the harness");
	n = fn(whole, FUZZ_PRINT_ROOM, obj, flags);
	if (n < 0 || n >= FUZZ_PRINT_ROOM)
		fuzz_fail("a printer failed, or wrote more than it may");
	len = (size_t)n;
	if (strlen(whole) != len)
		fuzz_fail("a printer's text holds a NUL, or is not as long as "
			  "it says");
	if (json && (why = fuzz_json_check(whole, len))) {
		fprintf(stderr, "fuzz: %s in: %s\n", why, whole);
		fuzz_fail("a printer wrote JSON that does not parse");
	}
	/* No buffer; exactly enough; then cut: one byte, half, one short. */
	sizes[0] = 0;
	sizes[1] = len + 1;
	sizes[2] = 1;
	sizes[3] = len / 2 + 1;
	sizes[4] = len;
	for (i = 0; i < 5; i++) {
		size_t keep = sizes[i] > len ? len : sizes[i] - 1;
		char *cut;

		if (i > 1 && (sizes[i] == 0 || sizes[i] > len))
			continue;
		cut = fuzz_print_into(fn, obj, flags, sizes[i], n);
		if (cut && !clock &&
		    (strlen(cut) != keep || memcmp(cut, whole, keep)))
			fuzz_fail("a printer's text in a smaller buffer is not "
				  "the start of the whole");
		free(cut);
	}
	free(whole);
}

/* ---- JSON: RFC 8259, nothing more and nothing less ---- */

struct js {
	const char *p, *end;
	const char *err;
};

static bool js_fail(struct js *j, const char *why)
{
	if (!j->err)
		j->err = why;
	return false;
}

static void js_space(struct js *j)
{
	while (j->p < j->end &&
	       (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool js_lit(struct js *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n))
		return js_fail(j, "an unknown word");
	j->p += n;
	return true;
}

static bool js_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

static bool js_string(struct js *j)
{
	int k;

	j->p++; /* the opening quote */
	while (j->p < j->end) {
		unsigned char c = (unsigned char)*j->p++;

		if (c == '"')
			return true;
		if (c < 0x20)
			return js_fail(j, "a control character in a string");
		if (c != '\\')
			continue;
		if (j->p >= j->end)
			break;
		c = (unsigned char)*j->p++;
		if (c && strchr("\"\\/bfnrt", c))
			continue;
		if (c != 'u')
			return js_fail(j, "an unknown escape");
		for (k = 0; k < 4; k++)
			if (j->p >= j->end || !js_hex(*j->p++))
				return js_fail(j, "a short \\u escape");
	}
	return js_fail(j, "an unterminated string");
}

static bool js_digits(struct js *j)
{
	const char *start = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > start || js_fail(j, "a number without digits");
}

static bool js_number(struct js *j)
{
	if (*j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (!js_digits(j))
		return false;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (!js_digits(j))
			return false;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!js_digits(j))
			return false;
	}
	return true;
}

static bool js_value(struct js *j, unsigned int depth);

/* The members of an object or the elements of an array, after its brace. */
static bool js_members(struct js *j, char close, unsigned int depth)
{
	j->p++;
	js_space(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return true;
	}
	for (;;) {
		if (close == '}') {
			js_space(j);
			if (j->p >= j->end || *j->p != '"')
				return js_fail(j, "an object key that is not "
						  "a string");
			if (!js_string(j))
				return false;
			js_space(j);
			if (j->p >= j->end || *j->p++ != ':')
				return js_fail(j, "a key without ':'");
		}
		if (!js_value(j, depth + 1))
			return false;
		js_space(j);
		if (j->p >= j->end)
			return js_fail(j, "an unclosed object or array");
		if (*j->p == close) {
			j->p++;
			return true;
		}
		if (*j->p++ != ',')
			return js_fail(j, "members not separated by ','");
	}
}

static bool js_value(struct js *j, unsigned int depth)
{
	if (depth > 64)
		return js_fail(j, "nested too deep");
	js_space(j);
	if (j->p >= j->end)
		return js_fail(j, "a missing value");
	switch (*j->p) {
	case '{':
		return js_members(j, '}', depth);
	case '[':
		return js_members(j, ']', depth);
	case '"':
		return js_string(j);
	case 't':
		return js_lit(j, "true");
	case 'f':
		return js_lit(j, "false");
	case 'n':
		return js_lit(j, "null");
	default:
		if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))
			return js_number(j);
		return js_fail(j, "an unexpected character");
	}
}

const char *fuzz_json_check(const char *s, size_t len)
{
	struct js j = { .p = s, .end = s + len };

	if (!js_value(&j, 0))
		return j.err;
	js_space(&j);
	if (j.p != j.end)
		return "something after the value";
	return NULL;
}
