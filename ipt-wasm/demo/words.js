// The demo page's words: how the inputs the engine names (by JSONPath) and the values it
// reports (enum strings) read to a clinician, and what each recorded event is called. The
// engine's own sentences (summaries, rationales, unmet preconditions) are shown as it wrote
// them; only names and values are translated here.

/** Values of the engine's enums, as words. Anything else: underscores read as spaces. */
const VALUES = {
  present: 'present', absent: 'absent', unknown: 'not known',
  major_depression: 'major depression', bulimia_nervosa: 'bulimia nervosa', chronic_fatigue: 'chronic fatigue',
  personality_disorder: 'personality disorder', psychotic_disorder: 'psychotic disorder', substance_use: 'substance use',
  first_episode: 'first episode', post_inpatient: 'after an inpatient stay',
  general_medical_condition: 'a general medical condition', substance_abuse: 'substance abuse',
  contraindicated: 'contraindicated', indeterminate: 'indeterminate', essential: 'essential',
  indicated: 'indicated', optional: 'optional', not_indicated: 'not indicated',
  grief: 'grief', role_dispute: 'role dispute', role_transition: 'role transition', interpersonal_deficits: 'interpersonal deficits',
  supported: 'supported', not_supported: 'not supported',
  moderately_severe: 'moderately severe', maintenance_completed: 'maintenance completed',
  phq9: 'PHQ-9', hamd17: 'HAM-D 17', bdi2: 'BDI-II',
  symptoms_reviewed: 'symptoms reviewed', lethality_assessed: 'lethality assessed', medical_review: 'medical review',
  past_episodes: 'past episodes', psychoeducation_sick_role: 'psychoeducation and the sick role',
  medication_review: 'medication review', inventory: 'interpersonal inventory', formulation_accepted: 'formulation accepted',
  goals: 'goals', contract: 'contract',
  separation_divorce: 'separation or divorce', job_loss: 'job loss', birth_of_child: 'birth of a child',
  becoming_independent: 'becoming independent', children_leaving_home: 'children leaving home', other_loss: 'another loss',
  other_family: 'other family',
};
export const value = (v) => (typeof v === 'string' ? VALUES[v] ?? v.replaceAll('_', ' ') : String(v));
export const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);
export const Value = (v) => capital(value(v));

/** A value the engine saw, as words. */
export function valueText(v) {
  if (v === null || v === undefined) return 'not recorded';
  if (Array.isArray(v)) return v.length ? v.map(valueText).join(', ') : 'none';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return value(v);
}

/**
 * The engine's own labels of the inputs of an assessment (the `inputs` of its `rules` answer):
 * every edge names an input as the engine does. Set once the engine is loaded.
 */
let ENGINE_LABELS = new Map();
export function useEngineLabels(inputs) {
  ENGINE_LABELS = new Map(inputs.map((i) => [i.path, i.label]));
}
/** The engine's label of an input of an assessment, or undefined. */
export function engineLabel(path) {
  const exact = ENGINE_LABELS.get(path);
  if (exact) return exact;
  const d = path.match(/^\$\.diagnoses\[(\d+)\]\.(\w+)$/);
  const template = d && ENGINE_LABELS.get(`$.diagnoses[*].${d[2]}`);
  return template ? template.replaceAll('{n}', String(Number(d[1]) + 1)) : undefined;
}

/** Inputs the engine gives no label of its own (inventories, measures, a course's state), by JSONPath with indices as [*]. */
const INPUTS = {
  'report.response': 'Response to the course',
  '$.long_standing_isolation': 'Long-standing social isolation', '$.prolonged_good_functioning': 'Prolonged good functioning before onset',
  '$.withdrawal_due_to_depression': 'Withdrawal due to the depression', '$.onset_date': 'Onset of the episode',
  '$.state.tasks_done': 'Initial-phase tasks done', '$.state.measures.baseline': 'Baseline PHQ-9', '$.state.measures.latest': 'Latest PHQ-9',
  '$.measures[*].total': 'PHQ-9 total', '$.measures[*].instrument': 'Instrument', '$.measures[*].item9': 'PHQ-9 item 9 (self-harm)',
  '$.current.total': 'Current score', '$.current.instrument': 'Instrument', '$.current.item9': 'PHQ-9 item 9 (self-harm)',
  '$.baseline': 'A baseline score', '$.baseline.total': 'Baseline score',
  '$.state.latest.instrument': 'Instrument', '$.state.latest.total': 'Latest score', '$.state.latest.item9': 'Item 9 (self-harm) at the latest score',
  '$.state.baseline.total': 'Baseline score',
  'report.default.reliable_change_points': 'Reliable change (points, the default)', 'report.default.caseness_cutoff': 'Caseness cut-off (the default)',
  'report.interval_days': 'Interval it needs (days)',
};
const FIELDS = {
  conflict: 'conflict', conflict_onset_linked: 'conflict tied to the onset', dispute_stage: 'stage of the dispute',
  closeness: 'closeness', long_history_of_difficulty: 'long history of difficulty', mourning_obstructed: 'mourning obstructed',
  months_before_onset: 'months before onset', kind: 'kind',
};

