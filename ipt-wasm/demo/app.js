// The demo page: uses only the ipt-engine package's browser build. It renders what the engine
// answers; every decision is the engine's. Serve it with `bash ipt-wasm/demo/serve.sh`.
import { SAMPLE } from './sample.js';
import { esc, context, item, grouped, rule, refusal, missingList, sourceList } from './render.js';
import { chart } from './chart.js';
import { Value, value, capital, person, lifeEvent, useEngineLabels, engineLabel, PHASES, ENDED, KINDS } from './words.js';

const $ = (id) => document.getElementById(id);
// The findings the form asks for; their labels are the engine's (its `rules` answer).
const FINDINGS = ['active_psychosis', 'personality_disorder', 'motivation', 'insight', 'self_reflection',
  'chronic_severe_illness', 'on_medication', 'interpersonal_precipitants', 'substance_misuse'];
const AREAS = ['grief', 'role_dispute', 'role_transition', 'interpersonal_deficits'];
const INITIAL_TASKS = [['symptoms_reviewed', 'lethality_assessed'],
  ['medical_review', 'past_episodes', 'psychoeducation_sick_role', 'medication_review', 'formulation_accepted'], []];

let engine;
try {
  engine = await import('../pkg/web.mjs');
  await engine.ready;
} catch (e) {
  $('load-status').className = 'message critical';
  $('load-status').innerHTML = `<strong>The engine could not be loaded</strong> (${esc(e.message)}). The page needs the built
    package beside it: serve it with <code>bash ipt-wasm/demo/serve.sh</code>, which builds <code>ipt-wasm/pkg</code> if it is
    missing and serves <code>ipt-wasm/</code>, then open the address it prints.`;
  throw e;
}
const { version, rules, assessSuitability, rankProblemAreas, courseReview, Course } = engine;
$('load-status').hidden = true;

let course = null;
let session = 0;

/** Shows a refusal beside the control that caused it, and brings it into view. */
function refuse(where, e, event) {
  $(where).innerHTML = refusal(e, event);
  $(where).scrollIntoView({ block: 'nearest' });
}
const clear = (where) => { $(where).innerHTML = ''; };

function assessmentFromForm() {
  const a = structuredClone(SAMPLE.assessment);
  a.age = Number($('age').value);
  a.care_setting = $('care_setting').value;
  a.diagnoses = [{ category: $('diagnosis').value, course: 'first_episode' }];
  if ($('phase').value) a.diagnoses[0].phase = $('phase').value;
  if ($('suicide_risk').value) a.findings.suicide_risk = $('suicide_risk').value; else delete a.findings.suicide_risk;
  for (const f of FINDINGS) a.findings[f] = $(`f-${f}`).value;
  return a;
}

/** Critical alerts first, as what must happen before anything else. */
function safety(alerts) {
  const critical = (alerts ?? []).filter((a) => a.indicator === 'critical');
  if (critical.length === 0) return '';
  return `<div class="safety" id="safety" role="alert"><h3>Safety first</h3>${critical.map(item).join('')}</div>`;
}

function renderVerdict(r) {
  const e = r.explanation;
  const critical = r.alerts.some((a) => a.indicator === 'critical');
  const shown = new Set(r.alerts.filter((a) => a.indicator === 'critical').map((a) => a.rule_id));
  const rest = (list) => (list ?? []).filter((x) => !shown.has(x.rule_id));
  const verdict = Value(r.verdict);
  $('verdict').hidden = false;
  $('verdict').innerHTML = `${safety(r.alerts)}
    <div class="verdict-card${critical ? ' on-hold' : ''}">
      <div class="verdict-label">${critical ? 'Suitability for IPT — on hold until the safety alert above is addressed' : 'Suitability for IPT'}</div>
      <div class="verdict${critical ? ' on-hold' : ''}" id="verdict-value">${critical ? `If safety allows: ${esc(verdict)}` : esc(verdict)}</div>
      <div>${esc(e.verdict)}</div>
      <div class="meta">Decided by: ${r.decided_by.map(rule).join(' ') || 'no rule'}</div>
      ${r.inputs_missing.length ? `<div class="missing">Still to record before this verdict is final: ${missingList(r.inputs_missing)}.</div>` : ''}
    </div>
    ${e.variant ? `<h3>Option offered${critical ? ' (if safety allows)' : ''}</h3>${item(e.variant)}` : ''}
    ${grouped('Contraindications', e.contraindications)}${grouped('Indications', e.indications)}
    ${grouped('Assessments required before selection', e.assessments)}${grouped('Cautions', rest(e.cautions))}
    ${grouped('Recommended techniques', e.techniques)}`;
}

