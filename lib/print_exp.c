// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Expectations as text, byte for byte the line conntrack(8) 1.4.7 prints
 * (libnetfilter_conntrack 1.0.9's default expectation format), and as JSON.
 */
#include <stdio.h>
#include <sys/time.h>
#include <arpa/inet.h>

#include <ctalg/expect.h>

#include "internal.h"

/* conntrack -o timestamp: the time of printing, before everything else. */
static void exp_timestamp(struct out *o)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	out_printf(o, "[%-8ld.%-6ld]\t", (long)tv.tv_sec, (long)tv.tv_usec);
}

/*
 * One tuple's addresses and layer-4 part, if the message had the tuple.
 * The kernel always sends all three; for a message without one,
 * conntrack(8) prints zeros or nothing depending on which others are
 * there (a quirk of its parser), and ctalg prints nothing.
 */
static void exp_text_tuple(struct out *o, const struct ctalg_expect *exp,
			   uint32_t bit, const struct ctalg_tuple *t,
			   const char *src, const char *dst)
{
	if (!(exp->set & bit))
		return;
	if (exp->family == AF_INET || exp->family == AF_INET6)
		out_tuple_addr(o, t, src, dst);
	out_tuple_l4(o, t);
}

static void exp_text(struct out *o, const struct ctalg_expect *exp,
		     enum ctalg_event ev, unsigned int flags)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
		{ CTALG_EXP_FLAG_PERMANENT, "PERMANENT" },
		{ CTALG_EXP_FLAG_INACTIVE, "INACTIVE" },
		{ CTALG_EXP_FLAG_USERSPACE, "USERSPACE" },
	};
	const char *sep = "";
	size_t i;

	if (flags & CTALG_PRINT_TIMESTAMP)
		exp_timestamp(o);
	out_event(o, ev);
	if (exp->set & CTALG_EXP_TIMEOUT)
		out_printf(o, "%u ", exp->timeout);
	out_printf(o, "proto=%d ", exp->tuple.l4proto);
	exp_text_tuple(o, exp, CTALG_EXP_TUPLE, &exp->tuple, "src", "dst");
	exp_text_tuple(o, exp, CTALG_EXP_MASK, &exp->mask, "mask-src",
		       "mask-dst");
	exp_text_tuple(o, exp, CTALG_EXP_MASTER, &exp->master, "master-src",
		       "master-dst");
	if (exp->set & CTALG_EXP_ZONE)
		out_printf(o, "zone=%u ", exp->zone);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!(exp->flags & names[i].bit))
			continue;
		out_printf(o, "%s%s", sep, names[i].name);
		sep = ",";
	}
	/*
	 * conntrack(8) adds this space for any non-zero flags, known or not,
	 * so unknown bits alone leave two spaces. Kept for identical output.
	 */
	if (exp->flags)
		out_str(o, " ");
	if (exp->set & CTALG_EXP_CLASS)
		out_printf(o, "class=%u ", exp->class_nr);
	/*
	 * Every element ends with its space, this one too: the last is
	 * trimmed without looking when the buffer was too short to hold it.
	 */
	if (exp->set & CTALG_EXP_HELPER)
		out_printf(o, "helper=%s ", exp->helper);
	out_trim(o, ' ');
}

static void exp_json(struct out *o, const struct ctalg_expect *exp,
		     enum ctalg_event ev, unsigned int flags)
{
	static const char *const flag_names[] = { "permanent", "inactive",
						  "userspace" };
	const char *event = event_name(ev);
	struct json j;
	unsigned int bit;

	json_begin(&j, o);
	json_obj_open(&j, NULL);
	if (event)
		json_str(&j, "event", event);
	if (flags & CTALG_PRINT_TIMESTAMP) {
		struct timeval tv;

		gettimeofday(&tv, NULL);
		json_u64(&j, "timestamp_us",
			 (uint64_t)tv.tv_sec * 1000000 + (uint64_t)tv.tv_usec);
	}
	if (exp->family == AF_INET)
		json_str(&j, "family", "ipv4");
	else if (exp->family == AF_INET6)
		json_str(&j, "family", "ipv6");
	else
		json_u64(&j, "family", exp->family);
	if (exp->set & CTALG_EXP_TIMEOUT)
		json_u64(&j, "timeout", exp->timeout);
	if (exp->set & CTALG_EXP_ID)
		json_u64(&j, "id", exp->id);
	if (exp->set & CTALG_EXP_TUPLE)
		json_tuple(&j, "tuple", &exp->tuple);
	if (exp->set & CTALG_EXP_MASK)
		json_tuple(&j, "mask", &exp->mask);
	if (exp->set & CTALG_EXP_MASTER)
		json_tuple(&j, "master", &exp->master);
	if (exp->set & CTALG_EXP_ZONE)
		json_u64(&j, "zone", exp->zone);
	if (exp->set & CTALG_EXP_FLAGS) {
		json_arr_open(&j, "flags");
		for (bit = 0; bit < 32; bit++) {
			char hex[12];

			if (!(exp->flags & (1u << bit)))
				continue;
			if (bit < ARRAY_SIZE(flag_names)) {
				json_str(&j, NULL, flag_names[bit]);
				continue;
			}
			snprintf(hex, sizeof(hex), "0x%x", 1u << bit);
			json_str(&j, NULL, hex);
		}
		json_arr_close(&j);
	}
	if (exp->set & CTALG_EXP_CLASS)
		json_u64(&j, "class", exp->class_nr);
	if (exp->set & CTALG_EXP_HELPER)
		json_str(&j, "helper", exp->helper);
	if (exp->set & CTALG_EXP_NAT) {
		json_obj_open(&j, "nat");
		json_str(&j, "dir",
			 exp->nat_dir == CTALG_EXP_DIR_REPLY ? "reply" : "orig");
		json_tuple(&j, "tuple", &exp->nat);
		json_obj_close(&j);
	}
	if (exp->set & CTALG_EXP_FN)
		json_str(&j, "fn", exp->fn);
	json_obj_close(&j);
}

EXPORT int ctalg_exp_snprintf(char *buf, size_t size,
			      const struct ctalg_expect *exp,
			      enum ctalg_event ev, unsigned int flags)
{
	struct out o = out_make(buf, size);

	if (flags & CTALG_PRINT_JSON)
		exp_json(&o, exp, ev, flags);
	else
		exp_text(&o, exp, ev, flags);
	return (int)o.len;
}
