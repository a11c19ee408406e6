#!/usr/bin/env python3
"""Seeds the fuzz corpora from the conformance vectors and writes the dictionary.

Every vector becomes one input per target: the operation's name, a newline, and the request
text, as the targets read them (`ipt_core::api::fuzz_input`; `schemas` left out, as the targets
skip it). The dictionary holds every property name and enum value of the committed JSON
Schemas. Output: target/fuzz-corpus/<target>/ and target/fuzz.dict.
"""
import hashlib
import json
import os
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
schemas = os.path.join(root, "ipt-core", "schemas")
ops = sorted(f[: -len(".request.json")] for f in os.listdir(schemas) if f.endswith(".request.json"))
ops = [o for o in ops if o != "schemas"]
out = os.path.join(root, "target", "fuzz-corpus")
targets = sys.argv[1:] or ["api_call", "c_entry"]
count = 0
for dirpath, _, files in os.walk(os.path.join(root, "tests", "vectors")):
    for f in sorted(files):
        if not f.endswith(".json"):
            continue
        v = json.load(open(os.path.join(dirpath, f)))
        if v.get("operation") not in ops:
            continue
        text = v["request_text"] if "request_text" in v else json.dumps(v["request"], separators=(",", ":"))
        data = v["operation"].encode() + b"\n" + text.encode()
        name = hashlib.sha1(data).hexdigest()
        for t in targets:
            if t in ("batch_lines", "fhir_records"):
                continue
            d = os.path.join(out, t)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, name), "wb") as fh:
                fh.write(data)
        count += 1

# batch_lines: the suitability vectors' requests as batch lines, a few per input.
if "batch_lines" in targets:
    d = os.path.join(out, "batch_lines")
    os.makedirs(d, exist_ok=True)
    lines = []
    for dirpath, _, files in os.walk(os.path.join(root, "tests", "vectors")):
        for f in sorted(files):
            if not f.endswith(".json"):
                continue
            v = json.load(open(os.path.join(dirpath, f)))
            if v.get("operation") != "assess_suitability" or "request" not in v:
                continue
            lines.append(json.dumps({"id": len(lines), "assessment": v["request"]}, separators=(",", ":")))
    for i in range(0, len(lines), 3):
        data = ("\n".join(lines[i : i + 3]) + "\n").encode()
        with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as fh:
            fh.write(data)

# fhir_records: bytes that build records (see ipt_core::samples), a few fixed seeds.
if "fhir_records" in targets:
    d = os.path.join(out, "fhir_records")
    os.makedirs(d, exist_ok=True)
    import random
    rng = random.Random(20)
    for n in range(32):
        data = bytes(rng.randrange(256) for _ in range(64 + n * 16))
        with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as fh:
            fh.write(data)

words = set()
def walk(x):
    if isinstance(x, dict):
        for k, v in x.items():
            if k == "properties" and isinstance(v, dict):
                words.update(v.keys())
            if k in ("enum", "const"):
                for e in (v if isinstance(v, list) else [v]):
                    if isinstance(e, str):
                        words.add(e)
            walk(v)
    elif isinstance(x, list):
        for e in x:
            walk(e)
for f in os.listdir(schemas):
    walk(json.load(open(os.path.join(schemas, f))))
with open(os.path.join(root, "target", "fuzz.dict"), "w") as fh:
    for w in sorted(words):
        fh.write('"\\"%s\\""\n' % w)
print(f"fuzz seeds: {count} vectors into {', '.join(targets)}; dictionary: {len(words)} words")
