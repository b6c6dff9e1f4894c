import assert from 'node:assert/strict';
import type { RecordedRequest } from '../../../src/emulator/types.js';
import { findPermanentRetries, isDuplicateAcrossApplicationLoss } from './request-log-checks.js';

let seq = 0;
const req = (resource: string, status: number | undefined, extra: Partial<RecordedRequest> = {}): RecordedRequest => ({
  seq: ++seq, at: new Date(0), method: 'POST', path: '/ucwa/oauth/v1/applications/101/communication/conversations/a1/messaging/messages',
  query: {}, headers: {}, body: '', resource, status, ...extra,
});
const send = (op: string, status: number | undefined, app = '101', body = 'hi'): RecordedRequest =>
  req('sendMessage', status, { query: { operationId: op }, body, path: `/ucwa/oauth/v1/applications/${app}/communication/conversations/a1/messaging/messages` });

describe('request-log checks (the soak test\'s witnesses)', () => {
  it('should flag a resend after a permanent status', () => {
    assert.deepEqual(findPermanentRetries([send('a', 503), send('a', 201)]), []);
    assert.match(findPermanentRetries([send('b', 403), send('b', 201)])[0] ?? '', /resent after a permanent 403/);
  });

  it('should accept a resend after 401 or an application loss only once the client recovered', () => {
    assert.equal(findPermanentRetries([send('c', 401), send('c', 201)]).length, 1);
    assert.deepEqual(findPermanentRetries([send('d', 401), req('token', 200), send('d', 201)]), []);
    assert.equal(findPermanentRetries([send('e', 404), send('e', 201)]).length, 1);
    assert.deepEqual(findPermanentRetries([send('f', 404), req('applications', 201), send('f', 201, '102')]), []);
  });

  it('should call a duplicate unavoidable only when one operationId landed once in each of two applications', () => {
    assert.equal(isDuplicateAcrossApplicationLoss([send('g', 201, '101', 'x'), send('g', 201, '102', 'x')], 'x'), true);
    assert.equal(isDuplicateAcrossApplicationLoss([send('h', 201, '101', 'y'), send('h', 201, '101', 'y')], 'y'), false);
    assert.equal(isDuplicateAcrossApplicationLoss([send('i', 201, '101', 'z'), send('j', 201, '102', 'z')], 'z'), false);
  });
});
