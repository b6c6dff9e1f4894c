/**
 * `WWW-Authenticate` parsing for the UCWA 401 challenge (PROTOCOL.md §3.1). Pitfalls the parser handles:
 * several headers (Node joins them with ", "), commas inside the quoted `grant_type` list and between
 * parameters, `href` quoted (`CreateAnApplication.md`) or not (`AuthenticationInUCWA.md`, §15 item 23),
 * and other schemes in the same header (`Bearer trusted_issuers=…`, the Online/S2S scheme) which are ignored.
 */
import { MS_RTC_OAUTH } from './wire-types.js';

export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

export interface MsRtcOAuthChallenge {
  /** The OAuth token endpoint. */
  href: string;
  /** Supported grants, e.g. `['urn:microsoft.rtc:windows', 'urn:microsoft.rtc:anonmeeting', 'password']`. */
  grantTypes: string[];
}

/** Split at commas that are not inside a quoted string. */
function splitTopLevel(value: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quoted) {
      current += ch;
      if (ch === '\\' && i + 1 < value.length) current += value[++i];
      else if (ch === '"') quoted = false;
    } else if (ch === '"') {
      quoted = true;
      current += ch;
    } else if (ch === ',') {
      items.push(current.trim());
      current = '';
    } else current += ch;
  }
  items.push(current.trim());
  return items.filter((i) => i.length > 0);
}

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(.)/g, '$1');
  return v;
}

const PARAM = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*([\s\S]*)$/;
const SCHEME_THEN_REST = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)(?:\s+([\s\S]*))?$/;

/** Parse one or more `WWW-Authenticate` header values into challenges, in order. Never throws. */
export function parseWwwAuthenticate(header: string | readonly string[] | null | undefined): AuthChallenge[] {
  if (!header) return [];
  const values = typeof header === 'string' ? [header] : header;
  const challenges: AuthChallenge[] = [];
  for (const value of values) {
    let current: AuthChallenge | undefined;
    for (const item of splitTopLevel(value)) {
      const param = PARAM.exec(item);
      // `href=https://x` is a parameter even though its value contains ':' and '/'; a scheme has a space after it.
      if (param && current) {
        current.params[param[1]!.toLowerCase()] = unquote(param[2]!);
        continue;
      }
      const scheme = SCHEME_THEN_REST.exec(item);
      if (!scheme) continue;
      current = { scheme: scheme[1]!, params: {} };
      challenges.push(current);
      const rest = scheme[2]?.trim();
      if (rest) {
        const first = PARAM.exec(rest);
        if (first) current.params[first[1]!.toLowerCase()] = unquote(first[2]!);
        else current.params['token68'] = rest;
      }
    }
  }
  return challenges;
}

/** Select the MsRtcOAuth challenge (scheme compared case-insensitively), or undefined when there is none. */
export function findMsRtcOAuthChallenge(header: string | readonly string[] | null | undefined): MsRtcOAuthChallenge | undefined {
  const challenge = parseWwwAuthenticate(header).find((c) => c.scheme.toLowerCase() === MS_RTC_OAUTH.toLowerCase());
  const href = challenge?.params['href'];
  if (!challenge || !href) return undefined;
  const grantTypes = (challenge.params['grant_type'] ?? '').split(',').map((g) => g.trim()).filter(Boolean);
  return { href, grantTypes };
}
