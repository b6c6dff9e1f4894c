import { strict as assert } from 'node:assert';
import { CommandMiddleware } from '../../../src/commands/command-middleware.js';
import type { CommandSpec } from '../../../src/commands/types.js';

const noop = (): void => {};
const base = { summary: 'Something', handler: noop };

describe('CommandMiddleware.command() validation', () => {
  const bad: Array<[string, Partial<CommandSpec>, RegExp]> = [
    ['a duplicate name', { name: 'ping' }, /command 'ping': name 'ping' is already used by command 'ping'/],
    ['an alias taken by another command', { name: 'pong', aliases: ['p'] }, /command 'pong': aliases\[0\] 'p' is already used by command 'ping'/],
    ['a name taken by the builtin help alias', { name: 'commands' }, /name 'commands' is already used by command 'help'/],
    ['a repeated alias', { name: 'x', aliases: ['y', 'y'] }, /command 'x': alias 'y' is listed twice/],
    ['an upper-case name', { name: 'Deploy' }, /command 'Deploy': name must be 1-32 lower-case letters/],
    ['a name with spaces', { name: 'de ploy' }, /name must be/],
    ['a missing summary', { name: 'x', summary: ' ' }, /command 'x': summary must be a non-empty string/],
    ['a missing handler', { name: 'x', handler: undefined as never }, /command 'x': handler must be a function/],
    ['an unknown arg type', { name: 'x', args: [{ name: 'a', type: 'int' as never }] }, /command 'x': args\[0\]\.type must be one of string, number, boolean, enum, sipUri, duration, got "int"/],
    ['an enum without values', { name: 'x', args: [{ name: 'a', type: 'enum' }] }, /args\[0\]\.values must list the allowed values/],
    ['values on a non-enum', { name: 'x', args: [{ name: 'a', values: ['b'] }] }, /args\[0\]\.values is only for type 'enum'/],
    ['a bad arg name', { name: 'x', args: [{ name: '_' }] }, /args\[0\]\.name must be/],
    ['a __proto__ arg name', { name: 'x', args: [{ name: '__proto__' }] }, /args\[0\]\.name must be/],
    ['clashing arg names', { name: 'x', args: [{ name: 'dryRun', flag: true }, { name: 'dry-run', flag: true }] }, /args\[0\]\.name 'dryRun' clashes with args\[1\]\.name 'dry-run'/],
    ['rest that is not last', { name: 'x', args: [{ name: 'a', rest: true }, { name: 'b' }] }, /args\[0\]\.rest: only the last positional/],
    ['rest on a flag', { name: 'x', args: [{ name: 'a', rest: true, flag: true }] }, /args\[0\]: rest and flag cannot both be set/],
    ['required after optional', { name: 'x', args: [{ name: 'a' }, { name: 'b', required: true }] }, /args\[1\]\.required: a required positional cannot follow an optional one/],
    ['required with default', { name: 'x', args: [{ name: 'a', required: true, default: 'z' }] }, /args\[0\]: a required argument cannot have a default/],
    ['a default of the wrong type', { name: 'x', args: [{ name: 'a', type: 'duration', default: 'soon' }] }, /args\[0\]\.default: expected a duration/],
    ['an unknown group', { name: 'x', allow: { groups: ['ops'] } }, /command 'x': allow\.groups names 'ops', which is not defined; add it to the CommandMiddleware options\.groups \(known: admins\)/],
    ['a bad allow user', { name: 'x', allow: { users: ['alice'] } }, /command 'x': allow\.users: 'alice' is not a SIP URI/],
    ['a bad allow domain', { name: 'x', allow: { domains: ['not a domain'] } }, /command 'x': allow\.domains: 'not a domain' is not a SIP domain/],
    ['a zero rate limit', { name: 'x', rateLimit: { perUser: { max: 0, windowMs: 1000 } } }, /command 'x': rateLimit\.perUser\.max must be an integer from 1 to 10000, got 0/],
    ['a bad window', { name: 'x', rateLimit: { perCommand: { max: 1, windowMs: -1 } } }, /rateLimit\.perCommand\.windowMs must be a positive number/],
    ['a bad confirm timeout', { name: 'x', confirm: { timeoutMs: 0 } }, /command 'x': confirm\.timeoutMs must be a positive number/],
  ];
  for (const [title, spec, message] of bad) {
    it(`should reject ${title} with a TypeError naming the command and field`, () => {
      const commands = new CommandMiddleware({ groups: { admins: ['sip:dave@contoso.com'] } })
        .command({ name: 'ping', aliases: ['p'], ...base });
      assert.throws(() => commands.command({ ...base, ...spec } as CommandSpec), (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assert.match(error.message, message);
        return true;
      });
    });
  }

  it('should reject bad group entries when constructed', () => {
    assert.throws(() => new CommandMiddleware({ groups: { ops: ['alice'] } }), /options\.groups\['ops'\]: 'alice' is not a SIP URI/);
    assert.throws(() => new CommandMiddleware({ groups: { ops: ['@bad domain'] } }), /options\.groups\['ops'\]: '@bad domain' is not a SIP domain/);
  });

  it('should allow a custom help when the builtin is disabled', () => {
    const commands = new CommandMiddleware({ help: false }).command({ name: 'help', ...base });
    assert.deepEqual(commands.commands.map((c) => c.name), ['help']);
  });

  it('should convert string defaults of typed args once at registration', () => {
    const commands = new CommandMiddleware().command({ name: 'x', ...base, args: [{ name: 'wait', type: 'duration', default: '5m' }] });
    assert.equal(commands.find('x')?.args[0]?.default, 300_000);
  });
});
