// TypeScript (module nodenext) in a CommonJS module: the `require` types (index.d.cts).
import engine = require('ipt-engine');

const report = engine.assessSuitability({ findings: { active_psychosis: 'present' } });
const verdict: string = report.verdict;
const ready: PromiseLike<void> = engine.ready;
const init: (input?: unknown) => Promise<void> = engine.init;
// @ts-expect-error: a number is no request
engine.assessSuitability(42);
try {
  new engine.Course({ variant: 'brief' }).apply({ type: 'course_completed' });
} catch (e) {
  if (e instanceof engine.IptError) console.log(e.code, e.path, e.unmet.length);
}
console.log(verdict, ready, init);
