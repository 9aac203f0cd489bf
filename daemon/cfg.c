// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The configuration parser. conntrackd.conf's grammar is free-form: a
 * keyword takes a known number of arguments and newlines are plain
 * whitespace, so "Policy ftp { ExpectMax 1 ExpectTimeout 300 }" on one line
 * is as valid as the usual layout. Every number has an explicit maximum;
 * every error names the file and line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/stat.h>

#include <ctalg/cursor.h>

#include "cfg.h"

/* The longest configuration file read: far more than any real one. */
#define CFG_FILE_MAX (1024 * 1024)
#define CFG_WORD_MAX 255

enum tok { T_EOF, T_WORD, T_LBRACE, T_RBRACE };

struct parser {
	struct ctalg_cursor c;
	struct config *cfg;
	const char *path;
	char *err;
	unsigned int line; /* line of the cursor */
	/* The current token. */
	enum tok tok;
	char word[CFG_WORD_MAX + 1];
	unsigned int tok_line;
	bool held; /* the current token was pushed back */
};

static int perr(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int perr(struct parser *p, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = (size_t)snprintf(p->err, CFG_ERR_MAX, "%s:%u: ", p->path,
			     p->tok_line);
	if (n >= CFG_ERR_MAX)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, CFG_ERR_MAX - n, fmt, ap);
	va_end(ap);
	return -1;
}

