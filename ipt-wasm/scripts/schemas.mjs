// Writes pkg/schemas.json: the result of the `schemas` operation, from the committed JSON
// Schemas (ipt-core/schemas/*.json, which a test of ipt-core holds to what schemars
// generates), as the engine's text writes it: keys sorted by their UTF-8 bytes, no spaces. The
// module is built without the schema generator; its `schemas` answer carries `null` where this
// text goes (the wrapper, and tests/diff/run.mjs, put it there).
// Usage: node schemas.mjs SCHEMA_DIR OUT
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, out] = process.argv.slice(2);
const byBytes = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
// Written by hand, not JSON.stringify of an object: an object puts integer-like keys first.
function write(v) {
  if (Array.isArray(v)) return `[${v.map(write).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort(byBytes).map((k) => `${JSON.stringify(k)}:${write(v[k])}`).join(',')}}`;
  }
  if (typeof v === 'number' && !Number.isInteger(v)) throw new Error(`schemas.mjs: a fraction (${v}) would need the engine's float format`);
  return JSON.stringify(v);
}
const all = {};
for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  all[f.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(dir, f), 'utf8'));
}
writeFileSync(out, write(all));
