import type { ArgSpec, ArgType } from './types.js';

/** Result of converting one raw argument: the value, or a reason written for the chat user. */
export type Conversion = { ok: true; value: unknown } | { ok: false; reason: string };

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const BOOLEANS: Readonly<Record<string, boolean>> = {
  true: true, yes: true, on: true, '1': true, false: false, no: false, off: false, '0': false,
};
/** Host names: letters, digits, hyphens, dots; each label 1..63, no leading/trailing hyphen (RFC 1123). */
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000,
};

function quoteValue(raw: string): string {
  return raw.length > 40 ? `'${raw.slice(0, 40)}…'` : `'${raw}'`;
}

/**
 * Normalises a SIP address: accepts `sip:user@domain` or `user@domain` (and `<…>` around it) and returns
 * `sip:user@domain` with the domain lower-cased, or undefined when it is not a SIP address.
 * The user part keeps its case: RFC 3261 §19.1.4 compares it case-sensitively, although SfB itself does not.
 */
export function toSipUri(raw: string): string | undefined {
  let s = raw.trim();
  if (s.startsWith('<') && s.endsWith('>')) s = s.slice(1, -1).trim();
  if (s.slice(0, 4).toLowerCase() === 'sip:') s = s.slice(4);
  const at = s.lastIndexOf('@');
  if (at <= 0 || at === s.length - 1 || s.length > 256) return undefined;
  const user = s.slice(0, at);
  const domain = s.slice(at + 1).toLowerCase();
  for (let i = 0; i < user.length; i++) {
    const c = user.charCodeAt(i);
    if (c <= 0x20 || c === 0x40 || c === 0x3c || c === 0x3e || c === 0x3a) return undefined;
  }
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return undefined;
  return `sip:${user}@${domain}`;
}

/**
 * Parses `90s`, `5m`, `1h30m`, `2d`, `250ms`, `1.5h` or a plain number of seconds into milliseconds.
 * Hand-written scanner: linear time whatever the input.
 */
export function toDurationMs(raw: string): number | undefined {
  const s = raw.trim().toLowerCase();
  if (s === '') return undefined;
  if (NUMBER.test(s)) {
    const seconds = Number(s);
    return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  }
  let total = 0;
  let i = 0;
  while (i < s.length) {
    const numStart = i;
    while (i < s.length && ((s[i]! >= '0' && s[i]! <= '9') || s[i] === '.')) i++;
    if (i === numStart) return undefined;
    const num = Number(s.slice(numStart, i));
    const unitStart = i;
    while (i < s.length && s[i]! >= 'a' && s[i]! <= 'z') i++;
    const unit = DURATION_UNITS[s.slice(unitStart, i)];
    if (!Number.isFinite(num) || unit === undefined || !Object.hasOwn(DURATION_UNITS, s.slice(unitStart, i))) {
      return undefined;
    }
    total += num * unit;
  }
  return Number.isSafeInteger(Math.round(total)) ? Math.round(total) : undefined;
}

/** Human name of a type for help and error messages. */
export function describeType(spec: Pick<ArgSpec, 'type' | 'values'>): string {
  const type: ArgType = spec.type ?? 'string';
  switch (type) {
    case 'enum': return `one of ${(spec.values ?? []).join(', ')}`;
    case 'sipUri': return 'SIP URI';
    case 'duration': return 'duration';
    default: return type;
  }
}

/** Converts one raw string according to its spec. Pure; never throws. */
export function convertArg(spec: ArgSpec, raw: string): Conversion {
  const type: ArgType = spec.type ?? 'string';
  switch (type) {
    case 'string':
      return { ok: true, value: raw };
    case 'number': {
      const trimmed = raw.trim();
      const value = NUMBER.test(trimmed) ? Number(trimmed) : Number.NaN;
      return Number.isFinite(value)
        ? { ok: true, value }
        : { ok: false, reason: `expected a number, got ${quoteValue(raw)}` };
    }
    case 'boolean': {
      const key = raw.trim().toLowerCase();
      return Object.hasOwn(BOOLEANS, key)
        ? { ok: true, value: BOOLEANS[key] }
        : { ok: false, reason: `expected yes/no (true/false, on/off, 1/0), got ${quoteValue(raw)}` };
    }
    case 'enum': {
      const values = spec.values ?? [];
      const wanted = raw.trim().toLowerCase();
      const match = values.find((v) => v.toLowerCase() === wanted);
      return match !== undefined
        ? { ok: true, value: match }
        : { ok: false, reason: `expected one of ${values.join(', ')}, got ${quoteValue(raw)}` };
    }
    case 'sipUri': {
      const value = toSipUri(raw);
      return value !== undefined
        ? { ok: true, value }
        : { ok: false, reason: `expected a SIP address such as sip:alice@contoso.com, got ${quoteValue(raw)}` };
    }
    case 'duration': {
      const value = toDurationMs(raw);
      return value !== undefined
        ? { ok: true, value }
        : { ok: false, reason: `expected a duration such as 90s, 5m, 1h30m or 2d, got ${quoteValue(raw)}` };
    }
    default: {
      const never: never = type;
      return { ok: false, reason: `unknown argument type ${String(never)}` };
    }
  }
}
