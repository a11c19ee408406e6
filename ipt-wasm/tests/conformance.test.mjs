// Every conformance vector through the npm package gives the answer Rust gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { call } from '../pkg/node.mjs';

const root = new URL('../../tests/vectors/', import.meta.url).pathname;
function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : name.endsWith('.json') ? [path] : [];
  });
}
const files = walk(root).sort();

test('there are conformance vectors', () => assert.ok(files.length > 200, `${files.length} vectors`));

for (const file of files) {
  const v = JSON.parse(readFileSync(file, 'utf8'));
  test(file.slice(root.length), () => {
    const request = 'request_text' in v ? v.request_text : JSON.stringify(v.request);
    assert.deepStrictEqual(call(v.operation, request), v.expected);
  });
}
