import { toUserId, userDomain } from './identity.js';
import type { AllowSpec } from './types.js';

/** A set of users and domains, resolved once from `allow` or from a named group. */
export interface Audience {
  users: ReadonlySet<string>;
  domains: ReadonlySet<string>;
}

/** `allow` resolved against the configured groups; `undefined` means everyone may run the command. */
export interface ResolvedAllow {
  audience: Audience;
  groups: readonly string[];
}

const DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

function addDomain(domains: Set<string>, raw: string, where: string): void {
  const domain = raw.trim().replace(/^@/, '').toLowerCase();
  if (!DOMAIN.test(domain)) throw new TypeError(`${where}: '${raw}' is not a SIP domain such as contoso.com`);
  domains.add(domain);
}

function addUser(users: Set<string>, raw: string, where: string): void {
  const user = toUserId(raw);
  if (!user.startsWith('sip:')) throw new TypeError(`${where}: '${raw}' is not a SIP URI such as sip:alice@contoso.com`);
  users.add(user);
}

/**
 * Resolves `CommandMiddlewareOptions.groups`. Entries are SIP URIs (`sip:alice@contoso.com` or
 * `alice@contoso.com`) or whole domains written `@contoso.com`.
 * @throws TypeError naming the group and the bad entry.
 */
export function resolveGroups(groups: Readonly<Record<string, readonly string[]>> = {}): Map<string, Audience> {
  const resolved = new Map<string, Audience>();
  for (const [name, entries] of Object.entries(groups)) {
    const where = `CommandMiddleware options.groups['${name}']`;
    if (!Array.isArray(entries)) throw new TypeError(`${where} must be an array of SIP URIs or @domain entries`);
    const users = new Set<string>();
    const domains = new Set<string>();
    for (const entry of entries as unknown[]) {
      if (typeof entry !== 'string') throw new TypeError(`${where}: entries must be strings, got ${typeof entry}`);
      if (entry.trim().startsWith('@')) addDomain(domains, entry, where);
      else addUser(users, entry, where);
    }
    resolved.set(name, { users, domains });
  }
  return resolved;
}

/**
 * Resolves a command's `allow` spec; groups are expanded now so a check is two set look-ups per group.
 * @throws TypeError naming the command, the field and the bad entry (unknown group, malformed URI/domain).
 */
export function resolveAllow(
  command: string, allow: AllowSpec | undefined, groups: ReadonlyMap<string, Audience>,
): ResolvedAllow | undefined {
  if (allow === undefined) return undefined;
  const users = new Set<string>();
  const domains = new Set<string>();
  for (const user of allow.users ?? []) addUser(users, user, `command '${command}': allow.users`);
  for (const domain of allow.domains ?? []) addDomain(domains, domain, `command '${command}': allow.domains`);
  for (const group of allow.groups ?? []) {
    const audience = groups.get(group);
    if (audience === undefined) {
      throw new TypeError(
        `command '${command}': allow.groups names '${group}', which is not defined; add it to the ` +
          `CommandMiddleware options.groups (known: ${[...groups.keys()].join(', ') || 'none'})`,
      );
    }
    for (const u of audience.users) users.add(u);
    for (const d of audience.domains) domains.add(d);
  }
  return { audience: { users, domains }, groups: [...(allow.groups ?? [])] };
}

/** True when `userId` (normalised with `toUserId`) may run a command with this resolved `allow`. */
export function isAllowed(userId: string, allow: ResolvedAllow | undefined): boolean {
  if (allow === undefined) return true;
  if (userId === '') return false;
  return allow.audience.users.has(userId) || allow.audience.domains.has(userDomain(userId));
}
