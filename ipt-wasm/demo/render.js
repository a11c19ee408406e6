// How the engine's explained items, sources and refusals are shown. Every decision shown is
// the engine's; this file only lays it out, with the words of words.js for names and values.
import { inputLabel, valueText, action, ERRORS } from './words.js';

export const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

/** What the page knows besides an answer: the catalogue (rule titles, sources) and the inventory. */
export const context = { rules: new Map(), sources: new Map(), inventory: null };

/** A rule ID, with its catalogue title and statement on hover. */
export function rule(id) {
  const r = context.rules.get(id);
  return `<span class="rule" title="${esc(r ? `${r.title}: ${r.statement}` : id)}">${esc(id)}</span>`;
}

/** "S1 §II.G": the key links to the source's entry in the page's list of sources. */
export function source(cited) {
  const [key, ...where] = cited.split(' ');
  const s = context.sources.get(key);
  const link = s ? `<a class="source" href="#source-${esc(key)}" title="${esc(s.reference)}">${esc(key)}</a>` : esc(key);
  return `${link}${where.length ? ` ${esc(where.join(' '))}` : ''}`;
}

const input = (i) => `<span class="input" title="${esc(i.path)}">${esc(inputLabel(i.path, context.inventory))}: <b>${esc(valueText(i.value))}</b></span>`;
export const missingList = (paths) => paths.map((p) => `<span class="input" title="${esc(p)}">${esc(inputLabel(p, context.inventory))}</span>`).join(', ');

/** One explained item: rule, summary, rationale, what it was based on, sources, what is missing. */
export function item(e) {
  const cls = e.indicator === 'critical' ? 'critical' : e.indicator === 'warning' ? 'warning' : e.status;
  const used = (e.inputs_used ?? []).map(input).join('; ');
  const missing = e.inputs_missing ?? [];
  return `<div class="item ${esc(cls)}" data-rule="${esc(e.rule_id)}" data-status="${esc(e.status)}">
    <div>${rule(e.rule_id)}<strong>${esc(e.summary)}</strong></div>
    <div class="rationale">${esc(e.rationale)}</div>
    <div class="meta">${used ? `Based on: ${used}. ` : ''}Sources: ${(e.sources ?? []).map(source).join('; ')}.</div>
    ${missing.length ? `<div class="missing">Still to record: ${missingList(missing)}.</div>` : ''}</div>`;
}

/** Items that apply first, open; those that do not apply collapsed, with their count. */
export function grouped(title, items) {
  if (!items || items.length === 0) return '';
  const applies = items.filter((e) => e.status === 'met' || e.status === 'unknown');
  const not = items.filter((e) => !(e.status === 'met' || e.status === 'unknown'));
  return `<h3>${esc(title)}</h3>${applies.map(item).join('') || '<p class="meta">None applies.</p>'}
    ${not.length ? `<details class="not-applying"><summary>${not.length} that do not apply</summary>${not.map(item).join('')}</details>` : ''}`;
}

/** The sources every item cites, each with its key as the anchor the items link to. */
export function sourceList(kinds) {
  return `<ol class="sources">${[...context.sources.values()].map((s) => `<li id="source-${esc(s.key)}"><b>${esc(s.key)}</b> ${esc(s.reference)}
    <span class="meta">(${esc(kinds[s.kind] ?? s.kind)}${s.year ? `, ${s.year}` : ''})${s.see_also ? ` See also <a class="source" href="#source-${esc(s.see_also)}">${esc(s.see_also)}</a>.` : ''}</span></li>`).join('')}</ol>`;
}

/**
 * A refusal or error of the engine, in words, for the message area beside the control that
 * caused it. `event` is the course event refused, if any.
 */
export function refusal(e, event) {
  if (e?.name !== 'IptError') {
    return `<div class="message critical" data-code="exception"><strong>Something went wrong in the page.</strong> ${esc(e?.message ?? e)}</div>`;
  }
  if (e.code === 'transition_refused') {
    const unmet = e.unmet.map((u) => `<li>${esc(u.message.charAt(0).toUpperCase() + u.message.slice(1))}. ${rule(u.rule_id)}</li>`).join('');
    return `<div class="message warning" data-code="${esc(e.code)}"><strong>${esc(event ? action(event) : 'This step')} is not possible yet:</strong><ul>${unmet}</ul></div>`;
  }
  // The field by its label; the engine's sentence without the path it starts with.
  const where = e.path ? ` (${esc(inputLabel(e.path.replace(/^\$\.event\./, '$.'), context.inventory))})` : '';
  const said = e.path && e.message.includes(`${e.path}: `) ? e.message.slice(e.message.indexOf(`${e.path}: `) + e.path.length + 2) : e.message;
  return `<div class="message critical" data-code="${esc(e.code)}"><strong>${esc(ERRORS[e.code] ?? 'The engine refused the request')}${where}:</strong> ${esc(said)}.</div>`;
}