function renderRanking(r) {
  $('ranking').hidden = false;
  $('ranking').innerHTML = `<table><tr><th>Rank</th><th>Area</th><th>Evidence</th><th>Rule</th></tr>${r.areas.map((a) =>
    `<tr class="${esc(a.status)}"><td>${a.rank}</td><td><strong>${esc(Value(a.area))}</strong><br><span class="meta">${esc(value(a.status))}</span></td>
      <td>${esc(a.evidence.map((x) => x.summary).join('; ')) || '<span class="meta">none recorded</span>'}${a.explanation.inputs_missing?.length ? `<div class="missing">Still to record: ${missingList(a.explanation.inputs_missing)}.</div>` : ''}</td>
      <td>${rule(a.explanation.rule_id)}</td></tr>`).join('')}</table>
    ${r.selection ? item(r.selection) : ''}
    ${grouped('How each area was weighed', r.areas.map((a) => a.explanation))}`;
  const options = (blank) => (blank ? '<option value="">None</option>' : '') + AREAS.map((a) => `<option value="${a}">${esc(Value(a))}</option>`).join('');
  $('primary').innerHTML = options(false);
  $('backup').innerHTML = options(true);
  $('primary').value = r.areas[0].area;
  $('backup').value = r.areas[1] && r.areas[1].status === 'supported' ? r.areas[1].area : '';
  $('focus-form').hidden = false;
}

function date(n) {
  return new Date(Date.UTC(2026, 0, 5 + 7 * n)).toISOString().slice(0, 10);
}

function renderCourse(result) {
  const s = course.status();
  const focus = s.focus ? `${Value(s.focus.primary)}${s.focus.backup ? ` (backup: ${value(s.focus.backup)})` : ''}` : 'not agreed';
  $('status').textContent = `${PHASES[s.phase] ?? Value(s.phase)} · session ${s.session ?? session} of ${s.total_sessions ?? '—'} · focus: ${focus}`;
  const out = result?.outputs ?? result ?? {};
  $('course-alerts').innerHTML = safety(s.alerts) + (s.alerts ?? []).filter((a) => a.indicator !== 'critical').map(item).join('');
  // An item of this step is not repeated for the next session.
  const said = new Set((out.items ?? []).map((e) => `${e.rule_id} ${e.summary}`));
  const next = (out.next_session ?? []).filter((e) => !said.has(`${e.rule_id} ${e.summary}`));
  $('outputs').innerHTML = (out.items?.length ? `<h3>This step</h3>${out.items.map(item).join('')}` : '')
    + (next.length ? `<h3>For the next session</h3>${next.map(item).join('')}` : '');
  // The PHQ-9 trend as the engine gives it: axis, scores, baseline and thresholds, and the
  // change rules' outcomes at the last measure.
  const trend = (s.measures ?? []).find((m) => m.instrument === 'phq9');
  $('chart-figure').hidden = !trend;
  $('change').innerHTML = '';
  if (trend) {
    const { viewBox, svg } = chart(trend, s.total_sessions ?? 16, 'PHQ-9');
    $('chart').setAttribute('viewBox', viewBox);
    $('chart').innerHTML = svg;
    const sr = trend.sustained_remission;
    const sustained = sr ? `<p class="meta" data-rule="M-SUSTAINED-REMISSION">${rule('M-SUSTAINED-REMISSION')} Sustained remission: ${sr.status === 'met' ? 'yes' : 'not yet'} (${sr.measures_in_remission} measure${sr.measures_in_remission === 1 ? '' : 's'} in remission over ${sr.days_in_remission} of the ${sr.interval_days} days it needs).</p>` : '';
    $('change').innerHTML = `<h3>Change at the last measure (session ${esc(trend.series.at(-1)?.session)})</h3>${(trend.latest?.explanations ?? []).map(item).join('')}${sustained}`;
  }
  // From the termination phase on, the ending review (ST-REVIEW): goals, measures from the
  // baseline, the focus's inventory items, the sessions and the relapse-prevention plan.
  const reviewed = ['termination', ...ENDED].includes(s.phase);
  $('review').hidden = !reviewed;
  if (reviewed) {
    const r = courseReview({ snapshot: course.snapshot() });
    $('review').innerHTML = `<h3>The ending reviewed</h3>${[...r.goals.map((g) => g.outcome), ...r.explanations].map(item).join('')}`;
  }
  // A course that has ended takes no more events here.
  const ended = ENDED.has(s.phase);
  for (const id of ['phq9', 'record-session', 'raise-termination', 'complete']) $(id).disabled = ended;
  if (ended) $('course-message').innerHTML = `<div class="message ok" data-code="ended"><strong>The course is ${esc(value(s.phase))}.</strong> Nothing more is recorded in this course; the items below say what the engine offers next.</div>`;
}

