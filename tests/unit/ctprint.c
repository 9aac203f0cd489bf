// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctprint: print recorded ctnetlink messages (nlrecord files) with
 * ctalg_ct_snprintf, one line each, for tests that check the output with
 * other tools.
 *
 *   ctprint dump|events json|text FILE
 *	dump: entries of a dump; events: event messages with their kind
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctalg/ct.h>
#include <ctalg/cursor.h>

int main(int argc, char **argv)
{
	static char data[4 * 1024 * 1024];
	struct ctalg_cursor c;
	bool events, json;
	size_t len;
	FILE *f;

	if (argc != 4 || (strcmp(argv[1], "dump") && strcmp(argv[1], "events")) ||
	    (strcmp(argv[2], "json") && strcmp(argv[2], "text"))) {
		fprintf(stderr, "usage: ctprint dump|events json|text FILE\n");
		return 2;
	}
	events = !strcmp(argv[1], "events");
	json = !strcmp(argv[2], "json");
	f = fopen(argv[3], "rb");
	if (!f) {
		perror(argv[3]);
		return 1;
	}
	len = fread(data, 1, sizeof(data), f);
	fclose(f);
	c = ctalg_cursor_make(data, len);
	while (ctalg_cursor_left(&c) >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)
		    ctalg_cursor_ptr(&c);
		enum ctalg_event ev = CTALG_EVENT_NONE;
		struct ctalg_ct ct;
		char line[8192];

		if (nlh->nlmsg_len < sizeof(*nlh) ||
		    nlh->nlmsg_len > ctalg_cursor_left(&c)) {
			fprintf(stderr, "ctprint: truncated file\n");
			return 1;
		}
		if (events)
			ev = ctalg_ct_event(nlh);
		if (ctalg_ct_parse(nlh, &ct) < 0) {
			fprintf(stderr, "ctprint: %s\n", strerror(errno));
			return 1;
		}
		ctalg_ct_snprintf(line, sizeof(line), &ct, ev,
				  json ? CTALG_PRINT_JSON : 0);
		puts(line);
		ctalg_cursor_skip(&c, NLMSG_ALIGN(nlh->nlmsg_len) <
					      ctalg_cursor_left(&c)
					  ? NLMSG_ALIGN(nlh->nlmsg_len)
					  : ctalg_cursor_left(&c));
	}
	return 0;
}
