// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Plugins: the ferry example built as a shared object is loaded and runs;
 * a plugin of another ABI, and helpers the kernel would refuse, are not.
 */
#include <netinet/in.h>

#include "registry.h"
#include "tap.h"

int main(int argc, char **argv)
{
	const struct ctalg_helper *h;
	struct registry r;
	char why[160];
	int n;

	if (argc != 2)
		tap_skip_all("usage: test_registry PLUGIN_DIR");
	n = registry_load(&r, argv[1]);
	tap_eq_u(n, 2, "two plugins loaded (ferry, bad_helper), bad_abi not");
	h = registry_find("ferry", IPPROTO_TCP, &r);
	tap_ok(h && h->parse && h->n_classes == 1 &&
		   !strcmp(h->classes[0].name, "ferry"),
	       "the ferry helper is found with its class");
	tap_ok(h && strstr(r.origin[r.n - 1], "/") != NULL,
	       "its origin is the plugin's path");
	tap_ok(registry_find("ferry", IPPROTO_UDP, &r) == NULL,
	       "helpers are found by name and protocol");
	tap_ok(registry_find("good", IPPROTO_UDP, &r) != NULL,
	       "a valid helper beside invalid ones is loaded");
	tap_ok(!registry_find("noclass", IPPROTO_UDP, &r) &&
		   !registry_find("bigstate", IPPROTO_UDP, &r) &&
		   !registry_find("noparse", IPPROTO_UDP, &r) &&
		   !registry_find("sctp", IPPROTO_SCTP, &r),
	       "helpers the kernel or ctalgd would refuse are not loaded");
	registry_unload(&r);

	{
		static const struct ctalg_helper six = {
			.abi = CTALG_HELPER_ABI,
			.name = "x",
			.l4proto = IPPROTO_TCP,
			.families = CTALG_HELPER_INET,
			.n_classes = 1,
			.classes = { { "c", 256, 30 } },
		};

		tap_ok(!registry_valid(&six, why, sizeof(why)) &&
			   strstr(why, "1-255"),
		       "a class maximum above 255 is refused: %s", why);
	}
	return tap_done();
}
