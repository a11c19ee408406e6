/*
 * The C conformance harness: runs every vector in tests/vectors through the C API (ipt_call and,
 * where there is one, the operation's named function), compares each answer with the vector's
 * `expected` structurally, then runs misuse cases. Prints "N passed, N failed".
 *
 * Usage: conformance <tests/vectors directory>
 * Build: gcc -std=c99 -Wall -Wextra -Werror -pedantic -Iinclude tests/c/conformance.c <libipt>
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipt.h"

/* ---------- a small JSON parser, for comparing answers ---------- */

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;

typedef struct jval {
    jtype type;
    int boolean;
    double number;
    char *str; /* decoded UTF-8 (strings), NUL-terminated */
    size_t len;
    struct jval *items; /* array items or object values */
    char **keys;        /* object keys, decoded */
    size_t *key_lens;
    size_t count;
    const char *start; /* the value's span in the source text */
    const char *end;
} jval;

typedef struct {
    const char *p;
    const char *end;
    int depth;
} parser;

static void jfree(jval *v) {
    size_t i;
    for (i = 0; i < v->count; i++) {
        jfree(&v->items[i]);
        if (v->keys) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->key_lens);
    free(v->str);
    memset(v, 0, sizeof *v);
}

static void skip_ws(parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t')) ps->p++;
}

static int hex4(const char *s, unsigned *out) {
    unsigned v = 0;
    int i;
    for (i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

static size_t put_utf8(char *o, unsigned cp) {
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F)); return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F)); return 4;
}

/* Parses a string at ps->p (on the opening quote); decoded into *out (malloc'd). */
static int parse_string(parser *ps, char **out, size_t *out_len) {
    const char *s = ps->p + 1;
    size_t cap = 16, n = 0;
    char *buf = malloc(cap);
    if (!buf) return 0;
    while (s < ps->end && *s != '"') {
        if (n + 8 > cap) {
            char *nb;
            cap *= 2;
            nb = realloc(buf, cap);
            if (!nb) { free(buf); return 0; }
            buf = nb;
        }
        if ((unsigned char)*s < 0x20) { free(buf); return 0; }
        if (*s != '\\') { buf[n++] = *s++; continue; }
        s++;
        if (s >= ps->end) { free(buf); return 0; }
        switch (*s) {
        case '"': buf[n++] = '"'; break;
        case '\\': buf[n++] = '\\'; break;
        case '/': buf[n++] = '/'; break;
        case 'b': buf[n++] = '\b'; break;
        case 'f': buf[n++] = '\f'; break;
        case 'n': buf[n++] = '\n'; break;
        case 'r': buf[n++] = '\r'; break;
        case 't': buf[n++] = '\t'; break;
        case 'u': {
            unsigned cp, lo;
            if (ps->end - s < 5 || !hex4(s + 1, &cp)) { free(buf); return 0; }
            s += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && ps->end - s >= 7 && s[1] == '\\' && s[2] == 'u' && hex4(s + 3, &lo) &&
                lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                s += 6;
            }
            n += put_utf8(buf + n, cp);
            break;
        }
        default: free(buf); return 0;
        }
        s++;
    }
    if (s >= ps->end) { free(buf); return 0; }
    buf[n] = '\0';
    *out = buf;
    *out_len = n;
    ps->p = s + 1;
    return 1;
}

static int parse_value(parser *ps, jval *v);

static int push(jval *v, size_t *cap) {
    if (v->count == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        jval *ni = realloc(v->items, nc * sizeof *ni);
        if (!ni) return 0;
        v->items = ni;
        if (v->type == J_OBJ) {
            char **nk = realloc(v->keys, nc * sizeof *nk);
            size_t *nl;
            if (!nk) return 0;
            v->keys = nk;
            nl = realloc(v->key_lens, nc * sizeof *nl);
            if (!nl) return 0;
            v->key_lens = nl;
        }
        *cap = nc;
    }
    memset(&v->items[v->count], 0, sizeof v->items[0]);
    if (v->type == J_OBJ) v->keys[v->count] = NULL;
    return 1;
}

