// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nlrecord: write netfilter netlink messages from the kernel to a file, raw
 * (each with its netlink header), for golden tests that replay them.
 *
 *   nlrecord dump SUBSYS MSG FAMILY FILE
 *	send a dump request (e.g. 1 1 0 = ctnetlink GET, all families) and
 *	record every message of the reply
 *   nlrecord events GROUP[,GROUP...] COUNT TIMEOUT_MS FILE
 *	join the multicast groups and record COUNT messages, or what came
 *	before the timeout
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nfnetlink.h>

#include <ctalg/cursor.h>
#include <ctalg/nl.h>

static unsigned int count;

static int record(const struct nlmsghdr *nlh, void *data)
{
	FILE *f = data;

	if (!nlh)
		return CTALG_CB_OK;
	if (fwrite(nlh, 1, nlh->nlmsg_len, f) != nlh->nlmsg_len)
		return CTALG_CB_ERROR;
	count++;
	return CTALG_CB_OK;
}

static unsigned long num(const char *s, unsigned long max)
{
	struct ctalg_cursor c = ctalg_cursor_make(s, strlen(s));
	uint32_t v;

	if (!ctalg_cursor_get_dec(&c, (uint32_t)max, &v) ||
	    ctalg_cursor_left(&c)) {
		fprintf(stderr, "nlrecord: bad number \"%s\"\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	char buf[CTALG_NL_RECV_SIZE];
	struct ctalg_nl *nl;
	FILE *f;

	if (argc != 6 ||
	    (strcmp(argv[1], "dump") && strcmp(argv[1], "events"))) {
		fprintf(stderr,
			"usage: nlrecord dump SUBSYS MSG FAMILY FILE\n"
			"       nlrecord events GROUPS COUNT TIMEOUT_MS "
			"FILE\n");
		return 2;
	}
	nl = ctalg_nl_open();
	if (!nl) {
		perror("nlrecord: socket");
		return 1;
	}
	f = fopen(argv[5], "wb");
	if (!f) {
		perror(argv[5]);
		return 1;
	}
	if (!strcmp(argv[1], "dump")) {
		struct nlmsghdr *nlh = ctalg_nl_msg(
		    buf, sizeof(buf), (uint8_t)num(argv[2], 255),
		    (uint8_t)num(argv[3], 255), NLM_F_DUMP,
		    (uint8_t)num(argv[4], 255), 0);

		if (ctalg_nl_request(nl, nlh, record, f) < 0) {
			fprintf(stderr, "nlrecord: dump: %s\n", strerror(errno));
			return 1;
		}
	} else {
		unsigned long want = num(argv[3], 1000000);
		int timeout = (int)num(argv[4], 600000);
		char *groups = argv[2], *next;

		for (; groups && *groups; groups = next) {
			next = strchr(groups, ',');
			if (next)
				*next++ = '\0';
			if (ctalg_nl_join(nl, (unsigned int)num(groups, 31)) < 0) {
				perror("nlrecord: join");
				return 1;
			}
		}
		/* Tell the caller we listen: events from now on are caught. */
		printf("listening\n");
		fflush(stdout);
		while (count < want) {
			struct pollfd p = { ctalg_nl_fd(nl), POLLIN, 0 };

			if (poll(&p, 1, timeout) <= 0)
				break;
			if (ctalg_nl_recv(nl, record, f) < 0) {
				fprintf(stderr, "nlrecord: %s\n",
					strerror(errno));
				return 1;
			}
		}
	}
	fclose(f);
	fprintf(stderr, "nlrecord: %u messages\n", count);
	ctalg_nl_close(nl);
	return 0;
}
