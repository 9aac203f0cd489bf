// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vm-multi: a helper plugin with two expectation classes, for the vm tier's
 * reload scenario (kernels before 6.12.97 corrupt a multi-class helper's
 * policies when they update it). Protocol: a UDP datagram "OPEN PORT" asks
 * for class "data", "INDEX PORT" for class "index": the sender's peer may
 * then reach the sender on PORT over TCP.
 */
#include <netinet/in.h>

#include <ctalg/helper.h>

static enum ctalg_parse_result multi_parse(struct ctalg_cursor *data,
					   struct ctalg_parse *p)
{
	struct ctalg_exp_req *e;
	uint8_t cls;
	uint32_t port;

	if (ctalg_cursor_starts(data, "OPEN ", 5)) {
		ctalg_cursor_skip(data, 5);
		cls = 0;
	} else if (ctalg_cursor_starts(data, "INDEX ", 6)) {
		ctalg_cursor_skip(data, 6);
		cls = 1;
	} else {
		return CTALG_PARSE_OK;
	}
	if (!ctalg_cursor_get_dec(data, 65535, &port) || !port) {
		p->error = "no port from 1 to 65535";
		return CTALG_PARSE_ERROR;
	}
	e = ctalg_parse_expect(p, &ctalg_parse_peer(p)->src,
			       &ctalg_parse_sender(p)->src, (uint16_t)port);
	if (e) {
		e->cls = cls;
		e->l4proto = IPPROTO_TCP;
	}
	return CTALG_PARSE_OK;
}

static const struct ctalg_helper multi = {
	.abi = CTALG_HELPER_ABI,
	.name = "multi",
	.description = "two expectation classes (a vm tier test plugin)",
	.l4proto = IPPROTO_UDP,
	.families = CTALG_HELPER_INET | CTALG_HELPER_INET6,
	.ports = { 9999 },
	.min_port = 1024,
	.n_classes = 2,
	.classes = { { "data", 3, 100 }, { "index", 2, 50 } },
	.parse = multi_parse,
};

CTALG_PLUGIN(&multi);