static int parse_value(parser *ps, jval *v) {
    size_t cap = 0;
    memset(v, 0, sizeof *v);
    skip_ws(ps);
    if (ps->p >= ps->end || ++ps->depth > 256) return 0;
    v->start = ps->p;
    switch (*ps->p) {
    case '{':
    case '[': {
        char close = *ps->p == '{' ? '}' : ']';
        v->type = *ps->p == '{' ? J_OBJ : J_ARR;
        ps->p++;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == close) { ps->p++; break; }
        for (;;) {
            if (!push(v, &cap)) return 0;
            if (v->type == J_OBJ) {
                skip_ws(ps);
                if (ps->p >= ps->end || *ps->p != '"') { v->count++; return 0; }
                if (!parse_string(ps, &v->keys[v->count], &v->key_lens[v->count])) { v->count++; return 0; }
                skip_ws(ps);
                if (ps->p >= ps->end || *ps->p != ':') { v->count++; return 0; }
                ps->p++;
            }
            v->count++;
            if (!parse_value(ps, &v->items[v->count - 1])) return 0;
            skip_ws(ps);
            if (ps->p < ps->end && *ps->p == ',') { ps->p++; continue; }
            if (ps->p < ps->end && *ps->p == close) { ps->p++; break; }
            return 0;
        }
        break;
    }
    case '"':
        v->type = J_STR;
        if (!parse_string(ps, &v->str, &v->len)) return 0;
        break;
    case 't':
        if (ps->end - ps->p < 4 || strncmp(ps->p, "true", 4) != 0) return 0;
        v->type = J_BOOL; v->boolean = 1; ps->p += 4;
        break;
    case 'f':
        if (ps->end - ps->p < 5 || strncmp(ps->p, "false", 5) != 0) return 0;
        v->type = J_BOOL; ps->p += 5;
        break;
    case 'n':
        if (ps->end - ps->p < 4 || strncmp(ps->p, "null", 4) != 0) return 0;
        v->type = J_NULL; ps->p += 4;
        break;
    default: {
        char *endp;
        char tmp[64];
        size_t n = 0;
        while (ps->p + n < ps->end && n < sizeof tmp - 1 && strchr("+-0123456789.eE", ps->p[n])) { tmp[n] = ps->p[n]; n++; }
        if (n == 0) return 0;
        tmp[n] = '\0';
        v->type = J_NUM;
        v->number = strtod(tmp, &endp);
        if (endp != tmp + n) return 0;
        ps->p += n;
    }
    }
    v->end = ps->p;
    ps->depth--;
    return 1;
}

/* Parses a whole document; 1 on success. */
static int jparse(const char *text, size_t len, jval *out) {
    parser ps;
    ps.p = text;
    ps.end = text + len;
    ps.depth = 0;
    if (!parse_value(&ps, out)) { jfree(out); return 0; }
    skip_ws(&ps);
    if (ps.p != ps.end) { jfree(out); return 0; }
    return 1;
}

static const jval *jget(const jval *obj, const char *key) {
    size_t i, n = strlen(key);
    if (obj->type != J_OBJ) return NULL;
    for (i = 0; i < obj->count; i++)
        if (obj->key_lens[i] == n && memcmp(obj->keys[i], key, n) == 0) return &obj->items[i];
    return NULL;
}

static int jeq(const jval *a, const jval *b) {
    size_t i, j;
    if (a->type != b->type) return 0;
    switch (a->type) {
    case J_NULL: return 1;
    case J_BOOL: return a->boolean == b->boolean;
    case J_NUM: return a->number == b->number;
    case J_STR: return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
    case J_ARR:
        if (a->count != b->count) return 0;
        for (i = 0; i < a->count; i++) if (!jeq(&a->items[i], &b->items[i])) return 0;
        return 1;
    case J_OBJ:
        if (a->count != b->count) return 0;
        for (i = 0; i < a->count; i++) {
            int found = 0;
            for (j = 0; j < b->count; j++) {
                if (a->key_lens[i] == b->key_lens[j] && memcmp(a->keys[i], b->keys[j], a->key_lens[i]) == 0) {
                    if (!jeq(&a->items[i], &b->items[j])) return 0;
                    found = 1;
                    break;
                }
            }
            if (!found) return 0;
        }
        return 1;
    }
    return 0;
}

