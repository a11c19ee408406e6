// Node entry: the wasm module is loaded synchronously, so the API is ready on import.
import { createRequire } from 'node:module';
import { makeApi, IptError } from './wrap.mjs';

const raw = createRequire(import.meta.url)('./node/ipt_wasm.js');
const api = makeApi(raw);
export { IptError };
export const {
  Course, call, version, rules, schemas, assessSuitability, serviceReadiness, rankProblemAreas,
  checkFocus, evaluateMeasure, courseStart, courseApply, courseReplay, courseStatus,
} = api;
export const ready = Promise.resolve();
