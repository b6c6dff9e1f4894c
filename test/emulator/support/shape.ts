/**
 * Shape comparison for the conformance test: link rels, property names and JSON value types — not values.
 * `superset`: everything the sample shows must be in the emulator's answer (walk-through captures).
 * `subset`: everything the emulator sends must be named in the sample (reference pages list every member).
 */
export type Mode = 'superset' | 'subset';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export interface CompareOptions {
  mode: Mode;
  /** Paths (`a.b.c`) whose subtree is not compared, with the reason (doc artifacts, REPAIRS.md). */
  skip?: Record<string, string>;
  /** Names allowed in `subset` mode although the sample lacks them, with their source. */
  allow?: Record<string, string>;
}

/** Returns human-readable differences (empty = same shape). */
export function compareShape(sample: unknown, actual: unknown, opts: CompareOptions, path = '$'): string[] {
  if (opts.skip && path in opts.skip) return [];
  const ts = typeOf(sample);
  const ta = typeOf(actual);
  // `null` in a doc sample stands for "some value" (e.g. telemetryId); an elided `{}` for "some object".
  if (ts === 'null') return [];
  if (ts !== ta) return [`${path}: sample is ${ts}, emulator sent ${ta}`];
  if (ts === 'array') {
    const s = sample as unknown[];
    const a = actual as unknown[];
    if (s.length === 0 || a.length === 0) return [];
    return compareShape(s[0], a[0], opts, `${path}[0]`);
  }
  if (ts !== 'object') return [];
  const s = sample as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const diffs: string[] = [];
  const guardS = Object.keys(s).find((k) => GUID.test(k));
  const guardA = Object.keys(a).find((k) => GUID.test(k));
  if (opts.mode === 'superset' && guardS && !guardA) diffs.push(`${path}: missing the PUT guard member (a GUID-named property)`);
  if (Object.keys(s).length === 0) return diffs; // elided in the doc
  const names = opts.mode === 'superset' ? Object.keys(s) : Object.keys(a);
  for (const k of names) {
    if (GUID.test(k)) continue;
    const p = `${path}.${k}`;
    if (opts.skip && p in opts.skip) continue;
    if (opts.mode === 'superset') {
      if (!(k in a)) diffs.push(`${p}: in the sample, missing from the emulator`);
      else diffs.push(...compareShape(s[k], a[k], opts, p));
    } else if (!(k in s)) {
      // Every web link may carry `title` / `revision` (WebLinks.md), whether or not the sample shows one.
      const linkAttr = (k === 'title' || k === 'revision') && /\._links\.[^.]+(\[0\])?$/.test(path);
      if (!linkAttr && !(opts.allow && (k in opts.allow || p in opts.allow))) diffs.push(`${p}: sent by the emulator, not named in the sample`);
    } else diffs.push(...compareShape(s[k], a[k], opts, p));
  }
  return diffs;
}
