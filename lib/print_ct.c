// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Conntrack entries as text, byte for byte what conntrack(8) 1.4.7 prints
 * through libnetfilter_conntrack 1.0.9, and as JSON; and the label names of
 * connlabel.conf.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <linux/netfilter/nf_conntrack_common.h>

#include <ctalg/ct.h>
#include <ctalg/cursor.h>

#include "internal.h"

/*
 * State names, indexed by the kernel's state numbers. conntrack(8) prints
 * the first entry for a number beyond the table.
 */
static const char *const tcp_states[] = {
	"NONE",	      "SYN_SENT", "SYN_RECV",  "ESTABLISHED", "FIN_WAIT",
	"CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE",	      "SYN_SENT2",
};

static const char *const sctp_states[] = {
	"NONE",		  "CLOSED",
	"COOKIE_WAIT",	  "COOKIE_ECHOED",
	"ESTABLISHED",	  "SHUTDOWN_SENT",
	"SHUTDOWN_RECD",  "SHUTDOWN_ACK_SENT",
	"HEARTBEAT_SENT", "HEARTBEAT_ACKED",
};

static const char *const dccp_states[] = {
	"NONE",	    "REQUEST", "RESPOND",  "PARTOPEN", "OPEN",
	"CLOSEREQ", "CLOSING", "TIMEWAIT", "IGNORE",   "INVALID",
};

/* IPS_* bit names for JSON, lowest bit first. */
static const char *const status_names[] = {
	"expected",	"seen_reply", "assured",       "confirmed",
	"src_nat",	"dst_nat",    "seq_adjust",    "src_nat_done",
	"dst_nat_done", "dying",      "fixed_timeout", "template",
	"untracked",	"helper",     "offload",       "hw_offload",
};

static const char *state_name(const char *const *names, size_t n, uint8_t s)
{
	return s < n ? names[s] : names[0];
}

static const char *l3proto_name(uint8_t family)
{
	switch (family) {
	case AF_INET:
		return "ipv4";
	case AF_INET6:
		return "ipv6";
	default:
		return "unknown";
	}
}

/* ---- label names ---- */

#define LABEL_BITS 1024

struct ctalg_labelmap {
	unsigned int count; /* highest named bit + 1 */
	char *name[LABEL_BITS];
};

static bool label_space(uint8_t c)
{
	return c == ' ' || c == '\f' || c == '\r' || c == '\t' || c == '\v';
}

static int label_digit(uint8_t c, unsigned int base)
{
	int d;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	else
		return -1;
	return (unsigned int)d < base ? d : -1;
}

/*
 * The bit number at the start of a line, read as strtoul(s, &end, 0) reads
 * it (conntrack(8) does so): spaces, a sign, then hex after "0x", octal after
 * "0", decimal otherwise. Returns the bit, or -1 for no number or one of
 * LABEL_BITS or more (a negative one wraps to a huge value there). Moves @c
 * past the number.
 */
static int label_bit(struct ctalg_cursor *c)
{
	struct ctalg_cursor save = *c;
	unsigned int base = 10, value = 0;
	bool neg = false, big = false, any = false;
	uint8_t ch;

	while (ctalg_cursor_peek_u8(c, &ch) && (label_space(ch) || ch == '\n'))
		ctalg_cursor_skip(c, 1);
	if (ctalg_cursor_accept(c, '-'))
		neg = true;
	else
		ctalg_cursor_accept(c, '+');
	if (ctalg_cursor_starts_nocase(c, "0x", 2) && ctalg_cursor_left(c) > 2 &&
	    label_digit(ctalg_cursor_ptr(c)[2], 16) >= 0) {
		ctalg_cursor_skip(c, 2);
		base = 16;
	} else if (ctalg_cursor_starts(c, "0", 1)) {
		base = 8;
	}
	while (ctalg_cursor_peek_u8(c, &ch) && label_digit(ch, base) >= 0) {
		ctalg_cursor_skip(c, 1);
		any = true;
		if (!big) {
			value = value * base +
				(unsigned int)label_digit(ch, base);
			big = value >= LABEL_BITS;
		}
	}
	if (!any) {
		*c = save;
		return -1;
	}
	if (big || (neg && value))
		return -1;
	return (int)value;
}

