// TypeScript (module nodenext) in an ES module: the `import` types of the installed package.
import { ready, init, assessSuitability, call, Course, IptError, type ErrorCode, type InputUsed } from 'ipt-engine';

await ready;
const loaded: void = await init();
const report = assessSuitability({ findings: { active_psychosis: 'present' } });
const verdict: string = report.verdict;
const used: InputUsed[] = report.explanation?.contraindications.flatMap((e) => e.inputs_used ?? []) ?? [];
const value: string | number | boolean | null | unknown[] | undefined = used[0]?.value;
// @ts-expect-error: an operation the engine does not have
call('assess_suitabilty', {});
try {
  new Course({ variant: 'brief' }).apply({ type: 'course_completed' });
} catch (e) {
  if (e instanceof IptError) {
    const code: ErrorCode = e.code;
    console.log(code);
  }
}
console.log(loaded, verdict, value);
