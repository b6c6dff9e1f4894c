/**
 * Validation and defaults for `UcwaClientOptions`, resolved once in the constructor (STYLE.md §10).
 * Every bad value fails fast with an error that names the option and says what to change.
 */
import { createHash } from 'node:crypto';
import { resolveRetryRules } from '../retry/rules.js';
import type { ResolvedRetryOptions } from '../retry/types.js';
import { isLoopbackHost, registrableDomain } from './token-guard.js';
import type { FetchLike } from './http.js';
import type { Logger, UcwaClientOptions, UcwaMetricsSink } from './types.js';

export const DEFAULT_USER_AGENT = 'botbuilder-adapter-ucwa/0.1.0';

/** The resolved client configuration. */
export interface ResolvedClientOptions {
  discoveryUrl: string;
  username?: string;
  password?: string;
  token?: () => Promise<string>;
  userAgent: string;
  culture: string;
  endpointId: string;
  allowedDomains: string[];
  allowInsecureLoopback: boolean;
  acceptInvitations: (fromSipUri: string) => boolean;
  ca?: string | string[];
  proxy?: string;
  noProxy?: string[];
  policy: ResolvedRetryOptions;
  logger: Logger;
  fetch?: FetchLike;
  eventTimeoutSeconds: number;
  reportMyActivityIntervalMs: number;
  maxMessageBytes: number;
  metrics: UcwaMetricsSink;
  requestTimeoutMs: number;
  invitationTimeoutMs: number;
  confirmDeliveryTimeoutMs: number;
  confirmDeliveryMinMs: number;
}

const noop = (): void => undefined;
/** A logger that drops everything (the default: a library does not print). */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

function fail(option: string, expected: string, got: unknown): never {
  const shown = typeof got === 'function' ? 'a function' : typeof got === 'string' ? JSON.stringify(got) : String(got);
  throw new TypeError(`Expected \`${option}\` to be ${expected}, got ${shown}`);
}

function integerIn(option: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(option, `an integer between ${min} and ${max}`, value);
  return value;
}

function nonEmpty(option: string, value: unknown, fallback: string, max = 100): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > max) fail(option, `a non-empty string of at most ${max} characters`, value);
  return value;
}

/** The environment variables the client reads (only the proxy pair); injectable for tests. */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

/** Loopback never goes through a proxy taken from the environment (the local emulator, a sidecar). */
const LOOPBACK_NO_PROXY = ['localhost', '127.0.0.1', '::1'];

/**
 * `proxy` / `noProxy` when the caller gave none (issue #3: "default from HTTPS_PROXY / NO_PROXY"): `HTTPS_PROXY`
 * (or `https_proxy`) and `NO_PROXY` (or `no_proxy`, comma- or space-separated, the curl convention). An explicit
 * option always wins, and `proxy: ''` disables the proxy even when `HTTPS_PROXY` is set. A `noProxy` read from
 * the environment keeps loopback bypassed, so setting `NO_PROXY=contoso.com` never sends emulator traffic to the proxy.
 */
export function proxyFromEnv(options: Pick<UcwaClientOptions, 'proxy' | 'noProxy'>, env: ProxyEnv): { proxy?: string; noProxy?: string[] } {
  const pick = (upper: string): string | undefined => {
    const value = env[upper] ?? env[upper.toLowerCase()];
    return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
  };
  const proxy = options.proxy !== undefined ? (options.proxy === '' ? undefined : options.proxy) : pick('HTTPS_PROXY');
  let noProxy = options.noProxy;
  const fromEnv = pick('NO_PROXY');
  if (noProxy === undefined && fromEnv !== undefined) {
    const entries = fromEnv.split(/[\s,]+/).map((d) => d.trim()).filter((d) => d !== '');
    noProxy = [...new Set([...entries, ...LOOPBACK_NO_PROXY])];
  }
  return { proxy, noProxy };
}

/**
 * Validate options and fill defaults. `env` (default `process.env`) is read only for `HTTPS_PROXY` / `NO_PROXY`
 * (see `proxyFromEnv`). @throws TypeError naming the offending option (or the variable, for a bad `HTTPS_PROXY`).
 */
/** `culture` drives the server's localisation (applications_ref.md): a language tag such as en-US, at most 100 chars. */
function languageTag(value: string | undefined): string {
  const culture = nonEmpty('culture', value, 'en-US');
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(culture)) fail('culture', 'a language tag such as "en-US"', culture);
  return culture;
}

