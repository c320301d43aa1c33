// Compiled as C++ with -Wall -Wextra -pedantic -Werror: the public
// headers must be usable from C++ (extern "C", no C-only constructs).
#include <commitments/commitments.h>

#include <cstring>

int main()
{
	cm_error err;
	std::memset(&err, 0, sizeof err);
	cm_agreement *a = nullptr;
	void *ctx = cm_context_new();
	int rc = cm_agreement_new(ctx, "x", nullptr, &a, &err);
	cm_free(ctx);
	return rc == CM_OK && cm_version_number() == CM_VERSION_NUMBER ? 0 : 1;
}
