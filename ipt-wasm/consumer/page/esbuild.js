// The esbuild page, with the package README's step: the wasm file imported as a URL
// (`--loader:.wasm=file` emits it with the bundle) and given to `init`.
import * as api from 'ipt-engine';
import wasmUrl from 'ipt-engine/ipt_wasm_bg.wasm';
import { checks } from './checks.js';

const out = document.getElementById('result');
try {
  await api.init(wasmUrl);
  out.textContent = checks(api);
} catch (e) {
  out.textContent = `failed: ${e.message}`;
}
