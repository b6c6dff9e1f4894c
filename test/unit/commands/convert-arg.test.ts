import { strict as assert } from 'node:assert';
import { convertArg, toDurationMs, toSipUri } from '../../../src/commands/convert-arg.js';
import type { ArgSpec } from '../../../src/commands/types.js';

describe('convertArg', () => {
  const ok: Array<[ArgSpec, string, unknown]> = [
    [{ name: 'a' }, ' keep spaces ', ' keep spaces '],
    [{ name: 'n', type: 'number' }, '42', 42],
    [{ name: 'n', type: 'number' }, '-3.5', -3.5],
    [{ name: 'n', type: 'number' }, '1e3', 1000],
    [{ name: 'n', type: 'number' }, '.5', 0.5],
    [{ name: 'b', type: 'boolean' }, 'YES', true],
    [{ name: 'b', type: 'boolean' }, 'on', true],
    [{ name: 'b', type: 'boolean' }, '1', true],
    [{ name: 'b', type: 'boolean' }, 'true', true],
    [{ name: 'b', type: 'boolean' }, 'No', false],
    [{ name: 'b', type: 'boolean' }, 'off', false],
    [{ name: 'b', type: 'boolean' }, '0', false],
    [{ name: 'b', type: 'boolean' }, 'false', false],
    [{ name: 'e', type: 'enum', values: ['Dev', 'prod'] }, 'dev', 'Dev'],
    [{ name: 'e', type: 'enum', values: ['Dev', 'prod'] }, 'PROD', 'prod'],
    [{ name: 's', type: 'sipUri' }, 'sip:alice@Contoso.COM', 'sip:alice@contoso.com'],
    [{ name: 's', type: 'sipUri' }, 'Alice@contoso.com', 'sip:Alice@contoso.com'],
    [{ name: 's', type: 'sipUri' }, 'SIP:bob.smith@eu.contoso.com', 'sip:bob.smith@eu.contoso.com'],
    [{ name: 's', type: 'sipUri' }, '<sip:bob@contoso.com>', 'sip:bob@contoso.com'],
    [{ name: 'd', type: 'duration' }, '90s', 90_000],
    [{ name: 'd', type: 'duration' }, '5m', 300_000],
    [{ name: 'd', type: 'duration' }, '1h30m', 5_400_000],
    [{ name: 'd', type: 'duration' }, '2d', 172_800_000],
    [{ name: 'd', type: 'duration' }, '250ms', 250],
    [{ name: 'd', type: 'duration' }, '1.5H', 5_400_000],
    [{ name: 'd', type: 'duration' }, '45', 45_000],
    [{ name: 'd', type: 'duration' }, '0', 0],
  ];
  for (const [spec, raw, expected] of ok) {
    it(`should convert ${JSON.stringify(raw)} as ${spec.type ?? 'string'}`, () => {
      assert.deepEqual(convertArg(spec, raw), { ok: true, value: expected });
    });
  }

  const bad: Array<[ArgSpec, string, RegExp]> = [
    [{ name: 'n', type: 'number' }, 'ten', /expected a number, got 'ten'/],
    [{ name: 'n', type: 'number' }, '', /expected a number/],
    [{ name: 'n', type: 'number' }, '1e999', /expected a number/],
    [{ name: 'n', type: 'number' }, 'Infinity', /expected a number/],
    [{ name: 'n', type: 'number' }, '0x10', /expected a number/],
    [{ name: 'n', type: 'number' }, 'NaN', /expected a number/],
    [{ name: 'b', type: 'boolean' }, 'maybe', /expected yes\/no .* got 'maybe'/],
    [{ name: 'e', type: 'enum', values: ['dev', 'prod'] }, 'staging', /expected one of dev, prod, got 'staging'/],
    [{ name: 's', type: 'sipUri' }, 'alice', /expected a SIP address/],
    [{ name: 's', type: 'sipUri' }, 'alice@localhost', /expected a SIP address/],
    [{ name: 's', type: 'sipUri' }, 'a b@contoso.com', /expected a SIP address/],
    [{ name: 's', type: 'sipUri' }, 'sip:@contoso.com', /expected a SIP address/],
    [{ name: 's', type: 'sipUri' }, 'alice@-bad-.com', /expected a SIP address/],
    [{ name: 'd', type: 'duration' }, '5x', /expected a duration such as 90s, 5m, 1h30m or 2d, got '5x'/],
    [{ name: 'd', type: 'duration' }, '-5m', /expected a duration/],
    [{ name: 'd', type: 'duration' }, 'm', /expected a duration/],
    [{ name: 'd', type: 'duration' }, '1h30', /expected a duration/],
    [{ name: 'd', type: 'duration' }, '1constructor', /expected a duration/],
    [{ name: 'd', type: 'duration' }, '', /expected a duration/],
  ];
  for (const [spec, raw, reason] of bad) {
    it(`should reject ${JSON.stringify(raw)} as ${spec.type} with a reason`, () => {
      const result = convertArg(spec, raw);
      assert.equal(result.ok, false);
      assert.match((result as { reason: string }).reason, reason);
    });
  }

  it('should shorten long values in reasons', () => {
    const result = convertArg({ name: 'n', type: 'number' }, 'x'.repeat(500));
    assert.ok(!result.ok && result.reason.length < 100);
  });

  it('should expose the SIP and duration helpers', () => {
    assert.equal(toSipUri('not a uri'), undefined);
    assert.equal(toDurationMs('1d1h1m1s'), 90_061_000);
  });
});
