// The measure chart: an instrument's totals by session on the engine's severity bands, with
// the axis, the baseline and the thresholds the engine measures change against. Everything
// drawn comes from the course status (`measures[]`: axis, series, lines); nothing here decides
// a band or a threshold, it only places them and names them in words.
import { esc } from './render.js';
import { value } from './words.js';

const W = 700;
const H = 330;
const X0 = 52;
const X1 = 560;
const Y0 = 16;
const Y1 = 232;

const COLOURS = ['#e6f2ea', '#eef5e4', '#fbf4df', '#fbeadb', '#f7dedb', '#f3d4d2'];

/** How each line the engine gives reads, from its value: [class, label]. */
const LINES = {
  baseline: (v, t) => ['baseline', `baseline ${v} (session ${t.baseline.session})`],
  response: (v) => ['threshold response', `response: ${v} or less (at least half the baseline gone)`],
  remission: (v) => ['threshold remission', `remission: ${v} or less`],
  caseness: (v) => ['threshold caseness', `case: ${v} or more`],
  reliable_improvement: (v) => ['threshold reliable', `reliable improvement: ${v} or less`],
  reliable_deterioration: (v) => ['threshold deterioration', `reliable deterioration: ${v} or more`],
};
/** The key's first row: what is measured against the baseline; the second: change rules. */
const FIRST_ROW = new Set(['baseline', 'response', 'remission']);

/**
 * The chart's SVG content for one instrument's trend in the course status (`trend`: axis,
 * series, baseline, lines), a course of `sessions` sessions, under the instrument's `name`.
 */
export function chart(trend, sessions, name) {
  const { min, max, bands: floors } = trend.axis;
  const x = (session) => X0 + ((session - 1) * (X1 - X0)) / Math.max(sessions - 1, 1);
  const y = (total) => Y0 + ((max - total) * (Y1 - Y0)) / (max - min);
  const parts = [];
  // Bands from the engine's floors, with their names and ranges at the right.
  const bands = floors.map((b, i) => ({ band: b.band, lo: b.from, hi: i + 1 < floors.length ? floors[i + 1].from - 1 : max }));
  bands.forEach((b, i) => {
    const top = y(Math.min(b.hi + 0.5, max));
    const bottom = y(Math.max(b.lo - 0.5, min));
    parts.push(`<rect class="band" x="${X0}" width="${X1 - X0}" y="${top}" height="${bottom - top}" fill="${COLOURS[i % COLOURS.length]}"><title>${esc(value(b.band))}: ${b.lo}–${b.hi}</title></rect>`);
    parts.push(`<text class="band-label" x="${X1 + 8}" y="${(top + bottom) / 2 + 4}">${esc(value(b.band))} ${b.lo}–${b.hi}</text>`);
  });
  // Axes: totals at the band floors and the ends, sessions 1 to the course's length.
  for (const t of [...new Set([min, ...floors.map((b) => b.from), max])]) {
    parts.push(`<line class="gridline" x1="${X0}" x2="${X1}" y1="${y(t)}" y2="${y(t)}"/>`);
    parts.push(`<text class="tick y" x="${X0 - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>`);
  }
  for (let s = 1; s <= sessions; s++) parts.push(`<text class="tick x" x="${x(s)}" y="${Y1 + 16}" text-anchor="middle">${s}</text>`);
  parts.push(`<line class="axis" x1="${X0}" x2="${X0}" y1="${Y0}" y2="${Y1}"/><line class="axis" x1="${X0}" x2="${X1}" y1="${Y1}" y2="${Y1}"/>`);
  parts.push(`<text class="axis-title" x="${(X0 + X1) / 2}" y="${Y1 + 32}" text-anchor="middle">Session</text>`);
  parts.push(`<text class="axis-title" transform="translate(14 ${(Y0 + Y1) / 2}) rotate(-90)" text-anchor="middle">${esc(name)} total</text>`);
  // The engine's lines, each named in the key below the axis (its rule on hover).
  const keyAt = [X0, X0];
  for (const l of trend.lines ?? []) {
    const words = LINES[l.kind];
    if (!words || l.value < min || l.value > max) continue;
    const [cls, label] = words(l.value, trend);
    const row = FIRST_ROW.has(l.kind) ? 0 : 1;
    const ky = H - 24 + row * 18;
    const title = `${label} (${l.rule_id})`;
    parts.push(`<line class="${cls}" data-kind="${esc(l.kind)}" x1="${X0}" x2="${X1}" y1="${y(l.value)}" y2="${y(l.value)}"><title>${esc(title)}</title></line>`);
    parts.push(`<line class="${cls}" x1="${keyAt[row]}" x2="${keyAt[row] + 24}" y1="${ky - 4}" y2="${ky - 4}"/>`);
    parts.push(`<g><title>${esc(title)}</title><text class="line-label" data-kind="${esc(l.kind)}" data-rule="${esc(l.rule_id)}" x="${keyAt[row] + 30}" y="${ky}">${esc(label)}</text></g>`);
    keyAt[row] += 30 + label.length * 5.4 + 18;
  }
  // The scores.
  const points = (trend.series ?? []).filter((p) => p.total !== undefined && p.total !== null && p.session >= 1);
  const xy = points.map((p) => [x(p.session), y(p.total)]);
  parts.push(`<polyline class="trend" points="${xy.map((p) => p.join(',')).join(' ')}"/>`);
  points.forEach((p, i) => {
    const [px, py] = xy[i];
    parts.push(`<circle class="point" cx="${px}" cy="${py}" r="4.5"><title>Session ${p.session}${p.date ? ` (${p.date})` : ''}: ${esc(name)} ${p.total}, ${esc(value(p.band))}</title></circle>`);
    const last = p.session === sessions;
    parts.push(`<text class="point-label" x="${last ? px - 6 : px + 6}" y="${py - 7}" text-anchor="${last ? 'end' : 'start'}">${p.total}</text>`);
  });
  return { viewBox: `0 0 ${W} ${H}`, svg: parts.join('') };
}
