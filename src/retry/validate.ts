/**
 * Validation of user-supplied retry options (`new UcwaAdapter({ retry })`). Every problem is a `TypeError` whose
 * message names the option path and says what was expected, so a configuration mistake fails at construction
 * instead of turning into a surprising retry (or a missing one) in production.
 */
import type { RetryAction, RetryOptions, RetryRule } from './types.js';

/** Every action a row may name, in the order the README lists them. */
export const RETRY_ACTIONS: readonly RetryAction[] = ['retry', 'refreshToken', 'recreateApplication', 'succeeded', 'fail'];

const RULE_FIELDS = new Set([
  'status', 'code', 'subcode', 'action', 'reason', 'baseDelayMs', 'maxDelayMs', 'factor', 'honorRetryAfter', 'maxAttempts',
]);

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function fail(path: string, expected: string, value: unknown): never {
  throw new TypeError(`${path} must be ${expected}, got ${show(value)}`);
}

function checkNumber(path: string, value: unknown, { min, integer }: { min: number; integer?: boolean }): void {
  if (value === undefined) return;
  const what = `${integer ? 'an integer' : 'a finite number'} ≥ ${min}`;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) fail(path, what, value);
  if (integer && !Number.isInteger(value)) fail(path, what, value);
}

/** Checks one row; `path` is e.g. `retry.rules[2]`. Returns the row typed. */
export function validateRule(value: unknown, path: string): RetryRule {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
  const row = value as Record<string, unknown>;
  for (const field of Object.keys(row)) {
    if (!RULE_FIELDS.has(field)) {
      throw new TypeError(`${path} has an unknown field '${field}'; known fields: ${[...RULE_FIELDS].join(', ')}`);
    }
  }
  const { status, code, subcode, action, reason } = row;
  if (status !== '*' && (typeof status !== 'number' || !Number.isInteger(status) || status < 0 || status > 599)) {
    fail(`${path}.status`, "an HTTP status (0 for no response, 100-599) or '*'", status);
  }
  if (typeof code !== 'string' || code === '') fail(`${path}.code`, "a UCWA ErrorCode string or '*'", code);
  if (subcode !== null && (typeof subcode !== 'string' || subcode === '')) {
    fail(`${path}.subcode`, "a UCWA ErrorSubcode string, null (no subcode) or '*'", subcode);
  }
  if (typeof action !== 'string' || !(RETRY_ACTIONS as readonly string[]).includes(action)) {
    fail(`${path}.action`, `one of ${RETRY_ACTIONS.map((a) => `'${a}'`).join(', ')}`, action);
  }
  if (typeof reason !== 'string' || reason.trim() === '') fail(`${path}.reason`, 'a non-empty one-line string', reason);
  checkNumber(`${path}.baseDelayMs`, row.baseDelayMs, { min: 0 });
  checkNumber(`${path}.maxDelayMs`, row.maxDelayMs, { min: 0 });
  checkNumber(`${path}.factor`, row.factor, { min: 1 });
  checkNumber(`${path}.maxAttempts`, row.maxAttempts, { min: 1, integer: true });
  if (row.honorRetryAfter !== undefined && typeof row.honorRetryAfter !== 'boolean') {
    fail(`${path}.honorRetryAfter`, 'a boolean', row.honorRetryAfter);
  }
  return row as unknown as RetryRule;
}

/** Checks the whole options object; `path` is the option name the user wrote (`retry`). */
export function validateRetryOptions(value: unknown, path = 'retry'): RetryOptions {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
  const options = value as Record<string, unknown>;
  for (const field of Object.keys(options)) {
    if (!['rules', 'maxAttempts', 'maxElapsedMs'].includes(field)) {
      throw new TypeError(`${path} has an unknown option '${field}'; known options: rules, maxAttempts, maxElapsedMs`);
    }
  }
  checkNumber(`${path}.maxAttempts`, options.maxAttempts, { min: 1, integer: true });
  checkNumber(`${path}.maxElapsedMs`, options.maxElapsedMs, { min: 0 });
  if (options.rules !== undefined && !Array.isArray(options.rules)) fail(`${path}.rules`, 'an array of rows', options.rules);
  const rules = (options.rules as unknown[] | undefined)?.map((row, i) => validateRule(row, `${path}.rules[${i}]`));
  return { ...(options as RetryOptions), ...(rules ? { rules } : {}) };
}
