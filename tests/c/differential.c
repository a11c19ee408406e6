/*
 * The C side of the differential test (scripts/test-diff.sh): reads a corpus written by
 * scripts/diff-corpus.py (per record "<op_len> <req_len>\n<op><req>\n") and writes the answer
 * of ipt_call_n to each, one per line, for comparison with the Rust and wasm answers. Along the
 * way it checks each result (NUL-terminated at `len`, one line, "ok" agreeing with the status,
 * the error code ipt_status_string names), and that ipt_call and the operation's named
 * function, where the request has no NUL byte, give the same answer as ipt_call_n.
 *
 * Usage: differential CORPUS > ANSWERS (exit 1 when a check fails, 2 on a malformed corpus)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipt.h"
#include "named_operations.h"

static char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    if (!f) return NULL;
    do {
        if (n == cap) {
            char *nb;
            cap = cap ? cap * 2 : 1 << 20;
            nb = realloc(buf, cap);
            if (!nb) { free(buf); fclose(f); return NULL; }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *len = n;
    return buf;
}

static int failures;

static void fail(size_t index, const char *what, const char *answer) {
    failures++;
    if (failures <= 20) fprintf(stderr, "differential: record %zu: %s: %.300s\n", index, what, answer ? answer : "(null)");
}

/* The same answer from another entry point. */
static void same(size_t index, const char *how, IptResult r, const IptResult *first) {
    if (r.status != first->status || r.len != first->len || !r.json || memcmp(r.json, first->json, r.len) != 0)
        fail(index, how, r.json);
    ipt_result_free(&r);
}

int main(int argc, char **argv) {
    size_t len, pos = 0, index = 0, also = 0;
    char *data;
    if (argc != 2) { fprintf(stderr, "usage: %s CORPUS > ANSWERS\n", argv[0]); return 2; }
    data = read_all(argv[1], &len);
    if (!data) { perror(argv[1]); return 2; }
    while (pos < len) {
        char *end, *op, *req;
        unsigned long long ol, rl;
        IptResult r;
        char code[80];
        ol = strtoull(data + pos, &end, 10);
        if (*end != ' ') break;
        rl = strtoull(end + 1, &end, 10);
        if (*end != '\n' || (size_t)(end + 1 - data) + ol + rl + 1 > len || end[1 + ol + rl] != '\n') break;
        op = end + 1;
        req = op + ol;
        r = ipt_call_n(op, (size_t)ol, req, (size_t)rl);
        if (!r.json || strlen(r.json) != r.len) fail(index, "result not NUL-terminated at len", r.json);
        else if (memchr(r.json, '\n', r.len)) fail(index, "answer spans lines", r.json);
        else if ((r.status == IPT_STATUS_OK) != (strstr(r.json, "\"ok\":true") != NULL)) fail(index, "status disagrees with ok", r.json);
        else if (r.status != IPT_STATUS_OK) {
            snprintf(code, sizeof code, "\"code\":\"%s\"", ipt_status_string(r.status));
            if (!strstr(r.json, code)) fail(index, "status disagrees with error.code", r.json);
        }
        if (r.json) {
            fwrite(r.json, 1, r.len, stdout);
            fputc('\n', stdout);
        }
        /* NUL-terminated entry points, when the strings hold no NUL. */
        if (!memchr(op, '\0', (size_t)ol) && !memchr(req, '\0', (size_t)rl) && r.json) {
            char *o = malloc((size_t)ol + 1), *q = malloc((size_t)rl + 1);
            size_t i;
            if (!o || !q) return 2;
            memcpy(o, op, (size_t)ol);
            o[ol] = '\0';
            memcpy(q, req, (size_t)rl);
            q[rl] = '\0';
            if (rl < (unsigned long long)IPT_MAX_INPUT_BYTES) {
                same(index, "ipt_call differs from ipt_call_n", ipt_call(o, q), &r);
                for (i = 0; i < sizeof NAMED / sizeof NAMED[0]; i++) {
                    if (strcmp(o, NAMED[i].name) == 0) same(index, "the named function differs from ipt_call_n", NAMED[i].fn(q), &r);
                }
            } else {
                /* A NUL-terminated string holds at most IPT_MAX_INPUT_BYTES - 1 bytes. */
                IptResult t = ipt_call(o, q);
                if (t.status != IPT_STATUS_INPUT_TOO_LARGE) fail(index, "ipt_call took a string of IPT_MAX_INPUT_BYTES", t.json);
                ipt_result_free(&t);
            }
            also++;
            free(o);
            free(q);
        }
        ipt_result_free(&r);
        pos = (size_t)(end + 1 - data) + (size_t)(ol + rl) + 1;
        index++;
    }
    free(data);
    if (pos != len) { fprintf(stderr, "differential: malformed record %zu at byte %zu\n", index, pos); return 2; }
    if (fflush(stdout) != 0) return 2;
    fprintf(stderr, "differential (C): %zu answers; %zu also through ipt_call and the named functions; %d checks failed\n",
            index, also, failures);
    return failures ? 1 : 0;
}
