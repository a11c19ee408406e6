/* The README's C example: assess a patient and print the verdict. */
#include <stdio.h>
#include <string.h>
#include "ipt.h"

int main(void) {
    const char *assessment =
        "{\"age\": 34,"
        " \"diagnoses\": [{\"category\": \"major_depression\", \"phase\": \"acute\"}],"
        " \"findings\": {\"active_psychosis\": \"present\"}}";
    IptResult r = ipt_assess_suitability(assessment);
    if (r.status != IPT_STATUS_OK) {
        fprintf(stderr, "error (%d): %s\n", (int)r.status, r.json);
        ipt_result_free(&r);
        return 1;
    }
    /* r.json is the answer envelope; a real integration parses it with its JSON library. */
    printf("%s\n", strstr(r.json, "\"verdict\":\"contraindicated\"") ? "contraindicated" : "other");
    ipt_result_free(&r); /* always release results with ipt_result_free */
    return 0;
}
