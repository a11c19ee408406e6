/* Median time of one ipt_assess_suitability call on benches/fixtures/typical_assessment.json. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "ipt.h"

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    enum { BATCHES = 201, CALLS = 100 };
    static double per_call[BATCHES];
    char buf[1 << 16];
    size_t n;
    int i, j;
    FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
    if (!f) { fprintf(stderr, "usage: bench <assessment.json>\n"); return 2; }
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    for (i = 0; i < BATCHES; i++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (j = 0; j < CALLS; j++) {
            IptResult r = ipt_assess_suitability(buf);
            if (r.status != IPT_STATUS_OK) return 1;
            ipt_result_free(&r);
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        per_call[i] = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / CALLS;
    }
    qsort(per_call, BATCHES, sizeof per_call[0], cmp);
    printf("ipt_assess_suitability (C, typical assessment): median %.2f us per call\n", per_call[BATCHES / 2] / 1000.0);
    return 0;
}
