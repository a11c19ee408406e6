// Proves include/ipt.h compiles and links as C++ (extern "C", no C-only constructs).
#include <cstdio>
#include <cstring>
#include "ipt.h"

int main() {
    IptResult r = ipt_version();
    const bool ok = r.status == IPT_STATUS_OK && std::strstr(r.json, "engine_version") != nullptr;
    ipt_result_free(&r);
    IptCourse *h = ipt_course_new("{\"variant\":\"standard\"}", nullptr);
    const bool freed = ipt_course_free(h) == IPT_STATUS_OK;
    std::printf("%s\n", ok && freed ? "C++ ok" : "C++ FAILED");
    return ok && freed ? 0 : 1;
}
