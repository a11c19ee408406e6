/*
 * ipt_course_free() racing ipt_course_apply(), ipt_course_apply_n(), ipt_course_status() and
 * ipt_course_snapshot() on the same course from other threads. scripts/test-c.sh runs it
 * against the library built with AddressSanitizer and with ThreadSanitizer (the Rust code
 * instrumented too), where a course released while a call still reads it, or a race on its
 * state, is reported and fails the run.
 *
 * Every call gives either an answer of the live course (ok, or a refused event) or
 * IPT_STATUS_INVALID_HANDLE; a call that starts after ipt_course_free() has returned gives
 * IPT_STATUS_INVALID_HANDLE; freeing twice gives IPT_STATUS_INVALID_HANDLE. Prints each
 * failure and "race: N passed, N failed".
 *
 * Usage: race [ROUNDS]   (default 300)
 * Build: gcc -std=c99 -D_DEFAULT_SOURCE -pthread -Iinclude tests/c/race.c <libipt>
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipt.h"

enum { USERS = 4, CALLS = 12 };

static const char START[] = "{\"variant\":\"maintenance\"}";
static const char ASSESSMENT_EVENT[] =
    "{\"type\":\"assessment_recorded\",\"assessment\":{\"age\":35,\"diagnoses\":[{\"category\":"
    "\"major_depression\",\"course\":\"recurrent\",\"phase\":\"acute\"}],\"findings\":{\"active_psychosis\":"
    "\"absent\",\"personality_disorder\":\"absent\",\"motivation\":\"present\",\"insight\":\"present\","
    "\"cognitive_impairment\":{\"severity\":\"none\"},\"suicide_risk\":\"low\"}}}";
static const char STARTED_EVENT[] = "{\"type\":\"course_started\",\"date\":\"2026-01-05\"}";
static const char MISSED_EVENT[] = "{\"type\":\"session_missed\",\"date\":\"2026-02-05\"}";

#include "check.h"

/* The round's course, the start line, and whether ipt_course_free() has returned. */
static IptCourse *course;
static pthread_barrier_t start_line;
static int freed;

typedef struct {
    int index;
    long live, invalid;
} user_arg;

static void *user(void *p) {
    user_arg *a = p;
    int n;
    pthread_barrier_wait(&start_line);
    for (n = 0; n < CALLS; n++) {
        int after_free = __atomic_load_n(&freed, __ATOMIC_ACQUIRE);
        IptResult r;
        switch ((a->index + n) % 4) {
        case 0: r = ipt_course_apply(course, MISSED_EVENT); break;
        case 1: r = ipt_course_apply_n(course, MISSED_EVENT, strlen(MISSED_EVENT)); break;
        case 2: r = ipt_course_status(course); break;
        default: r = ipt_course_snapshot(course); break;
        }
        check(r.json != NULL && strlen(r.json) == r.len, "a well-formed result", r.json);
        if (r.status == IPT_STATUS_OK) {
            a->live++;
            check(!after_free, "no answer of the course once ipt_course_free() has returned", r.json);
        } else if (r.status == IPT_STATUS_INVALID_HANDLE) {
            a->invalid++;
        } else {
            check(0, "ok or invalid_handle", r.json);
        }
        ipt_result_free(&r);
        if (n % 3 == 0) sched_yield();
    }
    return NULL;
}

int main(int argc, char **argv) {
    long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 300;
    long r, live = 0, invalid = 0;
    if (argc > 2 || rounds < 1) {
        fprintf(stderr, "usage: %s [ROUNDS]\n", argv[0]);
        return 2;
    }
    for (r = 0; r < rounds; r++) {
        pthread_t t[USERS];
        user_arg args[USERS];
        IptResult a;
        int i;
        course = ipt_course_new(START, &a);
        check(course != NULL, "ipt_course_new", a.json);
        ipt_result_free(&a);
        a = ipt_course_apply(course, ASSESSMENT_EVENT);
        check(a.status == IPT_STATUS_OK, "assessment_recorded", a.json);
        ipt_result_free(&a);
        a = ipt_course_apply(course, STARTED_EVENT);
        check(a.status == IPT_STATUS_OK, "course_started", a.json);
        ipt_result_free(&a);
        __atomic_store_n(&freed, 0, __ATOMIC_RELEASE);
        if (pthread_barrier_init(&start_line, NULL, USERS + 1) != 0) return 2;
        for (i = 0; i < USERS; i++) {
            args[i].index = i;
            args[i].live = args[i].invalid = 0;
            if (pthread_create(&t[i], NULL, user, &args[i]) != 0) return 2;
        }
        pthread_barrier_wait(&start_line);
        /* Free at a different moment of the users' calls each round. */
        for (i = 0; i < (int)(r % 7); i++) sched_yield();
        check(ipt_course_free(course) == IPT_STATUS_OK, "ipt_course_free releases the course", NULL);
        __atomic_store_n(&freed, 1, __ATOMIC_RELEASE);
        for (i = 0; i < USERS; i++) {
            pthread_join(t[i], NULL);
            live += args[i].live;
            invalid += args[i].invalid;
        }
        pthread_barrier_destroy(&start_line);
        check(ipt_course_free(course) == IPT_STATUS_INVALID_HANDLE, "a second ipt_course_free", NULL);
    }
    printf("race: %ld rounds, %ld answers of the live course, %ld invalid_handle\n", rounds, live, invalid);
    printf("race: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
