/*
 * The C library under abuse: NULL for every pointer argument of every function, inputs at the
 * byte bound with an unmapped guard page right after them, freed, double-freed and foreign
 * handles, threads (one shared handle, one handle each, concurrent ipt_call) checked against
 * single-threaded answers, a course at its event limit, and many calls with the resident memory
 * measured. Prints each failure and "torture: N passed, N failed".
 *
 * Usage: torture [CALLS]
 *   CALLS: how many ipt_call calls the memory loop makes (default 1000000). From 100000 on,
 *   the resident set is read after CALLS/10 calls and at the end, and the run fails when it
 *   grew by more than RSS_SLACK_MIB; fewer calls (under valgrind or a sanitizer, whose own
 *   memory would be measured) run the loop and check the answers only.
 * Build: gcc -std=c99 -D_DEFAULT_SOURCE -pthread -Iinclude tests/c/torture.c <libipt>
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "ipt.h"

#define RSS_SLACK_MIB 2

/* ---------- checks ---------- */

#include "check.h"

/* A result is well formed: a NUL-terminated string of `len` bytes, an envelope whose "ok"
 * agrees with the status, and, on error, the code ipt_status_string names. */
static int well_formed(IptResult r) {
    char code[80];
    if (r.json == NULL || strlen(r.json) != r.len) return 0;
    if (r.status == IPT_STATUS_OK) return strstr(r.json, "\"ok\":true") != NULL;
    snprintf(code, sizeof code, "\"code\":\"%s\"", ipt_status_string(r.status));
    return strstr(r.json, "\"ok\":false") != NULL && strstr(r.json, code) != NULL;
}

/* Checks a result's status and form, then releases it. */
static void expect(IptResult r, IptStatus status, const char *what) {
    char buf[200];
    snprintf(buf, sizeof buf, "%s: want %s, got %s", what, ipt_status_string(status), ipt_status_string(r.status));
    if (check(r.status == status, buf, r.json)) {
        snprintf(buf, sizeof buf, "%s: malformed result", what);
        check(well_formed(r), buf, r.json);
    }
    ipt_result_free(&r);
}

/* As expect, and the answer is short: an error answer never repeats a large input. */
static void expect_short(IptResult r, IptStatus status, const char *what) {
    char buf[200];
    snprintf(buf, sizeof buf, "%s: answer of %zu bytes echoes the input", what, r.len);
    check(r.json != NULL && r.len < 4096, buf, NULL);
    expect(r, status, what);
}

