import { strict as assert } from 'node:assert';
import * as api from '../src/index.js';
import * as emulatorApi from '../src/emulator/index.js';
import * as hostApi from '../src/host.js';

// The names below are contracts: code outside this repo imports them (issues #2-#6).
describe('public exports', () => {
  it('should export the everyday and advanced API from the package root', () => {
    for (const name of [
      'UcwaAdapter', 'UcwaError', 'isUcwaError', 'CommandMiddleware', 'NotSupportedError',
      'UcwaClient', 'RETRY_RULES', 'resolveRetryRules', 'decide', 'withRetry', 'formatRetryTable',
      'validateCommandManifest', 'parseCommand', 'CommandParseError', 'activityToMessages',
    ]) {
      assert.ok(name in api, `missing export ${name}`);
    }
    assert.equal(typeof api.UcwaAdapter, 'function');
    assert.ok(Array.isArray(api.RETRY_RULES) && api.RETRY_RULES.length > 10);
  });

  it('should keep the emulator out of the root entry and export it from ./emulator', () => {
    assert.ok(!('UcwaEmulator' in api));
    assert.equal(typeof emulatorApi.UcwaEmulator.start, 'function');
  });

  it('should export the host from ./host, not from the root', () => {
    assert.equal(typeof hostApi.createHost, 'function');
    assert.equal(typeof hostApi.loadConfig, 'function');
    assert.ok(!('createHost' in api));
  });

  it('should name unsupported operations NotSupported', () => {
    assert.equal(new api.NotSupportedError('x').name, 'NotSupported');
  });
});
