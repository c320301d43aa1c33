/*
 * Compiled as C11 with -Wall -Wextra -pedantic -Werror: the public headers
 * must be clean. At run time: the header's version matches the library's.
 */
#include <commitments/commitments.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
	if (cm_version_number() != CM_VERSION_NUMBER ||
	    strcmp(cm_version(), CM_VERSION_STRING) != 0) {
		printf("header %s, library %s\n", CM_VERSION_STRING,
		       cm_version());
		return 1;
	}
	return 0;
}
