'use strict';
// Node entry, CommonJS: the wasm module (ipt_wasm_bg.wasm, beside this file) is loaded
// synchronously, so the API is ready on require. The ES module entry (node.mjs) re-exports
// this one, so a process that both imports and requires the package holds one engine.
const glue = require('./ipt_wasm.cjs');
const { makeApi } = require('./wrap.cjs');

// What the build read from the engine: versions, operations, the request limit.
const ENGINE = /*@ENGINE@*/ null;
// The committed JSON Schemas (the `schemas` result), read on first use.
let schemasText = null;
const schemas = () => (schemasText ??= require('node:fs').readFileSync(`${__dirname}/schemas.json`, 'utf8'));
const api = makeApi({ glue, engine: ENGINE, schemas });
/** In Node the module is loaded on require: `ready`, `init()` and `loadSchemas()` resolve at once. */
const ready = Promise.resolve();
const init = () => ready;
const loadSchemas = () => ready;
module.exports = { ...api, ready, init, loadSchemas };
