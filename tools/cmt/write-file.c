/*
 * cmt — replacing a file's contents atomically (`cmt fmt --write`).
 *
 * The new text goes to a temporary file in the same folder as the file
 * (so that rename(2) does not cross file systems), which is written in
 * full, fsync(2)ed and closed, given the original's permission bits (and,
 * as root, its owner), and only then renamed over the original. Any
 * failure before the rename removes the temporary file and leaves the
 * original as it was: on a full disk the original is never truncated.
 * A symbolic link is followed: its target is replaced, the link stays.
 *
 * Test hook (tests/cli/test-fmt-write.sh): CMT_TEST_FAIL=STEP makes one
 * step fail as the system would, to test the failure paths without a
 * full disk: open (EACCES), write (ENOSPC at once), write:N (ENOSPC
 * after N bytes), fsync (EIO), close (EIO), chmod (EPERM), rename
 * (EXDEV). docs/cli.md documents it.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <talloc.h>

#include "cmt.h"

/* The step CMT_TEST_FAIL names, and for write:N the byte count. */
static bool test_fail(const char *step, size_t *after)
{
	const char *v = getenv("CMT_TEST_FAIL");
	if (!v)
		return false;
	size_t n = strlen(step);
	if (strncmp(v, step, n) != 0 || (v[n] != '\0' && v[n] != ':'))
		return false;
	if (after)
		*after = v[n] == ':' ? (size_t)strtoull(v + n + 1, NULL, 10) : 0;
	return true;
}

/* write(2) all of @p text; false with errno set on failure. */
static bool write_all(int fd, const char *text, size_t len)
{
	size_t limit = SIZE_MAX;
	bool inject = test_fail("write", &limit);
	size_t done = 0;
	while (done < len) {
		size_t chunk = len - done;
		if (inject) {
			if (done >= limit) {
				errno = ENOSPC;
				return false;
			}
			if (chunk > limit - done)
				chunk = limit - done;
		}
		ssize_t w = write(fd, text + done, chunk);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		done += (size_t)w;
	}
	return true;
}

/* The folder of @p path ("." when it has none), under @p ctx. */
static char *folder_of(void *ctx, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return talloc_strdup(ctx, ".");
	if (slash == path)
		return talloc_strdup(ctx, "/");
	return talloc_strndup(ctx, path, (size_t)(slash - path));
}

int cmt_replace_file(void *ctx, const char *name, const char *text,
		     size_t len)
{
	/* Follow a symbolic link to the file it names. */
	char *target = realpath(name, NULL);
	if (!target) {
		fprintf(stderr, "%s: error: cannot write: %s\n", name,
			strerror(errno));
		return CMT_USAGE;
	}
	void *tmp = talloc_new(ctx);
	char *path = tmp ? talloc_strdup(tmp, target) : NULL;
	free(target);
	if (!path) {
		talloc_free(tmp);
		return cmt_enomem();
	}
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "%s: error: cannot write: %s\n", name,
			strerror(errno));
		talloc_free(tmp);
		return CMT_USAGE;
	}
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *dir = folder_of(tmp, path);
	char *tpl = dir ? talloc_asprintf(tmp, "%s/.%s.cmt-XXXXXX", dir, base)
			: NULL;
	if (!tpl) {
		talloc_free(tmp);
		return cmt_enomem();
	}

	const char *what = "cannot create a temporary file";
	int fd = -1, saved = 0;
	bool created = false;
	if (test_fail("open", NULL)) {
		errno = EACCES;
		goto fail;
	}
	fd = mkstemp(tpl);
	if (fd < 0)
		goto fail;
	created = true;
	what = "cannot write";
	if (!write_all(fd, text, len))
		goto fail;
	what = "cannot set the permissions";
	if (test_fail("chmod", NULL)) {
		errno = EPERM;
		goto fail;
	}
	if (fchmod(fd, st.st_mode & 07777) != 0)
		goto fail;
	if (geteuid() == 0 && fchown(fd, st.st_uid, st.st_gid) != 0)
		goto fail;
	what = "cannot write (fsync)";
	if (test_fail("fsync", NULL)) {
		errno = EIO;
		goto fail;
	}
	if (fsync(fd) != 0)
		goto fail;
	what = "cannot write (close)";
	int c = close(fd);
	fd = -1;
	if (test_fail("close", NULL)) {
		errno = EIO;
		goto fail;
	}
	if (c != 0)
		goto fail;
	what = "cannot replace the file";
	if (test_fail("rename", NULL)) {
		errno = EXDEV;
		goto fail;
	}
	if (rename(tpl, path) != 0)
		goto fail;
	/* Make the rename itself durable; the file is replaced whatever
	 * this says, so a failure here is not reported. */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	talloc_free(tmp);
	return CMT_OK;

fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	if (created)
		unlink(tpl);
	fprintf(stderr, "%s: error: %s: %s (the file is unchanged)\n", name,
		what, strerror(saved));
	talloc_free(tmp);
	return CMT_USAGE;
}
