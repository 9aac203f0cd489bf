// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "builtin.h"

const struct ctalg_helper *const ctalg_builtin_helpers[] = {
	NULL,
};

const struct ctalg_helper *ctalg_builtin_find(const char *name,
					      uint8_t l4proto)
{
	unsigned int i;

	for (i = 0; ctalg_builtin_helpers[i]; i++)
		if (!strcmp(ctalg_builtin_helpers[i]->name, name) &&
		    ctalg_builtin_helpers[i]->l4proto == l4proto)
			return ctalg_builtin_helpers[i];
	return NULL;
}