/* ---------- the harness ---------- */

static int passed, failed;

static void check(int ok, const char *what, const char *detail) {
    if (ok) { passed++; return; }
    failed++;
    fprintf(stderr, "FAIL: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) { fclose(f); return NULL; }
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
    fclose(f);
    if (buf) { buf[n] = '\0'; *len = (size_t)n; }
    return buf;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void collect(const char *dir, char ***files, size_t *n, size_t *cap) {
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d) return;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) { collect(path, files, n, cap); continue; }
        if (l < 5 || strcmp(e->d_name + l - 5, ".json") != 0) continue;
        if (*n == *cap) {
            char **nf;
            *cap = *cap ? *cap * 2 : 64;
            nf = realloc(*files, *cap * sizeof *nf);
            if (!nf) exit(2);
            *files = nf;
        }
        (*files)[(*n)++] = strdup(path);
    }
    closedir(d);
}

typedef IptResult (*named_fn)(const char *);

#include "named_operations.h"

static named_fn named(const char *op) {
    size_t i;
    for (i = 0; i < sizeof NAMED / sizeof NAMED[0]; i++) {
        if (strcmp(op, NAMED[i].name) == 0) return NAMED[i].fn;
    }
    return NULL;
}

/* Compares an answer with the expected value; checks the status against the envelope. */
static void compare(const char *file, const char *how, IptResult r, const jval *expected) {
    jval answer;
    char detail[512];
    if (r.json == NULL || strlen(r.json) != r.len) { check(0, file, "result string missing or wrong length"); return; }
    if (!jparse(r.json, r.len, &answer)) { check(0, file, "answer is not JSON"); return; }
    snprintf(detail, sizeof detail, "%s: answer differs from expected (got %.200s)", how, r.json);
    check(jeq(&answer, expected), file, detail);
    {
        const jval *ok = jget(&answer, "ok");
        int is_ok = ok && ok->type == J_BOOL && ok->boolean;
        check(is_ok == (r.status == IPT_STATUS_OK), file, "status disagrees with the envelope's ok");
    }
    jfree(&answer);
}

static void run_vector(const char *file) {
    size_t len;
    char *text = read_file(file, &len);
    jval v;
    const jval *op, *req, *req_text, *expected;
    char *request;
    IptResult r;
    named_fn fn;
    if (!text) { check(0, file, "unreadable"); return; }
    if (!jparse(text, len, &v)) { check(0, file, "vector is not JSON"); free(text); return; }
    op = jget(&v, "operation");
    req = jget(&v, "request");
    req_text = jget(&v, "request_text");
    expected = jget(&v, "expected");
    if (!op || op->type != J_STR || !expected || (!req && !(req_text && req_text->type == J_STR))) {
        check(0, file, "malformed vector");
        jfree(&v); free(text); return;
    }
    if (req) { /* the request's own text, as it stands in the file */
        size_t n = (size_t)(req->end - req->start);
        request = malloc(n + 1);
        if (!request) exit(2);
        memcpy(request, req->start, n);
        request[n] = '\0';
    } else {
        request = strdup(req_text->str);
    }
    r = ipt_call(op->str, request);
    compare(file, "ipt_call", r, expected);
    ipt_result_free(&r);
    fn = named(op->str);
    if (fn) {
        r = fn(request);
        compare(file, op->str, r, expected);
        ipt_result_free(&r);
    }
    free(request);
    jfree(&v);
    free(text);
}