/** Applies one event; a refusal is shown beside `where`, the control that asked for it. */
function apply(event, where = 'course-message') {
  try {
    const r = course.apply(event);
    clear(where);
    renderCourse(r);
    return true;
  } catch (e) {
    refuse(where, e, event);
    return false;
  }
}

const v = version();
$('versions').textContent = `engine ${v.engine_version} · protocol ${v.protocol_version} · terminology ${v.terminology_version}`;
const catalogue = rules();
useEngineLabels(catalogue.inputs);
for (const el of document.querySelectorAll('[data-input]')) el.textContent = engineLabel(el.dataset.input);
for (const r of catalogue.rules) context.rules.set(r.id, r);
for (const s of catalogue.sources) context.sources.set(s.key, s);
context.inventory = SAMPLE.inventory;
$('source-list').innerHTML = sourceList(KINDS);

const choice = (f) => SAMPLE.assessment.findings[f] ?? 'unknown';
$('findings').innerHTML = FINDINGS.map((f) => `<label><span data-input="$.findings.${f}">${esc(engineLabel(`$.findings.${f}`))}</span><select id="f-${f}">${['present', 'absent', 'unknown']
  .map((x) => `<option value="${x}" ${choice(f) === x ? 'selected' : ''}>${esc(Value(x))}</option>`).join('')}</select></label>`).join('');
const inv = SAMPLE.inventory;
$('inventory').innerHTML = `<p class="meta">Relationships: ${inv.relationships.map((r) => `${esc(person(r))}${r.conflict && r.conflict !== 'none' ? `, ${esc(value(r.conflict))} conflict (${esc(value(r.dispute_stage ?? ''))})` : ''}`).join('; ')}.
  Life events: ${inv.life_events.map((e) => `${esc(capital(lifeEvent(e, inv)))}, ${esc(e.months_before_onset)} months before the onset`).join('; ')}.</p>`;

$('assessment-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  try {
    renderVerdict(assessSuitability(assessmentFromForm()));
    clear('assess-message');
  } catch (e) {
    refuse('assess-message', e);
  }
});
$('rank').addEventListener('click', () => {
  try {
    renderRanking(rankProblemAreas(SAMPLE.inventory));
    clear('rank-message');
  } catch (e) {
    refuse('rank-message', e);
  }
});
$('focus-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  try {
    course?.free();
    course = new Course({ variant: 'standard' });
    session = 0;
    $('course').hidden = false;
    clear('course-message');
    const focus = { type: 'focus_agreed', primary: $('primary').value };
    if ($('backup').value) focus.backup = $('backup').value;
    for (const e of [{ type: 'assessment_recorded', assessment: assessmentFromForm() }, { type: 'course_started', date: date(0) },
      { type: 'inventory_recorded', inventory: SAMPLE.inventory }, focus, { type: 'contract_agreed', contract: SAMPLE.contract }]) {
      if (!apply(e, 'focus-message')) return;
    }
    $('phq9').value = SAMPLE.phq9[0];
    $('start-course').textContent = 'Start the course again';
  } catch (e) {
    refuse('focus-message', e);
  }
});
$('session-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const n = session + 1;
  const event = { type: 'session_held', number: n, date: date(n) };
  if ($('phq9').value !== '') event.measures = [{ instrument: 'phq9', total: Number($('phq9').value), ...(n === 1 ? { item9: 0 } : {}) }];
  if (n <= 3) event.tasks_done = INITIAL_TASKS[n - 1];
  else if (n <= 13) event.techniques = ['T-COMMUNICATION-ANALYSIS', 'T-ROLE-PLAY'];
  if (apply(event)) {
    session = n;
    $('phq9').value = SAMPLE.phq9[n] ?? '';
  }
});
$('raise-termination').addEventListener('click', () => apply({ type: 'termination_raised' }));
$('complete').addEventListener('click', () => apply({ type: 'course_completed' }));
