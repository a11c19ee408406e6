// Serves the demo page and the package it loads: ipt-wasm/demo/ and ipt-wasm/pkg/ (and the
// test build pkg-test/, which the browser test uses), on 127.0.0.1 only. `/` leads to the demo.
// Usage: node ipt-wasm/demo/serve.mjs [--port N]   (N = 0: any free port; default 8080)
// `bash ipt-wasm/demo/serve.sh` builds the package first when it is missing.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const SERVED = ['demo', 'pkg', 'pkg-test'];
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.cjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.ts': 'text/plain', '.md': 'text/plain; charset=utf-8' };

/** Starts the server; resolves to it once listening. */
export function serve(port = 8080) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/' || url.pathname === '/demo') {
      res.writeHead(302, { location: '/demo/' }).end();
      return;
    }
    const path = normalize(join(root, decodeURIComponent(url.pathname)));
    if (!SERVED.some((d) => path.startsWith(join(root, d) + sep))) {
      res.writeHead(404).end();
      return;
    }
    const file = path.endsWith(sep) ? join(path, 'index.html') : path;
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok(server));
  });
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const arg = process.argv.slice(2).join('=').match(/--port=(\d+)/);
  const server = await serve(arg ? Number(arg[1]) : 8080);
  console.log(`The demo page: http://127.0.0.1:${server.address().port}/demo/  (Ctrl-C stops it)`);
}
