// The demo page: uses only the ipt-engine package's browser build. It renders what the engine
// answers; every decision is the engine's.
import { ready, version, assessSuitability, rankProblemAreas, Course, IptError } from '../pkg/web.mjs';
import { SAMPLE } from './sample.js';

const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
const FINDINGS = ['active_psychosis', 'personality_disorder', 'motivation', 'insight', 'self_reflection',
  'chronic_severe_illness', 'on_medication', 'interpersonal_precipitants', 'substance_misuse'];
const AREAS = ['grief', 'role_dispute', 'role_transition', 'interpersonal_deficits'];
const INITIAL_TASKS = [['symptoms_reviewed', 'lethality_assessed'],
  ['medical_review', 'past_episodes', 'psychoeducation_sick_role', 'medication_review', 'formulation_accepted'], []];

let course = null;
let session = 0;
const phq9 = [];

function item(e) {
  const cls = e.indicator === 'critical' ? 'critical' : e.indicator === 'warning' ? 'warning' : e.status === 'met' ? 'met' : '';
  const used = (e.inputs_used ?? []).map((i) => `${esc(i.path)} = ${esc(JSON.stringify(i.value))}`).join(', ');
  const missing = (e.inputs_missing ?? []).join(', ');
  return `<div class="item ${cls}"><span class="rule">${esc(e.rule_id)}</span><strong>${esc(e.summary)}</strong>
    <div>${esc(e.rationale)}</div>
    <div class="meta">Sources: ${esc((e.sources ?? []).join('; '))}${used ? ` · Inputs used: ${used}` : ''}</div>
    ${missing ? `<div class="missing">Still missing: ${esc(missing)}</div>` : ''}</div>`;
}

function section(title, items, open = false) {
  if (!items || items.length === 0) return '';
  return `<details ${open ? 'open' : ''}><summary>${esc(title)} (${items.length})</summary>${items.map(item).join('')}</details>`;
}

function showError(e) {
  if (!(e instanceof IptError)) throw e;
  const unmet = e.unmet.map((u) => `<li><span class="rule">${esc(u.rule_id)}</span>${esc(u.message)}</li>`).join('');
  $('alerts').innerHTML = `<div class="item critical" data-code="${esc(e.code)}"><strong>${esc(e.code)}</strong>${e.path ? ` at <code>${esc(e.path)}</code>` : ''}: ${esc(e.message)}${unmet ? `<ul>${unmet}</ul>` : ''}</div>`;
}

function setAlerts(alerts) {
  $('alerts').innerHTML = (alerts ?? []).map(item).join('');
}

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

function renderVerdict(r) {
  const e = r.explanation;
  setAlerts(r.alerts);
  $('verdict').hidden = false;
  $('verdict').innerHTML = `<div class="verdict" id="verdict-value">${esc(r.verdict.replace('_', ' ').toUpperCase())}</div>
    <div>${esc(e.verdict)} <span class="meta">Decided by: ${esc(r.decided_by.join(', ') || 'no rule')}</span></div>
    ${r.inputs_missing.length ? `<p class="missing">Inputs still missing: ${esc(r.inputs_missing.join(', '))}</p>` : ''}
    ${e.variant ? item(e.variant) : ''}
    ${section('Cautions', e.cautions)}${section('Contraindications', e.contraindications, true)}
    ${section('Indications', e.indications, true)}${section('Assessments required before selection', e.assessments)}
    ${section('Recommended techniques', e.techniques)}`;
}

function renderRanking(r) {
  $('ranking').hidden = false;
  $('ranking').innerHTML = `<table><tr><th>Rank</th><th>Area</th><th>Status</th><th>Evidence</th></tr>${r.areas.map((a) =>
    `<tr><td>${a.rank}</td><td>${esc(a.area.replace('_', ' '))}</td><td>${esc(a.status)}</td><td>${esc(a.evidence.map((e) => e.summary).join('; '))}</td></tr>`).join('')}</table>
    ${section('Explanations', r.areas.map((a) => a.explanation), false)}${r.selection ? item(r.selection) : ''}`;
  const options = (blank) => (blank ? '<option value="">none</option>' : '') + AREAS.map((a) => `<option value="${a}">${a.replace('_', ' ')}</option>`).join('');
  $('primary').innerHTML = options(false);
  $('backup').innerHTML = options(true);
  $('primary').value = r.areas[0].area;
  $('backup').value = r.areas[1] && r.areas[1].status === 'supported' ? r.areas[1].area : '';
  $('focus-form').hidden = false;
}

function date(n) {
  const d = new Date(Date.UTC(2026, 0, 5 + 7 * n));
  return d.toISOString().slice(0, 10);
}

