// The wasm side of the differential test (scripts/test-diff.sh): reads a corpus written by
// scripts/diff-corpus.py (per record "<op_len> <req_len>\n<op><req>\n") and writes the answer
// of the npm package's wasm module to each, one per line, for comparison with the Rust and C
// answers. It calls the raw export `call(operation, request)` of the built package's Node glue
// (ipt-wasm/pkg/ipt_wasm.cjs, which the package's `call` wraps and parses), so the answers
// are compared as the exact strings the engine returned (a `schemas` answer with the
// package's schemas.json put in, as the wrapper does).
//
// Usage: node tests/diff/run.mjs CORPUS [PKG] > ANSWERS   (PKG: default ipt-wasm/pkg)
import { createRequire } from 'node:module';
import { readFileSync, writeSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';

const [corpusPath, pkgArg] = process.argv.slice(2);
if (!corpusPath) {
  console.error('usage: node tests/diff/run.mjs CORPUS [PKG] > ANSWERS');
  process.exit(2);
}
const pkg = resolve(pkgArg ?? 'ipt-wasm/pkg');
const gluePath = `${pkg}/ipt_wasm.cjs`;
if (!existsSync(gluePath)) {
  console.error(`run.mjs: ${gluePath} not found: build the package first (bash ipt-wasm/build.sh)`);
  process.exit(2);
}
const require = createRequire(import.meta.url);
const load = () => {
  delete require.cache[require.resolve(gluePath)];
  return require(gluePath);
};
let raw = load();
if (typeof raw.call !== 'function') {
  console.error(`run.mjs: ${gluePath} has no raw call export`);
  process.exit(2);
}

const data = readFileSync(corpusPath);
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const out = [];
let pending = 0;
const flush = () => {
  if (out.length === 0) return;
  const buf = Buffer.from(out.join(''), 'utf8');
  let off = 0;
  while (off < buf.length) off += writeSync(1, buf, off, buf.length - off);
  out.length = 0;
  pending = 0;
};

const SCHEMAS_HOLE = '"ok":true,"result":null}';
let schemas = null;
let pos = 0;
let count = 0;
let traps = 0;
while (pos < data.length) {
  const nl = data.indexOf(0x0a, pos);
  const header = nl < 0 ? '' : data.toString('latin1', pos, nl);
  const m = /^(\d+) (\d+)$/.exec(header);
  if (!m) {
    console.error(`run.mjs: malformed record ${count} at byte ${pos}`);
    process.exit(2);
  }
  const opLen = Number(m[1]);
  const reqLen = Number(m[2]);
  const start = nl + 1;
  const op = utf8.decode(data.subarray(start, start + opLen));
  const request = utf8.decode(data.subarray(start + opLen, start + opLen + reqLen));
  let answer;
  try {
    answer = raw.call(op, request);
  } catch (e) {
    // A trap (a panic, a stack overflow): written as such, so the comparison fails on it; the
    // module is reloaded, as the package does after a trap.
    answer = `<<wasm trap: ${String(e && e.message ? e.message : e).replace(/\n/g, ' ')}>>`;
    traps++;
    raw = load();
  }
  // The module is built without the schema generator: its `schemas` answer carries a null
  // result where the package puts its schemas.json, as the package's wrapper does.
  if (op === 'schemas' && answer.endsWith(SCHEMAS_HOLE)) {
    schemas ??= readFileSync(`${pkg}/schemas.json`, 'utf8');
    answer = `${answer.slice(0, -SCHEMAS_HOLE.length)}"ok":true,"result":${schemas}}`;
  }
  out.push(answer, '\n');
  pending += answer.length;
  if (pending > 1 << 22) flush();
  pos = start + opLen + reqLen + 1;
  count++;
}
flush();
console.error(`differential (wasm): ${count} answers, ${traps} traps`);
