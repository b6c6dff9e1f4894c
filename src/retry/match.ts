/**
 * How a `RetryRule` row matches a `UcwaError`, and which matching row wins. Shared by `decide()` (lookup) and
 * `resolveRetryRules()` (merge by key), so both agree on what "the same row" means.
 */
import type { RetryRule } from './types.js';

/**
 * Normalises a subcode for matching: UCWA's error tables write `None` where there is no subcode, and the wire
 * body simply omits the member (PROTOCOL.md §10.1), so `undefined`, `null`, `''` and `'None'` all mean "none".
 */
export function normalizeSubcode(subcode: string | null | undefined): string | null {
  if (subcode === undefined || subcode === null || subcode === '') return null;
  return subcode.toLowerCase() === 'none' ? null : subcode;
}

/**
 * The merge key of a row: `status|code|subcode`, codes lower-cased because UCWA's own pages disagree on their
 * spelling (`PreConditionFailed` vs `PreconditionFailed`, PROTOCOL.md §15 item 34).
 */
export function ruleKey(rule: Pick<RetryRule, 'status' | 'code' | 'subcode'>): string {
  const subcode = rule.subcode === '*' ? '*' : normalizeSubcode(rule.subcode);
  return `${rule.status}|${rule.code.toLowerCase()}|${subcode === null ? '<none>' : subcode.toLowerCase()}`;
}

/** The parts of an error a rule looks at. */
export interface ErrorKey {
  status: number;
  code: string;
  subcode?: string | null;
}

/** True when every non-wildcard field of the row equals the error's (codes and subcodes case-insensitively). */
export function ruleMatches(rule: RetryRule, error: ErrorKey): boolean {
  if (rule.status !== '*' && rule.status !== error.status) return false;
  if (rule.code !== '*' && rule.code.toLowerCase() !== error.code.toLowerCase()) return false;
  if (rule.subcode === '*') return true;
  const wanted = normalizeSubcode(rule.subcode);
  const actual = normalizeSubcode(error.subcode);
  if (wanted === null || actual === null) return wanted === actual;
  return wanted.toLowerCase() === actual.toLowerCase();
}

/**
 * Specificity of a row: subcode 4, status 2, code 1 (a concrete value, including `subcode: null`, counts).
 *
 * Order, most specific first: (status, code, subcode) > (status, *, subcode) > (*, code, subcode) >
 * (*, *, subcode) > (status, code, *) > (status, *, *) > (*, code, *) > (*, *, *).
 *
 * The subcode weighs most because it carries the meaning: for synchronous errors UCWA's `code` only mirrors the
 * HTTP status (PROTOCOL.md §10.1), while the subcode names what happened (`ApplicationNotFound`, `PGetReplaced`).
 * A documented subcode must never be shadowed by a broad status row such as `(0, *, *)`. Status outranks code
 * because a proxy's 502 or an IIS 401 has no UCWA body, so its code is derived from the status anyway (§10.2).
 * Two distinct rows can never tie: equal specificity and both matching means equal keys, and keys are unique.
 */
export function specificity(rule: RetryRule): number {
  return (rule.subcode !== '*' ? 4 : 0) + (rule.status !== '*' ? 2 : 0) + (rule.code !== '*' ? 1 : 0);
}

/** The most specific row matching the error, or undefined. */
export function findRule(rules: readonly RetryRule[], error: ErrorKey): RetryRule | undefined {
  let best: RetryRule | undefined;
  let bestScore = -1;
  for (const rule of rules) {
    if (!ruleMatches(rule, error)) continue;
    const score = specificity(rule);
    if (score > bestScore) {
      best = rule;
      bestScore = score;
    }
  }
  return best;
}
