/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The helpers ctalgd can run: those compiled in, then those of the plugins
 * in the helper directory. A plugin is a shared object exporting
 * ctalg_plugin_abi and ctalg_plugin_helpers (CTALG_PLUGIN in
 * <ctalg/helper.h>); one built for another ABI, or declaring a helper
 * the kernel or ctalgd would refuse, is not loaded, and the log says why.
 */
#ifndef CTALGD_REGISTRY_H
#define CTALGD_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ctalg/helper.h>

#define REGISTRY_MAX	     64
#define REGISTRY_PLUGINS_MAX 32

struct registry {
	unsigned int n;
	const struct ctalg_helper *h[REGISTRY_MAX];
	const char *origin[REGISTRY_MAX]; /* "built-in" or the plugin path */
	unsigned int n_dl;
	void *dl[REGISTRY_PLUGINS_MAX];
	char paths[REGISTRY_PLUGINS_MAX][512];
};

/*
 * Fill @r with the built-in helpers and the plugins found in @dir (NULL or
 * "" for none). A directory that does not exist is fine; a plugin that
 * fails is logged and skipped. Returns the number of plugins loaded.
 */
int registry_load(struct registry *r, const char *dir);
void registry_unload(struct registry *r);

/* A cfg_lookup_fn over a registry passed as @data. */
const struct ctalg_helper *registry_find(const char *name, uint8_t l4proto,
					 void *data);

/*
 * Check a helper declaration: what the kernel would refuse (names, class
 * count and limits) and what ctalgd needs (a parse function, private state
 * and carry within bounds). Returns true, or false with the reason in @why.
 */
bool registry_valid(const struct ctalg_helper *h, char *why, size_t size);

#endif
