// What each consumer checks through its own import of the package (ESM, CommonJS, the esbuild
// and Vite bundles): one line that must be the same everywhere.
export function checks(api) {
  const report = api.assessSuitability({ age: 34, findings: { active_psychosis: 'present' } });
  const course = new api.Course({ variant: 'brief' });
  let refused = 'not refused';
  try {
    course.apply({ type: 'session_held', number: 1, date: '2026-01-05' });
  } catch (e) {
    refused = e instanceof api.IptError && e instanceof Error ? `${e.code} (${e.unmet.length} unmet)` : `not an IptError: ${e}`;
  }
  course.free();
  let freed = 'usable after free';
  try {
    course.status();
  } catch (e) {
    freed = e.code;
  }
  return [
    `engine ${api.version().engine_version}`,
    `${report.verdict} by ${report.decided_by.join(',')}`,
    refused,
    `freed: ${freed}`,
    `unknown: ${api.call('nope').error.code}`,
  ].join('; ');
}