static void note(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void note(struct parser *p, const char *fmt, ...)
{
	struct config *cfg = p->cfg;
	va_list ap;
	int n;

	if (cfg->n_notes >= sizeof(cfg->notes) / sizeof(cfg->notes[0]))
		return;
	n = snprintf(cfg->notes[cfg->n_notes], sizeof(cfg->notes[0]),
		     "%s:%u: ", p->path, p->tok_line);
	/* A long file name fills the notice: nothing more fits. */
	if (n >= 0 && (size_t)n < sizeof(cfg->notes[0])) {
		va_start(ap, fmt);
		vsnprintf(cfg->notes[cfg->n_notes] + n,
			  sizeof(cfg->notes[0]) - (size_t)n, fmt, ap);
		va_end(ap);
	}
	cfg->n_notes++;
}

static bool is_word_byte(uint8_t b)
{
	return b > ' ' && b != '{' && b != '}' && b != '#' && b != 0x7f;
}

/* Read the next token. Returns 0, or -1 on a byte that has no place. */
static int next(struct parser *p)
{
	uint8_t b;
	size_t n = 0;

	if (p->held) {
		p->held = false;
		return 0;
	}
	for (;;) {
		if (!ctalg_cursor_peek_u8(&p->c, &b)) {
			p->tok = T_EOF;
			p->tok_line = p->line;
			return 0;
		}
		if (b == '\n') {
			p->line++;
		} else if (b == '#') {
			long nl = ctalg_cursor_find(&p->c, '\n');

			ctalg_cursor_skip(&p->c, nl < 0 ? ctalg_cursor_left(&p->c)
							: (size_t)nl);
			continue;
		} else if (b != ' ' && b != '\t' && b != '\r') {
			break;
		}
		ctalg_cursor_skip(&p->c, 1);
	}
	p->tok_line = p->line;
	if (b == '{' || b == '}') {
		ctalg_cursor_skip(&p->c, 1);
		p->tok = b == '{' ? T_LBRACE : T_RBRACE;
		return 0;
	}
	if (!is_word_byte(b))
		return perr(p, "unexpected byte 0x%02x", b);
	while (ctalg_cursor_peek_u8(&p->c, &b) && is_word_byte(b)) {
		if (n >= CFG_WORD_MAX)
			return perr(p, "word longer than %d characters",
				    CFG_WORD_MAX);
		p->word[n++] = (char)b;
		ctalg_cursor_skip(&p->c, 1);
	}
	p->word[n] = '\0';
	p->tok = T_WORD;
	return 0;
}

static void hold(struct parser *p)
{
	p->held = true;
}

static const char *tok_name(const struct parser *p)
{
	switch (p->tok) {
	case T_EOF:
		return "the end of the file";
	case T_LBRACE:
		return "\"{\"";
	case T_RBRACE:
		return "\"}\"";
	default:
		return p->word;
	}
}

/* The argument of @kw: a word. */
static int arg(struct parser *p, const char *kw)
{
	if (next(p) < 0)
		return -1;
	if (p->tok != T_WORD)
		return perr(p, "%s: missing value before %s", kw, tok_name(p));
	return 0;
}

static int expect_lbrace(struct parser *p, const char *what)
{
	if (next(p) < 0)
		return -1;
	if (p->tok != T_LBRACE)
		return perr(p, "%s: expected \"{\", found %s", what, tok_name(p));
	return 0;
}

static int num_arg(struct parser *p, const char *kw, uint32_t min, uint32_t max,
		   uint32_t *v)
{
	struct ctalg_cursor c;

	if (arg(p, kw) < 0)
		return -1;
	c = ctalg_cursor_make(p->word, strlen(p->word));
	if (!ctalg_cursor_get_dec(&c, UINT32_MAX, v) || ctalg_cursor_left(&c))
		return perr(p, "%s: \"%s\" is not a number", kw, p->word);
	if (*v < min || *v > max)
		return perr(p, "%s: %s is out of range (%u-%u)", kw, p->word,
			    min, max);
	return 0;
}

static bool word_is(const struct parser *p, const char *kw)
{
	return p->tok == T_WORD && strcmp(p->word, kw) == 0;
}

static bool word_nocase(const char *w, const char *kw)
{
	return strcasecmp(w, kw) == 0;
}

/* on/off and yes/no, in any case, as conntrackd reads them. */
static int bool_arg(struct parser *p, const char *kw, bool *v)
{
	if (arg(p, kw) < 0)
		return -1;
	if (word_nocase(p->word, "on") || word_nocase(p->word, "yes"))
		*v = true;
	else if (word_nocase(p->word, "off") || word_nocase(p->word, "no"))
		*v = false;
	else
		return perr(p, "%s: \"%s\" is not on, off, yes or no", kw,
			    p->word);
	return 0;
}

static int path_arg(struct parser *p, const char *kw, char *dst, size_t size)
{
	if (arg(p, kw) < 0)
		return -1;
	if (p->word[0] != '/')
		return perr(p, "%s: \"%s\" is not an absolute path", kw, p->word);
	if (strlen(p->word) >= size)
		return perr(p, "%s: path longer than %zu characters", kw,
			    size - 1);
	memcpy(dst, p->word, strlen(p->word) + 1);
	return 0;
}

/* Helper and class names: what the kernel accepts, kept to a safe set. */
static int name_arg(struct parser *p, const char *kw, char *dst)
{
	const char *s;

	if (arg(p, kw) < 0)
		return -1;
	if (strlen(p->word) > CTALG_HELPER_NAME_MAX)
		return perr(p, "%s: \"%s\" is longer than %d characters", kw,
			    p->word, CTALG_HELPER_NAME_MAX);
	for (s = p->word; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		      *s == '.'))
			return perr(p,
				    "%s: \"%s\" may only hold letters, "
				    "digits, '-', '_' and '.'",
				    kw, p->word);
	memcpy(dst, p->word, strlen(p->word) + 1);
	return 0;
}

/* The end of the file inside the block @what opened on line @line. */
static int unclosed(struct parser *p, const char *what, unsigned int line)
{
	p->tok_line = line;
	return perr(p, "%s block is not closed", what);
}

/* Skip a balanced { ... } block whose "{" was just read. */
static int skip_block(struct parser *p)
{
	unsigned int depth = 1, start = p->tok_line;

	while (depth) {
		if (next(p) < 0)
			return -1;
		if (p->tok == T_EOF)
			return unclosed(p, "the", start);
		if (p->tok == T_LBRACE)
			depth++;
		else if (p->tok == T_RBRACE)
			depth--;
	}
	return 0;
}

/*
 * Skip what an ignored option takes: the rest of its line, and a block if
 * one opens on that line.
 */