/* Label names: letters, digits, spaces and '-' only, as conntrack(8). */
static bool label_sane(const uint8_t *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t ch = s[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == ' ' || ch == '-')
			continue;
		return false;
	}
	return true;
}

static bool label_taken(const struct ctalg_labelmap *m, const uint8_t *s, size_t n)
{
	unsigned int i;

	for (i = 0; i < LABEL_BITS; i++)
		if (m->name[i] && strlen(m->name[i]) == n &&
		    memcmp(m->name[i], s, n) == 0)
			return true;
	return false;
}

/*
 * One line (as fgets(3) with a 1024-byte buffer cut it): "BIT NAME". The
 * first line for a bit and the first bit for a name win.
 */
static int labelmap_line(struct ctalg_labelmap *m, const char *line, size_t len)
{
	struct ctalg_cursor c = ctalg_cursor_make(line, len);
	const uint8_t *name;
	size_t n;
	long nl;
	int bit;

	if (ctalg_cursor_starts(&c, "#", 1))
		return 0;
	bit = label_bit(&c);
	if (bit < 0 || m->name[bit])
		return 0;
	while (ctalg_cursor_left(&c) && label_space(*ctalg_cursor_ptr(&c)))
		ctalg_cursor_skip(&c, 1);
	nl = ctalg_cursor_find(&c, '\n');
	n = nl >= 0 ? (size_t)nl : ctalg_cursor_left(&c);
	name = ctalg_cursor_ptr(&c);
	while (n > 1 && label_space(name[n - 1]))
		n--;
	if (n == 0 || !label_sane(name, n) || label_taken(m, name, n))
		return 0;
	m->name[bit] = strndup((const char *)name, n);
	if (!m->name[bit])
		return -1;
	if ((unsigned int)bit >= m->count)
		m->count = (unsigned int)bit + 1;
	return 0;
}

EXPORT void ctalg_labelmap_free(struct ctalg_labelmap *map)
{
	unsigned int i;

	if (!map)
		return;
	for (i = 0; i < LABEL_BITS; i++)
		free(map->name[i]);
	free(map);
}

EXPORT struct ctalg_labelmap *ctalg_labelmap_new(const char *path)
{
	struct ctalg_labelmap *m;
	char line[1024];
	FILE *f;

	f = fopen(path ? path : "/etc/xtables/connlabel.conf", "re");
	if (!f)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		goto err_close;
	/* A NUL inside a line ends it there, as it does for conntrack(8). */
	while (fgets(line, sizeof(line), f))
		if (labelmap_line(m, line, strlen(line)) < 0)
			goto err_free;
	fclose(f);
	if (m->count == 0) {
		ctalg_labelmap_free(m);
		errno = 0;
		return NULL;
	}
	return m;
err_free:
	ctalg_labelmap_free(m);
err_close:
	fclose(f);
	errno = ENOMEM;
	return NULL;
}

EXPORT const char *ctalg_labelmap_name(const struct ctalg_labelmap *map,
				       unsigned int bit)
{
	if (!map || bit >= LABEL_BITS)
		return NULL;
	return map->name[bit];
}

/*
 * Label bit @bit of @ct. libnetfilter_conntrack keeps the kernel's bytes in
 * 32-bit words of host order and tests bit @bit % 32 of word @bit / 32; so
 * does this, so a big-endian host sees the same bits as conntrack(8).
 */
static bool ct_label_test(const struct ctalg_ct *ct, unsigned int bit)
{
	uint8_t word[4] = { 0 };
	unsigned int first = bit / 32 * 4, i;
	uint32_t w;

	for (i = 0; i < 4 && first + i < ct->labels_len; i++)
		word[i] = ct->labels[first + i];
	memcpy(&w, word, sizeof(w));
	return w >> (bit % 32) & 1;
}

/* The bits libnetfilter_conntrack looks at: whole 32-bit words. */
static unsigned int ct_label_bits(const struct ctalg_ct *ct)
{
	return (ct->labels_len + 3U) / 4 * 32;
}

