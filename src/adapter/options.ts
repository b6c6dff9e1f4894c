/**
 * `new UcwaAdapter(options)`: the options and their eager validation. A mistake fails in the constructor with a
 * TypeError naming the option and what it expects, not minutes later on the first sign-in (STYLE.md §10).
 */
import { resolveRetryRules } from '../retry/rules.js';
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

const isString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isOptional = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || check(v);

/** Throws a TypeError naming the first invalid option. Returns the options unchanged. */
export function validateAdapterOptions(options: UcwaAdapterOptions): UcwaAdapterOptions {
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object ({ discoveryUrl, username, password } or { discoveryUrl, token })', options);
  const o = options as unknown as Record<string, unknown>;
  if (!isOptional(o['allowInsecureLoopback'], (v) => typeof v === 'boolean')) fail('allowInsecureLoopback', 'must be a boolean', o['allowInsecureLoopback']);
  checkUrl('discoveryUrl', o['discoveryUrl'], o['allowInsecureLoopback'] === true);

  if (!isOptional(o['client'], isClientLike)) fail('client', 'must implement UcwaClientLike (setHandlers, start, stop, sendMessage, setIsTyping, stopMessaging, startMessaging, getConversation)', o['client']);
  if (!isOptional(o['token'], (v) => typeof v === 'function')) fail('token', 'must be a function returning a Promise of the access token', o['token']);
  if (!isOptional(o['username'], isString)) fail('username', 'must be a non-empty string (the bot\'s sign-in name)', o['username']);
  if (!isOptional(o['password'], isString)) fail('password', 'must be a non-empty string', o['password']);
  if (o['token'] !== undefined && o['password'] !== undefined) fail('password', 'must not be combined with `token` (pass one credential source)', o['password']);
  if (o['client'] === undefined && o['token'] === undefined) {
    if (o['username'] === undefined) fail('username', 'is required with `password` (or pass `token: () => Promise<string>` instead)', o['username']);
    if (o['password'] === undefined) fail('password', 'is required with `username` (or pass `token: () => Promise<string>` instead)', o['password']);
  }

  if (!isOptional(o['userAgent'], (v) => isString(v) && v.length <= 100)) fail('userAgent', 'must be a non-empty string of at most 100 characters (applications_ref.md)', o['userAgent']);
  if (!isOptional(o['culture'], (v) => typeof v === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(v))) fail('culture', 'must be a language tag such as "en-US"', o['culture']);
  if (!isOptional(o['endpointId'], (v) => isString(v) && v.length <= 100)) fail('endpointId', 'must be a non-empty string of at most 100 characters', o['endpointId']);
  if (!isOptional(o['allowedDomains'], (v) => Array.isArray(v) && v.length > 0 && v.every((d) => isString(d) && !/[\s/:]/.test(d)))) {
    fail('allowedDomains', 'must be a non-empty array of host or domain names (strings such as "contoso.com", no scheme or path)', o['allowedDomains']);
  }
  if (!isOptional(o['acceptInvitations'], (v) => typeof v === 'boolean' || typeof v === 'function')) fail('acceptInvitations', 'must be a boolean or a function (fromSipUri) => boolean', o['acceptInvitations']);
  const isPem = (v: unknown): boolean => typeof v === 'string' && v.includes('-----BEGIN ');
  if (!isOptional(o['ca'], (v) => isPem(v) || (Array.isArray(v) && v.every(isPem)))) fail('ca', 'must be a PEM certificate string (-----BEGIN CERTIFICATE-----) or an array of them', o['ca']);
  // '' turns the proxy off even when HTTPS_PROXY is set (src/ucwa/options.ts, proxyFromEnv).
  if (o['proxy'] !== undefined && o['proxy'] !== '') checkUrl('proxy', o['proxy'], false);
  if (!isOptional(o['retry'], (v) => typeof v === 'object' && v !== null && !Array.isArray(v))) fail('retry', 'must be an object ({ rules?, maxAttempts?, maxElapsedMs? })', o['retry']);
  if (o['retry'] !== undefined) {
    // Rows are validated and merged now, so a bad row fails here naming `retry.rules[i].field`, not at the first send.
    try {
      resolveRetryRules(o['retry'] as UcwaClientOptions['retry']);
    } catch (err) {
      throw new TypeError(`UcwaAdapter: option ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  if (!isOptional(o['logger'], (v) => typeof v === 'object' && v !== null && ['debug', 'info', 'warn', 'error'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function'))) {
    fail('logger', 'must be a logger with debug, info, warn and error methods (pino works)', o['logger']);
  }
  if (!isOptional(o['metrics'], (v) => typeof v === 'object' && v !== null)) fail('metrics', 'must be an object of optional counter callbacks (UcwaMetricsSink)', o['metrics']);
  if (!isOptional(o['fetch'], (v) => typeof v === 'function')) fail('fetch', 'must be a fetch function', o['fetch']);
  if (!isOptional(o['sleep'], (v) => typeof v === 'function')) fail('sleep', 'must be a function (ms) => Promise<void>', o['sleep']);
  if (!isOptional(o['eventTimeoutSeconds'], (v) => Number.isInteger(v) && (v as number) >= 180 && (v as number) <= 1800)) fail('eventTimeoutSeconds', 'must be an integer between 180 and 1800 (events_ref.md)', o['eventTimeoutSeconds']);
  if (!isOptional(o['reportMyActivityIntervalMs'], (v) => Number.isFinite(v) && (v as number) > 0 && (v as number) <= 240_000)) {
    fail('reportMyActivityIntervalMs', 'must be a positive number of milliseconds, at most 240000 (reportMyActivity_ref.md: at least every 4 min)', o['reportMyActivityIntervalMs']);
  }
  if (!isOptional(o['noProxy'], (v) => Array.isArray(v) && v.every(isString))) fail('noProxy', 'must be an array of host or domain names (NO_PROXY entries)', o['noProxy']);
  for (const name of ['requestTimeoutMs', 'invitationTimeoutMs', 'confirmDeliveryTimeoutMs']) {
    if (!isOptional(o[name], (v) => Number.isFinite(v) && (v as number) > 0)) fail(name, 'must be a positive number of milliseconds', o[name]);
  }
  if (!isOptional(o['maxMessageBytes'], (v) => Number.isInteger(v) && (v as number) >= 64)) fail('maxMessageBytes', 'must be an integer of at least 64', o['maxMessageBytes']);
  return options;
}

function isClientLike(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['setHandlers', 'start', 'stop', 'sendMessage', 'setIsTyping', 'stopMessaging', 'startMessaging', 'getConversation'].every((m) => typeof v[m] === 'function');
}
