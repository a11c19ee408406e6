/* The header in C89 (compiled with -std=c89 -pedantic -Werror by scripts/test-c.sh), and its
   version macros: the pieces make the string, and the string is ipt_version_string() of the
   linked library and the engine_version it answers with. */
#include <stdio.h>
#include <string.h>
#include "ipt.h"

#define IPT_STR(x) #x
#define IPT_XSTR(x) IPT_STR(x)

#if !defined(IPT_VERSION_MAJOR) || !defined(IPT_VERSION_MINOR) || !defined(IPT_VERSION_PATCH)
#error "ipt.h has no version macros"
#endif

int main(void) {
    const char *pieces =
        IPT_XSTR(IPT_VERSION_MAJOR) "." IPT_XSTR(IPT_VERSION_MINOR) "." IPT_XSTR(IPT_VERSION_PATCH);
    const char *expected = "\"engine_version\":\"" IPT_VERSION_STRING "\"";
    IptResult r = ipt_version();
    int ok = r.status == IPT_STATUS_OK && strcmp(pieces, IPT_VERSION_STRING) == 0 &&
             strstr(r.json, expected) != NULL && strcmp(ipt_version_string(), IPT_VERSION_STRING) == 0;
    if (!ok) {
        fprintf(stderr, "header %s (%s), library %s answered %s\n", IPT_VERSION_STRING, pieces,
                ipt_version_string(), r.json);
    }
    ipt_result_free(&r);
    printf("%s\n", ok ? "C89 header ok, version " IPT_VERSION_STRING : "C89 header FAILED");
    return ok ? 0 : 1;
}
