/**
 * The host's configuration, read from the environment in one place (STYLE.md §10). `loadConfig` validates every
 * variable and throws one `ConfigError` listing each missing or malformed one by its env name.
 * Every variable is documented in `.env.example`.
 */
import { readFileSync } from 'node:fs';
import {
  type Env, Problems, isHostname, parseBoolean, parseDomains, parseEnum, parseList, parseMembers, parsePort,
  parseUrl, read, show,
} from './config-fields.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How to reach a real Skype for Business Server (present when `UCWA_DISCOVERY_URL` is set). */
export interface UcwaConfig {
  readonly discoveryUrl: string;
  readonly username: string;
  /** Not enumerable: `JSON.stringify(config)` and loggers never see it. */
  readonly password: string;
  readonly allowedDomains?: readonly string[];
  /** PEM text read from `UCWA_CA_FILE` at startup. */
  readonly ca?: string;
  readonly caFile?: string;
  /** `HTTPS_PROXY` (or `https_proxy`). */
  readonly proxy?: string;
  /** `NO_PROXY` (or `no_proxy`): hosts or parent domains the client reaches directly; the client applies it per request. */
  readonly noProxy?: readonly string[];
  readonly userAgent?: string;
  readonly culture?: string;
  readonly allowInsecureLoopback: boolean;
}

export interface Config {
  /** `emulator` (no `UCWA_DISCOVERY_URL`: start the embedded emulator) or `server` (a real Skype for Business Server). */
  readonly mode: 'emulator' | 'server';
  readonly ucwa?: UcwaConfig;
  /** @default 3978 */
  readonly port: number;
  /** @default '127.0.0.1' in emulator mode (nothing outside this machine can reach the demo), '0.0.0.0' in server mode */
  readonly host: string;
  /** @default 'info' */
  readonly logLevel: LogLevel;
  /** @default false */
  readonly logMessageBodies: boolean;
  /** Command permission groups: `admins` from `BOT_ADMINS`, `<name>` from `BOT_GROUP_<NAME>` (lower-cased). */
  readonly groups: Readonly<Record<string, readonly string[]>>;
  /** Port of the embedded emulator (emulator mode only). @default 4000 */
  readonly emulatorPort: number;
}

