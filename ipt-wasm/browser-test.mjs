// Browser test: the demo page as a clinician sees it, served by the documented command
// (`bash ipt-wasm/demo/serve.sh`) and driven in Debian's chromium, headless, with
// playwright-core: intake (the verdict, its rules and what is missing in words, the rules that
// do not apply collapsed, high suicide risk as a safety alert that puts the verdict on hold),
// problem areas, the course with its PHQ-9 chart (axis values, baseline, thresholds), a
// refusal shown in words beside the button pressed, the whole course to completion with its
// buttons then disabled, and every source cited linked to its reference. Screenshots go to
// target/demo-screenshots/. The page served without the package says how to serve it. Then,
// in the same browser, the browser build of the test package (pkg-test/web.mjs): calls before
// `init` are not_ready, arguments are checked before they cross, and a trap loses no course.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile, mkdtemp, mkdir, rm } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

const here = new URL('.', import.meta.url).pathname;
const shots = join(here, '..', 'target', 'demo-screenshots');
await mkdir(shots, { recursive: true });

// The documented command, on any free port; it prints the address.
const served = spawn('bash', [join(here, 'demo/serve.sh'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((ok, fail) => {
  let out = '';
  served.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/http:\/\/127\.0\.0\.1:\d+\/demo\//);
    if (m) ok(m[0]);
  });
  served.on('exit', (code) => fail(new Error(`serve.sh exited (${code}): ${out}`)));
});
process.on('exit', () => served.kill());
// The demo folder alone, as a static server pointed at it would serve it.
const alone = createServer(async (req, res) => {
  const file = normalize(join(here, 'demo', new URL(req.url, 'http://x').pathname.replace(/\/$/, '/index.html')));
  const body = await readFile(file).catch(() => null);
  if (body === null) res.writeHead(404).end();
  else res.writeHead(200, { 'content-type': { '.js': 'text/javascript', '.css': 'text/css' }[extname(file)] ?? 'text/html' }).end(body);
});
await new Promise((ok) => alone.listen(0, '127.0.0.1', ok));

const failures = [];
let passed = 0;
const expect = (ok, what) => {
  if (ok) passed++;
  else failures.push(what);
  console.log(`${ok ? 'ok' : 'FAIL'} - ${what}`);
};
const userDataDir = await mkdtemp(join(tmpdir(), 'ipt-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1100, height: 1000 },
});
const timer = setTimeout(() => { console.error('browser test timed out'); process.exit(1); }, 180_000);
/** What a reader sees in an element: its rendered text. */
const seen = (page, selector) => page.locator(selector).innerText();
const RAW = /\$\.|\b[a-z]+_[a-z_]+\b/; // a JSONPath, or an enum value such as major_depression
try {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('versions').textContent.includes('engine'));
  expect(await page.locator('#load-status').isHidden(), 'served by serve.sh, the engine loads');
  expect(!RAW.test(await seen(page, '#assessment-form')), 'the intake form reads in words (no field keys or enum values)');
  // Every input on the form is labelled as the engine labels it (the `inputs` of its rules answer).
  const labels = await page.evaluate(async () => {
    const engine = await import('../pkg/web.mjs');
    await engine.ready;
    const own = new Map(engine.rules().inputs.map((i) => [i.path, i.label]));
    return [...document.querySelectorAll('#assessment-form [data-input]')].map((el) => {
      const d = el.dataset.input.match(/^\$\.diagnoses\[(\d+)\]\.(\w+)$/);
      const want = d ? own.get(`$.diagnoses[*].${d[2]}`)?.replace('{n}', String(Number(d[1]) + 1)) : own.get(el.dataset.input);
      return [el.dataset.input, el.textContent, want];
    });
  });
  const unlike = labels.filter(([, shown, want]) => !want || shown !== want);
  expect(labels.length >= 14 && unlike.length === 0, `the form's ${labels.length} inputs are labelled in the engine's words (${JSON.stringify(unlike)})`);

  // Intake: the verdict, its rules, and what does not apply collapsed.
  await page.click('#assess');
  await page.waitForSelector('#verdict-value');
  const essential = await seen(page, '#verdict-value');
  expect(essential === 'Essential', `intake gives the essential verdict (${essential})`);
  expect((await page.textContent('#verdict .verdict-card')).includes('I-MOOD-ESSENTIAL'), 'the verdict cites its rule');
  const size = (sel) => page.$eval(sel, (el) => parseFloat(getComputedStyle(el).fontSize));
  const body = await page.$eval('body', (el) => parseFloat(getComputedStyle(el).fontSize));
  expect(await size('#verdict-value') > body * 1.4, 'with no safety alert the verdict is in large type');
  const verdictText = await seen(page, '#verdict');
  expect(!RAW.test(verdictText), 'the verdict panel shows no JSONPath and no raw enum value');
  expect(verdictText.includes('Based on: Motivation for change: present'), 'inputs are shown by the engine\'s label and value');
  const collapsed = await page.$$eval('#verdict details.not-applying', (ds) => ds.map((d) => [d.open, d.querySelectorAll('.item').length]));
  expect(collapsed.length >= 2 && collapsed.every(([open, n]) => !open && n > 0), `rules that do not apply are collapsed (${JSON.stringify(collapsed)})`);
  expect(await page.$$eval('#verdict .item[data-status="not_met"], #verdict .item[data-status="not_applicable"]',
    (items) => items.every((i) => i.closest('details.not-applying'))), 'and only there');
  await page.screenshot({ path: join(shots, '1-intake.png'), fullPage: true });

  // High suicide risk: the alert first, the verdict on hold and not in large type.
  await page.selectOption('#suicide_risk', 'high');
  await page.click('#assess');
  await page.waitForSelector('#safety');
  const safety = await seen(page, '#safety');
  expect(/safety first/i.test(safety) && safety.includes('X-SUICIDE') && safety.includes('Suicide risk: high'), 'high suicide risk: a safety alert, in words, with its rule');
  const onHold = await seen(page, '#verdict .verdict-card');
  expect(/on hold/i.test(onHold) && (await seen(page, '#verdict-value')).startsWith('If safety allows'), 'the verdict says it is on hold until safety is addressed');
  expect(await size('#verdict-value') <= body * 1.05, 'and is not in large type');
  const [alertBox, verdictBox] = [await page.locator('#safety').boundingBox(), await page.locator('#verdict .verdict-card').boundingBox()];
  expect(alertBox.y + alertBox.height <= verdictBox.y && verdictBox.y - alertBox.y < 400, 'the alert sits just above the verdict, beside the button pressed');
  await page.locator('#verdict').screenshot({ path: join(shots, '2-high-suicide-risk.png') });
  await page.selectOption('#suicide_risk', 'low');

  // A finding not known: indeterminate, and what is missing by its label.
  await page.selectOption('#f-active_psychosis', 'present');
  await page.click('#assess');
  await page.waitForFunction(() => document.getElementById('verdict-value').textContent === 'Contraindicated');
  expect((await page.textContent('#verdict .verdict-card')).includes('C-PSYCHOSIS'), 'psychosis present: contraindicated, citing C-PSYCHOSIS');
  await page.selectOption('#f-active_psychosis', 'unknown');
  await page.click('#assess');
  await page.waitForFunction(() => document.getElementById('verdict-value').textContent === 'Indeterminate');
  const missing = await seen(page, '#verdict .verdict-card .missing');
  expect(missing.includes('Active psychosis') && !missing.includes('$.'), `unknown psychosis: the missing input is named in words (${missing})`);
  await page.selectOption('#f-active_psychosis', 'absent');
  await page.click('#assess');

  // Problem areas.
  await page.click('#rank');
  await page.waitForSelector('#ranking table');
  const ranking = await seen(page, '#ranking table');
  expect(ranking.includes('Role dispute') && ranking.includes('Grief') && !RAW.test(ranking), 'problem areas ranked, in words');
  expect((await seen(page, '#ranking')).includes('Death of father: mourning obstructed'), 'an inventory input is named by the person and event');
  await page.locator('#areas').screenshot({ path: join(shots, '3-problem-areas.png') });

  // The course, and a refusal beside its button.
  await page.click('#start-course');
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('Initial phase'));
  for (let n = 1; n <= 2; n++) {
    await page.click('#record-session');
    await page.waitForFunction((k) => document.getElementById('status').textContent.includes(`session ${k} of`), n);
  }
  await page.click('#complete');
  await page.waitForSelector('#course-message [data-code="transition_refused"]');
  const refused = await seen(page, '#course-message');
  expect(refused.startsWith('Completing the course is not possible yet') && refused.includes('2 of 16 sessions held') && refused.includes('ST-TERMINATION'),
    `completing early is refused with its reasons, in words (${refused.split('\n')[0]})`);
  expect(!/transition_refused|\$\.event|`course_completed`/.test(refused), 'the refusal shows no error code, path or event key');
  const [button, message] = [await page.locator('#complete').boundingBox(), await page.locator('#course-message').boundingBox()];
  expect(message.y >= button.y + button.height - 1 && message.y - (button.y + button.height) < 40 && Math.abs(message.x - button.x) < 600,
    `the refusal is shown right below the button pressed (${Math.round(message.y - button.y - button.height)} px)`);
  expect(await page.locator('#alerts').count() === 0 && await page.locator('header .message:visible').count() === 0, 'nothing is shown at the top of the page instead');
  await page.screenshot({ path: join(shots, '4-refusal.png'), clip: { x: 0, y: Math.max(0, button.y - 260), width: 1100, height: 560 } });

  // The chart: axis values, the baseline, the thresholds.
  expect(await page.locator('#chart circle.point').count() === 1, 'the PHQ-9 chart shows the session-1 score');
  const ticks = await page.$$eval('#chart text.tick.y', (ts) => ts.map((t) => Number(t.textContent)));
  expect([0, 5, 10, 15, 20, 27].every((t) => ticks.includes(t)), `the chart's axis has values (${ticks})`);
  const lines = await page.$$eval('#chart .line-label', (ts) => ts.map((t) => t.textContent));
  expect(lines.some((l) => l.startsWith('baseline 18')) && lines.some((l) => l.startsWith('response: 9 or less')) && lines.some((l) => l.startsWith('remission: 4 or less')),
    `the chart shows the baseline and the engine's thresholds (${lines.join(' | ')})`);
  expect((await page.$$eval('#chart .band-label', (ts) => ts.map((t) => t.textContent))).includes('moderately severe 15–19'), 'and the bands by name and range');
  // The change rules' lines, from the course status (baseline 18: reliable change 5 points,
  // caseness 10), each with its rule.
  const keyed = await page.$$eval('#chart .line-label', (ts) => ts.map((t) => [t.textContent, t.dataset.rule]));
  const has = (label, id) => keyed.some(([l, r]) => l === label && r === id);
  expect(has('case: 10 or more', 'M-RECOVERY') && has('reliable improvement: 13 or less', 'M-RELIABLE-CHANGE')
    && has('reliable deterioration: 23 or more', 'M-DETERIORATION') && has('remission: 4 or less', 'M-PHQ9'),
  `the chart draws the engine's caseness and reliable-change lines with their rules (${keyed.map((k) => k.join(' ')).join(' | ')})`);
  const drawn = await page.$$eval('#chart line[data-kind]', (ls) => ls.map((l) => l.dataset.kind));
  expect(['baseline', 'response', 'remission', 'caseness', 'reliable_improvement', 'reliable_deterioration'].every((k) => drawn.includes(k)),
    `every line the engine gives is drawn (${drawn})`);

  // The whole course: sessions, termination, completion; then nothing more can be recorded.
  for (let n = 3; n <= 16; n++) {
    if (n === 12) await page.click('#raise-termination');
    await page.click('#record-session');
    await page.waitForFunction((k) => document.getElementById('status').textContent.includes(`session ${k} of`), n);
    expect(await page.locator('#course-message [data-code]').count() === 0, `session ${n} recorded without a refusal`);
  }
  await page.click('#complete');
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Completed'));
  const disabled = await page.$$eval('#session-form button, #phq9', (els) => els.map((e) => e.disabled));
  expect(disabled.length === 4 && disabled.every(Boolean), 'after completion the course buttons are disabled');
  expect((await seen(page, '#course-message')).includes('The course is completed'), 'and the page says why');
  expect(await page.locator('#chart circle.point').count() === 7, 'the chart holds every PHQ-9 recorded');
  const change = await seen(page, '#change');
  expect(await page.locator('#change .item[data-rule="M-RELIABLE-CHANGE"]').count() === 1
    && await page.locator('#change .item[data-rule="M-RECOVERY"]').count() === 1
    && /reliable improvement, 18 to 6/.test(change) && /reliable recovery/.test(change),
  'below the chart, the change at the last measure in words: reliable improvement and reliable recovery, with their rules');
  expect(/Sustained remission: (yes|not yet)/.test(change), 'and whether remission is sustained');
  expect(!RAW.test(change), `the change panel shows no JSONPath and no raw enum value (${change.match(RAW)?.[0]})`);
  const review = await seen(page, '#review');
  expect(await page.locator('#review .item[data-rule="ST-REVIEW"]').count() >= 3
    && /16 of 16 contracted sessions held/.test(review) && /PHQ-9: 18 \(moderately severe\) at session 1 to 6 \(mild\)/.test(review)
    && /No relapse-prevention plan is recorded/.test(review) && await page.locator('#review .item[data-rule="G-PROGRESS"]').count() === 1,
  'after completion, the ending review: the sessions, the PHQ-9 from baseline to last, the goal, and the plan not yet recorded');
  await page.locator('#course').screenshot({ path: join(shots, '5-completed-course.png') });

  // Sources: every key cited leads to its reference in the page.
  const links = await page.$$eval('a.source', (as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
  const targets = await page.$$eval('#source-list li', (lis) => Object.fromEntries(lis.map((li) => [li.id, li.innerText])));
  expect(links.length > 20 && links.every(([key, href]) => targets[href.slice(1)]?.startsWith(key)),
    `every source cited links to its reference (${links.length} links)`);
  expect(/Los Angeles County Department of Mental Health\. Interpersonal Psychotherapy Techniques/.test(targets['source-S1']) && /2022/.test(targets['source-S1']),
    'S1 is identified: publisher, title, year');
  expect(Object.values(targets).every((t) => /\(\D+(, \d{4})?\)/.test(t)), 'every source says what kind of document it is');
  await page.locator('#verdict a.source[href="#source-S1"]:visible').first().click();
  expect(await page.$eval('#source-S1', (li) => li.matches(':target')), 'a source key takes the reader to its reference');
  await page.screenshot({ path: join(shots, '6-whole-page.png'), fullPage: true });
  expect(errors.length === 0, `no page errors ${errors.join('; ')}`);

  // The demo folder served on its own: the page says how to serve it.
  const lone = await context.newPage();
  await lone.goto(`http://127.0.0.1:${alone.address().port}/`);
  await lone.waitForFunction(() => document.getElementById('load-status').textContent.includes('could not be loaded'));
  expect((await seen(lone, '#load-status')).includes('bash ipt-wasm/demo/serve.sh'), 'served without the package, the page says how to serve it');
  await lone.close();

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
} catch (e) {
  failures.push(String(e.stack ?? e));
  console.error(e);
} finally {
  clearTimeout(timer);
  await context.close();
  await rm(userDataDir, { recursive: true, force: true });
  served.kill();
  alone.close();
}
console.log(`screenshots: ${shots}`);
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
