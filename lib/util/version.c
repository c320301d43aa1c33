/*
 * The run-time version, to compare with the header's CM_VERSION_*.
 *
 * SPDX-License-Identifier: LGPL-3.0-or-later
 */
#include <commitments/version.h>

CM_EXPORT const char *cm_version(void)
{
	return CM_VERSION_STRING;
}

CM_EXPORT int cm_version_number(void)
{
	return CM_VERSION_NUMBER;
}
