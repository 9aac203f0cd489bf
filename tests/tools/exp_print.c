// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exp_print: print the expectation messages recorded in a file (by
 * nlrecord) with the library's printer, one line each.
 *
 *   exp_print FILE text|json list|events
 *
 * "list" prints them as a listing, "events" with the event each message
 * reports. A message that does not parse prints "error: ..." instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctalg/expect.h>
#include <libmnl/libmnl.h>

int main(int argc, char **argv)
{
	static char data[1 << 20];
	unsigned int flags = 0;
	const struct nlmsghdr *nlh;
	bool events;
	size_t n;
	FILE *f;
	int left;

	if (argc != 4) {
		fprintf(stderr,
			"usage: exp_print FILE text|json list|events\n");
		return 2;
	}
	if (!strcmp(argv[2], "json"))
		flags |= CTALG_PRINT_JSON;
	events = !strcmp(argv[3], "events");
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	n = fread(data, 1, sizeof(data), f);
	fclose(f);
	left = (int)n;
	for (nlh = (const struct nlmsghdr *)data; mnl_nlmsg_ok(nlh, left);
	     nlh = mnl_nlmsg_next(nlh, &left)) {
		struct ctalg_expect exp;
		char line[4096];

		if (ctalg_exp_parse(nlh, &exp) < 0) {
			printf("error: %s\n", strerror(errno));
			continue;
		}
		ctalg_exp_snprintf(
		    line, sizeof(line), &exp,
		    events ? ctalg_exp_event(nlh) : CTALG_EVENT_NONE, flags);
		puts(line);
	}
	return left == 0 ? 0 : 1;
}
