// SPDX-License-Identifier: GPL-2.0-or-later
/* ctalg: the command-line tool. Dispatches to one object's verbs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "cli.h"

/* Every object the tool knows, in the order --help lists them. */
static const struct cli_object *const objects[] = {
	&cli_helper, &cli_expect, &cli_conntrack, &cli_status, NULL,
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: ctalg [-o text|json] OBJECT VERB [ARGUMENTS]\n"
		   "       ctalg OBJECT --help\n"
		   "       ctalg --help | --version\n\n"
		   "Objects:\n");
	for (i = 0; objects[i]; i++)
		fprintf(f, "  %-10s %s\n", objects[i]->name, objects[i]->summary);
	fprintf(f, "\nOptions:\n"
		   "  -o, --output FORMAT   text (the default) or json\n"
		   "  -h, --help            show this help\n"
		   "  -V, --version         show the version\n\n"
		   "Exit status: 0 success, 1 failure (the kernel refused),"
		   " 2 bad arguments.\n"
		   "See ctalg(8).\n");
}

int main(int argc, char **argv)
{
	const struct cli_object *obj = NULL;
	int i = 1;
	size_t k;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (cli_is(argv[i], "-h") || cli_is(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
		if (cli_is(argv[i], "-V") || cli_is(argv[i], "--version")) {
			printf("ctalg %s\n", CTALG_VERSION);
			return 0;
		}
		if (!cli_output_option(argc, argv, &i))
			cli_usage_error(
			    "unknown option \"%s\" (see ctalg --help)", argv[i]);
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (k = 0; objects[k]; k++)
		if (cli_is(argv[i], objects[k]->name))
			obj = objects[k];
	if (!obj)
		cli_usage_error("unknown object \"%s\" (see ctalg --help)",
				argv[i]);
	i++;
	if (obj->verbless &&
	    (i >= argc || !(cli_is(argv[i], "-h") || cli_is(argv[i], "--help") ||
			    cli_is(argv[i], "help"))))
		return obj->run(argc - i + 1, argv + i - 1);
	if (i >= argc) {
		obj->help();
		return EXIT_USAGE;
	}
	if (cli_is(argv[i], "-h") || cli_is(argv[i], "--help") ||
	    cli_is(argv[i], "help")) {
		obj->help();
		return 0;
	}
	return obj->run(argc - i, argv + i);
}
