/**
 * Field parsers for `loadConfig`: each reads one environment variable, returns the parsed value or records a
 * problem that names the variable and what it expects. Values of secret variables are never echoed.
 */
export type Env = Readonly<Record<string, string | undefined>>;

/** Collects every problem so the host reports them all at once instead of one per restart. */
export class Problems {
  readonly list: string[] = [];
  add(message: string): void {
    this.list.push(message);
  }
}

/** The value, trimmed; undefined when unset or blank (an empty `KEY=` line means "use the default"). */
export function read(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Shows a value in an error message, shortened, with any `user:password@` removed from URLs. */
export function show(value: string): string {
  const safe = value.replace(/\/\/[^/@\s]*@/, '//***@');
  return JSON.stringify(safe.length > 80 ? safe.slice(0, 77) + '...' : safe);
}

export function parsePort(env: Env, name: string, fallback: number, problems: Problems): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= 65535)) {
    problems.add(`${name} must be an integer 0-65535, got ${show(value)}`);
    return fallback;
  }
  return n;
}

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

export function parseBoolean(env: Env, name: string, fallback: boolean, problems: Problems): boolean {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  if (TRUE.includes(lower)) return true;
  if (FALSE.includes(lower)) return false;
  problems.add(`${name} must be true or false, got ${show(value)}`);
  return fallback;
}

export function parseEnum<T extends string>(
  env: Env, name: string, allowed: readonly T[], fallback: T, problems: Problems,
): T {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const lower = value.toLowerCase() as T;
  if (allowed.includes(lower)) return lower;
  problems.add(`${name} must be one of ${allowed.join(', ')}, got ${show(value)}`);
  return fallback;
}

/** An absolute http(s) URL. */
export function parseUrl(env: Env, name: string, problems: Problems): URL | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.add(`${name} must be an absolute URL such as https://lyncdiscover.contoso.com/, got ${show(value)}`);
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.add(`${name} must be an http:// or https:// URL, got ${show(value)}`);
    return undefined;
  }
  return url;
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Whether `s` is a DNS name (`contoso.com`, `lyncweb.contoso.com`, `localhost`). */
export function isHostname(s: string): boolean {
  return HOSTNAME.test(s);
}

/** A comma-separated list; blank entries dropped. */
export function parseList(env: Env, name: string): string[] | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** A comma list of DNS names (a leading `.` or `*.` is accepted and dropped: a domain covers its subdomains). */
export function parseDomains(env: Env, name: string, problems: Problems): string[] | undefined {
  const list = parseList(env, name);
  if (list === undefined) return undefined;
  const domains = list.map((d) => d.replace(/^\*?\./, '').toLowerCase());
  const bad = domains.filter((d) => !isHostname(d));
  if (bad.length > 0) {
    problems.add(`${name} must be a comma-separated list of DNS names such as contoso.com, got ${bad.map(show).join(', ')}`);
  }
  if (domains.length === 0) problems.add(`${name} must list at least one domain when set`);
  return domains;
}

const SIP_URI = /^sip:[^@\s:;]+@[a-z0-9.-]+$/i;

/**
 * Members of a command-permission group: SIP URIs (`sip:alice@contoso.com`) or SIP domains (`@contoso.com` or
 * `contoso.com`), returned in the form `CommandMiddlewareOptions.groups` expects (`@contoso.com`).
 */
export function parseMembers(env: Env, name: string, problems: Problems): string[] | undefined {
  const list = parseList(env, name);
  if (list === undefined) return undefined;
  const isDomain = (m: string) => isHostname(m.replace(/^@/, '')) && m.includes('.');
  const bad = list.filter((m) => !SIP_URI.test(m) && !isDomain(m));
  if (bad.length > 0) {
    problems.add(`${name} must be a comma-separated list of SIP URIs (sip:alice@contoso.com) or domains (@contoso.com), got ${bad.map(show).join(', ')}`);
  }
  // CommandMiddleware groups take SIP URIs and whole domains written `@contoso.com`.
  return list.map((m) => (SIP_URI.test(m) ? 'sip:' + m.slice(4).toLowerCase() : '@' + m.replace(/^@/, '').toLowerCase()));
}
