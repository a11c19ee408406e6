#!/usr/bin/env python3
"""The corpus of the differential test: (operation, request) pairs that Rust, C and wasm must
answer byte for byte alike (scripts/test-diff.sh).

Seeds: every conformance vector in tests/vectors/ (its operation and request, or request_text
verbatim), and the kept fuzz inputs in fuzz/regressions/api_call/ and c_entry/ (the operation's
name, a newline and the request, as the fuzz targets read them; inputs that are not UTF-8 are
skipped). Then
deterministic mutations of the seeds (a seeded RNG): characters replaced, spans deleted,
duplicated or cut, members deleted or repeated, values swapped between vectors, values of the
wrong type, edge numbers, deep nesting around the depth limit, long strings around the length
limits, other and unknown operation names, detail levels, layouts and escapes; and two requests
at the byte limit (one byte under and one over).

Output: one record per pair, every byte UTF-8:
    <operation length in bytes> <request length in bytes>\\n<operation><request>\\n

Usage:
    diff-corpus.py OUT [--count N] [--seed S]   write the corpus (Python 3.11, stdlib only)
    diff-corpus.py --show INDEX CORPUS          print record INDEX (0-based), clipped
"""
import argparse
import json
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def request_limit():
    """ipt_core::limits::MAX_REQUEST_BYTES, read from its source."""
    src = open(os.path.join(ROOT, "ipt-core", "src", "limits.rs"), encoding="utf-8").read()
    m = re.search(r"pub const MAX_REQUEST_BYTES: usize = ([0-9_ *]+);", src)
    if not m:
        sys.exit("diff-corpus: MAX_REQUEST_BYTES not found in ipt-core/src/limits.rs")
    n = 1
    for factor in m.group(1).replace("_", "").split("*"):
        n *= int(factor)
    return n


def operations():
    """Every operation name (from the committed schemas)."""
    schemas = os.path.join(ROOT, "ipt-core", "schemas")
    return sorted(f[: -len(".request.json")] for f in os.listdir(schemas) if f.endswith(".request.json"))


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def seeds():
    """(operation, request text, request value or None), vectors first, in path order."""
    out = []
    vectors = os.path.join(ROOT, "tests", "vectors")
    paths = []
    for dirpath, _, files in os.walk(vectors):
        paths += [os.path.join(dirpath, f) for f in files if f.endswith(".json")]
    for path in sorted(paths):
        with open(path, encoding="utf-8") as fh:
            v = json.load(fh)
        if "request_text" in v:
            text = v["request_text"]
            try:
                value = json.loads(text)
            except ValueError:
                value = None
            out.append((v["operation"], text, value))
        else:
            out.append((v["operation"], compact(v["request"]), v["request"]))
    n_vectors = len(out)
    for target in ("api_call", "c_entry"):
        d = os.path.join(ROOT, "fuzz", "regressions", target)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            if name.startswith(".") or not os.path.isfile(path):
                continue
            data = open(path, "rb").read()
            if not data:
                continue
            op, newline, rest = data.partition(b"\n")
            if not newline:
                continue
            try:
                op, text = op.decode("utf-8"), rest.decode("utf-8")
            except UnicodeDecodeError:
                continue
            try:
                value = json.loads(text)
            except (ValueError, RecursionError):
                value = None
            out.append((op, text, value))
    return out, n_vectors, len(out) - n_vectors


# ---------- a serializer with raw tokens, and paths into values ----------


class Raw:
    """A token written verbatim (an edge number, an escape, a repeated member)."""

    def __init__(self, text):
        self.text = text


class DupObject:
    """An object written with one member twice."""

    def __init__(self, items, repeat):
        self.items = items
        self.repeat = repeat


