// The PHQ-9 chart: the totals recorded by session on the engine's severity bands, with the
// axes' values, the baseline, and the response and remission thresholds. The bands and
// thresholds are asked of the engine (evaluate_measure on every total), not written here.
import { esc } from './render.js';
import { value } from './words.js';

const MAX = 27;
const W = 700;
const H = 306;
const X0 = 52;
const X1 = 560;
const Y0 = 16;
const Y1 = 232;
const x = (session, sessions) => X0 + ((session - 1) * (X1 - X0)) / Math.max(sessions - 1, 1);
const y = (total) => Y0 + ((MAX - total) * (Y1 - Y0)) / MAX;

/** The engine's PHQ-9 scale: its bands and the largest total in remission. */
export function scale(evaluate) {
  const rows = Array.from({ length: MAX + 1 }, (_, total) => evaluate({ current: { instrument: 'phq9', total } }));
  const bands = [];
  for (const [total, r] of rows.entries()) {
    const last = bands.at(-1);
    if (last && last.band === r.band) last.hi = total;
    else bands.push({ band: r.band, lo: total, hi: total });
  }
  const remission = rows.filter((r) => r.remission).map((r) => r.total);
  /** The largest total that is a response against `baseline`, or null. */
  const response = (baseline) => {
    const yes = rows.map((_, total) => total).filter((total) =>
      evaluate({ current: { instrument: 'phq9', total }, baseline: { instrument: 'phq9', total: baseline } }).response === 'present');
    return yes.length ? Math.max(...yes) : null;
  };
  return { bands, remissionMax: remission.length ? Math.max(...remission) : null, response };
}

const COLOURS = ['#e6f2ea', '#eef5e4', '#fbf4df', '#fbeadb', '#f7dedb', '#f3d4d2'];

/** The chart's SVG content for `points` ([{session, total}]) of a course of `sessions` sessions. */
export function chart({ bands, remissionMax, response }, points, sessions) {
  const parts = [];
  // Bands, with their names at the right.
  bands.forEach((b, i) => {
    const top = y(b.hi + 0.5 > MAX ? MAX : b.hi + 0.5);
    const bottom = y(b.lo - 0.5 < 0 ? 0 : b.lo - 0.5);
    parts.push(`<rect class="band" x="${X0}" width="${X1 - X0}" y="${top}" height="${bottom - top}" fill="${COLOURS[i % COLOURS.length]}"><title>${esc(value(b.band))}: ${b.lo}–${b.hi}</title></rect>`);
    parts.push(`<text class="band-label" x="${X1 + 8}" y="${(top + bottom) / 2 + 4}">${esc(value(b.band))} ${b.lo}–${b.hi}</text>`);
  });
  // Axes: totals at the band edges, sessions 1 to the course's length.
  const ticks = [...new Set([0, ...bands.map((b) => b.lo), MAX])];
  for (const t of ticks) {
    parts.push(`<line class="gridline" x1="${X0}" x2="${X1}" y1="${y(t)}" y2="${y(t)}"/>`);
    parts.push(`<text class="tick y" x="${X0 - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>`);
  }
  for (let s = 1; s <= sessions; s++) parts.push(`<text class="tick x" x="${x(s, sessions)}" y="${Y1 + 16}" text-anchor="middle">${s}</text>`);
  parts.push(`<line class="axis" x1="${X0}" x2="${X0}" y1="${Y0}" y2="${Y1}"/><line class="axis" x1="${X0}" x2="${X1}" y1="${Y1}" y2="${Y1}"/>`);
  parts.push(`<text class="axis-title" x="${(X0 + X1) / 2}" y="${Y1 + 32}" text-anchor="middle">Session</text>`);
  parts.push(`<text class="axis-title" transform="translate(14 ${(Y0 + Y1) / 2}) rotate(-90)" text-anchor="middle">PHQ-9 total</text>`);
  // The baseline and the thresholds measured against it, named in a key below the axis.
  let key = X0;
  const line = (cls, total, label) => {
    parts.push(`<line class="${cls}" x1="${X0}" x2="${X1}" y1="${y(total)}" y2="${y(total)}"><title>${esc(label)}</title></line>`);
    parts.push(`<line class="${cls}" x1="${key}" x2="${key + 24}" y1="${H - 6}" y2="${H - 6}"/>`);
    parts.push(`<text class="line-label" x="${key + 30}" y="${H - 2}">${esc(label)}</text>`);
    key += 30 + label.length * 5.4 + 18;
  };
  if (points.length) {
    const baseline = points[0].total;
    line('baseline', baseline, `baseline ${baseline} (session ${points[0].session})`);
    const r = response(baseline);
    if (r !== null) line('threshold response', r, `response: ${r} or less (at least half the baseline gone)`);
  }
  if (remissionMax !== null) line('threshold remission', remissionMax, `remission: ${remissionMax} or less`);
  // The scores.
  const xy = points.map((p) => [x(p.session, sessions), y(p.total)]);
  parts.push(`<polyline class="trend" points="${xy.map((p) => p.join(',')).join(' ')}"/>`);
  points.forEach((p, i) => {
    parts.push(`<circle class="point" cx="${xy[i][0]}" cy="${xy[i][1]}" r="4.5"><title>Session ${p.session}: PHQ-9 ${p.total}</title></circle>`);
    const [px, py] = xy[i];
    const last = p.session === sessions;
    parts.push(`<text class="point-label" x="${last ? px - 6 : px + 6}" y="${py - 7}" text-anchor="${last ? 'end' : 'start'}">${p.total}</text>`);
  });
  return { viewBox: `0 0 ${W} ${H}`, svg: parts.join('') };
}
