// Compiled with `tsc --noEmit --strict`: the package's types must describe real usage.
import { assessSuitability, call, Course, IptError, type Assessment, type Finding } from 'ipt-engine';

const finding: Finding = 'present';
const assessment: Assessment = { age: 40, findings: { active_psychosis: finding } };
const report = assessSuitability(assessment);
const verdict: string = report.verdict;
const cited: string[] = (report.explanation?.contraindications ?? []).map((e) => e.rule_id);
const decision = assessSuitability({ ...assessment, detail: 'decision' });
const met: string[] = decision.rules.met;
const missing: string[] = report.inputs_missing;

const course = new Course({ variant: 'standard' });
try {
  course.apply({ type: 'course_completed' });
} catch (e) {
  if (e instanceof IptError) {
    const code: string = e.code;
    const path: string | null = e.path;
    console.log(code, path, e.unmet.length);
  }
}
const applied = course.apply({ type: 'risk_assessed', level: 'low' });
const held: number = applied.events;
// @ts-expect-error: an operation the engine does not have is a type error
call('assess_suitabilty', {});
console.log(verdict, cited, met, missing, held, applied.outputs.alerts, course.status());
