/*
 * A mapping file (docs/import.md): read whole, then parsed by
 * cm_mapping_parse() (import-parse.c).
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "model/mapping.h"

static const struct cm__pos NOPOS = {0, 0};

CM_EXPORT int cm_mapping_parse_file(void *mem_ctx, const char *path,
				    cm_mapping **out, cm_error *err)
{
	if (!path || !out)
		return cm__error(err, CM_EINVAL, NULL, NOPOS,
				 "invalid argument");
	void *tmp = cm__ctx_new(mem_ctx, "cm_mapping_file");
	if (!tmp)
		return cm__enomem(err);
	FILE *f = fopen(path, "rb");
	if (!f) {
		cm__free(tmp);
		return cm__error(err, CM_EIO, path, NOPOS, "cannot open: %s",
				 strerror(errno));
	}
	struct cm__buf b;
	cm__buf_init(&b, tmp);
	char chunk[16384];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && !b.failed)
		cm__buf_add(&b, chunk, n);
	bool bad = ferror(f);
	int saved = errno;
	fclose(f);
	int rc;
	if (bad)
		rc = cm__error(err, CM_EIO, path, NOPOS, "cannot read: %s",
			       strerror(saved));
	else if (b.failed)
		rc = b.too_big ? cm__error(err, CM_ELIMIT, path, NOPOS,
					   "mapping file too large")
			       : cm__enomem(err);
	else
		rc = cm_mapping_parse(mem_ctx, b.data ? b.data : "", b.len,
				      path, out, err);
	cm__free(tmp);
	return rc;
}

