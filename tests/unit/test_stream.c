// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TCP stream engine with a line helper: in-order data, split and joined
 * lines, retransmissions, overlaps, gaps, over-long lines, lost carries and
 * restarts (the positions live in the private state, the carry does not).
 */
#include <netinet/in.h>

#include "conncache.h"
#include "stream.h"
#include "tap.h"

static char seen[4096]; /* the lines the helper got, "|"-separated */

static enum ctalg_parse_result lines(struct ctalg_cursor *data,
				     struct ctalg_parse *p)
{
	struct ctalg_cursor line;
	size_t n = strlen(seen);

	if (p->resync) {
		long nl = ctalg_cursor_find(data, '\n');

		if (nl < 0) {
			p->consumed = (uint32_t)ctalg_cursor_left(data);
			return CTALG_PARSE_OK;
		}
		ctalg_cursor_skip(data, (size_t)nl + 1);
		p->resync = false;
	}
	while (ctalg_line_next(data, &line)) {
		if (ctalg_cursor_starts(&line, "BAD", 3)) {
			p->error = "bad line";
			continue;
		}
		if (n + line.len + 2 < sizeof(seen)) {
			memcpy(seen + n, line.data, line.len);
			n += line.len;
			seen[n++] = '|';
			seen[n] = '\0';
		}
	}
	p->consumed = (uint32_t)data->off;
	return p->error ? CTALG_PARSE_ERROR : CTALG_PARSE_OK;
}

static const struct ctalg_helper toy = {
	.abi = CTALG_HELPER_ABI,
	.name = "toy",
	.l4proto = IPPROTO_TCP,
	.families = CTALG_HELPER_INET,
	.n_classes = 1,
	.classes = { { "toy", 1, 60 } },
	.carry_max = 64,
	.parse = lines,
};

static struct conncache cc;
static struct stream_stats st;
static uint8_t scratch[STREAM_SCRATCH_SIZE];
static struct ctalg_conn conn = { .family = AF_INET, .l4proto = IPPROTO_TCP };

static enum stream_result seg(struct conn *c, int dir, uint32_t seq, bool syn,
			      const char *data)
{
	struct stream_seg s = { .dir = dir,
				.seq = seq,
				.syn = syn,
				.data = (const uint8_t *)data,
				.len = (uint32_t)strlen(data) };
	struct ctalg_parse p = { .conn = &conn, .dir = dir };
	enum ctalg_parse_result res;

	return stream_run(&toy, &cc, c, &s, &p, scratch, &res, &st);
}

static void test_basic(void)
{
	struct conn *c;

	conncache_init(&cc, 16, 4);
	c = conncache_add(&cc, 1, 1);
	seen[0] = '\0';
	tap_ok(seg(c, 0, 999, true, "") == STREAM_STATE,
	       "a SYN sets the position");
	tap_ok(seg(c, 0, 1000, false, "") == STREAM_NONE,
	       "a pure ACK changes nothing");
	seg(c, 0, 1000, false, "USER a\r\nPA");
	seg(c, 0, 1010, false, "SS b\r\nPORT 1,2");
	seg(c, 0, 1024, false, ",3,4,5,6\r\n");
	tap_eq_str(seen, "USER a|PASS b|PORT 1,2,3,4,5,6|",
		   "lines split across segments and joined in one");
	seen[0] = '\0';
	tap_ok(seg(c, 0, 1010, false, "SS b\r\nPORT 1,2") == STREAM_NONE &&
		   !seen[0] && st.retransmitted == 1,
	       "a retransmitted segment is not parsed again");
	seg(c, 0, 1030, false, ",6\r\nNOOP\r\n");
	tap_eq_str(seen, "NOOP|",
		   "an overlapping segment: only the new bytes are parsed");
	seen[0] = '\0';
	seg(c, 1, 5000, true, "");
	seg(c, 1, 5001, false, "220 hi\r\n");
	tap_eq_str(seen, "220 hi|", "each direction has its own position");
	conncache_free(&cc);
}

