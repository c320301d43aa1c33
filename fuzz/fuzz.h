/*
 * What every fuzz target shares: the libFuzzer entry point (called by
 * libFuzzer with -Dfuzz=true, by replay.c otherwise) and small helpers.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#ifndef CM_FUZZ_H
#define CM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failed invariant of the target (not of the library): say why and
 * abort, so libFuzzer records the input as a crash. */
#define FUZZ_ASSERT(cond, ...)                                           \
	do {                                                              \
		if (!(cond)) {                                            \
			fprintf(stderr, "fuzz: %s:%d: %s: ", __FILE__,    \
				__LINE__, #cond);                         \
			fprintf(stderr, __VA_ARGS__);                     \
			fputc('\n', stderr);                              \
			abort();                                          \
		}                                                         \
	} while (0)

#endif
