// SPDX-License-Identifier: GPL-2.0-or-later
/* Built-in helpers and plugins loaded with dlopen. */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "builtin.h"
#include "log.h"
#include "registry.h"

static bool name_ok(const char *s)
{
	size_t n = 0;

	if (!s)
		return false;
	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		      (s[n] >= 'A' && s[n] <= 'Z') ||
		      (s[n] >= '0' && s[n] <= '9') || s[n] == '-' ||
		      s[n] == '_' || s[n] == '.') ||
		    n >= CTALG_HELPER_NAME_MAX)
			return false;
	return n > 0;
}

bool registry_valid(const struct ctalg_helper *h, char *why, size_t size)
{
	unsigned int i;

	if (h->abi != CTALG_HELPER_ABI) {
		snprintf(why, size, "built for helper ABI %u, not %u", h->abi,
			 CTALG_HELPER_ABI);
		return false;
	}
	if (!name_ok(h->name)) {
		snprintf(why, size,
			 "name is not 1-%d letters, digits, '-', "
			 "'_' or '.'",
			 CTALG_HELPER_NAME_MAX);
		return false;
	}
	if (h->l4proto != IPPROTO_TCP && h->l4proto != IPPROTO_UDP) {
		snprintf(why, size, "%s: protocol %u is not TCP or UDP",
			 h->name, h->l4proto);
		return false;
	}
	if (!h->families ||
	    (h->families & ~(CTALG_HELPER_INET | CTALG_HELPER_INET6))) {
		snprintf(why, size, "%s: families 0x%x", h->name, h->families);
		return false;
	}
	if (h->n_classes < 1 || h->n_classes > CTALG_HELPER_CLASSES_MAX) {
		snprintf(why, size, "%s: %u expectation classes (1-%d)",
			 h->name, h->n_classes, CTALG_HELPER_CLASSES_MAX);
		return false;
	}
	for (i = 0; i < h->n_classes; i++) {
		const struct ctalg_exp_class *c = &h->classes[i];

		if (!name_ok(c->name) || c->max_expected < 1 ||
		    c->max_expected > 255 || c->timeout < 1 ||
		    c->timeout > 604800) {
			snprintf(why, size,
				 "%s: class %u needs a name, a "
				 "maximum of 1-255 and a timeout "
				 "of 1-604800 s",
				 h->name, i);
			return false;
		}
	}
	if (h->priv_size > CTALG_HELPER_PRIV_MAX ||
	    h->carry_max > CTALG_HELPER_CARRY_MAX) {
		snprintf(why, size,
			 "%s: private state %u (most %d) or carry "
			 "%u (most %d) too large",
			 h->name, h->priv_size, CTALG_HELPER_PRIV_MAX,
			 h->carry_max, CTALG_HELPER_CARRY_MAX);
		return false;
	}
	if (h->flags & ~(uint32_t)CTALG_HELPER_F_CHILDREN) {
		snprintf(why, size, "%s: unknown flags 0x%x", h->name, h->flags);
		return false;
	}
	if (!h->parse) {
		snprintf(why, size, "%s: no parse function", h->name);
		return false;
	}
	return true;
}

static bool add(struct registry *r, const struct ctalg_helper *h,
		const char *origin)
{
	char why[160];

	if (!registry_valid(h, why, sizeof(why))) {
		log_err("helper from %s not loaded: %s", origin, why);
		return false;
	}
	if (registry_find(h->name, h->l4proto, r)) {
		log_err("helper %s (%s) from %s not loaded: the name is taken",
			h->name, h->l4proto == IPPROTO_TCP ? "tcp" : "udp",
			origin);
		return false;
	}
	if (r->n >= REGISTRY_MAX) {
		log_err("helper %s from %s not loaded: more than %d helpers",
			h->name, origin, REGISTRY_MAX);
		return false;
	}
	r->h[r->n] = h;
	r->origin[r->n++] = origin;
	return true;
}

static void load_plugin(struct registry *r, const char *path)
{
	const struct ctalg_helper *const *list;
	const uint32_t *abi;
	unsigned int i, slot = r->n_dl;
	void *dl;

	if (slot >= REGISTRY_PLUGINS_MAX) {
		log_err("plugin %s not loaded: more than %d plugins", path,
			REGISTRY_PLUGINS_MAX);
		return;
	}
	dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		log_err("plugin %s not loaded: %s", path, dlerror());
		return;
	}
	abi = dlsym(dl, "ctalg_plugin_abi");
	list = dlsym(dl, "ctalg_plugin_helpers");
	if (!abi || !list) {
		log_err("plugin %s not loaded: it exports no ctalg_plugin_abi "
			"and ctalg_plugin_helpers (see CTALG_PLUGIN)",
			path);
		dlclose(dl);
		return;
	}
	if (*abi != CTALG_HELPER_ABI) {
		log_err("plugin %s not loaded: built for helper ABI %u, ctalgd "
			"has %u",
			path, *abi, CTALG_HELPER_ABI);
		dlclose(dl);
		return;
	}
	snprintf(r->paths[slot], sizeof(r->paths[slot]), "%s", path);
	r->dl[r->n_dl++] = dl;
	for (i = 0; list[i] && i < REGISTRY_MAX; i++)
		if (add(r, list[i], r->paths[slot]))
			log_info("helper %s (%s) loaded from %s", list[i]->name,
				 list[i]->l4proto == IPPROTO_TCP ? "tcp" : "udp",
				 path);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_plugin(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 3 && !strcmp(d->d_name + n - 3, ".so") && d->d_name[0] != '.';
}

int registry_load(struct registry *r, const char *dir)
{
	struct dirent **ents;
	char path[512];
	int i, n, loaded;

	memset(r, 0, sizeof(*r));
	for (i = 0; ctalg_builtin_helpers[i]; i++)
		add(r, ctalg_builtin_helpers[i], "built-in");
	if (!dir || !dir[0])
		return 0;
	n = scandir(dir, &ents, is_plugin, by_name);
	if (n < 0) {
		if (errno != ENOENT)
			log_warn("helper directory %s: %s", dir, strerror(errno));
		return 0;
	}
	loaded = (int)r->n_dl;
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
				     ents[i]->d_name) < sizeof(path))
			load_plugin(r, path);
		free(ents[i]);
	}
	free(ents);
	return (int)r->n_dl - loaded;
}

void registry_unload(struct registry *r)
{
	unsigned int i;

	for (i = 0; i < r->n_dl; i++)
		dlclose(r->dl[i]);
	memset(r, 0, sizeof(*r));
}

const struct ctalg_helper *registry_find(const char *name, uint8_t l4proto,
					 void *data)
{
	const struct registry *r = data;
	unsigned int i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->h[i]->name, name) && r->h[i]->l4proto == l4proto)
			return r->h[i];
	return NULL;
}
