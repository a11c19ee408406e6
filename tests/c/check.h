/* The checks of the C test programs (torture.c, race.c): counts of passed and failed checks,
 * kept under a lock so that threads may check at once. Included once per program. */
#ifndef IPT_TEST_CHECK_H
#define IPT_TEST_CHECK_H

#include <pthread.h>
#include <stdio.h>

static int passed, failed;
static pthread_mutex_t check_lock = PTHREAD_MUTEX_INITIALIZER;

/* Records one check (thread-safe); on failure prints what and, clipped, the answer. */
static int check(int ok, const char *what, const char *answer) {
    pthread_mutex_lock(&check_lock);
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAIL %s%s%.300s\n", what, answer ? ": " : "", answer ? answer : "");
    }
    pthread_mutex_unlock(&check_lock);
    return ok;
}

#endif