/** Every configuration problem found, one per line in `message` and as `problems`. Never contains a secret. */
export class ConfigError extends Error {
  override name = 'ConfigError' as const;
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration (see .env.example):\n  - ${problems.join('\n  - ')}`);
  }
}

export interface LoadConfigOptions {
  /** Reads `UCWA_CA_FILE`. Injected for tests. @default fs.readFileSync(path, 'utf8') */
  readFile?: (path: string) => string;
}

/**
 * Reads and validates the configuration.
 * @example const config = loadConfig(loadDotenv('.env', process.env));
 * @throws ConfigError listing every missing or invalid variable.
 */
export function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): Config {
  const problems = new Problems();
  const ucwa = readUcwa(env, problems, options.readFile ?? ((p) => readFileSync(p, 'utf8')));
  const mode = ucwa ? 'server' : 'emulator';
  const config: Config = {
    mode,
    ...(ucwa ? { ucwa } : {}),
    port: parsePort(env, 'PORT', 3978, problems),
    host: readHost(env, mode, problems),
    logLevel: parseEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info', problems),
    logMessageBodies: parseBoolean(env, 'LOG_MESSAGE_BODIES', false, problems),
    groups: readGroups(env, problems),
    emulatorPort: parsePort(env, 'EMULATOR_PORT', 4000, problems),
  };
  if (problems.list.length > 0) throw new ConfigError(problems.list);
  return deepFreeze(config);
}

/** Settings that only a real server uses. */
const SERVER_ONLY = ['UCWA_ALLOWED_DOMAINS', 'UCWA_CA_FILE', 'UCWA_USER_AGENT', 'UCWA_CULTURE'] as const;

function readUcwa(env: Env, problems: Problems, readFile: (path: string) => string): UcwaConfig | undefined {
  const url = parseUrl(env, 'UCWA_DISCOVERY_URL', problems);
  const username = read(env, 'UCWA_USERNAME');
  const password = env['UCWA_PASSWORD'];
  if (read(env, 'UCWA_DISCOVERY_URL') === undefined) {
    // Credentials without a server would silently run the demo emulator instead: say so.
    for (const name of ['UCWA_USERNAME', 'UCWA_PASSWORD']) {
      if (read(env, name) !== undefined) problems.add(`UCWA_DISCOVERY_URL is required when ${name} is set`);
    }
    // Server-only settings would be silently ignored by the embedded emulator: a forgotten URL, most likely.
    for (const name of SERVER_ONLY) {
      if (read(env, name) !== undefined) problems.add(`${name} only applies with UCWA_DISCOVERY_URL, which is not set (the embedded emulator ignores it)`);
    }
    return undefined;
  }
  if (url?.username || url?.password) {
    problems.add('UCWA_DISCOVERY_URL must not contain a user name or password; set UCWA_USERNAME and UCWA_PASSWORD instead');
  }
  if (username === undefined) problems.add('UCWA_USERNAME is required when UCWA_DISCOVERY_URL is set (the bot account, such as bot@contoso.com)');
  else if (/\s/.test(username)) problems.add(`UCWA_USERNAME must not contain spaces, got ${show(username)}`);
  if (password === undefined || password === '') problems.add('UCWA_PASSWORD is required when UCWA_DISCOVERY_URL is set');

  const allowInsecureLoopback = parseBoolean(env, 'UCWA_ALLOW_INSECURE_LOOPBACK', false, problems);
  if (url?.protocol === 'http:') {
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (!loopback || !allowInsecureLoopback) {
      problems.add('UCWA_DISCOVERY_URL must use https:// (http:// is allowed only for 127.0.0.1/localhost with UCWA_ALLOW_INSECURE_LOOPBACK=true)');
    }
  }
  const allowedDomains = parseDomains(env, 'UCWA_ALLOWED_DOMAINS', problems);
  const caFile = read(env, 'UCWA_CA_FILE');
  let ca: string | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFile(caFile);
      if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
        problems.add(`UCWA_CA_FILE must be a PEM file with at least one -----BEGIN CERTIFICATE----- block: ${caFile}`);
      }
    } catch (error) {
      problems.add(`UCWA_CA_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): ${caFile}`);
    }
  }
  const proxyUrl = parseUrl(env, 'HTTPS_PROXY', problems) ?? parseUrl(env, 'https_proxy', problems);
  const noProxy = parseList(env, 'NO_PROXY') ?? parseList(env, 'no_proxy');
  const userAgent = read(env, 'UCWA_USER_AGENT');
  if (userAgent !== undefined && !/^[\x20-\x7e]{1,100}$/.test(userAgent)) {
    problems.add('UCWA_USER_AGENT must be 1-100 printable ASCII characters');
  }
  const culture = read(env, 'UCWA_CULTURE');
  if (culture !== undefined && !/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(culture)) {
    problems.add(`UCWA_CULTURE must be a language tag such as en-US, got ${show(culture)}`);
  }
  if (url === undefined) return undefined;
  const proxy = proxyUrl?.href;
  const ucwa = {
    discoveryUrl: url.href,
    username: username ?? '',
    ...(allowedDomains ? { allowedDomains } : {}),
    ...(ca !== undefined ? { ca, caFile } : {}),
    ...(proxy ? { proxy } : {}),
    ...(noProxy ? { noProxy } : {}),
    ...(userAgent ? { userAgent } : {}),
    ...(culture ? { culture } : {}),
    allowInsecureLoopback,
  };
  Object.defineProperty(ucwa, 'password', { value: password ?? '', enumerable: false });
  return ucwa as UcwaConfig;
}

function readHost(env: Env, mode: Config['mode'], problems: Problems): string {
  const value = read(env, 'HOST');
  if (value === undefined) return mode === 'emulator' ? '127.0.0.1' : '0.0.0.0';
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(value);
  const ok = ipv4 ? ipv4.slice(1).every((o) => Number(o) <= 255) : value.includes(':') || isHostname(value);
  if (!ok) problems.add(`HOST must be an IP address or host name to listen on, such as 127.0.0.1 or 0.0.0.0, got ${show(value)}`);
  return value;
}

function readGroups(env: Env, problems: Problems): Record<string, readonly string[]> {
  const groups: Record<string, readonly string[]> = {};
  const admins = parseMembers(env, 'BOT_ADMINS', problems);
  if (admins) groups['admins'] = admins;
  for (const name of Object.keys(env).sort()) {
    if (!name.toUpperCase().startsWith('BOT_GROUP_')) continue;
    const group = name.slice('BOT_GROUP_'.length).toLowerCase();
    if (!/^[a-z0-9][a-z0-9_]*$/.test(group)) {
      problems.add(`${name} must name its group after BOT_GROUP_ (letters, digits, _), such as BOT_GROUP_OPS`);
      continue;
    }
    const members = parseMembers(env, name, problems);
    if (members) groups[group] = [...(groups[group] ?? []), ...members];
  }
  return groups;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.getOwnPropertyNames(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
