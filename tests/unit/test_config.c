// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The configuration parser: conntrackd.conf's Helper syntax unchanged, the
 * additions, and every error with its file and line.
 */
#include <netinet/in.h>

#include "cfg.h"
#include "tap.h"

/* Two helpers shaped like real ones, to resolve Types against. */
static const struct ctalg_helper h_ftp = {
	.abi = CTALG_HELPER_ABI,
	.name = "ftp",
	.l4proto = IPPROTO_TCP,
	.families = CTALG_HELPER_INET | CTALG_HELPER_INET6,
	.min_port = 1024,
	.n_classes = 1,
	.classes = { { "ftp", 1, 300 } },
};

static const struct ctalg_helper h_multi = {
	.abi = CTALG_HELPER_ABI,
	.name = "multi",
	.l4proto = IPPROTO_UDP,
	.families = CTALG_HELPER_INET,
	.min_port = 1,
	.n_classes = 2,
	.classes = { { "data", 3, 180 }, { "index", 1, 60 } },
};

static const struct ctalg_helper *lookup(const char *name, uint8_t l4, void *data)
{
	if (!strcmp(name, "ftp") && l4 == IPPROTO_TCP)
		return &h_ftp;
	if (!strcmp(name, "multi") && l4 == IPPROTO_UDP)
		return &h_multi;
	return NULL;
}

static int load(struct config *cfg, const char *text, char *err)
{
	cfg_defaults(cfg);
	if (cfg_parse(cfg, "t.conf", text, strlen(text), err) < 0)
		return -1;
	return cfg_resolve(cfg, lookup, NULL, err);
}

/* A conntrackd.conf as conntrack-tools documents it, whole. */
static const char conntrackd_conf[] =
    "# conntrackd.conf\n"
    "Helper {\n"
    "\tType ftp inet tcp {\n"
    "\t\tQueueNum 5\n"
    "\t\tQueueLen 10240\n"
    "\t\tPolicy ftp {\n"
    "\t\t\tExpectMax 1\n"
    "\t\t\tExpectTimeout 300\n"
    "\t\t}\n"
    "\t}\n"
    "\tType ftp inet6 tcp {\n"
    "\t\tQueueNum 6\n"
    "\t\tPolicy ftp { ExpectMax 2 ExpectTimeout 60 }\n"
    "\t}\n"
    "}\n"
    "General {\n"
    "\tNetlinkBufferSize 2097152\n"
    "\tNetlinkBufferSizeMaxGrowth 8388608\n"
    "\tSyslog on\n"
    "\tLockFile /var/lock/conntrack.lock\n"
    "\tUNIX {\n"
    "\t\tPath /var/run/conntrackd.ctl\n"
    "\t\tBacklog 20\n"
    "\t}\n"
    "\tScheduler {\n\t\tType FIFO\n\t\tPriority 99\n\t}\n"
    "\tSystemd on\n"
    "}\n"
    "Sync {\n\tMode FTFW {\n\t\tResendQueueSize 131072\n\t}\n}\n";

static void test_conntrackd(void)
{
	struct config cfg;
	char err[CFG_ERR_MAX];

	if (!tap_ok(load(&cfg, conntrackd_conf, err) == 0,
		    "a conntrackd.conf with Helper, General and Sync parses"))
		tap_diag("%s", err);
	tap_eq_u(cfg.n_types, 2, "two Types");
	tap_ok(cfg.types[0].family == AF_INET &&
		   cfg.types[0].l4proto == IPPROTO_TCP &&
		   cfg.types[0].queue_num == 5 && cfg.types[0].queue_len == 10240,
	       "Type ftp inet tcp: queue 5, length 10240");
	tap_ok(cfg.types[1].family == AF_INET6 &&
		   cfg.types[1].classes[0].max_expected == 2 &&
		   cfg.types[1].classes[0].timeout == 60,
	       "a one-line Policy block parses");
	tap_eq_str(cfg.ctl_path, "/var/run/conntrackd.ctl",
		   "UNIX Path sets the control socket");
	tap_ok(cfg.syslog, "Syslog on");
	tap_eq_str(cfg.types[0].kname, "ftp",
		   "the kernel name defaults to the Type name");
	tap_eq_u(cfg.types[0].port_floor, 1024,
		 "the port floor defaults to the helper's");
	tap_ok(cfg.n_notes >= 4, "ignored conntrackd options are noted (%u)",
	       cfg.n_notes);
}

static void test_partial_policy(void)
{
	struct config cfg;
	char err[CFG_ERR_MAX];

	tap_ok(load(&cfg,
		    "Helper { Type multi inet udp { Policy index { ExpectMax 4 "
		    "} Policy data { ExpectTimeout 30 } } }",
		    err) == 0,
	       "partial Policy blocks parse");
	tap_ok(cfg.types[0].classes[1].max_expected == 4 &&
		   cfg.types[0].classes[1].timeout == 60,
	       "ExpectMax alone keeps the default timeout (conntrackd: 0)");
	tap_ok(cfg.types[0].classes[0].max_expected == 3 &&
		   cfg.types[0].classes[0].timeout == 30,
	       "ExpectTimeout alone keeps the default maximum");
}