static int skip_option(struct parser *p)
{
	unsigned int line = p->tok_line;

	for (;;) {
		if (next(p) < 0)
			return -1;
		if (p->tok == T_EOF || p->tok_line != line || p->tok == T_RBRACE) {
			hold(p);
			return 0;
		}
		if (p->tok == T_LBRACE)
			return skip_block(p);
	}
}

/* General options of conntrackd that mean nothing to ctalgd. */
static const char *const general_ignored[] = {
	"HashSize",
	"HashLimit",
	"NetlinkBufferSize",
	"NetlinkBufferSizeMaxGrowth",
	"NetlinkOverrunResync",
	"NetlinkEventsReliable",
	"PollSecs",
	"EventIterationLimit",
	"Nice",
	"Scheduler",
	"Systemd",
	"StartupResync",
	"Filter",
	"SocketBufferSize",
	"SocketBufferSizeMaxGrown",
	"SocketBufferSizeMaxGrowth",
	"IPv4_interface",
	"IPv6_interface",
	NULL,
};

static int parse_unix(struct parser *p)
{
	unsigned int line = p->tok_line;
	uint32_t backlog;

	if (expect_lbrace(p, "UNIX") < 0)
		return -1;
	for (;;) {
		if (next(p) < 0)
			return -1;
		if (p->tok == T_EOF)
			return unclosed(p, "UNIX", line);
		if (p->tok == T_RBRACE)
			return 0;
		if (word_is(p, "Path")) {
			if (path_arg(p, "Path", p->cfg->ctl_path,
				     sizeof(p->cfg->ctl_path)) < 0)
				return -1;
		} else if (word_is(p, "Backlog")) {
			if (num_arg(p, "Backlog", 1, 4096, &backlog) < 0)
				return -1;
		} else {
			return perr(p, "unknown keyword %s in UNIX block",
				    tok_name(p));
		}
	}
}

static int parse_general(struct parser *p)
{
	struct config *cfg = p->cfg;
	unsigned int i, line = p->tok_line;
	uint32_t v;

	if (expect_lbrace(p, "General") < 0)
		return -1;
	for (;;) {
		if (next(p) < 0)
			return -1;
		if (p->tok == T_EOF)
			return unclosed(p, "General", line);
		if (p->tok == T_RBRACE)
			return 0;
		if (p->tok != T_WORD)
			return perr(p, "unexpected %s in General block",
				    tok_name(p));
		if (word_is(p, "Syslog")) {
			if (arg(p, "Syslog") < 0)
				return -1;
			/* conntrackd also takes a facility name: on. */
			cfg->syslog = !(word_nocase(p->word, "off") ||
					word_nocase(p->word, "no"));
		} else if (word_is(p, "LogFile")) {
			if (arg(p, "LogFile") < 0)
				return -1;
			if (word_nocase(p->word, "on") ||
			    word_nocase(p->word, "yes")) {
				memcpy(cfg->logfile, "/var/log/ctalgd.log",
				       sizeof("/var/log/ctalgd.log"));
			} else if (word_nocase(p->word, "off") ||
				   word_nocase(p->word, "no")) {
				cfg->logfile[0] = '\0';
			} else {
				hold(p);
				if (path_arg(p, "LogFile", cfg->logfile,
					     sizeof(cfg->logfile)) < 0)
					return -1;
			}
		} else if (word_is(p, "LockFile")) {
			if (path_arg(p, "LockFile", cfg->lockfile,
				     sizeof(cfg->lockfile)) < 0)
				return -1;
		} else if (word_is(p, "UNIX")) {
			if (parse_unix(p) < 0)
				return -1;
		} else if (word_is(p, "HelperDirectory")) {
			if (path_arg(p, "HelperDirectory", cfg->helper_dir,
				     sizeof(cfg->helper_dir)) < 0)
				return -1;
		} else if (word_is(p, "ConnectionCache")) {
			if (num_arg(p, "ConnectionCache", 64, 1u << 22, &v) < 0)
				return -1;
			cfg->conn_cache = v;
		} else if (word_is(p, "ExpectEvents")) {
			if (bool_arg(p, "ExpectEvents", &cfg->expect_events) < 0)
				return -1;
		} else {
			for (i = 0; general_ignored[i]; i++)
				if (word_is(p, general_ignored[i]))
					break;
			if (!general_ignored[i])
				return perr(p,
					    "unknown keyword \"%s\" in "
					    "General block",
					    p->word);
			note(p, "%s is a conntrackd option, ignored", p->word);
			if (skip_option(p) < 0)
				return -1;
		}
	}
}

