/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ctalgd's configuration. The Helper section is conntrackd.conf's, unchanged;
 * what ctalgd adds is documented in ctalgd.conf(5).
 */
#ifndef CTALGD_CFG_H
#define CTALGD_CFG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ctalg/helper.h>

#define CFG_TYPES_MAX 32
#define CFG_ERR_MAX   512

struct cfg_policy {
	char name[CTALG_HELPER_NAME_MAX + 1];
	uint32_t max_expected;
	uint32_t timeout;
};

/* One "Type NAME FAMILY PROTO { ... }" block: a helper on one family. */
struct cfg_type {
	char helper[CTALG_HELPER_NAME_MAX + 1]; /* which helper parses */
	char kname[CTALG_HELPER_NAME_MAX + 1];	/* name the kernel knows */
	uint8_t family;				/* AF_INET or AF_INET6 */
	uint8_t l4proto;
	uint16_t queue_num;
	uint32_t queue_len;  /* 0: the kernel's default (1024) */
	uint32_t queue_buf;  /* socket receive buffer, bytes */
	uint16_t port_floor; /* 0: the helper's default */
	bool any_address;    /* expectations may point elsewhere */
	bool fail_open;
	/* Policies given in the file, by class index; the rest default. */
	uint8_t n_policy;
	struct {
		uint8_t cls;
		bool has_max, has_timeout;
		uint32_t max_expected, timeout;
		unsigned int line;
	} policy[CTALG_HELPER_CLASSES_MAX];
	char policy_name[CTALG_HELPER_CLASSES_MAX][CTALG_HELPER_NAME_MAX + 1];
	unsigned int line; /* of the Type keyword */

	/* Filled by cfg_resolve(). */
	const struct ctalg_helper *h;
	uint8_t n_classes;
	struct cfg_policy classes[CTALG_HELPER_CLASSES_MAX];
};

struct config {
	char path[PATH_MAX];
	/* General */
	bool syslog;
	char logfile[PATH_MAX]; /* "" = stderr */
	char lockfile[PATH_MAX];
	char ctl_path[108]; /* control socket (sun_path) */
	char helper_dir[PATH_MAX];
	uint32_t conn_cache; /* connections whose state ctalgd keeps */
	bool expect_events;  /* count created expectations from the events */
	/* Helper */
	bool setup;
	unsigned int n_types;
	struct cfg_type types[CFG_TYPES_MAX];
	/* Notices for the log: ignored conntrackd options. */
	unsigned int n_notes;
	char notes[8][160];
};

/* Lookup of a helper by name and protocol, for cfg_resolve(). */
typedef const struct ctalg_helper *(*cfg_lookup_fn)(const char *name,
						    uint8_t l4proto, void *data);

/* Defaults for what the file leaves out. */
void cfg_defaults(struct config *cfg);

/*
 * Parse the configuration text @text (@len bytes) named @path. Returns 0, or
 * -1 with "PATH:LINE: what was wrong" in @err (CFG_ERR_MAX bytes).
 */
int cfg_parse(struct config *cfg, const char *path, const char *text,
	      size_t len, char *err);

/* Read and parse the file @path. */
int cfg_load(struct config *cfg, const char *path, char *err);

/*
 * Find each Type's helper, check that it serves the family and protocol,
 * apply the Policy blocks over the helper's defaults (a block that gives
 * only one value keeps the default of the other), and check queue numbers
 * and kernel names for clashes. Returns 0 or -1 with the reason in @err.
 */
int cfg_resolve(struct config *cfg, cfg_lookup_fn lookup, void *data, char *err);

#endif