function renderCourse(result) {
  const s = course.status();
  const focus = s.focus ? `${s.focus.primary}${s.focus.backup ? ` (backup ${s.focus.backup})` : ''}` : 'none';
  $('status').textContent = `Phase: ${s.phase} · session ${s.session ?? session} of ${s.total_sessions ?? '—'} · focus: ${focus}`;
  const out = result.outputs ?? result;
  setAlerts(out.alerts);
  $('outputs').innerHTML = section('For the next session', out.next_session, true) + section('This step', out.items, true);
  drawChart();
}

function drawChart() {
  const pts = phq9.map(([n, v]) => [40 + (n - 1) * 38, 200 - v * 7]);
  const bands = [[0, 4, '#e8f3ec'], [5, 9, '#f1f6e6'], [10, 14, '#fbf4e2'], [15, 19, '#fbebdf'], [20, 27, '#f8e1df']];
  $('chart').innerHTML = bands.map(([lo, hi, c]) => `<rect x="30" width="600" y="${200 - (hi + 1) * 7}" height="${(hi - lo + 1) * 7}" fill="${c}"/>`).join('')
    + `<polyline fill="none" stroke="#2c6e9b" stroke-width="2.5" points="${pts.map((p) => p.join(',')).join(' ')}"/>`
    + pts.map(([x, y], i) => `<circle class="point" cx="${x}" cy="${y}" r="4.5" fill="#2c6e9b"><title>Session ${phq9[i][0]}: PHQ-9 ${phq9[i][1]}</title></circle>`).join('')
    + Array.from({ length: 16 }, (_, i) => `<text x="${40 + i * 38}" y="216" font-size="10" text-anchor="middle" fill="#5b6b7c">${i + 1}</text>`).join('');
}

function apply(event) {
  try {
    const r = course.apply(event);
    $('alerts').innerHTML = '';
    renderCourse(r);
    return true;
  } catch (e) {
    showError(e);
    return false;
  }
}

await ready;
const v = version();
$('versions').textContent = `engine ${v.engine_version} · protocol ${v.protocol_version} · terminology ${v.terminology_version}`;
$('findings').innerHTML = FINDINGS.map((f) => `<label>${f.replaceAll('_', ' ')}<select id="f-${f}">${['present', 'absent', 'unknown']
  .map((x) => `<option ${SAMPLE.assessment.findings[f] === x || (!SAMPLE.assessment.findings[f] && x === 'unknown') ? 'selected' : ''}>${x}</option>`).join('')}</select></label>`).join('');
$('inventory').innerHTML = `<p class="meta">Relationships: ${SAMPLE.inventory.relationships.map((r) => `${esc(r.id)} (${esc(r.role)}${r.conflict && r.conflict !== 'none' ? `, ${esc(r.conflict)} conflict` : ''})`).join(', ')}.
  Life events: ${SAMPLE.inventory.life_events.map((e) => `${esc(e.kind)} (${esc(e.relationship ?? '')}, ${esc(e.months_before_onset)} months before onset)`).join(', ')}.</p>`;

$('assessment-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  try { renderVerdict(assessSuitability(assessmentFromForm())); } catch (e) { showError(e); }
});
$('rank').addEventListener('click', () => {
  try { renderRanking(rankProblemAreas(SAMPLE.inventory)); } catch (e) { showError(e); }
});
$('focus-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  try {
    course?.free();
    course = new Course({ variant: 'standard' });
    session = 0;
    phq9.length = 0;
    $('course').hidden = false;
    const focus = { type: 'focus_agreed', primary: $('primary').value };
    if ($('backup').value) focus.backup = $('backup').value;
    for (const e of [{ type: 'assessment_recorded', assessment: assessmentFromForm() }, { type: 'course_started', date: date(0) },
      { type: 'inventory_recorded', inventory: SAMPLE.inventory }, focus, { type: 'contract_agreed', contract: SAMPLE.contract }]) {
      if (!apply(e)) return;
    }
    $('phq9').value = SAMPLE.phq9[0];
  } catch (e) { showError(e); }
});
$('session-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const n = session + 1;
  const event = { type: 'session_held', number: n, date: date(n) };
  if ($('phq9').value !== '') event.measures = [{ instrument: 'phq9', total: Number($('phq9').value), ...(n === 1 ? { item9: 0 } : {}) }];
  if (n <= 3) event.tasks_done = INITIAL_TASKS[n - 1];
  else event.techniques = ['T-COMMUNICATION-ANALYSIS', 'T-ROLE-PLAY'];
  if (apply(event)) {
    session = n;
    if (event.measures) phq9.push([n, event.measures[0].total]);
    drawChart();
    $('phq9').value = SAMPLE.phq9[n] ?? '';
  }
});
$('raise-termination').addEventListener('click', () => apply({ type: 'termination_raised' }));
$('complete').addEventListener('click', () => apply({ type: 'course_completed' }));
