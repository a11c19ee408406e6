// Compiled with `tsc --noEmit --strict`: the package's types must describe real usage, and
// reject what the package refuses. Each `@ts-expect-error` is a line that must not compile.
import {
  assessSuitability, call, version, init, ready, Course, IptError, cdsHooks, cdsServices, fhirAssess, fhirObservations,
  type Assessment, type Finding, type InputUsed, type ErrorAnswer, type ErrorCode, type OperationName, type Snapshot,
} from 'ipt-engine';

await ready;
const loaded: void = await init();

const finding: Finding = 'present';
const assessment: Assessment = { age: 40, findings: { active_psychosis: finding } };
const report = assessSuitability(assessment);
const verdict: string = report.verdict;
const cited: string[] = (report.explanation?.contraindications ?? []).map((e) => e.rule_id);
const decision = assessSuitability({ ...assessment, detail: 'decision' });
const met: string[] = decision.rules.met;
const missing: string[] = report.inputs_missing;
// A request may also be given as its JSON text.
const fromText = assessSuitability('{"age": 40}');
// @ts-expect-error: a number is no request
assessSuitability(42);
// @ts-expect-error: an unknown field is a type error, as the engine refuses it
assessSuitability({ agee: 40 });

// An input used is a value the rule saw: a string, number, boolean, null or a list of them.
const used: InputUsed[] = report.explanation?.contraindications.flatMap((e) => e.inputs_used ?? []) ?? [];
for (const u of used) {
  const value = u.value;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) {
    console.log(u.path, value);
  } else {
    const list: unknown[] = value;
    console.log(u.path, list.length);
  }
  if (u.value !== null) {
    // @ts-expect-error: never an object with fields
    console.log(u.value.status);
  }
}

// `call` takes only the engine's operation names and answers that operation's envelope.
const answer = call('assess_suitability', { age: 40 });
if (answer.ok && answer.result) {
  const v: string = answer.result.verdict;
  console.log(v);
} else if (answer.error) {
  const code: ErrorCode = answer.error.code;
  // @ts-expect-error: error codes are the engine's stable strings
  const nonsense: typeof code = 'oops';
  console.log(code, nonsense, answer.error.path);
}
const limit: number = call('version').result!.limits.max_request_bytes;
const name: OperationName = 'course_replay';
call(name, '{"start": {"variant": "brief"}, "events": []}');
// @ts-expect-error: an operation the engine does not have is a type error
call('assess_suitabilty', {});
// @ts-expect-error: so is a name that is not a string
call(42, {});
// @ts-expect-error: and a request of another operation
call('course_start', { age: 40 });

const course = new Course({ variant: 'standard' });
try {
  course.apply({ type: 'course_completed' });
} catch (e) {
  if (e instanceof IptError) {
    const code: ErrorCode = e.code;
    if (code === 'invalid_handle' || code === 'not_ready' || code === 'invalid_argument') console.log('boundary');
    const path: string | null = e.path;
    const envelope: ErrorAnswer = e.answer;
    const ok: false = envelope.ok;
    console.log(code, path, e.unmet.length, envelope.operation, ok);
  }
}
const applied = course.apply({ type: 'risk_assessed', level: 'low' });
const held: number = applied.events;
course.apply('{"type": "risk_assessed", "level": "high"}');
// @ts-expect-error: an event the engine does not know
course.apply({ type: 'session_skipped' });
// @ts-expect-error: the handle's answer has no snapshot: ask the course
console.log(applied.snapshot);
const snapshot: Snapshot = course.snapshot();
const restored = Course.fromSnapshot(snapshot);
// `started` is the start's result, or the status of a restored course.
const started = restored.started;
if ('snapshot' in started) console.log(started.snapshot.events.length);
else console.log(started.phase);
restored.free();
course.free();

// EHRs: a CDS Hooks request in, cards out; the discovery document; a FHIR Bundle read; measures
// written as Observations.
const cards = cdsHooks({ date: '2026-01-05', request: { hook: 'patient-view', hookInstance: 'x', context: { patientId: 'example' } } }).cards;
const summaries: string[] = cards.map((c) => c.summary);
const indicators: ('info' | 'warning' | 'critical')[] = cards.map((c) => c.indicator);
const services: string[] = cdsServices().services.map((s) => s.id);
const record = fhirAssess({ date: '2026-01-05', bundle: { resourceType: 'Bundle', entry: [] } });
const codes: string[] = record.codes.map((c) => `${c.system} ${c.code}: ${c.outcome}`);
// Every item-9 answer with what it does, and whether the record came whole.
const alerts: boolean[] = record.item9.map((x) => x.outcome === 'alert' && x.status === 'final');
const whole: boolean = record.complete;
const unread: string[] = record.unread.map((u) => `${u.reason} ${u.value ?? ''}`);
const topics: string[] = cards.map((c) => c.source.topic.code);
const written = fhirObservations({ subject: 'Patient/example', measures: [{ instrument: 'phq9', total: 12, item9: 0 }] });
const total: number | null | undefined = written.entry[1]?.resource.valueInteger;
// @ts-expect-error: the CDS Hooks operation needs the date of the assessment
cdsHooks({ request: {} });
const terminology: string = version().terminology_version;
console.log(summaries, indicators, services, codes, record.inputs_missing, total, terminology, alerts, whole, unread, topics);
console.log(loaded, verdict, cited, met, missing, fromText, limit, held, applied.outputs.alerts, course.status(), version().engine_version);