static int contains(IptResult r, const char *needle) { return r.json && strstr(r.json, needle) != NULL; }

static void misuse(void) {
    IptResult r, ans;
    IptCourse *h, *h2;
    char *big;
    int local = 0;
    static const char brief[] = "{\"variant\":\"brief\"}";
    static const char early[] = "{\"type\":\"session_held\",\"number\":1,\"date\":\"2026-01-05\"}";

    r = ipt_version();
    check(r.status == IPT_STATUS_OK && contains(r, "\"engine_version\""), "version", NULL);
    ipt_result_free(&r);
    check(r.json == NULL && r.len == 0, "result_free clears the result", NULL);
    ipt_result_free(&r); /* twice: harmless */
    ipt_result_free(NULL);
    memset(&r, 0, sizeof r);
    ipt_result_free(&r); /* zeroed: harmless */
    passed++;

    r = ipt_call(NULL, "{}");
    check(r.status == IPT_STATUS_NULL_POINTER && contains(r, "null_pointer"), "NULL operation", r.json);
    ipt_result_free(&r);
    r = ipt_assess_suitability(NULL);
    check(r.status == IPT_STATUS_NULL_POINTER, "NULL request", r.json);
    ipt_result_free(&r);
    r = ipt_assess_suitability("\xff\xfe{}");
    check(r.status == IPT_STATUS_INVALID_UTF8 && contains(r, "invalid_utf8"), "invalid UTF-8", r.json);
    ipt_result_free(&r);
    r = ipt_call("no_such_operation", "{}");
    check(r.status == IPT_STATUS_UNKNOWN_OPERATION, "unknown operation", r.json);
    ipt_result_free(&r);
    r = ipt_assess_suitability("{\"age\":");
    check(r.status == IPT_STATUS_INVALID_JSON, "malformed JSON", r.json);
    ipt_result_free(&r);
    r = ipt_assess_suitability("{\"age\":300}");
    check(r.status == IPT_STATUS_INVALID_INPUT && contains(r, "\"path\":\"$.age\""), "out of range with path", r.json);
    ipt_result_free(&r);

    big = malloc((size_t)IPT_MAX_INPUT_BYTES + 2);
    if (!big) exit(2);
    memset(big, ' ', (size_t)IPT_MAX_INPUT_BYTES + 1);
    big[IPT_MAX_INPUT_BYTES + 1] = '\0';
    r = ipt_assess_suitability(big);
    check(r.status == IPT_STATUS_INPUT_TOO_LARGE, "oversized input", r.json);
    ipt_result_free(&r);
    /* Exactly at the bound: IPT_MAX_INPUT_BYTES - 1 bytes and the NUL are read and parsed. */
    big[IPT_MAX_INPUT_BYTES - 1] = '\0';
    big[0] = '{';
    big[IPT_MAX_INPUT_BYTES - 2] = '}';
    r = ipt_assess_suitability(big);
    check(r.status == IPT_STATUS_OK, "input of IPT_MAX_INPUT_BYTES - 1 bytes is read", r.json);
    ipt_result_free(&r);
    free(big);

    /* A buffer of exactly IPT_MAX_INPUT_BYTES bytes with no NUL, followed by an unmapped page:
     * refused without reading past the bound. */
    {
        long page = sysconf(_SC_PAGESIZE);
        size_t span = (size_t)IPT_MAX_INPUT_BYTES + (size_t)page;
        char *map = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (map == MAP_FAILED) exit(2);
        memset(map, ' ', IPT_MAX_INPUT_BYTES);
        if (mprotect(map + IPT_MAX_INPUT_BYTES, (size_t)page, PROT_NONE) != 0) exit(2);
        r = ipt_assess_suitability(map);
        check(r.status == IPT_STATUS_INPUT_TOO_LARGE, "no NUL within the bound, guard page after", r.json);
        ipt_result_free(&r);
        /* The length-taking call reads exactly the length: no terminator needed. */
        memcpy(map + IPT_MAX_INPUT_BYTES - 2, "{}", 2);
        r = ipt_call_n("assess_suitability", 18, map + IPT_MAX_INPUT_BYTES - 2, 2);
        check(r.status == IPT_STATUS_OK && contains(r, "\"verdict\""), "ipt_call_n on an unterminated buffer", r.json);
        ipt_result_free(&r);
        r = ipt_call_n("assess_suitability", 18, map, (size_t)IPT_MAX_INPUT_BYTES + 1);
        check(r.status == IPT_STATUS_INPUT_TOO_LARGE, "ipt_call_n over the bound", r.json);
        ipt_result_free(&r);
        munmap(map, span);
    }

    h = ipt_course_new(brief, &ans);
    check(h != NULL && ans.status == IPT_STATUS_OK, "course_new", ans.json);
    ipt_result_free(&ans);
    {
        IptResult before = ipt_course_snapshot(h), after;
        r = ipt_course_apply(h, early);
        check(r.status == IPT_STATUS_TRANSITION_REFUSED && contains(r, "\"unmet\""), "refused event", r.json);
        ipt_result_free(&r);
        after = ipt_course_snapshot(h);
        check(before.json && after.json && strcmp(before.json, after.json) == 0, "a refused event leaves the course unchanged", NULL);
        h2 = ipt_course_from_snapshot(after.json, &ans);
        check(h2 != NULL && ans.status == IPT_STATUS_OK, "course_from_snapshot", ans.json);
        ipt_result_free(&ans);
        ipt_result_free(&before);
        ipt_result_free(&after);
    }
    r = ipt_course_status(h);
    check(r.status == IPT_STATUS_OK, "course_status", r.json);
    ipt_result_free(&r);
    r = ipt_course_apply(h, NULL);
    check(r.status == IPT_STATUS_NULL_POINTER, "NULL event", r.json);
    ipt_result_free(&r);
    check(ipt_course_free(h) == IPT_STATUS_OK, "course_free", NULL);
    check(ipt_course_free(h2) == IPT_STATUS_OK, "course_free (restored)", NULL);
    check(ipt_course_free(h) == IPT_STATUS_INVALID_HANDLE, "double course_free", NULL);
    r = ipt_course_status(h);
    check(r.status == IPT_STATUS_INVALID_HANDLE, "freed handle", r.json);
    ipt_result_free(&r);
    r = ipt_course_apply((IptCourse *)(void *)&local, early);
    check(r.status == IPT_STATUS_INVALID_HANDLE, "foreign handle", r.json);
    ipt_result_free(&r);
    check(ipt_course_free(NULL) == IPT_STATUS_INVALID_HANDLE, "free NULL handle", NULL);
    h = ipt_course_new("{\"variant\":\"nope\"}", &ans);
    check(h == NULL && ans.status == IPT_STATUS_INVALID_INPUT, "refused course_new", ans.json);
    ipt_result_free(&ans);
    h = ipt_course_new(NULL, NULL);
    check(h == NULL, "course_new(NULL, NULL)", NULL);
    h = ipt_course_from_snapshot("{}", &ans);
    check(h == NULL && ans.status != IPT_STATUS_OK, "bad snapshot", ans.json);
    ipt_result_free(&ans);
}

int main(int argc, char **argv) {
    char **files = NULL;
    size_t n = 0, cap = 0, i;
    int vectors_failed;
    if (argc != 2) { fprintf(stderr, "usage: %s <tests/vectors>\n", argv[0]); return 2; }
    collect(argv[1], &files, &n, &cap);
    if (n == 0) { fprintf(stderr, "no vectors under %s\n", argv[1]); return 1; }
    qsort(files, n, sizeof *files, cmp_str);
    for (i = 0; i < n; i++) { run_vector(files[i]); free(files[i]); }
    free(files);
    vectors_failed = failed;
    printf("vectors: %zu files, %d checks failed\n", n, vectors_failed);
    misuse();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