/** Who a relationship of the inventory is: "Sam (partner)", "father (parent)". */
export function person(r) {
  return r ? `${r.person ?? value(r.id)} (${value(r.role)})` : 'a relationship';
}
/** A life event of the inventory: "death of father". */
export function lifeEvent(e, inventory) {
  if (!e) return 'a life event';
  const r = inventory?.relationships?.find((x) => x.id === e.relationship);
  return `${value(e.kind)}${e.relationship ? ` of ${r?.person ?? value(e.relationship)}` : ''}`;
}

/**
 * An input the engine names by JSONPath, as words. `inventory` names the relationships and
 * life events its paths index. A path this table does not know reads as its last names.
 */
export function inputLabel(path, inventory) {
  // Inside a course, the assessment and the event are where an input came from.
  const p = path.replace(/^\$\.state\.assessment\./, '$.').replace(/^\$\.event\./, '$.');
  const rel = p.match(/^\$\.relationships\[(\d+)\](?:\.(\w+))?$/);
  if (rel) {
    const who = capital(person(inventory?.relationships?.[Number(rel[1])]));
    return rel[2] ? `${who}: ${FIELDS[rel[2]] ?? value(rel[2])}` : who;
  }
  const ev = p.match(/^\$\.life_events\[(\d+)\](?:\.(\w+))?$/);
  if (ev) {
    const what = capital(lifeEvent(inventory?.life_events?.[Number(ev[1])], inventory));
    return ev[2] ? `${what}: ${FIELDS[ev[2]] ?? value(ev[2])}` : what;
  }
  const engine = engineLabel(p);
  if (engine) return engine;
  const known = INPUTS[p.replace(/\[\d+\]/g, '[*]')];
  if (known) return known;
  const names = p.split(/[.[\]]/).filter((s) => s && s !== '$' && !/^\d+$/.test(s));
  return capital(value(names.slice(-2).join(' ')));
}

/** What each event records, as the action a clinician took. */
export function action(event) {
  switch (event.type) {
    case 'session_held': return `Recording session ${event.number}`;
    case 'termination_raised': return 'Raising termination';
    case 'course_completed': return 'Completing the course';
    case 'focus_agreed': return 'Agreeing the focus';
    case 'contract_agreed': return 'Agreeing the contract';
    case 'course_started': return 'Starting the course';
    case 'assessment_recorded': return 'Recording the assessment';
    case 'inventory_recorded': return 'Recording the inventory';
    default: return capital(value(event.type));
  }
}

/** An error code of the engine, as what went wrong. */
export const ERRORS = {
  invalid_input: 'A value cannot be used',
  invalid_json: 'The request could not be read',
  input_too_large: 'The request is too large',
  limit_exceeded: 'A limit of the engine was reached',
  invalid_snapshot: 'The saved course could not be read',
  internal: 'The engine failed',
};

export const PHASES = {
  intake: 'Intake', initial: 'Initial phase', middle: 'Middle phase', termination: 'Termination phase',
  completed: 'Completed', maintenance: 'Maintenance', maintenance_completed: 'Maintenance completed', closed: 'Closed',
};
/** Phases after which this page records nothing more. */
export const ENDED = new Set(['completed', 'maintenance_completed', 'closed']);

export const KINDS = {
  practice_parameter: 'clinical practice parameter', public_information: 'information for the public',
  training_material: 'training material', web_article: 'web article', book: 'book', manual: 'manual', article: 'journal article',
};
