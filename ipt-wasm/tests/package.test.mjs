// The built package as npm would publish it (pkg/): its entries export what its types declare,
// Node's ES module and CommonJS entries share one engine, the browser entry loads the same
// wasm file (given as bytes here; fetched beside it in browsers), and package.json's exports,
// files and engines describe what is there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import * as esm from '../pkg/node.mjs';

const pkg = new URL('../pkg/', import.meta.url);
const require = createRequire(import.meta.url);
const cjs = require('../pkg/index.cjs');
const manifest = JSON.parse(readFileSync(new URL('package.json', pkg), 'utf8'));
const declared = [...readFileSync(new URL('index.d.ts', pkg), 'utf8').matchAll(/^export declare (?:const|function|class) (\w+)/gm)]
  .map((m) => m[1]).sort();

test('every entry exports exactly what index.d.ts declares', async () => {
  assert.ok(declared.includes('init') && declared.includes('ready') && declared.includes('assessSuitability'), declared.join(' '));
  const web = await import('../pkg/web.mjs');
  for (const [name, entry] of [['node.mjs', esm], ['index.cjs', cjs], ['web.mjs', web]]) {
    assert.deepEqual(Object.keys(entry).sort(), declared, name);
    for (const key of declared) assert.notEqual(entry[key], undefined, `${name}: ${key}`);
  }
  assert.equal(readFileSync(new URL('index.d.cts', pkg), 'utf8'), readFileSync(new URL('index.d.ts', pkg), 'utf8'));
});

test('import and require share one engine in Node', async () => {
  assert.equal(esm.Course, cjs.Course);
  assert.equal(esm.IptError, cjs.IptError);
  const course = new cjs.Course({ variant: 'brief' });
  assert.ok(esm.Course.fromSnapshot(course.snapshot()) instanceof esm.Course);
  assert.throws(() => esm.assessSuitability({ age: 300 }), cjs.IptError);
  assert.equal(await cjs.init(), undefined);
  assert.equal(await esm.ready, undefined);
});

test('the browser entry: a failed load says what to do, and the shipped wasm file loads', async () => {
  // In a fresh instance of web.mjs (its glue not loaded yet): Node cannot fetch the default
  // file URL, as an esbuild bundle without the file cannot.
  const web = await import('../pkg/web.mjs?fresh');
  assert.equal(web.call('version').error.code, 'not_ready');
  await assert.rejects(web.init(), (e) => /ipt_wasm_bg\.wasm could not be loaded/.test(e.message)
    && /--loader:\.wasm=file/.test(e.message) && /init\(wasmUrl\)/.test(e.message) && e.cause !== undefined);
  await web.init(readFileSync(new URL('ipt_wasm_bg.wasm', pkg)));
  await web.ready;
  assert.deepEqual(web.assessSuitability({ findings: { active_psychosis: 'present' } }), esm.assessSuitability({ findings: { active_psychosis: 'present' } }));
});

test('package.json: engines, exports and files match what is built', () => {
  assert.equal(manifest.name, 'ipt-engine');
  assert.equal(manifest.engines.node, '>=18');
  assert.equal(manifest.main, './index.cjs');
  const text = JSON.stringify(manifest);
  assert.doesNotMatch(text, /example\.invalid|@VERSION@/);
  // Every target of exports exists, and every entry has its types first.
  const targets = [];
  const walk = (v) => {
    if (typeof v === 'string') targets.push(v);
    else {
      const keys = Object.keys(v);
      if (keys.includes('types') && keys.includes('default')) assert.equal(keys[0], 'types', JSON.stringify(v));
      Object.values(v).forEach(walk);
    }
  };
  walk(manifest.exports);
  const built = readdirSync(pkg).sort();
  for (const t of targets) assert.ok(built.includes(t.replace(/^\.\//, '')), t);
  // What is built is what is published: the listed files and npm's own (package.json, README, LICENSE).
  assert.deepEqual([...manifest.files, 'package.json', 'README.md', 'LICENSE'].sort(), built);
  assert.equal(built.filter((f) => f.endsWith('.wasm')).length, 1, 'the wasm module is shipped once');
});

test('the schemas: a file of the package, the committed ones, in every entry', async () => {
  const dir = new URL('../../ipt-core/schemas/', import.meta.url);
  const committed = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.json'))
    .map((f) => [f.slice(0, -'.json'.length), JSON.parse(readFileSync(new URL(f, dir), 'utf8'))]));
  assert.deepEqual(cjs.schemas(), committed);
  assert.deepEqual(esm.call('schemas', {}).result, committed);
  assert.equal(await esm.loadSchemas(), undefined);
  // The request is still the engine's to refuse.
  assert.equal(cjs.call('schemas', { name: 'x' }).error.path, '$.name');
  // Browsers: not_ready until loadSchemas() has fetched the file (served here over HTTP).
  const web = await import('../pkg/web.mjs?schemas');
  await web.init(readFileSync(new URL('ipt_wasm_bg.wasm', pkg)));
  assert.throws(() => web.schemas(), (e) => e instanceof web.IptError && e.code === 'not_ready' && /loadSchemas/.test(e.message));
  assert.equal(web.call('schemas').error.code, 'not_ready');
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    if (req.url !== '/schemas.json') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(readFileSync(new URL('schemas.json', pkg)));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    const base = `http://127.0.0.1:${server.address().port}/`;
    await assert.rejects(web.loadSchemas(`${base}missing.json`), /HTTP 404/);
    await web.loadSchemas(`${base}schemas.json`);
  } finally {
    server.close();
  }
  assert.deepEqual(web.schemas(), committed);
  assert.equal(JSON.stringify(web.call('schemas')), JSON.stringify(cjs.call('schemas')));
});