static int parse_policy(struct parser *p, struct cfg_type *t)
{
	char name[CTALG_HELPER_NAME_MAX + 1];
	unsigned int i, line = p->tok_line;
	uint32_t v;

	if (name_arg(p, "Policy", name) < 0)
		return -1;
	for (i = 0; i < t->n_policy; i++)
		if (!strcmp(t->policy_name[i], name))
			return perr(p, "Policy %s is given twice", name);
	if (t->n_policy >= CTALG_HELPER_CLASSES_MAX)
		return perr(p, "more than %d Policy blocks",
			    CTALG_HELPER_CLASSES_MAX);
	i = t->n_policy++;
	memcpy(t->policy_name[i], name, sizeof(name));
	t->policy[i].line = line;
	if (expect_lbrace(p, "Policy") < 0)
		return -1;
	for (;;) {
		if (next(p) < 0)
			return -1;
		if (p->tok == T_EOF)
			return unclosed(p, "Policy", line);
		if (p->tok == T_RBRACE)
			return 0;
		if (word_is(p, "ExpectMax")) {
			if (num_arg(p, "ExpectMax", 1, 255, &v) < 0)
				return -1;
			t->policy[i].max_expected = v;
			t->policy[i].has_max = true;
		} else if (word_is(p, "ExpectTimeout")) {
			/* The kernel keeps it in jiffies: stay far below. */
			if (num_arg(p, "ExpectTimeout", 1, 604800, &v) < 0)
				return -1;
			t->policy[i].timeout = v;
			t->policy[i].has_timeout = true;
		} else {
			return perr(p, "unknown keyword %s in Policy block",
				    tok_name(p));
		}
	}
}

static int parse_type(struct parser *p)
{
	struct config *cfg = p->cfg;
	struct cfg_type *t;
	uint32_t v;

	if (cfg->n_types >= CFG_TYPES_MAX)
		return perr(p, "more than %d Type blocks", CFG_TYPES_MAX);
	t = &cfg->types[cfg->n_types];
	memset(t, 0, sizeof(*t));
	t->line = p->tok_line;
	if (name_arg(p, "Type", t->helper) < 0)
		return -1;
	memcpy(t->kname, t->helper, sizeof(t->kname));
	if (arg(p, "Type") < 0)
		return -1;
	if (!strcmp(p->word, "inet"))
		t->family = AF_INET;
	else if (!strcmp(p->word, "inet6"))
		t->family = AF_INET6;
	else
		return perr(p, "Type %s: \"%s\" is not a family (inet, inet6)",
			    t->helper, p->word);
	if (arg(p, "Type") < 0)
		return -1;
	if (!strcmp(p->word, "tcp"))
		t->l4proto = IPPROTO_TCP;
	else if (!strcmp(p->word, "udp"))
		t->l4proto = IPPROTO_UDP;
	else
		return perr(p, "Type %s: \"%s\" is not a protocol (tcp, udp)",
			    t->helper, p->word);
	if (expect_lbrace(p, "Type") < 0)
		return -1;
	for (;;) {
		if (next(p) < 0)
			return -1;
		if (p->tok == T_EOF)
			return unclosed(p, "Type", t->line);
		if (p->tok == T_RBRACE)
			break;
		if (word_is(p, "QueueNum")) {
			if (num_arg(p, "QueueNum", 0, 65535, &v) < 0)
				return -1;
			t->queue_num = (uint16_t)v;
		} else if (word_is(p, "QueueLen")) {
			if (num_arg(p, "QueueLen", 1, 1u << 20, &t->queue_len) < 0)
				return -1;
		} else if (word_is(p, "Policy")) {
			if (parse_policy(p, t) < 0)
				return -1;
		} else if (word_is(p, "KernelName")) {
			if (name_arg(p, "KernelName", t->kname) < 0)
				return -1;
		} else if (word_is(p, "PortFloor")) {
			if (num_arg(p, "PortFloor", 1, 65535, &v) < 0)
				return -1;
			t->port_floor = (uint16_t)v;
		} else if (word_is(p, "AnyAddress")) {
			if (bool_arg(p, "AnyAddress", &t->any_address) < 0)
				return -1;
		} else if (word_is(p, "FailOpen")) {
			if (bool_arg(p, "FailOpen", &t->fail_open) < 0)
				return -1;
		} else if (word_is(p, "QueueBuffer")) {
			if (num_arg(p, "QueueBuffer", 65536, 1u << 30,
				    &t->queue_buf) < 0)
				return -1;
		} else {
			return perr(p, "unknown keyword %s in Type block",
				    tok_name(p));
		}
	}
	cfg->n_types++;
	return 0;
}