static void test_additions(void)
{
	struct config cfg;
	char err[CFG_ERR_MAX];

	tap_ok(load(&cfg,
		    "General { HelperDirectory /usr/lib/ctalg ConnectionCache "
		    "1024 LogFile /tmp/x.log ExpectEvents off }\n"
		    "Helper { Setup no\n Type ftp inet tcp { KernelName "
		    "ftp-user PortFloor 2000 AnyAddress yes FailOpen on "
		    "QueueBuffer 4194304 } }",
		    err) == 0,
	       "ctalg additions parse");
	tap_ok(!strcmp(cfg.types[0].kname, "ftp-user") &&
		   cfg.types[0].port_floor == 2000 &&
		   cfg.types[0].any_address && cfg.types[0].fail_open &&
		   cfg.types[0].queue_buf == 4194304 && !cfg.setup,
	       "KernelName, PortFloor, AnyAddress, FailOpen, QueueBuffer, "
	       "Setup");
	tap_ok(!strcmp(cfg.helper_dir, "/usr/lib/ctalg") &&
		   cfg.conn_cache == 1024 &&
		   !strcmp(cfg.logfile, "/tmp/x.log") && !cfg.expect_events,
	       "HelperDirectory, ConnectionCache, LogFile, ExpectEvents");
}

/* Bad files: each error names the file, the line and what was wrong. */
static const struct {
	const char *text;
	const char *err;
} bad[] = {
	{ "", "t.conf:1: no helper is configured (a Helper section with at "
	      "least one Type)" },
	{ "Helper {\n}\n", "t.conf:3: no helper is configured (a Helper "
			   "section with at least one Type)" },
	{ "Helper {\n Type ftp inet tcp {\n QueueNum 65536\n }\n}",
	  "t.conf:3: QueueNum: 65536 is out of range (0-65535)" },
	{ "Helper {\n Type ftp inet tcp {\n QueueNum -1 }}",
	  "t.conf:3: QueueNum: \"-1\" is not a number" },
	{ "Helper {\n Type ftp inet tcp {\n QueueNum 99999999999999 }}",
	  "t.conf:3: QueueNum: \"99999999999999\" is not a number" },
	{ "Helper { Type ftp inet tcp { QueueNum } }",
	  "t.conf:1: QueueNum: missing value before \"}\"" },
	{ "Helper {\n Type ftp ipv4 tcp { } }",
	  "t.conf:2: Type ftp: \"ipv4\" is not a family (inet, inet6)" },
	{ "Helper {\n Type ftp inet sctp { } }",
	  "t.conf:2: Type ftp: \"sctp\" is not a protocol (tcp, udp)" },
	{ "Helper {\n Type nosuch inet tcp { } }",
	  "t.conf:2: Type nosuch tcp: no such helper" },
	{ "Helper {\n Type multi inet6 udp { } }",
	  "t.conf:2: Type multi: the helper does not serve inet6" },
	{ "Helper { Type ftp inet tcp {\n\n Policy nosuch { ExpectMax 1 } } }",
	  "t.conf:3: Policy nosuch: helper ftp has no such expectation "
	  "class" },
	{ "Helper { Type ftp inet tcp { Policy ftp {\n ExpectMax 0 } } }",
	  "t.conf:2: ExpectMax: 0 is out of range (1-255)" },
	{ "Helper { Type ftp inet tcp { Policy ftp {\n ExpectMax 256 } } }",
	  "t.conf:2: ExpectMax: 256 is out of range (1-255)" },
	{ "Helper { Type ftp inet tcp { Policy ftp {\n ExpectTimeout 0 } } }",
	  "t.conf:2: ExpectTimeout: 0 is out of range (1-604800)" },
	{ "Helper { Type ftp inet tcp { Policy ftp { ExpectMax 1 }\n Policy "
	  "ftp { } } }",
	  "t.conf:2: Policy ftp is given twice" },
	{ "Helper { Type ftp inet tcp {\n Bogus 1 } }",
	  "t.conf:2: unknown keyword Bogus in Type block" },
	{ "General {\n Bogus 1 }\nHelper { Type ftp inet tcp { } }",
	  "t.conf:2: unknown keyword \"Bogus\" in General block" },
	{ "Helper { Type ftp inet tcp {\n", "t.conf:1: Type block is not "
					    "closed" },
	{ "Helper {\n Type ftp inet tcp { }", "t.conf:1: Helper block is not "
					      "closed" },
	{ "Foo { }", "t.conf:1: unknown section Foo" },
	{ "Helper { Type averyveryverylongname inet tcp { } }",
	  "t.conf:1: Type: \"averyveryverylongname\" is longer than 15 "
	  "characters" },
	{ "Helper { Type f$p inet tcp { } }",
	  "t.conf:1: Type: \"f$p\" may only hold letters, digits, '-', '_' "
	  "and '.'" },
	{ "Helper {\n Type ftp inet tcp { }\n Type ftp inet tcp { } }",
	  "t.conf:3: Type ftp: the kernel name ftp is already used on line 2" },
	{ "Helper {\n Type ftp inet tcp { QueueNum 1 QueueLen 10 }\n Type "
	  "ftp inet6 tcp { QueueNum 1 } }",
	  "t.conf:3: Type ftp: queue 1 is also used on line 2 with other "
	  "QueueLen, QueueBuffer or FailOpen" },
	{ "Helper { Setup maybe }",
	  "t.conf:1: Setup: \"maybe\" is not on, off, yes or no" },
	{ "General {\n ExpectEvents 1 }",
	  "t.conf:2: ExpectEvents: \"1\" is not on, off, yes or no" },
	{ "General { LogFile relative.log }",
	  "t.conf:1: LogFile: \"relative.log\" is not an absolute path" },
	{ "Helper {\n\n Type ftp inet tcp { \x01 } }",
	  "t.conf:3: unexpected byte 0x01" },
	{ "Helper {\n Type ftp inet tcp { } }\nHelper { }",
	  "t.conf:3: a second Helper section" },
	{ "Sync {\n Mode FTFW {\n", "t.conf:1: the block is not closed" },
	{ "Helper { Type ftp inet tcp { PortFloor 0 } }",
	  "t.conf:1: PortFloor: 0 is out of range (1-65535)" },
};

