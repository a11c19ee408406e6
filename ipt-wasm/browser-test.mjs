// Browser test: serves ipt-wasm/ on 127.0.0.1, drives Debian's chromium headless with
// playwright-core through intake, problem areas, the course start and two sessions, asserts
// what is rendered, and saves a screenshot to ipt-wasm/test-results/demo.png. Then, in the
// same page, the browser build of the test package (pkg-test/web.mjs): calls before `init`
// are not_ready, arguments are checked before they cross, and a trap loses no live course.
import { createServer } from 'node:http';
import { readFile, mkdtemp, mkdir } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

const root = new URL('.', import.meta.url).pathname;
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };
const server = createServer(async (req, res) => {
  const path = normalize(join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
  if (!path.startsWith(root)) { res.writeHead(403).end(); return; }
  const file = path.endsWith('/') ? join(path, 'index.html') : path;
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch { res.writeHead(404).end(); }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const url = `http://127.0.0.1:${server.address().port}/demo/`;

const failures = [];
let expected = 9;
const expect = (ok, what) => { if (!ok) failures.push(what); console.log(`${ok ? 'ok' : 'FAIL'} - ${what}`); };
const userDataDir = await mkdtemp(join(tmpdir(), 'ipt-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1100, height: 1500 },
});
const timer = setTimeout(() => { console.error('browser test timed out'); process.exit(1); }, 90_000);
try {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('versions').textContent.includes('engine'));
  await page.click('#assess');
  await page.waitForSelector('#verdict-value');
  expect((await page.textContent('#verdict-value')).trim() === 'ESSENTIAL', 'intake gives the essential verdict');
  expect((await page.textContent('#verdict')).includes('I-MOOD-ESSENTIAL'), 'the verdict cites its rule');
  await page.selectOption('#f-active_psychosis', 'present');
  await page.click('#assess');
  await page.waitForFunction(() => document.getElementById('verdict-value').textContent.includes('CONTRA'));
  expect((await page.textContent('#verdict')).includes('C-PSYCHOSIS'), 'psychosis present: contraindicated, citing C-PSYCHOSIS');
  await page.selectOption('#f-active_psychosis', 'unknown');
  await page.click('#assess');
  await page.waitForFunction(() => document.getElementById('verdict-value').textContent.includes('INDETERMINATE'));
  expect((await page.textContent('#verdict')).includes('$.findings.active_psychosis'), 'unknown psychosis: the missing input is shown');
  await page.selectOption('#f-active_psychosis', 'absent');
  await page.click('#assess');
  await page.click('#rank');
  await page.waitForSelector('#ranking table');
  expect((await page.textContent('#ranking')).includes('grief'), 'problem areas ranked');
  await page.click('#start-course');
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('Phase'));
  await page.click('#record-session');
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('session 1'));
  await page.click('#record-session');
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('session 2'));
  expect((await page.locator('#chart circle.point').count()) === 1, 'the PHQ-9 chart shows the session-1 score');
  expect((await page.textContent('#status')).includes('initial'), 'the course is in its initial phase');
  await page.click('#complete');
  await page.waitForSelector('#alerts [data-code="transition_refused"]');
  expect(true, 'completing early is refused with its reasons');
  expect(errors.length === 0, `no page errors ${errors.join('; ')}`);
  await mkdir(join(root, 'test-results'), { recursive: true });
  await page.screenshot({ path: join(root, 'test-results', 'demo.png'), fullPage: true });
  const checks = await page.evaluate(async () => {
    const out = [];
    const check = (ok, what) => out.push([Boolean(ok), what]);
    const code = (f) => {
      try {
        f();
        return 'no error';
      } catch (e) {
        return e.code ?? String(e);
      }
    };
    const m = await import('/pkg-test/web.mjs');
    check(code(() => m.version()) === 'not_ready', 'web: a call before init throws not_ready');
    check(code(() => new m.Course({ variant: 'brief' })) === 'not_ready', 'web: a Course before init throws not_ready');
    const early = m.call('version');
    check(early.error?.code === 'not_ready' && early.engine_version && early.operation === 'version', 'web: call before init answers not_ready in the engine envelope');
    await m.ready;
    check(m.version().engine_version === early.engine_version, 'web: after ready the module answers');
    check(m.call(42).error?.code === 'invalid_argument', 'web: a number as the operation name is invalid_argument');
    check(code(() => m.assessSuitability(10n)) === 'invalid_argument', 'web: a BigInt request is invalid_argument');
    check(code(() => m.assessSuitability('{"x": "\uD800"}')) === 'invalid_json', 'web: a lone surrogate is invalid_json');
    const max = m.version().limits.max_request_bytes;
    check(m.call('assess_suitability', ' '.repeat(max + 1)).error?.code === 'input_too_large', 'web: a request over the limit is input_too_large');
    const a = new m.Course({ variant: 'brief' });
    a.apply({ type: 'risk_assessed', level: 'high' });
    const b = m.Course.fromSnapshot(new m.Course({ variant: 'group' }).snapshot());
    const freed = new m.Course({ variant: 'brief' });
    freed.free();
    const before = JSON.stringify([a.status(), b.status(), a.snapshot(), b.snapshot()]);
    check(code(() => m.panicForTest()) === 'internal', 'web: a panic is an internal IptError');
    check(JSON.stringify([a.status(), b.status(), a.snapshot(), b.snapshot()]) === before, 'web: both live courses answer as before the trap');
    check(a.apply({ type: 'risk_assessed', level: 'low' }).events === 2 && b.apply({ type: 'risk_assessed', level: 'low' }).events === 1, 'web: and take further events');
    check(code(() => freed.status()) === 'invalid_handle', 'web: a freed course stays freed');
    return out;
  });
  for (const [ok, what] of checks) expect(ok, what);
  expect(errors.length === 0, `no page errors after the web build's checks ${errors.join('; ')}`);
  expected += checks.length + 1;
} finally {
  clearTimeout(timer);
  await context.close();
  server.close();
}
console.log(`${expected - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
