/** Fixture errors for the retry tests: built like the client builds them (PROTOCOL.md §10.1 bodies). */
import { UcwaError, describeFailure, type UcwaErrorDetails } from '../../../src/ucwa/errors.js';
import type { RetryRule } from '../../../src/retry/types.js';

export function ucwaError(status: number, code: string, subcode?: string, details: Partial<UcwaErrorDetails> = {}): UcwaError {
  const source = details.source ?? (status === 0 ? 'network' : 'http');
  return new UcwaError(describeFailure('POST', '/ucwa/oauth/v1/applications/1/messaging/messages', status, code, subcode), status, code, subcode, {
    source,
    ...details,
  });
}

/**
 * An error that this row, and no more specific row, matches: wildcards become values no default row names
 * (status 599, code 'UnlistedCode', subcode 'UnlistedSubcode').
 */
export function fixtureFor(rule: RetryRule, details: Partial<UcwaErrorDetails> = {}): UcwaError {
  const status = rule.status === '*' ? 599 : rule.status;
  const code = rule.code === '*' ? 'UnlistedCode' : rule.code;
  const subcode = rule.subcode === '*' ? 'UnlistedSubcode' : (rule.subcode ?? undefined);
  return ucwaError(status, code, subcode, details);
}

export function describeRule(rule: RetryRule): string {
  return `(${rule.status}, ${rule.code}, ${rule.subcode === null ? 'none' : rule.subcode}) → ${rule.action}`;
}

/** A sleep that records and returns at once, so delays are asserted without waiting. */
export function recordingSleep(): { sleep: (ms: number, signal?: AbortSignal) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      delays.push(ms);
    },
  };
}
