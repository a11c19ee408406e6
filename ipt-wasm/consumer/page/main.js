// The bundled page (Vite, and esbuild without the wasm step): `await ready` fetches the module
// from `new URL("ipt_wasm_bg.wasm", import.meta.url)`; a bundler must emit that file.
import * as api from 'ipt-engine';
import { checks } from './checks.js';

const out = document.getElementById('result');
try {
  await api.ready;
  out.textContent = checks(api);
} catch (e) {
  out.textContent = `failed: ${e.message}`;
}