static void test_gap_and_overlong(void)
{
	struct conn *c;
	char longline[200];

	conncache_init(&cc, 16, 4);
	c = conncache_add(&cc, 1, 1);
	seg(c, 0, 99, true, "");
	seen[0] = '\0';
	seg(c, 0, 100, false, "A\r\nPAR");
	seg(c, 0, 120, false, "TIAL\r\nB\r\n"); /* 15 bytes missing */
	tap_eq_str(seen, "A|B|",
		   "after a gap the carry is dropped and the stream resyncs "
		   "at the next newline");
	tap_eq_u(st.gaps, 1, "the gap is counted");

	seen[0] = '\0';
	memset(longline, 'x', sizeof(longline));
	longline[sizeof(longline) - 1] = '\0';
	seg(c, 0, 129, false, longline);
	seg(c, 0, 129 + 199, false, "yyy\r\nC\r\n");
	tap_eq_str(seen, "C|",
		   "a line longer than carry_max is dropped whole, the next "
		   "one is parsed");
	tap_eq_u(st.overlong, 1, "the over-long line is counted");

	seen[0] = '\0';
	seg(c, 0, 129 + 199 + 8, false, "BAD x\r\nD\r\nE\r\n");
	seg(c, 0, 129 + 199 + 8 + 13, false, "F\r\n");
	tap_eq_str(seen, "D|E|F|",
		   "a malformed line is skipped and the next lines are parsed");
	conncache_free(&cc);
}

static void test_restart(void)
{
	uint8_t priv[CONN_PRIV_MAX];
	struct conn *c;

	conncache_init(&cc, 16, 4);
	c = conncache_add(&cc, 7, 7);
	seg(c, 0, 0xfffffff0u, true, "");
	seen[0] = '\0';
	seg(c, 0, 0xfffffff1u, false, "WRAP\r\nHAL");
	memcpy(priv, c->priv, sizeof(priv));
	conncache_free(&cc);

	/* A new daemon: the kernel's copy of the state, no carry. */
	conncache_init(&cc, 16, 4);
	c = conncache_add(&cc, 7, 7);
	memcpy(c->priv, priv, sizeof(priv));
	seg(c, 0, 0xfffffff1u + 9, false, "F\r\nNEXT\r\n");
	tap_eq_str(seen, "WRAP|NEXT|",
		   "across a restart and a sequence wrap, the lost carry "
		   "makes the stream resync");
	tap_eq_u(st.carry_lost, 1, "the lost carry is counted");

	c = conncache_add(&cc, 8, 8);
	seen[0] = '\0';
	seg(c, 0, 42, false, "IDDLE\r\nGO\r\n");
	tap_eq_str(seen, "GO|",
		   "a stream picked up without its SYN starts at a newline");
	conncache_free(&cc);
}

/* A new daemon (cache) with connection @id's state as the kernel has it. */
static struct conn *restart(uint32_t id, const uint8_t *kernel)
{
	struct conn *c;

	conncache_free(&cc);
	conncache_init(&cc, 16, 4);
	c = conncache_add(&cc, id, id);
	c->priv_len = STREAM_STATE_SIZE;
	memcpy(c->priv, kernel, CONN_PRIV_MAX);
	stream_load(c);
	seen[0] = '\0';
	return c;
}

/*
 * The kernel's copy is written only when more than the positions change:
 * after a restart its positions lag, and the stream goes on from the next
 * data unless the flags say it was inside a message.
 */
