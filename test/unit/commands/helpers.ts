import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import type { Logger } from '../../../src/ucwa/types.js';

/** One call made on the fake logger. */
export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object | string;
  msg?: string;
}

/** A Logger that records every call, for asserting what was (and was not) logged. */
export function createFakeLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const record = (level: LogEntry['level']) => (obj: object | string, msg?: string) => {
    entries.push({ level, obj, ...(msg === undefined ? {} : { msg }) });
  };
  return { entries, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

/** A manual clock for rate limits and confirmations. */
export function createClock(start = Date.UTC(2026, 10, 26, 1, 0, 0)): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

export const ALICE = 'sip:alice@contoso.com';
export const BOB = 'sip:bob@contoso.com';
export const CAROL = 'sip:carol@ops.contoso.com';

/** A message activity from `user`, optionally in a group conversation. */
export function message(text: string, user = ALICE, group?: string): Partial<Activity> {
  return {
    type: 'message',
    text,
    from: { id: user, name: user.slice(4) },
    ...(group === undefined ? {} : { conversation: { id: group, isGroup: true, conversationType: 'groupChat', name: group } }),
  };
}

/**
 * An assertReply inspector for a pattern. TestAdapter treats a RegExp as a partial activity with no fields
 * (so it would always pass); this checks the reply text instead.
 */
export function textMatching(pattern: RegExp): (reply: Partial<Activity>, description?: string) => void {
  return (reply) => assert.match(reply.text ?? '', pattern);
}