def dumps(v):
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, DupObject):
        items = list(v.items) + [v.items[v.repeat]]
        return "{" + ",".join(dumps(k) + ":" + dumps(x) for k, x in items) + "}"
    if isinstance(v, dict):
        return "{" + ",".join(dumps(k) + ":" + dumps(x) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ",".join(dumps(x) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)


def nodes(v, path=()):
    """Every (path, value) in a value, the root first."""
    yield path, v
    if isinstance(v, dict):
        for k, x in v.items():
            yield from nodes(x, path + (k,))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from nodes(x, path + (i,))


def replace(v, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(v, dict):
        return {k: (replace(x, rest, new) if k == head else x) for k, x in v.items()}
    return [replace(x, rest, new) if i == head else x for i, x in enumerate(v)]


def pick_node(rng, v, want=None):
    all_nodes = [(p, x) for p, x in nodes(v) if want is None or want(x)]
    return rng.choice(all_nodes) if all_nodes else None


# ---------- mutators: (rng, op, text, value, pool) -> (op, text) ----------

CHARS = list('{}[]",:\\ 0123456789.-+eEtrufalsn') + [
    "a", "z", "é", "ß", "中", "😀", "\u0000", "\u001f", "\u007f", "\u2028", "\ufeff", "\u0301", "\U0010ffff",
]


def random_char(rng):
    if rng.random() < 0.8:
        return rng.choice(CHARS)
    while True:
        cp = rng.randrange(0x20, 0x110000)
        if not 0xD800 <= cp <= 0xDFFF:
            return chr(cp)


def m_chars(rng, op, text, value, pool):
    s = list(text) or [""]
    for _ in range(rng.choice([1, 1, 2, 3])):
        s[rng.randrange(len(s))] = random_char(rng)
    return op, "".join(s)


def m_insert(rng, op, text, value, pool):
    i = rng.randrange(len(text) + 1)
    return op, text[:i] + random_char(rng) + text[i:]


def m_delete_span(rng, op, text, value, pool):
    if not text:
        return op, text
    i = rng.randrange(len(text))
    return op, text[:i] + text[i + rng.randrange(1, 24):]


def m_duplicate_span(rng, op, text, value, pool):
    if not text:
        return op, text
    i = rng.randrange(len(text))
    j = min(len(text), i + rng.randrange(1, 40))
    return op, text[:j] + text[i:j] + text[j:]


def m_truncate(rng, op, text, value, pool):
    return op, text[: rng.randrange(len(text) + 1)]


def m_delete_member(rng, op, text, value, pool):
    node = pick_node(rng, value, lambda x: isinstance(x, (dict, list)) and len(x) > 0)
    if node is None:
        return None
    path, x = node
    if isinstance(x, dict):
        k = rng.choice(list(x))
        new = {kk: vv for kk, vv in x.items() if kk != k}
    else:
        i = rng.randrange(len(x))
        new = x[:i] + x[i + 1:]
    return op, dumps(replace(value, path, new))


def m_repeat_member(rng, op, text, value, pool):
    """A key written twice, or an array item duplicated."""
    node = pick_node(rng, value, lambda x: isinstance(x, (dict, list)) and len(x) > 0)
    if node is None:
        return None
    path, x = node
    if isinstance(x, dict):
        items = list(x.items())
        new = DupObject(items, rng.randrange(len(items)))
    else:
        i = rng.randrange(len(x))
        new = x[: i + 1] + [x[i]] * rng.choice([1, 1, 2, 40]) + x[i + 1:]
    return op, dumps(replace(value, path, new))


def m_swap(rng, op, text, value, pool):
    """A value of this request replaced by a value from another vector's request."""
    node = pick_node(rng, value)
    other = rng.choice(pool)
    donor = pick_node(rng, other)
    if node is None or donor is None:
        return None
    return op, dumps(replace(value, node[0], donor[1]))


def key_index(pool):
    """Field name -> every value it has somewhere in the seeds (JSON text, deduplicated)."""
    index = {}
    for v in pool:
        for path, x in nodes(v):
            if path and isinstance(path[-1], str):
                index.setdefault(path[-1], {})[compact(x)] = x
    return {k: list(vs.values()) for k, vs in index.items()}


def m_same_key(rng, op, text, value, pool, index):
    """A field given a value the same field has in another seed: mostly valid requests that
    take the rules down other branches."""
    candidates = [(p, x) for p, x in nodes(value) if p and isinstance(p[-1], str) and len(index.get(p[-1], ())) > 1]
    if not candidates:
        return None
    path, _ = rng.choice(candidates)
    return op, dumps(replace(value, path, rng.choice(index[path[-1]])))


CONFUSION = [None, True, False, 0, -1, 1, 1.5, "", "x", "present", "unknown", [], {}, [None], {"": None},
             "2026-01-05", "2026-02-30", "2026-1-5", "major_depression", "phq9", "standard", "I-MOOD-ESSENTIAL"]


def m_type(rng, op, text, value, pool):
    node = pick_node(rng, value)
    if node is None:
        return None
    return op, dumps(replace(value, node[0], rng.choice(CONFUSION)))


NUMBERS = ["0", "-0", "-1", "1.0", "1e2", "1E2", "1e400", "-1e400", "1e-400", "0.1", "2147483647", "2147483648",
           "4294967295", "4294967296", "9007199254740993", "9223372036854775807", "18446744073709551615",
           "18446744073709551616", "-9223372036854775809", "123456789012345678901234567890", "27", "28", "63",
           "64", "17", "18", "12", "11", "130", "-0.0", "0e0", "1.7976931348623157e308", "5e-324"]


def m_number(rng, op, text, value, pool):
    node = pick_node(rng, value, lambda x: isinstance(x, (int, float)) and not isinstance(x, bool))
    if node is None:
        node = pick_node(rng, value)
    if node is None:
        return None
    return op, dumps(replace(value, node[0], Raw(rng.choice(NUMBERS))))


def m_nest(rng, op, text, value, pool):
    """A value (or the whole request) wrapped in arrays or objects, to depths around the limit
    of 127 levels and far beyond it."""
    depth = rng.choice([1, 2, 60, 124, 125, 126, 127, 128, 129, 130, 200, 1000, 5000])
    whole = value is None or rng.random() < 0.2
    inner = text if whole else None
    node = ((), value) if whole else pick_node(rng, value)
    if inner is None:
        inner = dumps(node[1])
    if rng.random() < 0.5:
        raw = "[" * depth + inner + "]" * depth
    else:
        raw = '{"a":' * depth + inner + "}" * depth
    return op, (raw if whole else dumps(replace(value, node[0], Raw(raw))))


def m_long_string(rng, op, text, value, pool):
    """A string around the identifier (64) and text (2,000) limits, or much longer."""
    n = rng.choice([63, 64, 65, 1999, 2000, 2001, 4000, 70000])
    unit = rng.choice(["a", "é", "😀", "中", " ", "\u0301"])
    s = unit * n
    node = pick_node(rng, value, lambda x: isinstance(x, str))
    if node is None or rng.random() < 0.2:
        node = pick_node(rng, value)
    if node is None:
        return None
    return op, dumps(replace(value, node[0], s))


def m_long_key(rng, op, text, value, pool):
    node = pick_node(rng, value, lambda x: isinstance(x, dict))
    if node is None:
        return None
    key = rng.choice(["a", "é"]) * rng.choice([64, 65, 1000, 20000])
    new = dict(node[1])
    new[key] = 1
    return op, dumps(replace(value, node[0], new))


OPERATION_NAMES = ["", " version", "version ", "VERSION", "Version", "version\u0000", "versión", "assess-suitability",
                   "assess_suitability\n", "course", "ipt_call", "schemas2", "😀", "a" * 64, "a" * 65, "é" * 65,
                   "x" * 5000]


def m_operation(rng, op, text, value, pool, all_ops=None):
    if rng.random() < 0.7:
        return rng.choice(all_ops), text
    return rng.choice(OPERATION_NAMES), text


def m_detail(rng, op, text, value, pool):
    if not isinstance(value, dict):
        return None
    new = dict(value)
    new["detail"] = rng.choice(["decision", "explained", "decision", "explained", "DECISION", "", 1, None, ["decision"]])
    return op, dumps(new)


def m_layout(rng, op, text, value, pool):
    """The same value written differently: indented, ASCII escapes, BOM, blanks, escaped keys."""
    if value is None:
        return op, rng.choice(["\ufeff", " ", "\t\r\n", "\u00a0"]) + text
    choice = rng.randrange(6)
    if choice == 0:
        return op, json.dumps(value, indent=rng.choice([1, 2, "\t"]), ensure_ascii=False)
    if choice == 1:
        return op, json.dumps(value, separators=(",", ":"), ensure_ascii=True)
    if choice == 2:
        return op, "\ufeff" + text
    if choice == 3:
        return op, rng.choice([" ", "\n", "\t", "\r\n"]) * rng.randrange(1, 5) + text + " \n"
    if choice == 4:
        # A key or a string with its letters written as \\u escapes.
        def esc(m):
            return '"' + "".join("\\u%04x" % ord(c) if c.isalpha() and rng.random() < 0.5 else c for c in m.group(1)) + '"'
        return op, re.sub(r'"([A-Za-z_]{2,30})"', esc, text, count=rng.randrange(1, 4))
    return op, text + rng.choice(["", " ", "}", "]", ",", "x", "{}", "\u0000", "null"])


ESCAPES = ['"\\ud800"', '"\\udc00"', '"\\ud83d\\ude00"', '"\\u0000"', '"\\u001f"', '"\\uffff"', '"\\x41"', '"\\a"',
           '"\\/"', '"\\"', '"\\u00e9"', '"\\uD834\\uDD1E"', '"\\ud800\\u0041"', '"\u0007"', '"\t"', '"line\nbreak"']


def m_escape(rng, op, text, value, pool):
    node = pick_node(rng, value, lambda x: isinstance(x, str)) or pick_node(rng, value)
    if node is None:
        return None
    return op, dumps(replace(value, node[0], Raw(rng.choice(ESCAPES))))


MUTATORS = [m_same_key] * 8 + [m_chars, m_insert, m_delete_span, m_duplicate_span, m_truncate, m_delete_member, m_repeat_member,
            m_swap, m_swap, m_type, m_type, m_number, m_nest, m_long_string, m_long_key, m_operation, m_detail,
            m_detail, m_layout, m_escape]


def mutate(rng, seed, pool, all_ops, index):
    op, text, value = seed
    # A third of the mutants only move values between seeds' fields of the same name (mostly
    # valid requests); the rest take one to three mutations of any kind.
    valid_ish = rng.random() < 0.35
    for _ in range(rng.choice([1, 2, 3, 4]) if valid_ish else rng.choice([1, 1, 1, 2, 2, 3])):
        m = m_same_key if valid_ish else rng.choice(MUTATORS)
        try:
            if m is m_operation:
                out = m(rng, op, text, value, pool, all_ops)
            elif m is m_same_key:
                out = m(rng, op, text, value, pool, index)
            else:
                out = m(rng, op, text, value, pool)
        except RecursionError:  # a value nested too deep for this script's own walk
            out = None
        if out is None:
            continue
        op, text = out
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            value = None
    return op, text


def at_the_limit(limit):
    """A request of exactly the byte limit (an assessment padded with blanks) and one byte over."""
    body = '{"age":34,"diagnoses":[{"category":"major_depression","phase":"acute"}],"detail":"decision"}'
    at = body[:-1] + " " * (limit - len(body)) + "}"
    return [("assess_suitability", at), ("assess_suitability", at + " ")]


def write(path, records):
    with open(path, "wb") as fh:
        for op, text in records:
            o, r = op.encode("utf-8"), text.encode("utf-8")
            fh.write(b"%d %d\n" % (len(o), len(r)) + o + r + b"\n")


def read(path):
    data = open(path, "rb").read()
    i, out = 0, []
    while i < len(data):
        nl = data.index(b"\n", i)
        ol, rl = map(int, data[i:nl].split())
        op = data[nl + 1 : nl + 1 + ol]
        req = data[nl + 1 + ol : nl + 1 + ol + rl]
        out.append((op.decode("utf-8"), req.decode("utf-8")))
        i = nl + 1 + ol + rl + 1
    return out


def clip(s, n=400):
    return s if len(s) <= n else s[:n] + "… (%d characters)" % len(s)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", nargs="?")
    ap.add_argument("--count", type=int, default=8000, help="records in all (default 8000)")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--show", type=int, metavar="INDEX", help="print record INDEX of the corpus OUT")
    a = ap.parse_args()
    if a.out is None:
        ap.error("OUT is required")
    if a.show is not None:
        records = read(a.out)
        op, req = records[a.show]
        print("record %d of %d: operation %s (%d bytes), request (%d bytes):\n%s"
              % (a.show, len(records), json.dumps(clip(op, 80), ensure_ascii=False), len(op.encode()),
                 len(req.encode()), json.dumps(clip(req), ensure_ascii=False)))
        return
    all_ops = operations()
    base, n_vectors, _ = seeds()
    pool = [v for _, _, v in base if v is not None]
    index = key_index(pool)
    rng = random.Random(a.seed)
    records, seen = [], set()

    def add(op, text):
        """Adds a pair unless it is already there or is not UTF-8 (a lone surrogate)."""
        key = (op, text)
        if key in seen:
            return 0
        try:
            op.encode("utf-8")
            text.encode("utf-8")
        except UnicodeEncodeError:
            return 0
        seen.add(key)
        records.append(key)
        return 1

    from_vectors = sum(add(op, text) for op, text, _ in base[:n_vectors])
    from_fuzz = sum(add(op, text) for op, text, _ in base[n_vectors:])
    limit = request_limit()
    special = at_the_limit(limit)
    tries = mutations = 0
    while len(records) + len(special) < a.count and tries < a.count * 20:
        tries += 1
        mutations += add(*mutate(rng, rng.choice(base), pool, all_ops, index))
    for op, text in special:
        add(op, text)
    write(a.out, records)
    size = os.path.getsize(a.out)
    print("diff corpus: %d records (%d vectors, %d kept fuzz inputs, %d mutations, %d at the %d-byte limit), "
          "%.1f MB, seed %d" % (len(records), from_vectors, from_fuzz, mutations, len(special), limit, size / 1e6,
                                a.seed))


if __name__ == "__main__":
    main()