static void test_lagging(void)
{
	uint8_t before[CONN_PRIV_MAX], kernel[CONN_PRIV_MAX];
	struct conn *c;

	conncache_init(&cc, 16, 4);
	c = conncache_add(&cc, 5, 5);
	c->priv_len = STREAM_STATE_SIZE;
	memcpy(before, c->priv, sizeof(before));
	seg(c, 0, 999, true, "");
	tap_ok(stream_stale(c, before), "the SYN's state goes to the kernel");
	stream_synced(c);
	memcpy(kernel, c->priv, sizeof(kernel));
	seen[0] = '\0';
	memcpy(before, c->priv, sizeof(before));
	seg(c, 0, 1000, false, "NOOP\r\n");
	seg(c, 0, 1006, false, "NOOP\r\n");
	tap_ok(!stream_stale(c, before),
	       "whole lines move only the position: nothing to write back");
	memcpy(before, c->priv, sizeof(before));
	seg(c, 0, 1012, false, "PA");
	tap_ok(stream_stale(c, before), "a line cut in two is written back");
	stream_synced(c);
	memcpy(before, c->priv, sizeof(before));
	seg(c, 0, 1014, false, "SV\r\n");
	tap_ok(stream_stale(c, before), "and so is its end");
	stream_synced(c);
	memcpy(kernel, c->priv, sizeof(kernel));
	seg(c, 0, 1018, false, "NOOP\r\n");

	/* A new daemon with the kernel's copy, six bytes behind. */
	c = restart(5, kernel);
	st.gaps = 0;
	seg(c, 0, 1024, false, "LIST\r\n");
	tap_eq_str(seen, "LIST|",
		   "after a restart, the data past the kernel's lagging "
		   "position is parsed from its start");
	tap_eq_u(st.gaps, 0, "and is not counted as a gap");
	seg(c, 0, 1040, false, "X\r\nY\r\n");
	tap_eq_str(seen, "LIST|Y|", "past the first data, a jump is a gap again");

	/* The kernel's copy from inside a line: the carry is gone. */
	conncache_free(&cc);
	conncache_init(&cc, 16, 4);
	c = conncache_add(&cc, 6, 6);
	c->priv_len = STREAM_STATE_SIZE;
	seg(c, 0, 0, true, "");
	seg(c, 0, 1, false, "HAL");
	memcpy(kernel, c->priv, sizeof(kernel));
	c = restart(6, kernel);
	seg(c, 0, 30, false, "F\r\nNEXT\r\n");
	tap_eq_str(seen, "NEXT|",
		   "a copy taken inside a line still resyncs at a newline");

	/* However long nothing changes, the lag stays bounded. */
	memcpy(before, c->priv, sizeof(before));
	seg(c, 0, 40 + STREAM_LAG_MAX, false, "Z\r\n");
	tap_ok(stream_stale(c, before),
	       "a position STREAM_LAG_MAX ahead of the kernel's is written");
	conncache_free(&cc);
}

static void test_carry_pool(void)
{
	struct conn *a, *b;

	conncache_init(&cc, 16, 1);
	a = conncache_add(&cc, 1, 1);
	b = conncache_add(&cc, 2, 2);
	seg(a, 0, 0, true, "");
	seg(b, 0, 0, true, "");
	seen[0] = '\0';
	seg(a, 0, 1, false, "ONE");
	seg(b, 0, 1, false, "TWO");
	seg(a, 0, 4, false, "\r\n");
	seg(b, 0, 4, false, "\r\nTHREE\r\n");
	tap_eq_str(seen, "ONE|THREE|",
		   "with no carry slot left, that stream resyncs instead");
	tap_eq_u(cc.carry_exhausted, 1, "the exhausted pool is counted");
	conncache_free(&cc);
}

static void test_cache(void)
{
	struct ctalg_tuple t = { .family = AF_INET, .l4proto = 6 };
	struct conn *c;
	uint32_t i;

	conncache_init(&cc, 4, 0);
	for (i = 0; i < 4; i++)
		conncache_add(&cc, i, conncache_fp(&t, 0))->priv[0] = (uint8_t)i;
	tap_ok(conncache_find(&cc, 0, conncache_fp(&t, 0)) != NULL,
	       "found; now the most recently used");
	conncache_add(&cc, 9, 9);
	tap_ok(conncache_find(&cc, 1, conncache_fp(&t, 0)) == NULL &&
		   conncache_find(&cc, 0, conncache_fp(&t, 0)) &&
		   cc.evictions == 1,
	       "a full cache evicts the least recently used");
	c = conncache_find(&cc, 3, conncache_fp(&t, 0));
	tap_ok(c && c->priv[0] == 3, "entries keep their state");
	t.sport = 1;
	tap_ok(conncache_find(&cc, 3, conncache_fp(&t, 0)) == NULL,
	       "the same id with another tuple is another connection");
	conncache_free(&cc);
}

int main(void)
{
	test_basic();
	test_gap_and_overlong();
	test_restart();
	test_lagging();
	test_carry_pool();
	test_cache();
	return tap_done();
}
