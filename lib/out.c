// SPDX-License-Identifier: GPL-2.0-or-later
/* Text and JSON output into caller-owned buffers (snprintf semantics). */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "internal.h"

void out_printf(struct out *o, const char *fmt, ...)
{
	size_t room = o->len < o->size ? o->size - o->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

void out_str(struct out *o, const char *s)
{
	size_t n = strlen(s);

	if (o->len + n < o->size) {
		memcpy(o->buf + o->len, s, n + 1);
	} else if (o->len + 1 < o->size) {
		size_t fit = o->size - o->len - 1;

		memcpy(o->buf + o->len, s, fit);
		o->buf[o->size - 1] = '\0';
	}
	o->len += n;
}

void out_trim(struct out *o, char c)
{
	if (o->len == 0)
		return;
	if (o->len < o->size) {
		if (o->buf[o->len - 1] != c)
			return;
		o->buf[o->len - 1] = '\0';
	}
	o->len--;
}

void out_addr(struct out *o, uint8_t family, const union ctalg_addr *a)
{
	char tmp[INET6_ADDRSTRLEN];

	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, a->b, tmp,
		       sizeof(tmp)))
		tmp[0] = '\0';
	out_str(o, tmp);
}

void out_event(struct out *o, enum ctalg_event ev)
{
	switch (ev) {
	case CTALG_EVENT_NEW:
		out_printf(o, "%9s ", "[NEW]");
		break;
	case CTALG_EVENT_UPDATE:
		out_printf(o, "%9s ", "[UPDATE]");
		break;
	case CTALG_EVENT_DESTROY:
		out_printf(o, "%9s ", "[DESTROY]");
		break;
	default:
		break;
	}
}

void out_tuple_addr(struct out *o, const struct ctalg_tuple *t,
		    const char *src_tag, const char *dst_tag)
{
	out_printf(o, "%s=", src_tag);
	out_addr(o, t->family, &t->src);
	out_printf(o, " %s=", dst_tag);
	out_addr(o, t->family, &t->dst);
	out_str(o, " ");
}

bool l4proto_has_ports(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		return true;
	default:
		return false;
	}
}

const char *event_name(enum ctalg_event ev)
{
	switch (ev) {
	case CTALG_EVENT_NEW:
		return "new";
	case CTALG_EVENT_UPDATE:
		return "update";
	case CTALG_EVENT_DESTROY:
		return "destroy";
	default:
		return NULL;
	}
}

void out_tuple_l4(struct out *o, const struct ctalg_tuple *t)
{
	if (l4proto_has_ports(t->l4proto)) {
		out_printf(o, "sport=%u dport=%u ", t->sport, t->dport);
		return;
	}
	switch (t->l4proto) {
	case IPPROTO_GRE:
		out_printf(o, "srckey=0x%x dstkey=0x%x ", t->sport, t->dport);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		out_printf(o, "type=%d code=%d id=%d ", t->icmp_type,
			   t->icmp_code, t->icmp_id);
		break;
	default:
		break;
	}
}

const char *l4proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_UDPLITE:
		return "udplite";
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_ICMPV6:
		return "icmpv6";
	case IPPROTO_SCTP:
		return "sctp";
	case IPPROTO_GRE:
		return "gre";
	case IPPROTO_DCCP:
		return "dccp";
	default:
		return "unknown";
	}
}

/* ---- JSON ---- */

static void json_escaped(struct out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;
	char esc[7];

	out_str(o, "\"");
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			out_str(o, "\\\"");
			break;
		case '\\':
			out_str(o, "\\\\");
			break;
		case '\n':
			out_str(o, "\\n");
			break;
		case '\t':
			out_str(o, "\\t");
			break;
		case '\r':
			out_str(o, "\\r");
			break;
		default:
			if (*p < 0x20 || *p >= 0x7f) {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[*p >> 4];
				esc[5] = hex[*p & 0xf];
				esc[6] = '\0';
				out_str(o, esc);
			} else {
				char c[2] = { (char)*p, '\0' };

				out_str(o, c);
			}
		}
	}
	out_str(o, "\"");
}

/* Separator and key before a member of the current object or array. */
static void json_member(struct json *j, const char *key)
{
	if (j->depth && !j->first[j->depth])
		out_str(j->o, ",");
	j->first[j->depth] = false;
	if (key) {
		json_escaped(j->o, key);
		out_str(j->o, ":");
	}
}

void json_begin(struct json *j, struct out *o)
{
	memset(j, 0, sizeof(*j));
	j->o = o;
}

static void json_open(struct json *j, const char *key, const char *brace)
{
	json_member(j, key);
	out_str(j->o, brace);
	if (j->depth + 1 < ARRAY_SIZE(j->first))
		j->depth++;
	j->first[j->depth] = true;
}

void json_obj_open(struct json *j, const char *key)
{
	json_open(j, key, "{");
}

void json_obj_close(struct json *j)
{
	out_str(j->o, "}");
	if (j->depth)
		j->depth--;
}

void json_arr_open(struct json *j, const char *key)
{
	json_open(j, key, "[");
}

void json_arr_close(struct json *j)
{
	out_str(j->o, "]");
	if (j->depth)
		j->depth--;
}

void json_str(struct json *j, const char *key, const char *val)
{
	json_member(j, key);
	json_escaped(j->o, val);
}

void json_u64(struct json *j, const char *key, uint64_t val)
{
	json_member(j, key);
	out_printf(j->o, "%llu", (unsigned long long)val);
}

void json_i64(struct json *j, const char *key, int64_t val)
{
	json_member(j, key);
	out_printf(j->o, "%lld", (long long)val);
}

void json_bool(struct json *j, const char *key, bool val)
{
	json_member(j, key);
	out_str(j->o, val ? "true" : "false");
}

void json_addr(struct json *j, const char *key, uint8_t family,
	       const union ctalg_addr *a)
{
	char tmp[INET6_ADDRSTRLEN];

	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, a->b, tmp,
		       sizeof(tmp)))
		tmp[0] = '\0';
	json_str(j, key, tmp);
}

void json_tuple(struct json *j, const char *key, const struct ctalg_tuple *t)
{
	json_obj_open(j, key);
	if (t->set & CTALG_TUPLE_SRC)
		json_addr(j, "src", t->family, &t->src);
	if (t->set & CTALG_TUPLE_DST)
		json_addr(j, "dst", t->family, &t->dst);
	if (t->set & CTALG_TUPLE_PROTO)
		json_u64(j, "proto", t->l4proto);
	if (t->set & CTALG_TUPLE_SPORT)
		json_u64(j, t->l4proto == IPPROTO_GRE ? "srckey" : "sport",
			 t->sport);
	if (t->set & CTALG_TUPLE_DPORT)
		json_u64(j, t->l4proto == IPPROTO_GRE ? "dstkey" : "dport",
			 t->dport);
	if (t->set & CTALG_TUPLE_ICMP_TYPE)
		json_u64(j, "icmp_type", t->icmp_type);
	if (t->set & CTALG_TUPLE_ICMP_CODE)
		json_u64(j, "icmp_code", t->icmp_code);
	if (t->set & CTALG_TUPLE_ICMP_ID)
		json_u64(j, "icmp_id", t->icmp_id);
	if (t->set & CTALG_TUPLE_ZONE)
		json_u64(j, "zone", t->zone);
	json_obj_close(j);
}