static int parse_helper(struct parser *p)
{
	unsigned int line = p->tok_line;

	if (expect_lbrace(p, "Helper") < 0)
		return -1;
	for (;;) {
		if (next(p) < 0)
			return -1;
		if (p->tok == T_EOF)
			return unclosed(p, "Helper", line);
		if (p->tok == T_RBRACE)
			return 0;
		if (word_is(p, "Setup")) {
			if (bool_arg(p, "Setup", &p->cfg->setup) < 0)
				return -1;
		} else if (word_is(p, "Type")) {
			if (parse_type(p) < 0)
				return -1;
		} else {
			return perr(p, "unknown keyword %s in Helper block",
				    tok_name(p));
		}
	}
}

void cfg_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->setup = true;
	cfg->conn_cache = 65536;
	cfg->expect_events = true;
	snprintf(cfg->ctl_path, sizeof(cfg->ctl_path), "%s", "/run/ctalgd.sock");
}

int cfg_parse(struct config *cfg, const char *path, const char *text,
	      size_t len, char *err)
{
	struct parser p = {
		.c = ctalg_cursor_make(text, len),
		.cfg = cfg,
		.path = path,
		.err = err,
		.line = 1,
	};
	bool helper = false;

	err[0] = '\0';
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	if (memchr(text, '\0', len)) {
		const char *nul = memchr(text, '\0', len), *q;

		p.tok_line = 1;
		for (q = text; q < nul; q++)
			p.tok_line += *q == '\n';
		return perr(&p, "the file holds a NUL byte");
	}
	for (;;) {
		if (next(&p) < 0)
			return -1;
		if (p.tok == T_EOF)
			break;
		if (word_is(&p, "General")) {
			if (parse_general(&p) < 0)
				return -1;
		} else if (word_is(&p, "Helper")) {
			if (helper)
				return perr(&p, "a second Helper section");
			helper = true;
			if (parse_helper(&p) < 0)
				return -1;
		} else if (word_is(&p, "Sync") || word_is(&p, "Stats")) {
			note(&p, "section %s is conntrackd's, ignored", p.word);
			if (expect_lbrace(&p, p.word) < 0 || skip_block(&p) < 0)
				return -1;
		} else {
			return perr(&p, "unknown section %s", tok_name(&p));
		}
	}
	if (!helper || cfg->n_types == 0) {
		p.tok_line = p.line;
		return perr(&p, "no helper is configured (a Helper section "
				"with at least one Type)");
	}
	return 0;
}

