// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: ctalgd's configuration parser. The input is the text of a
 * configuration file, parsed by cfg_parse() and, when that succeeds,
 * resolved by cfg_resolve() against the built-in helpers, as ctalgd does.
 *
 * Beyond the sanitizers, it checks what cfg.h promises: success leaves the
 * error buffer empty; a failure says "PATH:LINE: why", with a line within
 * the text; a resolved Type has its helper, classes and port floor; every
 * notice starts with the file name and the unused ones stay empty. The text
 * is parsed twice, as a short file name and as a long one (a deep
 * directory): messages must still be whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctalg/cursor.h>

#include "builtin.h"
#include "cfg.h"
#include "fuzz.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct ctalg_helper *cfg_builtin(const char *name, uint8_t l4proto,
					      void *data)
{
	return ctalg_builtin_find(name, l4proto);
}

/* "PATH:LINE: why", LINE between 1 and the lines of the text. */
static void cfg_check_err(const char *err, const char *path,
			  const uint8_t *text, size_t len)
{
	size_t plen = strlen(path), lines = 1, i;
	struct ctalg_cursor c;
	uint32_t line;

	for (i = 0; i < len; i++)
		lines += text[i] == '\n';
	if (strnlen(err, CFG_ERR_MAX) == CFG_ERR_MAX)
		fuzz_fail("cfg: an error message without its NUL");
	if (strncmp(err, path, plen) || err[plen] != ':') {
		fprintf(stderr, "fuzz: %s\n", err);
		fuzz_fail("cfg: an error that does not start with the file "
			  "name");
	}
	c = ctalg_cursor_make(err + plen + 1, strlen(err + plen + 1));
	if (!ctalg_cursor_get_dec(&c, UINT32_MAX, &line) || line < 1 ||
	    line > lines || !ctalg_cursor_starts(&c, ": ", 2) ||
	    ctalg_cursor_left(&c) <= 2) {
		fprintf(stderr, "fuzz: %s (%zu lines)\n", err, lines);
		fuzz_fail("cfg: an error without a line of the text, or "
			  "without a reason");
	}
}

static bool cfg_str_ok(const char *s, size_t size)
{
	return strnlen(s, size) < size;
}

/* What a resolved configuration holds. */
static void cfg_check(const struct config *cfg)
{
	unsigned int i, k;

	if (cfg->n_types < 1 || cfg->n_types > CFG_TYPES_MAX)
		fuzz_fail("cfg: a configuration without Types, or too many");
	for (i = 0; i < cfg->n_types; i++) {
		const struct cfg_type *t = &cfg->types[i];

		if (!t->h || t->h->l4proto != t->l4proto ||
		    t->n_classes != t->h->n_classes ||
		    t->n_classes > CTALG_HELPER_CLASSES_MAX || !t->port_floor ||
		    t->n_policy > CTALG_HELPER_CLASSES_MAX ||
		    !cfg_str_ok(t->helper, sizeof(t->helper)) ||
		    !cfg_str_ok(t->kname, sizeof(t->kname)))
			fuzz_fail("cfg: a resolved Type without its helper");
		for (k = 0; k < t->n_classes; k++)
			if (!cfg_str_ok(t->classes[k].name,
					sizeof(t->classes[k].name)))
				fuzz_fail("cfg: a class name without its NUL");
		for (k = 0; k < t->n_policy; k++)
			if (t->policy[k].cls >= t->n_classes)
				fuzz_fail("cfg: a Policy of no class");
	}
}

/* Notices start with the file name (cut with them); the rest stay empty. */
static void cfg_check_notes(const struct config *cfg, const char *path)
{
	static const char zero[sizeof(cfg->notes[0])];
	size_t i, len, plen = strlen(path);

	if (cfg->n_notes > ARRAY_SIZE(cfg->notes))
		fuzz_fail("cfg: too many notices");
	for (i = 0; i < ARRAY_SIZE(cfg->notes); i++) {
		const char *n = cfg->notes[i];

		if (i >= cfg->n_notes) {
			if (memcmp(n, zero, sizeof(zero)))
				fuzz_fail("cfg: bytes written into an unused "
					  "notice");
			continue;
		}
		len = strnlen(n, sizeof(zero));
		if (len == sizeof(zero) ||
		    strncmp(n, path, len < plen ? len : plen))
			fuzz_fail("cfg: a notice that does not start with the "
				  "file name");
	}
}

static void cfg_run(const uint8_t *data, size_t size, const char *path)
{
	struct config *cfg = malloc(sizeof(*cfg));
	char *err = malloc(CFG_ERR_MAX);
	int r;

	if (!cfg || !err)
		fuzz_fail("out of memory in the harness");
	cfg_defaults(cfg);
	memset(err, 'x', CFG_ERR_MAX);
	r = cfg_parse(cfg, path, (const char *)data, size, err);
	cfg_check_notes(cfg, path);
	if (r < 0) {
		cfg_check_err(err, path, data, size);
		goto out;
	}
	if (err[0])
		fuzz_fail("cfg_parse: an error message on success");
	memset(err, 'x', CFG_ERR_MAX);
	if (cfg_resolve(cfg, cfg_builtin, NULL, err) < 0) {
		cfg_check_err(err, path, data, size);
		goto out;
	}
	if (err[0])
		fuzz_fail("cfg_resolve: an error message on success");
	cfg_check(cfg);
out:
	free(err);
	free(cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* 200 characters: longer than a notice, shorter than an error. */
	static char deep[201];

	if (!deep[0]) {
		memset(deep, 'd', sizeof(deep) - 1);
		deep[0] = '/';
		memcpy(deep + sizeof(deep) - 6, ".conf", 5);
	}
	cfg_run(data, size, "fuzz.conf");
	cfg_run(data, size, deep);
	return 0;
}
