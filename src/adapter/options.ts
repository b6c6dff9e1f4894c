/**
 * `new UcwaAdapter(options)`: the options and their eager validation. A mistake fails in the constructor with a
 * TypeError naming the option and what it expects, not minutes later on the first sign-in (STYLE.md §10).
 */
import { resolveRetryRules } from '../retry/rules.js';
import { resolveClientOptions } from '../ucwa/options.js';
import type { UcwaClientLike, UcwaClientOptions } from '../ucwa/types.js';

export interface UcwaAdapterOptions extends UcwaClientOptions {
  /**
   * The UCWA client to use instead of `new UcwaClient(options)` (tests, or a client shared with other code).
   * When given, `username`/`password`/`token` may be omitted: the client holds the credentials.
   */
  client?: UcwaClientLike;
  /** How `delay` activities wait. @default setTimeout-based */
  sleep?: (ms: number) => Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Options whose values never appear in an error message (a proxy URL can carry user:password@). */
const SECRET_OPTIONS = new Set(['password', 'token', 'proxy']);

function fail(option: string, expected: string, got: unknown): never {
  const shown = typeof got === 'string' && !SECRET_OPTIONS.has(option) ? JSON.stringify(got.length > 60 ? `${got.slice(0, 60)}…` : got) : typeof got === 'function' ? 'a function' : Array.isArray(got) ? 'an array' : got === null ? 'null' : typeof got;
  throw new TypeError(`UcwaAdapter: option \`${option}\` ${expected}, got ${shown}`);
}

function checkUrl(option: string, value: unknown, allowInsecureLoopback: boolean): URL {
  if (typeof value !== 'string' || value === '') fail(option, 'must be an absolute http(s) URL string', value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(option, 'must be an absolute http(s) URL', value);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(option, 'must be an absolute http(s) URL', value);
  if (option === 'discoveryUrl' && url.protocol === 'http:' && !(allowInsecureLoopback && LOOPBACK.has(url.hostname))) {
    // The bearer token must never travel in clear text (PROTOCOL.md §2.4); http is for the local emulator only.
    fail(option, 'must use https (http:// is accepted only for 127.0.0.1/localhost with `allowInsecureLoopback: true`)', value);
  }
  return url;
}

const isOptional = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || check(v);

/**
 * Checks what only the adapter owns (`client`, `sleep`, the retry rows, the logger it logs with) and, unless a
 * client is injected, every client option by the client's own rules (`resolveClientOptions`): one set of rules, so
 * the adapter can never accept what the client later refuses, or the other way round. With an injected client the
 * client options are not used, except `discoveryUrl` (the activities' serviceUrl). Returns the options unchanged.
 * @throws TypeError naming the first invalid option.
 */
export function validateAdapterOptions(options: UcwaAdapterOptions): UcwaAdapterOptions {
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object ({ discoveryUrl, username, password } or { discoveryUrl, token })', options);
  const o = options as unknown as Record<string, unknown>;
  if (!isOptional(o['client'], isClientLike)) fail('client', 'must implement UcwaClientLike (setHandlers, start, stop, sendMessage, setIsTyping, stopMessaging, startMessaging, getConversation)', o['client']);
  if (!isOptional(o['sleep'], (v) => typeof v === 'function')) fail('sleep', 'must be a function (ms) => Promise<void>', o['sleep']);
  if (!isOptional(o['logger'], (v) => typeof v === 'object' && v !== null && ['debug', 'info', 'warn', 'error'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function'))) {
    fail('logger', 'must be a logger with debug, info, warn and error methods (pino works)', o['logger']);
  }
  if (!isOptional(o['metrics'], (v) => typeof v === 'object' && v !== null)) fail('metrics', 'must be an object of optional counter callbacks (UcwaMetricsSink)', o['metrics']);
  if (!isOptional(o['retry'], (v) => typeof v === 'object' && v !== null && !Array.isArray(v))) fail('retry', 'must be an object ({ rules?, maxAttempts?, maxElapsedMs? })', o['retry']);
  if (o['retry'] !== undefined) {
    // Rows are validated and merged now, so a bad row fails here naming `retry.rules[i].field`, not at the first send.
    try {
      resolveRetryRules(o['retry'] as UcwaClientOptions['retry']);
    } catch (err) {
      throw new TypeError(`UcwaAdapter: option ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  if (o['client'] === undefined) {
    const { client: _client, sleep: _sleep, ...clientOptions } = options;
    resolveClientOptions(clientOptions);
  } else {
    if (!isOptional(o['allowInsecureLoopback'], (v) => typeof v === 'boolean')) fail('allowInsecureLoopback', 'must be a boolean', o['allowInsecureLoopback']);
    checkUrl('discoveryUrl', o['discoveryUrl'], o['allowInsecureLoopback'] === true);
  }
  return options;
}

function isClientLike(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['setHandlers', 'start', 'stop', 'sendMessage', 'setIsTyping', 'stopMessaging', 'startMessaging', 'getConversation'].every((m) => typeof v[m] === 'function');
}