export function resolveClientOptions(options: UcwaClientOptions, env: ProxyEnv = process.env): ResolvedClientOptions {
  if (!options || typeof options !== 'object') throw new TypeError('Expected UcwaClient options to be an object with at least `discoveryUrl`');
  let discovery: URL;
  try {
    discovery = new URL(options.discoveryUrl);
  } catch {
    fail('discoveryUrl', 'an absolute URL such as https://lyncdiscover.contoso.com/', options.discoveryUrl);
  }
  const allowInsecureLoopback = options.allowInsecureLoopback ?? false;
  if (typeof allowInsecureLoopback !== 'boolean') fail('allowInsecureLoopback', 'a boolean', allowInsecureLoopback);
  if (discovery.protocol !== 'https:') {
    if (discovery.protocol !== 'http:') fail('discoveryUrl', 'an https:// URL', options.discoveryUrl);
    if (!isLoopbackHost(discovery.hostname)) fail('discoveryUrl', 'an https:// URL (http:// is only allowed for 127.0.0.1/localhost with `allowInsecureLoopback: true`)', options.discoveryUrl);
    if (!allowInsecureLoopback) fail('discoveryUrl', 'an https:// URL, or set `allowInsecureLoopback: true` for an http:// loopback emulator', options.discoveryUrl);
  }
  const hasPassword = options.username !== undefined || options.password !== undefined;
  if (options.token !== undefined && typeof options.token !== 'function') fail('token', 'a function returning Promise<string>', options.token);
  if (options.token && hasPassword) throw new TypeError('Pass either `username` + `password` or `token`, not both');
  if (!options.token) {
    if (typeof options.username !== 'string' || options.username.length === 0) fail('username', 'a non-empty string (or pass `token` instead)', options.username);
    if (typeof options.password !== 'string' || options.password.length === 0) throw new TypeError('Expected `password` to be a non-empty string (or pass `token` instead)');
  }
  let allowedDomains: string[];
  if (options.allowedDomains === undefined) allowedDomains = [registrableDomain(discovery.hostname)];
  else {
    if (!Array.isArray(options.allowedDomains) || options.allowedDomains.length === 0) fail('allowedDomains', 'a non-empty array of host or domain names', options.allowedDomains);
    for (const d of options.allowedDomains) {
      if (typeof d !== 'string' || !/^(\*\.)?[a-z0-9.:[\]-]+$/i.test(d)) fail('allowedDomains', 'host or domain names such as "contoso.com"', d);
    }
    allowedDomains = [...options.allowedDomains];
  }
  const accept = options.acceptInvitations ?? true;
  if (typeof accept !== 'boolean' && typeof accept !== 'function') fail('acceptInvitations', 'a boolean or a function (fromSipUri) => boolean', accept);
  if (options.ca !== undefined) {
    const list = Array.isArray(options.ca) ? options.ca : [options.ca];
    if (list.length === 0 || list.some((c) => typeof c !== 'string' || !c.includes('BEGIN CERTIFICATE'))) fail('ca', 'PEM certificate text (-----BEGIN CERTIFICATE-----)', '(not PEM)');
  }
  if (options.proxy !== undefined && typeof options.proxy !== 'string') fail('proxy', "an http:// or https:// proxy URL such as http://proxy.contoso.com:3128, or '' for no proxy", options.proxy);
  if (options.noProxy !== undefined && (!Array.isArray(options.noProxy) || options.noProxy.some((d) => typeof d !== 'string'))) fail('noProxy', 'an array of host or domain names', options.noProxy);
  const proxySettings = proxyFromEnv(options, env);
  if (proxySettings.proxy !== undefined) {
    let proxy: URL | undefined;
    try {
      proxy = new URL(proxySettings.proxy);
    } catch {
      proxy = undefined;
    }
    // Named as the user wrote it; the value is never shown (a proxy URL can carry user:password@).
    const option = options.proxy !== undefined ? 'proxy' : 'proxy (from HTTPS_PROXY)';
    if (!proxy || (proxy.protocol !== 'http:' && proxy.protocol !== 'https:')) fail(option, "an http:// or https:// proxy URL such as http://proxy.contoso.com:3128, or '' for no proxy", '(not an http(s) URL)');
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') fail('fetch', 'a fetch function (node-fetch compatible)', options.fetch);
  const confirmDeliveryTimeoutMs = integerIn('confirmDeliveryTimeoutMs', options.confirmDeliveryTimeoutMs, 0, 60_000, 3_000);
  const confirmDeliveryMinMs = integerIn('confirmDeliveryMinMs', options.confirmDeliveryMinMs, 0, 60_000, Math.min(1_000, confirmDeliveryTimeoutMs));
  if (confirmDeliveryMinMs > confirmDeliveryTimeoutMs) {
    fail('confirmDeliveryMinMs', `at most confirmDeliveryTimeoutMs (${confirmDeliveryTimeoutMs})`, confirmDeliveryMinMs);
  }
  const username = options.username ?? '';
  const defaultEndpointId = `ucwa-bot-${createHash('sha256').update(`${username.toLowerCase()}|${discovery.host}`).digest('hex').slice(0, 32)}`;
  return {
    discoveryUrl: discovery.toString(),
    username: options.username,
    password: options.password,
    token: options.token,
    userAgent: nonEmpty('userAgent', options.userAgent, DEFAULT_USER_AGENT),
    culture: languageTag(options.culture),
    endpointId: nonEmpty('endpointId', options.endpointId, defaultEndpointId),
    allowedDomains,
    allowInsecureLoopback,
    acceptInvitations: typeof accept === 'function' ? accept : () => accept,
    ca: options.ca,
    proxy: proxySettings.proxy,
    noProxy: proxySettings.noProxy,
    policy: resolveRetryRules(options.retry),
    logger: options.logger ?? silentLogger,
    fetch: options.fetch,
    eventTimeoutSeconds: integerIn('eventTimeoutSeconds', options.eventTimeoutSeconds, 180, 1800, 180),
    reportMyActivityIntervalMs: integerIn('reportMyActivityIntervalMs', options.reportMyActivityIntervalMs, 10, 240_000, 180_000),
    maxMessageBytes: integerIn('maxMessageBytes', options.maxMessageBytes, 16, 1_000_000, 8000),
    metrics: options.metrics ?? {},
    requestTimeoutMs: integerIn('requestTimeoutMs', options.requestTimeoutMs, 100, 600_000, 30_000),
    invitationTimeoutMs: integerIn('invitationTimeoutMs', options.invitationTimeoutMs, 100, 600_000, 60_000),
    confirmDeliveryTimeoutMs,
    confirmDeliveryMinMs,
  };
}