int cfg_load(struct config *cfg, const char *path, char *err)
{
	struct stat st;
	char *text;
	ssize_t n;
	size_t got = 0;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, CFG_ERR_MAX, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > CFG_FILE_MAX) {
		snprintf(err, CFG_ERR_MAX,
			 "%s: not a regular file of at most "
			 "%d bytes",
			 path, CFG_FILE_MAX);
		close(fd);
		return -1;
	}
	text = malloc((size_t)st.st_size + 1);
	if (!text) {
		snprintf(err, CFG_ERR_MAX, "%s: out of memory", path);
		close(fd);
		return -1;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, text + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	ret = cfg_parse(cfg, path, text, got, err);
	free(text);
	return ret;
}

static int rerr(char *err, const struct config *cfg, unsigned int line,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int rerr(char *err, const struct config *cfg, unsigned int line,
		const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = (size_t)snprintf(err, CFG_ERR_MAX, "%s:%u: ", cfg->path, line);
	if (n >= CFG_ERR_MAX)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err + n, CFG_ERR_MAX - n, fmt, ap);
	va_end(ap);
	return -1;
}

static int resolve_type(struct config *cfg, struct cfg_type *t,
			cfg_lookup_fn lookup, void *data, char *err)
{
	const struct ctalg_helper *h;
	unsigned int i, k;

	h = lookup(t->helper, t->l4proto, data);
	if (!h)
		return rerr(err, cfg, t->line, "Type %s %s: no such helper",
			    t->helper, t->l4proto == IPPROTO_TCP ? "tcp" : "udp");
	if (!(h->families &
	      (t->family == AF_INET ? CTALG_HELPER_INET : CTALG_HELPER_INET6)))
		return rerr(err, cfg, t->line,
			    "Type %s: the helper does not serve %s", t->helper,
			    t->family == AF_INET ? "inet" : "inet6");
	t->h = h;
	t->n_classes = h->n_classes;
	for (i = 0; i < h->n_classes; i++) {
		snprintf(t->classes[i].name, sizeof(t->classes[i].name), "%s",
			 h->classes[i].name);
		t->classes[i].max_expected = h->classes[i].max_expected;
		t->classes[i].timeout = h->classes[i].timeout;
	}
	/* A Policy block changes only what it gives (conntrackd zeroes). */
	for (k = 0; k < t->n_policy; k++) {
		for (i = 0; i < h->n_classes; i++)
			if (!strcmp(t->classes[i].name, t->policy_name[k]))
				break;
		if (i == h->n_classes)
			return rerr(err, cfg, t->policy[k].line,
				    "Policy %s: helper %s has no such "
				    "expectation class",
				    t->policy_name[k], t->helper);
		t->policy[k].cls = (uint8_t)i;
		if (t->policy[k].has_max)
			t->classes[i].max_expected = t->policy[k].max_expected;
		if (t->policy[k].has_timeout)
			t->classes[i].timeout = t->policy[k].timeout;
	}
	if (!t->port_floor)
		t->port_floor = h->min_port ? h->min_port : 1;
	return 0;
}

int cfg_resolve(struct config *cfg, cfg_lookup_fn lookup, void *data, char *err)
{
	unsigned int i, j;

	err[0] = '\0';
	for (i = 0; i < cfg->n_types; i++) {
		struct cfg_type *t = &cfg->types[i];

		if (resolve_type(cfg, t, lookup, data, err) < 0)
			return -1;
		for (j = 0; j < i; j++) {
			const struct cfg_type *o = &cfg->types[j];

			if (!strcmp(o->kname, t->kname) &&
			    o->family == t->family && o->l4proto == t->l4proto)
				return rerr(err, cfg, t->line,
					    "Type %s: the kernel name %s is "
					    "already used on line %u",
					    t->helper, t->kname, o->line);
			/*
			 * Several helpers may share a queue (each packet
			 * names its helper), but not with different queue
			 * settings.
			 */
			if (o->queue_num == t->queue_num &&
			    (o->queue_len != t->queue_len ||
			     o->fail_open != t->fail_open ||
			     o->queue_buf != t->queue_buf))
				return rerr(err, cfg, t->line,
					    "Type %s: queue %u is also used on "
					    "line %u with other QueueLen, "
					    "QueueBuffer or FailOpen",
					    t->helper, t->queue_num, o->line);
		}
	}
	return 0;
}