static void test_bad(void)
{
	struct config cfg;
	char err[CFG_ERR_MAX];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = load(&cfg, bad[i].text, err);

		if (!tap_ok(r < 0 && !strcmp(err, bad[i].err), "refused: %s",
			    bad[i].err)) {
			tap_diag_bytes("input", bad[i].text, strlen(bad[i].text));
			tap_diag("got: %s", r < 0 ? err : "(accepted)");
		}
	}
}

static void test_nul(void)
{
	static const char text[] = "Helper {\n\n Type \0ftp inet tcp { } }";
	struct config cfg;
	char err[CFG_ERR_MAX];

	cfg_defaults(&cfg);
	tap_ok(cfg_parse(&cfg, "t.conf", text, sizeof(text) - 1, err) < 0 &&
		   !strcmp(err, "t.conf:3: the file holds a NUL byte"),
	       "a NUL byte is refused with its line");
}

/* Every prefix of a valid file parses or fails cleanly: no over-read. */
static void test_prefixes(void)
{
	size_t len = strlen(conntrackd_conf), i, failed = 0;
	struct config cfg;
	char err[CFG_ERR_MAX];

	for (i = 0; i < len; i++) {
		char *copy = malloc(i ? i : 1);

		memcpy(copy, conntrackd_conf, i);
		cfg_defaults(&cfg);
		if (cfg_parse(&cfg, "t.conf", copy, i, err) == 0) {
			if (cfg_resolve(&cfg, lookup, NULL, err) != 0)
				failed++;
		} else if (!err[0]) {
			failed++;
		}
		free(copy);
	}
	tap_ok(failed == 0, "every prefix parses or fails with a message");
}

/*
 * A file in a deep directory: notices and errors start with its name, cut
 * to fit, and nothing is written beyond them (found by the config fuzz
 * target: the notice after a long name was written past its array).
 */
static void test_long_path(void)
{
	static const char zero[sizeof(((struct config *)0)->notes[0])];
	struct config *cfg = malloc(sizeof(*cfg));
	char path[201], err[CFG_ERR_MAX];
	unsigned int i, wrong = 0;

	memset(path, 'd', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	cfg_defaults(cfg);
	tap_ok(cfg_parse(cfg, path, conntrackd_conf, strlen(conntrackd_conf),
			 err) == 0 &&
		   cfg->n_notes >= 4,
	       "a 200-character file name: parses, with its notices");
	for (i = 0; i < sizeof(cfg->notes) / sizeof(cfg->notes[0]); i++) {
		if (i < cfg->n_notes)
			wrong += strlen(cfg->notes[i]) != sizeof(zero) - 1 ||
				 strncmp(cfg->notes[i], path, sizeof(zero) - 1);
		else
			wrong += memcmp(cfg->notes[i], zero, sizeof(zero)) != 0;
	}
	tap_ok(wrong == 0,
	       "each notice is the name cut to fit, the unused ones "
	       "stay empty");
	cfg_defaults(cfg);
	tap_ok(cfg_parse(cfg, path, "Foo { }", 7, err) < 0 &&
		   !strncmp(err, path, strlen(path)) &&
		   !strcmp(err + strlen(path), ":1: unknown section Foo"),
	       "an error after a 200-character file name is whole");
	free(cfg);
}

int main(void)
{
	test_conntrackd();
	test_partial_policy();
	test_additions();
	test_bad();
	test_nul();
	test_prefixes();
	test_long_path();
	return tap_done();
}
