import { strict as assert } from 'node:assert';
import {
  MANIFEST_SCHEMA_URL, MANIFEST_URL, ManifestError, loadBotManifest, readJsonFile, validateAgainstSchema, validateBotManifest,
} from '../../../src/server/manifest.js';
import { createRoutes } from '../../../src/server/routes.js';
import { PrometheusMetrics } from '../../../src/server/metrics.js';

type Json = Record<string, unknown>;
const schema = readJsonFile(MANIFEST_SCHEMA_URL) as Json;
const valid = (): Json => structuredClone(readJsonFile(MANIFEST_URL)) as Json;

function problemsOf(manifest: unknown): string[] {
  try {
    validateBotManifest(manifest, schema);
  } catch (error) {
    assert.ok(error instanceof ManifestError);
    return [...error.problems];
  }
  return [];
}

describe('manifest/bot.schema.json', () => {
  it('should be a draft 2020-12 schema that only uses keywords the validator implements', () => {
    assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
    // Walking the shipped manifest visits every subschema; an unknown keyword would throw.
    assert.deepEqual(validateAgainstSchema(readJsonFile(MANIFEST_URL), schema), []);
  });

  it('should make the validator throw on a keyword it does not implement', () => {
    assert.throws(() => validateAgainstSchema(1, { type: 'integer', minimum: 0 }), /uses "minimum", which src\/server\/manifest.ts does not implement/);
  });
});

describe('manifest/bot.json', () => {
  it('should be valid and declare both UCWA scopes', () => {
    const manifest = loadBotManifest();
    assert.deepEqual([...manifest.ucwa.scopes].sort(), ['Conversations.Initiate', 'Conversations.Receive']);
  });

  it('should list exactly the host routes as endpoints', () => {
    const routes = createRoutes({ readiness: () => ({ ready: true }), metrics: new PrometheusMetrics() });
    assert.deepEqual(loadBotManifest().endpoints, routes.map((r) => ({ method: r.method, path: r.path, summary: r.summary })));
  });
});

describe('validateBotManifest', () => {
  it('should name the JSON path of a missing required property', () => {
    const m = valid();
    delete m['name'];
    assert.deepEqual(problemsOf(m), ['$.name is required']);
  });

  it('should name the path of a wrong type, a pattern mismatch and a too-long string', () => {
    const m = valid();
    (m['commands'] as Json[])[1]!['summary'] = 42;
    (m['commands'] as Json[])[2]!['name'] = 'Echo!';
    m['description'] = 'x'.repeat(501);
    assert.deepEqual(problemsOf(m), [
      '$.description must have at most 500 characters, got 501',
      '$.commands[1].summary must be a string, got integer',
      '$.commands[2].name must match ^[a-z][a-z0-9-]{0,31}$, got "Echo!"',
    ]);
  });

  it('should reject unknown properties, unknown scopes, repeated scopes and a wrong manifestVersion', () => {
    const m = valid();
    m['extra'] = true;
    m['manifestVersion'] = '2.0';
    m['ucwa'] = { scopes: ['Conversations.Receive', 'Conversations.Receive', 'Contacts.ReadWrite'] };
    assert.deepEqual(problemsOf(m), [
      '$.manifestVersion must be "1.0"',
      '$.ucwa.scopes[1] repeats "Conversations.Receive"',
      '$.ucwa.scopes[2] must be one of "Conversations.Initiate", "Conversations.Receive", got "Contacts.ReadWrite"',
      '$.extra is not allowed (unknown property)',
    ]);
  });

  it('should reject an empty command list and a bad endpoint method', () => {
    const m = valid();
    m['commands'] = [];
    (m['endpoints'] as Json[])[0]!['method'] = 'PATCH';
    assert.deepEqual(problemsOf(m), [
      '$.commands must have at least 1 item(s)',
      '$.endpoints[0].method must be one of "GET", "POST", "PUT", "DELETE", got "PATCH"',
    ]);
  });

  it('should reject a command name or alias used twice across commands', () => {
    const m = valid();
    (m['commands'] as Json[])[2]!['aliases'] = ['status'];
    assert.deepEqual(problemsOf(m), ['$.commands[2] uses the name "status", already used by $.commands[1]']);
  });

  it('should reject a non-object manifest', () => {
    assert.deepEqual(problemsOf([]), ['$ must be an object, got array']);
  });
});

describe('manifest/azure-ad-app.json', () => {
  it('should request the two delegated scopes on the Skype for Business Online resource', () => {
    const app = readJsonFile(new URL('../../../manifest/azure-ad-app.json', import.meta.url)) as {
      requiredResourceAccess: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[];
    };
    const sfb = app.requiredResourceAccess.find((r) => r.resourceAppId === '00000004-0000-0ff1-ce00-000000000000');
    assert.ok(sfb, 'Skype for Business Online resource');
    assert.deepEqual(sfb.resourceAccess.map((a) => a.type), ['Scope', 'Scope']);
    assert.ok(sfb.resourceAccess.some((a) => a.id.includes('Conversations.Initiate')));
    assert.ok(sfb.resourceAccess.some((a) => a.id.includes('Conversations.Receive')));
  });
});
