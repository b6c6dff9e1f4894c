import { strict as assert } from 'node:assert';
import { UcwaError, isUcwaError, statusToCode, describeFailure } from '../../../src/ucwa/errors.js';

describe('UcwaError', () => {
  it('should carry status, code, subcode and the resource', () => {
    const err = new UcwaError('POST /x failed', 409, 'Conflict', 'AlreadyExists', { source: 'http', resource: 'sendMessage' });
    assert.equal(err.name, 'UcwaError');
    assert.equal(err.status, 409);
    assert.equal(err.code, 'Conflict');
    assert.equal(err.subcode, 'AlreadyExists');
    assert.equal(err.resource, 'sendMessage');
    assert.ok(isUcwaError(err));
    assert.ok(!isUcwaError(new Error('x')));
  });

  it('should map statuses without a UCWA body to documented codes', () => {
    assert.equal(statusToCode(0), 'LocalFailure');
    assert.equal(statusToCode(502), 'ServiceFailure');
    assert.equal(statusToCode(504), 'Timeout');
    assert.equal(statusToCode(418), 'BadRequest');
  });

  it('should state method, path, status, code and subcode in the message', () => {
    assert.equal(describeFailure('POST', '/a', 409, 'Conflict', 'PGetReplaced'), 'POST /a failed: 409 Conflict/PGetReplaced');
    assert.equal(describeFailure('GET', '/e', 0, 'LocalFailure', 'ECONNRESET'), 'GET /e failed: no response (LocalFailure/ECONNRESET)');
  });
});