static char *dup_json(IptResult r) {
    char *s = malloc(r.len + 1);
    if (!s) exit(2);
    memcpy(s, r.json, r.len + 1);
    return s;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---------- requests ---------- */

static const char ASSESSMENT_DECISION[] =
    "{\"age\":34,\"diagnoses\":[{\"category\":\"major_depression\",\"phase\":\"acute\"}],"
    "\"findings\":{\"active_psychosis\":\"absent\",\"suicide_risk\":\"low\"},\"detail\":\"decision\"}";
static const char MAINTENANCE[] = "{\"variant\":\"maintenance\"}";
static const char ASSESSMENT_EVENT[] =
    "{\"type\":\"assessment_recorded\",\"assessment\":{\"age\":35,\"diagnoses\":[{\"category\":"
    "\"major_depression\",\"course\":\"recurrent\",\"phase\":\"acute\"}],\"findings\":{\"active_psychosis\":"
    "\"absent\",\"personality_disorder\":\"absent\",\"motivation\":\"present\",\"insight\":\"present\","
    "\"cognitive_impairment\":{\"severity\":\"none\"},\"suicide_risk\":\"low\"}}}";
static const char STARTED_EVENT[] = "{\"type\":\"course_started\",\"date\":\"2026-01-05\"}";
static const char MISSED_EVENT[] = "{\"type\":\"session_missed\",\"date\":\"2026-02-05\"}";

static void maintenance_session(char *buf, size_t size, int number) {
    snprintf(buf, size, "{\"type\":\"maintenance_session_held\",\"number\":%d,\"date\":\"2026-02-05\"}", number);
}

/* A maintenance course with its assessment and start: in the maintenance phase, two events. */
static IptCourse *maintenance_course(void) {
    IptResult a;
    IptCourse *h = ipt_course_new(MAINTENANCE, &a);
    check(h != NULL, "maintenance course_new", a.json);
    ipt_result_free(&a);
    expect(ipt_course_apply(h, ASSESSMENT_EVENT), IPT_STATUS_OK, "assessment_recorded");
    expect(ipt_course_apply(h, STARTED_EVENT), IPT_STATUS_OK, "course_started");
    return h;
}

/* The number of events in a snapshot's log, and a state field, read from its text. */
static long snapshot_events(const char *snap) {
    static const char event[] = "{\"type\":\"";
    const char *p = strstr(snap, "\"events\":["), *end = strstr(snap, "],\"state\":");
    long n = 0;
    if (!p || !end) return -1;
    for (; p + sizeof event - 1 <= end; p++) n += memcmp(p, event, sizeof event - 1) == 0;
    return n;
}

static long snapshot_field(const char *snap, const char *field) {
    char key[80];
    const char *p;
    snprintf(key, sizeof key, "\"%s\":", field);
    p = strstr(snap, key);
    return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* ---------- 1. NULL for every pointer argument ---------- */

#include "named_operations.h"

static void nulls(void) {
    IptResult a;
    IptCourse *h;
    size_t i;
    const char *snap;
    IptResult s;

    ipt_result_free(NULL);
    passed++;
    /* The functions without pointer arguments. */
    expect(ipt_version(), IPT_STATUS_OK, "ipt_version()");
    expect(ipt_rules(), IPT_STATUS_OK, "ipt_rules()");
    expect(ipt_schemas(), IPT_STATUS_OK, "ipt_schemas()");
    expect(ipt_cds_services(), IPT_STATUS_OK, "ipt_cds_services()");
    expect(ipt_call(NULL, "{}"), IPT_STATUS_NULL_POINTER, "ipt_call(NULL, request)");
    expect(ipt_call("version", NULL), IPT_STATUS_NULL_POINTER, "ipt_call(operation, NULL)");
    expect(ipt_call(NULL, NULL), IPT_STATUS_NULL_POINTER, "ipt_call(NULL, NULL)");
    expect(ipt_call_n(NULL, 7, "{}", 2), IPT_STATUS_NULL_POINTER, "ipt_call_n(NULL, 7, request, 2)");
    expect(ipt_call_n("version", 7, NULL, 2), IPT_STATUS_NULL_POINTER, "ipt_call_n(operation, 7, NULL, 2)");
    expect(ipt_call_n(NULL, 0, NULL, 0), IPT_STATUS_NULL_POINTER, "ipt_call_n(NULL, 0, NULL, 0)");
    expect(ipt_call_n("version", 7, NULL, 0), IPT_STATUS_NULL_POINTER, "ipt_call_n(operation, 7, NULL, 0)");
    for (i = 0; i < sizeof NAMED / sizeof NAMED[0]; i++) {
        char what[80];
        snprintf(what, sizeof what, "ipt_%s(NULL)", NAMED[i].name);
        expect(NAMED[i].fn(NULL), IPT_STATUS_NULL_POINTER, what);
    }

    memset(&a, 0, sizeof a);
    h = ipt_course_new(NULL, &a);
    check(h == NULL, "ipt_course_new(NULL, out) gives no handle", NULL);
    expect(a, IPT_STATUS_NULL_POINTER, "ipt_course_new(NULL, out)");
    check(ipt_course_new(NULL, NULL) == NULL, "ipt_course_new(NULL, NULL)", NULL);
    h = ipt_course_new(MAINTENANCE, NULL);
    check(h != NULL, "ipt_course_new(request, NULL) gives a handle", NULL);

    s = ipt_course_snapshot(h);
    snap = s.json;
    memset(&a, 0, sizeof a);
    check(ipt_course_from_snapshot(NULL, &a) == NULL, "ipt_course_from_snapshot(NULL, out) gives no handle", NULL);
    expect(a, IPT_STATUS_NULL_POINTER, "ipt_course_from_snapshot(NULL, out)");
    check(ipt_course_from_snapshot(NULL, NULL) == NULL, "ipt_course_from_snapshot(NULL, NULL)", NULL);
    {
        IptCourse *h2 = ipt_course_from_snapshot(snap, NULL);
        check(h2 != NULL, "ipt_course_from_snapshot(snapshot, NULL) gives a handle", NULL);
        check(ipt_course_free(h2) == IPT_STATUS_OK, "free the restored handle", NULL);
    }
    ipt_result_free(&s);

    expect(ipt_course_apply(h, NULL), IPT_STATUS_NULL_POINTER, "ipt_course_apply(course, NULL)");
    expect(ipt_course_apply_n(h, NULL, 0), IPT_STATUS_NULL_POINTER, "ipt_course_apply_n(course, NULL, 0)");
    expect(ipt_course_apply_n(h, NULL, 10), IPT_STATUS_NULL_POINTER, "ipt_course_apply_n(course, NULL, 10)");
    /* A NULL handle is a handle that is not live: the documented status is invalid_handle. */
    expect(ipt_course_apply(NULL, ASSESSMENT_EVENT), IPT_STATUS_INVALID_HANDLE, "ipt_course_apply(NULL, event)");
    expect(ipt_course_apply_n(NULL, MISSED_EVENT, strlen(MISSED_EVENT)), IPT_STATUS_INVALID_HANDLE,
           "ipt_course_apply_n(NULL, event, n)");
    expect(ipt_course_apply(NULL, NULL), IPT_STATUS_NULL_POINTER, "ipt_course_apply(NULL, NULL)");
    expect(ipt_course_apply_n(NULL, NULL, 0), IPT_STATUS_NULL_POINTER, "ipt_course_apply_n(NULL, NULL, 0)");
    expect(ipt_course_status(NULL), IPT_STATUS_INVALID_HANDLE, "ipt_course_status(NULL)");
    expect(ipt_course_snapshot(NULL), IPT_STATUS_INVALID_HANDLE, "ipt_course_snapshot(NULL)");
    check(ipt_course_free(NULL) == IPT_STATUS_INVALID_HANDLE, "ipt_course_free(NULL)", NULL);
    /* The handle is untouched by all of the above. */
    s = ipt_course_status(h);
    check(s.status == IPT_STATUS_OK && strstr(s.json, "\"phase\":\"intake\"") != NULL, "handle intact after NULLs", s.json);
    ipt_result_free(&s);
    check(ipt_course_free(h) == IPT_STATUS_OK, "free the handle", NULL);

    /* A zeroed result, and a result released twice. */
    memset(&a, 0, sizeof a);
    ipt_result_free(&a);
    a = ipt_version();
    ipt_result_free(&a);
    check(a.json == NULL && a.len == 0, "ipt_result_free clears the result", NULL);
    ipt_result_free(&a);
}

/* ---------- 2. ipt_status_string ---------- */

static void status_strings(void) {
    static const struct { IptStatus s; const char *code; } table[] = {
        {IPT_STATUS_OK, "ok"},
        {IPT_STATUS_INVALID_JSON, "invalid_json"},
        {IPT_STATUS_INVALID_INPUT, "invalid_input"},
        {IPT_STATUS_UNKNOWN_OPERATION, "unknown_operation"},
        {IPT_STATUS_TRANSITION_REFUSED, "transition_refused"},
        {IPT_STATUS_INVALID_SNAPSHOT, "invalid_snapshot"},
        {IPT_STATUS_UNSUPPORTED_SNAPSHOT_VERSION, "unsupported_snapshot_version"},
        {IPT_STATUS_NULL_POINTER, "null_pointer"},
        {IPT_STATUS_INVALID_UTF8, "invalid_utf8"},
        {IPT_STATUS_INPUT_TOO_LARGE, "input_too_large"},
        {IPT_STATUS_INVALID_HANDLE, "invalid_handle"},
        {IPT_STATUS_INTERNAL, "internal"},
        {IPT_STATUS_LIMIT_EXCEEDED, "limit_exceeded"},
        {IPT_STATUS_INVALID_ARGUMENT, "invalid_argument"},
        {IPT_STATUS_NOT_READY, "not_ready"},
    };
    static const int unknown[] = {15, 16, 99, 1000, -1, INT32_MIN, INT32_MAX};
    size_t i;
    for (i = 0; i < sizeof table / sizeof table[0]; i++) {
        const char *s = ipt_status_string(table[i].s);
        check(s != NULL && strcmp(s, table[i].code) == 0, table[i].code, s);
        check(ipt_status_string(table[i].s) == s, "ipt_status_string is static", s);
    }
    /* The library's version: static, and the header's. */
    check(ipt_version_string() != NULL && strcmp(ipt_version_string(), IPT_VERSION_STRING) == 0,
          "ipt_version_string is IPT_VERSION_STRING", ipt_version_string());
    check(ipt_version_string() == ipt_version_string(), "ipt_version_string is static", NULL);
    for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *s = ipt_status_string((IptStatus)unknown[i]);
        check(s != NULL && strcmp(s, "unknown") == 0, "ipt_status_string of a value that is no status", s);
    }
    /* A limit is its own status, through the C library too. */
    {
        char req[2048] = "{\"diagnoses\":[";
        for (i = 0; i < 33; i++) strcat(req, i ? ",{\"category\":\"major_depression\"}" : "{\"category\":\"major_depression\"}");
        strcat(req, "]}");
        expect(ipt_assess_suitability(req), IPT_STATUS_LIMIT_EXCEEDED, "33 diagnoses");
    }
}

/* ---------- 3. inputs at the bound, a guard page after them ---------- */

typedef struct {
    char *map;
    size_t span;
    char *guard; /* the first byte of the unmapped page */
} region;

/* Maps `bytes` readable and writable bytes that end exactly at a PROT_NONE page. */
static char *guarded(size_t bytes, region *g) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t body = (bytes + page - 1) / page * page;
    g->span = body + page;
    g->map = mmap(NULL, g->span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (g->map == MAP_FAILED) { perror("mmap"); exit(2); }
    g->guard = g->map + body;
    if (mprotect(g->guard, page, PROT_NONE) != 0) { perror("mprotect"); exit(2); }
    return g->guard - bytes;
}

static void bounds(void) {
    const size_t max = (size_t)IPT_MAX_INPUT_BYTES;
    region g;
    char *p = guarded(max, &g), *end = g.guard;
    IptResult a;
    IptCourse *h = maintenance_course(), *none;
    size_t i;
    char what[120];
    memset(p, 'a', max);

    /* Exactly IPT_MAX_INPUT_BYTES bytes and no NUL before the guard page: refused by every
     * NUL-terminated entry, without touching the guard page. */
    expect_short(ipt_call(p, "{}"), IPT_STATUS_INPUT_TOO_LARGE, "operation of max bytes, no NUL");
    expect_short(ipt_call("assess_suitability", p), IPT_STATUS_INPUT_TOO_LARGE, "request of max bytes, no NUL");
    for (i = 0; i < sizeof NAMED / sizeof NAMED[0]; i++) {
        snprintf(what, sizeof what, "ipt_%s: max bytes, no NUL", NAMED[i].name);
        expect_short(NAMED[i].fn(p), IPT_STATUS_INPUT_TOO_LARGE, what);
    }
    none = ipt_course_new(p, &a);
    check(none == NULL, "ipt_course_new: max bytes, no NUL gives no handle", NULL);
    expect_short(a, IPT_STATUS_INPUT_TOO_LARGE, "ipt_course_new: max bytes, no NUL");
    none = ipt_course_from_snapshot(p, &a);
    check(none == NULL, "ipt_course_from_snapshot: max bytes, no NUL gives no handle", NULL);
    expect_short(a, IPT_STATUS_INPUT_TOO_LARGE, "ipt_course_from_snapshot: max bytes, no NUL");
    expect_short(ipt_course_apply(h, p), IPT_STATUS_INPUT_TOO_LARGE, "ipt_course_apply: max bytes, no NUL");

    /* IPT_MAX_INPUT_BYTES - 1 bytes and the NUL, the NUL the last byte before the guard page:
     * read as input, and answered (the bytes are not JSON) with a short error answer. */
    end[-1] = '\0';
    expect_short(ipt_call(p, "{}"), IPT_STATUS_UNKNOWN_OPERATION, "operation of max - 1 bytes and NUL");
    expect_short(ipt_call("assess_suitability", p), IPT_STATUS_INVALID_JSON, "request of max - 1 bytes and NUL");
    for (i = 0; i < sizeof NAMED / sizeof NAMED[0]; i++) {
        snprintf(what, sizeof what, "ipt_%s: max - 1 bytes and NUL", NAMED[i].name);
        expect_short(NAMED[i].fn(p), IPT_STATUS_INVALID_JSON, what);
    }
    none = ipt_course_new(p, &a);
    check(none == NULL, "ipt_course_new: max - 1 bytes and NUL gives no handle", NULL);
    expect_short(a, IPT_STATUS_INVALID_JSON, "ipt_course_new: max - 1 bytes and NUL");
    none = ipt_course_from_snapshot(p, &a);
    check(none == NULL, "ipt_course_from_snapshot: max - 1 bytes and NUL gives no handle", NULL);
    check(a.status != IPT_STATUS_OK && a.status != IPT_STATUS_INPUT_TOO_LARGE,
          "ipt_course_from_snapshot: max - 1 bytes and NUL is read", a.json);
    expect_short(a, a.status, "ipt_course_from_snapshot: max - 1 bytes and NUL");
    expect_short(ipt_course_apply(h, p), IPT_STATUS_INVALID_JSON, "ipt_course_apply: max - 1 bytes and NUL");
    /* Valid JSON of max - 1 bytes: a request padded with blanks is answered in full. */
    memset(p, ' ', max - 1);
    memcpy(p, ASSESSMENT_DECISION, strlen(ASSESSMENT_DECISION) - 1);
    end[-2] = '}';
    expect_short(ipt_assess_suitability(p), IPT_STATUS_OK, "assessment padded to max - 1 bytes");
    /* A string value of almost 16 MiB: refused, and the answer does not repeat it. */
    memset(p, 'x', max - 1);
    memcpy(p, "{\"age\":\"", 8);
    end[-3] = '"';
    end[-2] = '}';
    expect_short(ipt_assess_suitability(p), IPT_STATUS_INVALID_INPUT, "a 16 MiB string value");
    memcpy(p, "{\"xyz\":\"", 8);
    expect_short(ipt_assess_suitability(p), IPT_STATUS_INVALID_INPUT, "a 16 MiB value of an unknown field");
    {
        static const char head[] = "{\"variant\":\"standard\",\"course_id\":\"";
        memcpy(p, head, strlen(head));
    }
    end[-3] = 'x';
    end[-2] = '"';
    end[-1] = '}';
    expect_short(ipt_call_n("course_start", 12, p, max), IPT_STATUS_LIMIT_EXCEEDED, "a course id of 16 MiB");

    /* The length-taking entries read exactly the length given, ending at the guard page. */
    memset(p, 'a', max);
    expect_short(ipt_call_n("assess_suitability", 18, p, max), IPT_STATUS_INVALID_JSON, "ipt_call_n: max bytes up to the guard");
    expect_short(ipt_call_n(p, max, "{}", 2), IPT_STATUS_UNKNOWN_OPERATION, "ipt_call_n: operation of max bytes up to the guard");
    expect_short(ipt_call_n("assess_suitability", 18, p, max + 1), IPT_STATUS_INPUT_TOO_LARGE, "ipt_call_n: max + 1 bytes");
    expect_short(ipt_call_n(p, max + 1, "{}", 2), IPT_STATUS_INPUT_TOO_LARGE, "ipt_call_n: operation of max + 1 bytes");
    /* As the engine answers: an unknown operation before the size of its request. */
    expect_short(ipt_call_n("no_such_operation", 17, p, max + 1), IPT_STATUS_UNKNOWN_OPERATION,
                 "ipt_call_n: unknown operation, request of max + 1 bytes");
    expect_short(ipt_call_n("assess_suitability", 18, p, SIZE_MAX), IPT_STATUS_INPUT_TOO_LARGE, "ipt_call_n: SIZE_MAX bytes");
    expect_short(ipt_call_n("assess_suitability", 18, end, 0), IPT_STATUS_INVALID_JSON, "ipt_call_n: 0 bytes at the guard page");
    expect(ipt_call_n("version", 7, end, 0), IPT_STATUS_OK, "ipt_call_n: version's empty request at the guard page");
    expect_short(ipt_call_n(end, 0, "{}", 2), IPT_STATUS_UNKNOWN_OPERATION, "ipt_call_n: operation of 0 bytes at the guard page");
    memcpy(end - 2, "{}", 2);
    memcpy(end - 9, "version", 7);
    expect(ipt_call_n(end - 9, 7, end - 2, 2), IPT_STATUS_OK, "ipt_call_n: operation and request end at the guard page");
    memcpy(end - 3, "{}\0", 3);
    expect(ipt_call_n("version", 7, end - 3, 3), IPT_STATUS_INVALID_JSON, "ipt_call_n: a NUL inside the length is data");
    memcpy(end - strlen(MISSED_EVENT), MISSED_EVENT, strlen(MISSED_EVENT));
    expect(ipt_course_apply_n(h, end - strlen(MISSED_EVENT), strlen(MISSED_EVENT)), IPT_STATUS_OK,
           "ipt_course_apply_n: an event ending at the guard page");
    memset(p, 'a', max);
    expect_short(ipt_course_apply_n(h, p, max), IPT_STATUS_INVALID_JSON, "ipt_course_apply_n: max bytes up to the guard");
    expect_short(ipt_course_apply_n(h, p, max + 1), IPT_STATUS_INPUT_TOO_LARGE, "ipt_course_apply_n: max + 1 bytes");
    expect_short(ipt_course_apply_n(h, end, 0), IPT_STATUS_INVALID_JSON, "ipt_course_apply_n: 0 bytes at the guard page");
    /* Invalid UTF-8 at the very end. */
    end[-1] = (char)0xC3;
    expect_short(ipt_call_n("assess_suitability", 18, end - 1, 1), IPT_STATUS_INVALID_UTF8, "ipt_call_n: a cut UTF-8 sequence at the guard");
    end[-1] = '\0';
    end[-2] = (char)0xC3;
    expect_short(ipt_assess_suitability(end - 2), IPT_STATUS_INVALID_UTF8, "a cut UTF-8 sequence before the NUL at the guard");

    /* The course is as the accepted events left it: two, and one session missed. */
    {
        IptResult s = ipt_course_snapshot(h);
        check(s.status == IPT_STATUS_OK && snapshot_events(s.json) == 3, "handle after the bound cases: 3 events", s.json);
        ipt_result_free(&s);
    }
    check(ipt_course_free(h) == IPT_STATUS_OK, "free the bound cases' handle", NULL);
    munmap(g.map, g.span);
}

/* ---------- 4. freed, double-freed and foreign handles ---------- */

static void handles_not_live(IptCourse *bad, const char *what) {
    char buf[160];
    snprintf(buf, sizeof buf, "%s: ipt_course_apply", what);
    expect(ipt_course_apply(bad, MISSED_EVENT), IPT_STATUS_INVALID_HANDLE, buf);
    snprintf(buf, sizeof buf, "%s: ipt_course_apply_n", what);
    expect(ipt_course_apply_n(bad, MISSED_EVENT, strlen(MISSED_EVENT)), IPT_STATUS_INVALID_HANDLE, buf);
    snprintf(buf, sizeof buf, "%s: ipt_course_status", what);
    expect(ipt_course_status(bad), IPT_STATUS_INVALID_HANDLE, buf);
    snprintf(buf, sizeof buf, "%s: ipt_course_snapshot", what);
    expect(ipt_course_snapshot(bad), IPT_STATUS_INVALID_HANDLE, buf);
    snprintf(buf, sizeof buf, "%s: ipt_course_free", what);
    check(ipt_course_free(bad) == IPT_STATUS_INVALID_HANDLE, buf, NULL);
}

static void handles(void) {
    IptCourse *h = maintenance_course(), *h2;
    IptResult before, after;
    /* Foreign objects, filled with bytes that look like nothing in particular. */
    union { char bytes[256]; void *align; } stack_object;
    char *heap_object = malloc(256);
    if (!heap_object) exit(2);
    memset(stack_object.bytes, 0x5A, sizeof stack_object.bytes);
    memset(heap_object, 0xA5, 256);

    before = ipt_course_snapshot(h);
    handles_not_live((IptCourse *)(void *)stack_object.bytes, "a stack object");
    handles_not_live((IptCourse *)(void *)heap_object, "a heap object");
    handles_not_live((IptCourse *)(void *)((char *)h + 1), "a live handle + 1 (misaligned)");
    handles_not_live((IptCourse *)(void *)((char *)h + 8), "a live handle + 8");
    handles_not_live((IptCourse *)(void *)((char *)h - 8), "a live handle - 8");
    handles_not_live((IptCourse *)(uintptr_t)1, "the address 1");
    handles_not_live((IptCourse *)UINTPTR_MAX, "the last address");
    handles_not_live((IptCourse *)(void *)&before, "an IptResult");
    handles_not_live((IptCourse *)(void *)before.json, "a result's string");
    /* The live handle is untouched. */
    after = ipt_course_snapshot(h);
    check(before.json && after.json && strcmp(before.json, after.json) == 0, "the live handle is untouched by foreign ones", after.json);
    ipt_result_free(&after);

    /* A restored copy, then the original freed: the copy lives on; the original is dead. */
    h2 = ipt_course_from_snapshot(before.json, NULL);
    check(h2 != NULL, "restore from snapshot", NULL);
    ipt_result_free(&before);
    check(ipt_course_free(h) == IPT_STATUS_OK, "free", NULL);
    handles_not_live(h, "a freed handle");
    check(ipt_course_free(h) == IPT_STATUS_INVALID_HANDLE, "double free", NULL);
    check(ipt_course_free(h) == IPT_STATUS_INVALID_HANDLE, "triple free", NULL);
    expect(ipt_course_apply(h2, MISSED_EVENT), IPT_STATUS_OK, "the restored handle lives on");
    check(ipt_course_free(h2) == IPT_STATUS_OK, "free the restored handle", NULL);
    handles_not_live(h2, "the freed restored handle");
    free(heap_object);

    /* Many handles at once, freed in an interleaved order. */
    {
        enum { N = 64 };
        IptCourse *many[N];
        int i;
        for (i = 0; i < N; i++) many[i] = ipt_course_new(MAINTENANCE, NULL);
        for (i = 0; i < N; i += 2) check(ipt_course_free(many[i]) == IPT_STATUS_OK, "free even handle", NULL);
        for (i = 1; i < N; i += 2) expect(ipt_course_status(many[i]), IPT_STATUS_OK, "odd handle still live");
        for (i = 0; i < N; i += 2) check(ipt_course_free(many[i]) == IPT_STATUS_INVALID_HANDLE, "even handle freed twice", NULL);
        for (i = N - 1; i > 0; i -= 2) check(ipt_course_free(many[i]) == IPT_STATUS_OK, "free odd handle", NULL);
    }
}

/* ---------- 5. a course at its event limit ---------- */

static void event_limit(void) {
    IptCourse *h = maintenance_course();
    IptResult before, after, r;
    long i, limit;
    int ok = 1;
    r = ipt_version();
    limit = snapshot_field(r.json, "max_events");
    ipt_result_free(&r);
    check(limit > 2, "version lists max_events", NULL);
    for (i = 2; i < limit && ok; i++) {
        r = ipt_course_apply(h, MISSED_EVENT);
        ok = r.status == IPT_STATUS_OK;
        if (!ok) check(0, "events up to the limit are accepted", r.json);
        ipt_result_free(&r);
    }
    before = ipt_course_snapshot(h);
    check(snapshot_events(before.json) == limit, "the course holds max_events events", NULL);
    r = ipt_course_apply(h, MISSED_EVENT);
    check(r.status == IPT_STATUS_LIMIT_EXCEEDED && strstr(r.json, "\"path\":\"$.event\"") != NULL,
          "one event over max_events: limit_exceeded at $.event", r.json);
    ipt_result_free(&r);
    after = ipt_course_snapshot(h);
    check(strcmp(before.json, after.json) == 0, "a course at its limit is unchanged by the refused event", NULL);
    /* Its snapshot restores (at the limit, not over it). */
    {
        IptCourse *h2 = ipt_course_from_snapshot(after.json, &r);
        check(h2 != NULL && r.status == IPT_STATUS_OK, "a snapshot at max_events restores", r.json);
        ipt_result_free(&r);
        ipt_course_free(h2);
    }
    ipt_result_free(&before);
    ipt_result_free(&after);
    ipt_course_free(h);
}

/* ---------- 6. threads ---------- */

enum { THREADS = 8, SHARED_SESSIONS = 160, MISSED_PER_THREAD = 20, OWN_SESSIONS = 40 };

/* The threads of a step start together, so that their calls overlap. */
static pthread_barrier_t start_line;

static void start_threads(pthread_t *t, void *(*worker)(void *), void *args, size_t arg_size) {
    int i;
    if (pthread_barrier_init(&start_line, NULL, THREADS) != 0) exit(2);
    for (i = 0; i < THREADS; i++) {
        if (pthread_create(&t[i], NULL, worker, (char *)args + (size_t)i * arg_size) != 0) exit(2);
    }
}

static void join_threads(pthread_t *t) {
    int i;
    for (i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    pthread_barrier_destroy(&start_line);
}

typedef struct {
    IptCourse *course;
    int index;
    long accepted_sessions;
    long accepted_missed;
    long refused;
    long other;
} shared_arg;

/* Every thread tries every maintenance session number in order: each is accepted once, by
 * whichever thread comes first after its predecessor, and refused to every other. */
static void *shared_worker(void *p) {
    shared_arg *a = p;
    pthread_barrier_wait(&start_line);
    char event[160];
    int n;
    for (n = 1; n <= SHARED_SESSIONS; n++) {
        IptResult r;
        maintenance_session(event, sizeof event, n);
        r = ipt_course_apply(a->course, event);
        if (r.status == IPT_STATUS_OK) {
            a->accepted_sessions++;
            sched_yield(); /* let another thread take the next number */
        } else if (r.status == IPT_STATUS_TRANSITION_REFUSED) a->refused++;
        else { a->other++; check(0, "shared handle: unexpected status", r.json); }
        if (!well_formed(r)) check(0, "shared handle: malformed result", r.json);
        ipt_result_free(&r);
        if (n % (SHARED_SESSIONS / MISSED_PER_THREAD) == 0) {
            r = n % 2 ? ipt_course_apply(a->course, MISSED_EVENT)
                      : ipt_course_apply_n(a->course, MISSED_EVENT, strlen(MISSED_EVENT));
            if (r.status == IPT_STATUS_OK) a->accepted_missed++;
            else { a->other++; check(0, "shared handle: session_missed refused", r.json); }
            ipt_result_free(&r);
            r = (a->index + n) % 3 ? ipt_course_status(a->course) : ipt_course_snapshot(a->course);
            if (r.status != IPT_STATUS_OK) check(0, "shared handle: status/snapshot", r.json);
            ipt_result_free(&r);
        }
    }
    return NULL;
}

static void shared_handle(void) {
    pthread_t t[THREADS];
    shared_arg args[THREADS];
    IptCourse *h = maintenance_course();
    IptResult s;
    long sessions = 0, missed = 0, other = 0;
    int i, takers = 0;
    for (i = 0; i < THREADS; i++) {
        memset(&args[i], 0, sizeof args[i]);
        args[i].course = h;
        args[i].index = i;
    }
    start_threads(t, shared_worker, args, sizeof args[0]);
    join_threads(t);
    for (i = 0; i < THREADS; i++) {
        sessions += args[i].accepted_sessions;
        missed += args[i].accepted_missed;
        other += args[i].other;
        takers += args[i].accepted_sessions > 0;
    }
    s = ipt_course_snapshot(h);
    check(other == 0, "shared handle: only accepted or refused", NULL);
    check(sessions == SHARED_SESSIONS, "shared handle: each session number accepted exactly once", NULL);
    check(missed == (long)THREADS * MISSED_PER_THREAD, "shared handle: every session_missed accepted", NULL);
    check(snapshot_events(s.json) == 2 + sessions + missed, "shared handle: the snapshot holds every accepted event", NULL);
    check(snapshot_field(s.json, "maintenance_sessions_held") == SHARED_SESSIONS, "shared handle: sessions held", NULL);
    check(snapshot_field(s.json, "sessions_missed") == missed, "shared handle: sessions missed", NULL);
    printf("shared handle: %d threads, %ld sessions (taken by %d threads) and %ld missed accepted, snapshot holds %ld events\n",
           THREADS, sessions, takers, missed, snapshot_events(s.json));
    /* The log replays to the same course. */
    {
        IptCourse *h2 = ipt_course_from_snapshot(s.json, NULL);
        IptResult s2 = ipt_course_snapshot(h2);
        check(s2.json && strcmp(s.json, s2.json) == 0, "shared handle: the snapshot restores to itself", NULL);
        ipt_result_free(&s2);
        ipt_course_free(h2);
    }
    ipt_result_free(&s);
    ipt_course_free(h);
}

/* One handle per thread: every thread runs the same events and gets the reference answers. */
typedef struct {
    char **answers; /* the reference: one answer per event, then the snapshot */
    long mismatches;
} own_arg;

/* Step `step` of the script: a session missed, a refused session (a gap in the numbers) or
 * the next session (`*next`, counted up when accepted). */
static IptResult own_step(IptCourse *h, int step, int *next) {
    char event[160];
    IptResult r;
    if (step % 5 == 4) return ipt_course_apply(h, MISSED_EVENT);
    if (step % 7 == 6) {
        maintenance_session(event, sizeof event, *next + 1);
        return ipt_course_apply(h, event);
    }
    maintenance_session(event, sizeof event, *next);
    r = ipt_course_apply_n(h, event, strlen(event));
    if (r.status == IPT_STATUS_OK) ++*next;
    return r;
}

static void *own_worker(void *p) {
    own_arg *a = p;
    pthread_barrier_wait(&start_line);
    IptCourse *h = maintenance_course();
    IptResult r;
    int step, next = 1;
    for (step = 0; step < OWN_SESSIONS; step++) {
        r = own_step(h, step, &next);
        if (!r.json || strcmp(r.json, a->answers[step]) != 0) a->mismatches++;
        ipt_result_free(&r);
    }
    r = ipt_course_snapshot(h);
    if (!r.json || strcmp(r.json, a->answers[OWN_SESSIONS]) != 0) a->mismatches++;
    ipt_result_free(&r);
    ipt_course_free(h);
    return NULL;
}

static void own_handles(void) {
    char *answers[OWN_SESSIONS + 1];
    pthread_t t[THREADS];
    own_arg args[THREADS];
    IptCourse *h = maintenance_course();
    IptResult r;
    int i, accepted = 0, refused = 0, next = 1;
    for (i = 0; i < OWN_SESSIONS; i++) {
        r = own_step(h, i, &next);
        if (r.status == IPT_STATUS_OK) accepted++;
        else if (r.status == IPT_STATUS_TRANSITION_REFUSED) refused++;
        answers[i] = dup_json(r);
        ipt_result_free(&r);
    }
    check(accepted > 0 && refused > 0 && accepted + refused == OWN_SESSIONS, "own handles: the reference accepts and refuses", NULL);
    r = ipt_course_snapshot(h);
    answers[OWN_SESSIONS] = dup_json(r);
    ipt_result_free(&r);
    ipt_course_free(h);
    for (i = 0; i < THREADS; i++) {
        args[i].answers = answers;
        args[i].mismatches = 0;
    }
    start_threads(t, own_worker, args, sizeof args[0]);
    join_threads(t);
    for (i = 0; i < THREADS; i++) {
        check(args[i].mismatches == 0, "own handles: every answer and the snapshot as single-threaded", NULL);
    }
    for (i = 0; i <= OWN_SESSIONS; i++) free(answers[i]);
}

/* Concurrent ipt_call on a set of requests, each answer compared with the single-threaded one. */
static const char *const CALLS[][2] = {
    {"version", "{}"},
    {"assess_suitability", ASSESSMENT_DECISION},
    {"assess_suitability", "{\"age\":34,\"diagnoses\":[{\"category\":\"major_depression\",\"phase\":\"acute\"}],"
                           "\"findings\":{\"active_psychosis\":\"present\"}}"},
    {"assess_suitability", "{\"age\":300}"},
    {"assess_suitability", "{\"age\":"},
    {"evaluate_measure", "{\"current\":{\"instrument\":\"phq9\",\"total\":14},\"baseline\":{\"instrument\":\"phq9\",\"total\":20}}"},
    {"course_start", "{\"variant\":\"brief\"}"},
    {"course_replay", "{\"start\":{\"variant\":\"maintenance\"},\"events\":[{\"type\":\"course_started\",\"date\":\"2026-01-05\"}]}"},
    {"service_readiness", "{}"},
    {"rank_problem_areas", "{\"detail\":\"decision\"}"},
    {"no_such_operation", "{}"},
};
enum { NCALLS = sizeof CALLS / sizeof CALLS[0], CALL_ROUNDS = 60 };

typedef struct {
    char **answers;
    IptStatus *statuses;
    int index;
    long mismatches;
} call_arg;

static void *call_worker(void *p) {
    call_arg *a = p;
    pthread_barrier_wait(&start_line);
    int round, k;
    for (round = 0; round < CALL_ROUNDS; round++) {
        for (k = 0; k < NCALLS; k++) {
            int i = (k + a->index + round) % NCALLS;
            IptResult r = round % 2 ? ipt_call(CALLS[i][0], CALLS[i][1])
                                    : ipt_call_n(CALLS[i][0], strlen(CALLS[i][0]), CALLS[i][1], strlen(CALLS[i][1]));
            if (r.status != a->statuses[i] || !r.json || strcmp(r.json, a->answers[i]) != 0) a->mismatches++;
            ipt_result_free(&r);
        }
    }
    return NULL;
}

static void concurrent_calls(void) {
    char *answers[NCALLS];
    IptStatus statuses[NCALLS];
    pthread_t t[THREADS];
    call_arg args[THREADS];
    int i;
    for (i = 0; i < NCALLS; i++) {
        IptResult r = ipt_call(CALLS[i][0], CALLS[i][1]);
        check(well_formed(r), "concurrent calls: reference answer", r.json);
        statuses[i] = r.status;
        answers[i] = dup_json(r);
        ipt_result_free(&r);
    }
    for (i = 0; i < THREADS; i++) {
        args[i].answers = answers;
        args[i].statuses = statuses;
        args[i].index = i;
        args[i].mismatches = 0;
    }
    start_threads(t, call_worker, args, sizeof args[0]);
    join_threads(t);
    for (i = 0; i < THREADS; i++) {
        check(args[i].mismatches == 0, "concurrent calls: every answer as single-threaded", NULL);
    }
    for (i = 0; i < NCALLS; i++) free(answers[i]);
}

/* ---------- 7. many calls, resident memory flat ---------- */

static long rss_kib(void) {
    long size = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &size, &resident) != 2) resident = -1;
    fclose(f);
    return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void many_calls(long calls) {
    static const char *const reqs[][2] = {
        {"version", "{}"},
        {"assess_suitability", ASSESSMENT_DECISION},
        {"assess_suitability", "{\"age\":300,\"detail\":\"decision\"}"},
    };
    char *answers[3];
    size_t lens[3];
    long i, mismatches = 0, rss_early = -1, rss_end;
    long early_at = calls / 10;
    int measure = calls >= 100000;
    double t0;
    for (i = 0; i < 3; i++) {
        IptResult r = ipt_call(reqs[i][0], reqs[i][1]);
        lens[i] = r.len;
        answers[i] = dup_json(r);
        ipt_result_free(&r);
    }
    t0 = now();
    for (i = 0; i < calls; i++) {
        int k = (int)(i % 3);
        IptResult r = ipt_call(reqs[k][0], reqs[k][1]);
        if (r.len != lens[k] || memcmp(r.json, answers[k], lens[k]) != 0) mismatches++;
        ipt_result_free(&r);
        if (i + 1 == early_at) rss_early = rss_kib();
    }
    rss_end = rss_kib();
    check(mismatches == 0, "many calls: every answer as the first", NULL);
    if (measure) {
        char buf[200];
        snprintf(buf, sizeof buf, "many calls: resident memory grew %ld KiB between %ld and %ld calls (at most %d MiB)",
                 rss_end - rss_early, early_at, calls, RSS_SLACK_MIB);
        check(rss_early > 0 && rss_end > 0 && rss_end - rss_early <= RSS_SLACK_MIB * 1024L, buf, NULL);
        printf("many calls: %ld calls in %.1f s (%.2f us each); resident %ld KiB after %ld, %ld KiB after %ld (%+ld KiB)\n",
               calls, now() - t0, (now() - t0) * 1e6 / (double)calls, rss_early, early_at, rss_end, calls,
               rss_end - rss_early);
    } else {
        printf("many calls: %ld calls in %.1f s (resident memory not checked under %d calls)\n", calls, now() - t0,
               100000);
    }
    for (i = 0; i < 3; i++) free(answers[i]);
}

int main(int argc, char **argv) {
    long calls = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000L;
    double t0 = now(), t;
    if (argc > 2 || calls < 1) {
        fprintf(stderr, "usage: %s [CALLS]\n", argv[0]);
        return 2;
    }
#define STEP(name, call)                                                         \
    do {                                                                         \
        t = now();                                                               \
        call;                                                                    \
        printf("%-18s %6.2f s, %d passed, %d failed so far\n", name, now() - t, passed, failed); \
        fflush(stdout);                                                          \
    } while (0)
    /* First: memory the other steps free stays resident in the allocator (a 16 MiB request
     * raises glibc's mmap and trim thresholds), and a leak would be hidden by its reuse. */
    STEP("many calls", many_calls(calls));
    STEP("nulls", nulls());
    STEP("status strings", status_strings());
    STEP("bounds", bounds());
    STEP("handles", handles());
    STEP("event limit", event_limit());
    STEP("shared handle", shared_handle());
    STEP("own handles", own_handles());
    STEP("concurrent calls", concurrent_calls());
    printf("torture: %d passed, %d failed (%.1f s)\n", passed, failed, now() - t0);
    return failed == 0 ? 0 : 1;
}
