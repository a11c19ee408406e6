// TypeScript as a bundler resolves it (moduleResolution bundler): the browser entry's types.
import { ready, init, assessSuitability, type Assessment } from 'ipt-engine';
import type { SuitabilityReport } from 'ipt-engine/types';

await ready;
await init(new URL('./ipt_wasm_bg.wasm', import.meta.url));
const assessment: Assessment = { age: 40 };
const report: SuitabilityReport = assessSuitability(assessment);
console.log(report.verdict);