/* ---- text ---- */

static void out_ctime(struct out *o, uint64_t ns)
{
	static const char days[][4] = { "Sun", "Mon", "Tue", "Wed",
					"Thu", "Fri", "Sat" };
	static const char months[][4] = { "Jan", "Feb", "Mar", "Apr",
					  "May", "Jun", "Jul", "Aug",
					  "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)(ns / 1000000000ULL);
	struct tm tm;

	/* ctime(3)'s format, without its newline. */
	if (!localtime_r(&t, &tm) || tm.tm_wday < 0 || tm.tm_wday > 6 ||
	    tm.tm_mon < 0 || tm.tm_mon > 11) {
		out_printf(o, "%lld", (long long)t);
		return;
	}
	out_printf(o, "%.3s %.3s%3d %.2d:%.2d:%.2d %d", days[tm.tm_wday],
		   months[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min,
		   tm.tm_sec, tm.tm_year + 1900);
}

static void out_counters(struct out *o, const struct ctalg_ct *ct, int dir)
{
	uint64_t both = dir == CTALG_DIR_ORIG
			    ? CTALG_CT_ORIG_PACKETS | CTALG_CT_ORIG_BYTES
			    : CTALG_CT_REPLY_PACKETS | CTALG_CT_REPLY_BYTES;

	if ((ct->set & both) == both)
		out_printf(o, "packets=%llu bytes=%llu ",
			   (unsigned long long)ct->packets[dir],
			   (unsigned long long)ct->bytes[dir]);
}

static void out_labels(struct out *o, const struct ctalg_ct *ct,
		       const struct ctalg_labelmap *map)
{
	unsigned int i, n = ct_label_bits(ct);

	out_str(o, "labels=");
	for (i = 0; i < n; i++) {
		const char *name;

		if (!ct_label_test(ct, i))
			continue;
		name = ctalg_labelmap_name(map, i);
		if (name && name[0])
			out_printf(o, "%s,", name);
	}
	/*
	 * conntrack(8) drops the last byte: the last comma, or the '=' when
	 * no set bit has a name.
	 */
	if (o->len < o->size && o->len)
		o->buf[o->len - 1] = '\0';
	if (o->len)
		o->len--;
	out_str(o, " ");
}

static void ct_text(struct out *o, const struct ctalg_ct *ct,
		    enum ctalg_event ev, unsigned int flags,
		    const struct ctalg_labelmap *map, const struct ct_clock *now)
{
	uint64_t set = ct->set;

	if (flags & CTALG_PRINT_TIMESTAMP && ev != CTALG_EVENT_NONE)
		out_printf(o, "[%.8ld.%.6ld]\t", (long)now->tv.tv_sec,
			   (long)now->tv.tv_usec);
	out_event(o, ev);
	if (flags & CTALG_PRINT_EXTENDED)
		out_printf(o, "%-8s %u ", l3proto_name(ct->family), ct->family);
	out_printf(o, "%-8s %u ", l4proto_name(ct->orig.l4proto),
		   ct->orig.l4proto);
	if (set & CTALG_CT_TIMEOUT)
		out_printf(o, "%u ", ct->timeout);
	if (set & CTALG_CT_TCP_STATE)
		out_printf(o, "%s ",
			   state_name(tcp_states, ARRAY_SIZE(tcp_states),
				      ct->tcp_state));
	if (set & CTALG_CT_SCTP_STATE)
		out_printf(o, "%s ",
			   state_name(sctp_states, ARRAY_SIZE(sctp_states),
				      ct->sctp_state));
	if (set & CTALG_CT_DCCP_STATE)
		out_printf(o, "%s ",
			   state_name(dccp_states, ARRAY_SIZE(dccp_states),
				      ct->dccp_state));
	out_tuple_addr(o, &ct->orig, "src", "dst");
	out_tuple_l4(o, &ct->orig);
	if (ct->orig.set & CTALG_TUPLE_ZONE)
		out_printf(o, "zone-orig=%u ", ct->orig.zone);
	out_counters(o, ct, CTALG_DIR_ORIG);
	if (set & CTALG_CT_STATUS && !(ct->status & IPS_SEEN_REPLY))
		out_str(o, "[UNREPLIED] ");
	/* A missing reply tuple prints nothing, as in conntrack(8). */
	if (set & CTALG_CT_REPLY) {
		out_tuple_addr(o, &ct->reply, "src", "dst");
		out_tuple_l4(o, &ct->reply);
		if (ct->reply.set & CTALG_TUPLE_ZONE)
			out_printf(o, "zone-reply=%u ", ct->reply.zone);
	}
	out_counters(o, ct, CTALG_DIR_REPLY);
	if (set & CTALG_CT_STATUS) {
		if (ct->status & IPS_HW_OFFLOAD)
			out_str(o, "[HW_OFFLOAD] ");
		else if (ct->status & IPS_OFFLOAD)
			out_str(o, "[OFFLOAD] ");
		else if (ct->status & IPS_ASSURED)
			out_str(o, "[ASSURED] ");
	}
	if (set & CTALG_CT_MARK)
		out_printf(o, "mark=%u ", ct->mark);
	if (set & CTALG_CT_SECMARK)
		out_printf(o, "secmark=%u ", ct->secmark);
	if (set & CTALG_CT_SECCTX)
		out_printf(o, "secctx=%s ", ct->secctx);
	if (set & CTALG_CT_ZONE)
		out_printf(o, "zone=%u ", ct->zone);
	if (set & CTALG_CT_TS_START) {
		/* Until it stops, the age up to now, in the time(2) clock. */
		time_t stop = ct->ts_stop ? (time_t)(ct->ts_stop / 1000000000ULL)
					  : now->sec;
		time_t start = (time_t)(ct->ts_start / 1000000000ULL);

		out_printf(o, "delta-time=%llu ",
			   (unsigned long long)(stop - start));
	}
	if (flags & CTALG_PRINT_KTIMESTAMP) {
		if (set & CTALG_CT_TS_START) {
			out_str(o, "[start=");
			out_ctime(o, ct->ts_start);
			out_str(o, "] ");
		}
		if (set & CTALG_CT_TS_STOP) {
			out_str(o, "[stop=");
			out_ctime(o, ct->ts_stop);
			out_str(o, "] ");
		}
	}
	if (set & CTALG_CT_HELPER)
		out_printf(o, "helper=%s ", ct->helper);
	if (set & CTALG_CT_USE)
		out_printf(o, "use=%u ", ct->use);
	if (flags & CTALG_PRINT_ID && set & CTALG_CT_ID)
		out_printf(o, "id=%u ", ct->id);
	if (map && set & CTALG_CT_LABELS)
		out_labels(o, ct, map);
	out_trim(o, ' ');
	/* conntrack -E names the process whose request caused the event. */
	if (ev != CTALG_EVENT_NONE && ct->portid)
		out_printf(o, " [USERSPACE] portid=%u", ct->portid);
}

/* ---- JSON ---- */

static void json_counters(struct json *j, const struct ctalg_ct *ct,
			  const char *key, int dir)
{
	uint64_t pk = dir == CTALG_DIR_ORIG ? CTALG_CT_ORIG_PACKETS
					    : CTALG_CT_REPLY_PACKETS;
	uint64_t by = dir == CTALG_DIR_ORIG ? CTALG_CT_ORIG_BYTES
					    : CTALG_CT_REPLY_BYTES;

	if (!(ct->set & (pk | by)))
		return;
	json_obj_open(j, key);
	if (ct->set & pk)
		json_u64(j, "packets", ct->packets[dir]);
	if (ct->set & by)
		json_u64(j, "bytes", ct->bytes[dir]);
	json_obj_close(j);
}

static void json_status(struct json *j, uint32_t status)
{
	char name[16];
	unsigned int i;

	json_u64(j, "status", status);
	json_arr_open(j, "status_flags");
	for (i = 0; i < 32; i++) {
		if (!(status & (1U << i)))
			continue;
		if (i < ARRAY_SIZE(status_names)) {
			json_str(j, NULL, status_names[i]);
		} else {
			snprintf(name, sizeof(name), "bit%u", i);
			json_str(j, NULL, name);
		}
	}
	json_arr_close(j);
}

static void json_hex(struct json *j, const char *key, const uint8_t *p, size_t n)
{
	char hex[2 * CTALG_CT_HELPER_INFO_MAX + 1];
	size_t i;

	for (i = 0; i < n && i < CTALG_CT_HELPER_INFO_MAX; i++)
		snprintf(hex + 2 * i, 3, "%02x", p[i]);
	hex[2 * i] = '\0';
	json_str(j, key, hex);
}

static void json_protoinfo(struct json *j, const struct ctalg_ct *ct)
{
	uint64_t set = ct->set;

	if (set & CTALG_CT_TCP_STATE)
		json_str(j, "state",
			 ct->tcp_state < ARRAY_SIZE(tcp_states)
			     ? tcp_states[ct->tcp_state]
			     : "unknown");
	else if (set & CTALG_CT_SCTP_STATE)
		json_str(j, "state",
			 ct->sctp_state < ARRAY_SIZE(sctp_states)
			     ? sctp_states[ct->sctp_state]
			     : "unknown");
	else if (set & CTALG_CT_DCCP_STATE)
		json_str(j, "state",
			 ct->dccp_state < ARRAY_SIZE(dccp_states)
			     ? dccp_states[ct->dccp_state]
			     : "unknown");
	if (set & (CTALG_CT_TCP_WSCALE_ORIG | CTALG_CT_TCP_WSCALE_REPLY |
		   CTALG_CT_TCP_FLAGS_ORIG | CTALG_CT_TCP_FLAGS_REPLY)) {
		json_obj_open(j, "tcp");
		if (set & CTALG_CT_TCP_WSCALE_ORIG)
			json_u64(j, "wscale_original", ct->tcp_wscale[0]);
		if (set & CTALG_CT_TCP_WSCALE_REPLY)
			json_u64(j, "wscale_reply", ct->tcp_wscale[1]);
		if (set & CTALG_CT_TCP_FLAGS_ORIG) {
			json_u64(j, "flags_original", ct->tcp_flags[0][0]);
			json_u64(j, "mask_original", ct->tcp_flags[0][1]);
		}
		if (set & CTALG_CT_TCP_FLAGS_REPLY) {
			json_u64(j, "flags_reply", ct->tcp_flags[1][0]);
			json_u64(j, "mask_reply", ct->tcp_flags[1][1]);
		}
		json_obj_close(j);
	}
	if (set & (CTALG_CT_SCTP_VTAG_ORIG | CTALG_CT_SCTP_VTAG_REPLY)) {
		json_obj_open(j, "sctp");
		if (set & CTALG_CT_SCTP_VTAG_ORIG)
			json_u64(j, "vtag_original", ct->sctp_vtag[0]);
		if (set & CTALG_CT_SCTP_VTAG_REPLY)
			json_u64(j, "vtag_reply", ct->sctp_vtag[1]);
		json_obj_close(j);
	}
	if (set & (CTALG_CT_DCCP_ROLE | CTALG_CT_DCCP_HANDSHAKE_SEQ)) {
		json_obj_open(j, "dccp");
		if (set & CTALG_CT_DCCP_ROLE)
			json_u64(j, "role", ct->dccp_role);
		if (set & CTALG_CT_DCCP_HANDSHAKE_SEQ)
			json_u64(j, "handshake_seq", ct->dccp_handshake_seq);
		json_obj_close(j);
	}
}

static void ct_json(struct out *o, const struct ctalg_ct *ct, enum ctalg_event ev)
{
	uint64_t set = ct->set;
	struct json j;
	unsigned int i;

	json_begin(&j, o);
	json_obj_open(&j, NULL);
	if (event_name(ev))
		json_str(&j, "event", event_name(ev));
	json_str(&j, "family", l3proto_name(ct->family));
	json_str(&j, "protocol", l4proto_name(ct->orig.l4proto));
	json_u64(&j, "protonum", ct->orig.l4proto);
	if (set & CTALG_CT_TIMEOUT)
		json_u64(&j, "timeout", ct->timeout);
	json_protoinfo(&j, ct);
	if (set & CTALG_CT_ORIG)
		json_tuple(&j, "original", &ct->orig);
	if (set & CTALG_CT_REPLY)
		json_tuple(&j, "reply", &ct->reply);
	if (set & CTALG_CT_MASTER)
		json_tuple(&j, "master", &ct->master);
	if (set & (CTALG_CT_ORIG_PACKETS | CTALG_CT_ORIG_BYTES |
		   CTALG_CT_REPLY_PACKETS | CTALG_CT_REPLY_BYTES)) {
		json_obj_open(&j, "counters");
		json_counters(&j, ct, "original", CTALG_DIR_ORIG);
		json_counters(&j, ct, "reply", CTALG_DIR_REPLY);
		json_obj_close(&j);
	}
	if (set & CTALG_CT_STATUS)
		json_status(&j, ct->status);
	if (set & CTALG_CT_MARK)
		json_u64(&j, "mark", ct->mark);
	if (set & CTALG_CT_SECMARK)
		json_u64(&j, "secmark", ct->secmark);
	if (set & CTALG_CT_SECCTX)
		json_str(&j, "secctx", ct->secctx);
	if (set & CTALG_CT_ZONE)
		json_u64(&j, "zone", ct->zone);
	if (set & CTALG_CT_TS_START)
		json_u64(&j, "timestamp_start", ct->ts_start);
	if (set & CTALG_CT_TS_STOP)
		json_u64(&j, "timestamp_stop", ct->ts_stop);
	if (set & CTALG_CT_HELPER)
		json_str(&j, "helper", ct->helper);
	if (set & CTALG_CT_HELPER_INFO)
		json_hex(&j, "helper_info", ct->helper_info, ct->helper_info_len);
	if (set & CTALG_CT_USE)
		json_u64(&j, "use", ct->use);
	if (set & CTALG_CT_ID)
		json_u64(&j, "id", ct->id);
	if (set & CTALG_CT_LABELS) {
		json_arr_open(&j, "labels");
		for (i = 0; i < ct_label_bits(ct); i++)
			if (ct_label_test(ct, i))
				json_u64(&j, NULL, i);
		json_arr_close(&j);
	}
	if (ev != CTALG_EVENT_NONE && ct->portid)
		json_u64(&j, "portid", ct->portid);
	json_obj_close(&j);
}

int ct_snprintf_at(char *buf, size_t size, const struct ctalg_ct *ct,
		   enum ctalg_event ev, unsigned int flags,
		   const struct ctalg_labelmap *map, const struct ct_clock *now)
{
	struct out o;

	if (!ct || (!buf && size)) {
		errno = EINVAL;
		return -1;
	}
	o = out_make(buf, size);
	if (flags & CTALG_PRINT_JSON)
		ct_json(&o, ct, ev);
	else
		ct_text(&o, ct, ev, flags, map, now);
	return o.len > INT32_MAX ? INT32_MAX : (int)o.len;
}

EXPORT int ctalg_ct_snprintf_labels(char *buf, size_t size,
				    const struct ctalg_ct *ct,
				    enum ctalg_event ev, unsigned int flags,
				    const struct ctalg_labelmap *map)
{
	struct ct_clock now;

	/*
	 * The clocks conntrack(8) reads: time(2) for the age of an entry,
	 * gettimeofday(2) for the "-o timestamp" prefix.
	 */
	now.sec = time(NULL);
	gettimeofday(&now.tv, NULL);
	/* ctime(3), which conntrack(8) uses, follows changes of TZ. */
	if (flags & CTALG_PRINT_KTIMESTAMP)
		tzset();
	return ct_snprintf_at(buf, size, ct, ev, flags, map, &now);
}

EXPORT int ctalg_ct_snprintf(char *buf, size_t size, const struct ctalg_ct *ct,
			     enum ctalg_event ev, unsigned int flags)
{
	return ctalg_ct_snprintf_labels(buf, size, ct, ev, flags, NULL);
}
