/**
 * Validates `manifest/bot.json` against `manifest/bot.schema.json` with no dependency: a small interpreter for
 * exactly the JSON Schema 2020-12 keywords that schema uses. An unknown keyword in the schema is an error, so the
 * schema cannot grow a rule this validator silently ignores. Errors name the JSON path (`$.commands[2].summary`).
 */
import { readFileSync } from 'node:fs';
import type { ManifestCommand } from '../commands/types.js';

/** `manifest/bot.json`. */
export interface BotManifest {
  manifestVersion: '1.0';
  id: string;
  name: string;
  version: string;
  description: string;
  commandPrefix?: string;
  commands: ManifestCommand[];
  ucwa: { scopes: ('Conversations.Initiate' | 'Conversations.Receive')[] };
  endpoints: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string; summary: string }[];
}

/** Every problem found in a manifest, one per line, each naming its JSON path. */
export class ManifestError extends Error {
  override name = 'ManifestError' as const;
  constructor(readonly problems: readonly string[], source = 'manifest/bot.json') {
    super(`${source} is invalid:\n  - ${problems.join('\n  - ')}`);
  }
}

type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$defs']);
const KEYWORDS = new Set([
  'type', 'required', 'properties', 'additionalProperties', 'items', 'minItems', 'uniqueItems', 'pattern',
  'minLength', 'maxLength', 'enum', 'const', '$ref',
]);

/** The manifest files shipped with the package (`manifest/` beside `dist/` and `src/`). */
export const MANIFEST_URL = new URL('../../manifest/bot.json', import.meta.url);
export const MANIFEST_SCHEMA_URL = new URL('../../manifest/bot.schema.json', import.meta.url);

/** Reads a JSON file, with an error that names the file. */
export function readJsonFile(url: URL | string): unknown {
  const text = readFileSync(url, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ManifestError([`not valid JSON: ${(error as Error).message}`], String(url));
  }
}

/**
 * Checks `value` against `schema`; returns the problems (empty when valid).
 * @throws Error when the schema uses a keyword this validator does not implement.
 */
export function validateAgainstSchema(value: unknown, schema: Schema, root: Schema = schema, path = '$'): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(schema)) {
    if (!KEYWORDS.has(key) && !ANNOTATIONS.has(key)) throw new Error(`bot.schema.json uses "${key}", which src/server/manifest.ts does not implement`);
  }
  if (typeof schema['$ref'] === 'string') {
    const target = resolveRef(root, schema['$ref']);
    problems.push(...validateAgainstSchema(value, target, root, path));
  }
  if ('const' in schema && !deepEqual(value, schema['const'])) problems.push(`${path} must be ${JSON.stringify(schema['const'])}`);
  if (Array.isArray(schema['enum']) && !schema['enum'].some((e) => deepEqual(e, value))) {
    problems.push(`${path} must be one of ${schema['enum'].map((e) => JSON.stringify(e)).join(', ')}, got ${short(value)}`);
  }
  const type = schema['type'];
  if (typeof type === 'string' && typeOf(value) !== type) {
    problems.push(`${path} must be ${type === 'array' || type === 'object' ? 'an' : 'a'} ${type}, got ${typeOf(value)}`);
    return problems;
  }
  if (typeof value === 'string') problems.push(...checkString(value, schema, path));
  if (Array.isArray(value)) problems.push(...checkArray(value, schema, root, path));
  if (typeOf(value) === 'object') problems.push(...checkObject(value as Record<string, unknown>, schema, root, path));
  return problems;
}

function checkString(value: string, schema: Schema, path: string): string[] {
  const problems: string[] = [];
  const length = [...value].length;
  if (typeof schema['minLength'] === 'number' && length < schema['minLength']) problems.push(`${path} must have at least ${schema['minLength']} character(s)`);
  if (typeof schema['maxLength'] === 'number' && length > schema['maxLength']) problems.push(`${path} must have at most ${schema['maxLength']} characters, got ${length}`);
  if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(value)) {
    problems.push(`${path} must match ${schema['pattern']}, got ${short(value)}`);
  }
  return problems;
}

function checkArray(value: unknown[], schema: Schema, root: Schema, path: string): string[] {
  const problems: string[] = [];
  if (typeof schema['minItems'] === 'number' && value.length < schema['minItems']) problems.push(`${path} must have at least ${schema['minItems']} item(s)`);
  if (schema['uniqueItems'] === true) {
    value.forEach((item, i) => {
      if (value.findIndex((other) => deepEqual(other, item)) < i) problems.push(`${path}[${i}] repeats ${short(item)}`);
    });
  }
  if (isSchema(schema['items'])) {
    value.forEach((item, i) => problems.push(...validateAgainstSchema(item, schema['items'] as Schema, root, `${path}[${i}]`)));
  }
  return problems;
}

function checkObject(value: Record<string, unknown>, schema: Schema, root: Schema, path: string): string[] {
  const problems: string[] = [];
  const properties = isSchema(schema['properties']) ? (schema['properties'] as Record<string, Schema>) : {};
  for (const key of Array.isArray(schema['required']) ? (schema['required'] as string[]) : []) {
    if (!(key in value)) problems.push(`${path}.${key} is required`);
  }
  for (const [key, child] of Object.entries(value)) {
    if (key in properties) problems.push(...validateAgainstSchema(child, properties[key]!, root, `${path}.${key}`));
    else if (schema['additionalProperties'] === false) problems.push(`${path}.${key} is not allowed (unknown property)`);
  }
  return problems;
}

function resolveRef(root: Schema, ref: string): Schema {
  const m = /^#\/\$defs\/([A-Za-z0-9_-]+)$/.exec(ref);
  const defs = root['$defs'] as Record<string, Schema> | undefined;
  const target = m ? defs?.[m[1]!] : undefined;
  if (!target) throw new Error(`bot.schema.json: cannot resolve $ref ${ref} (only #/$defs/<name> is supported)`);
  return target;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function isSchema(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function short(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

/**
 * Validates a parsed manifest: the schema's rules, then what a schema cannot say (a command name or alias used
 * twice across commands).
 * @throws ManifestError listing every problem.
 */
export function validateBotManifest(value: unknown, schema: Schema = readJsonFile(MANIFEST_SCHEMA_URL) as Schema): BotManifest {
  const problems = validateAgainstSchema(value, schema);
  if (problems.length === 0) {
    const seen = new Map<string, string>();
    (value as BotManifest).commands.forEach((command, i) => {
      for (const name of [command.name, ...(command.aliases ?? [])]) {
        const other = seen.get(name);
        if (other !== undefined) problems.push(`$.commands[${i}] uses the name "${name}", already used by ${other}`);
        else seen.set(name, `$.commands[${i}]`);
      }
    });
  }
  if (problems.length > 0) throw new ManifestError(problems);
  return value as BotManifest;
}

/** Reads and validates `manifest/bot.json`. */
export function loadBotManifest(url: URL | string = MANIFEST_URL): BotManifest {
  return validateBotManifest(readJsonFile(url));
}
