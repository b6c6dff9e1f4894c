/** The measured first wait of confirmDelivery (src/retry/event-lag.ts). */
import { strict as assert } from 'node:assert';
import { ConversationLags, EventLag, measuredWaitApplies } from '../../../src/retry/event-lag.js';
import { ucwaError } from './fixtures.js';

describe('EventLag', () => {
  it('should give the ceiling until minSamples lags were seen', () => {
    const lag = new EventLag({ minSamples: 4 });
    for (let i = 0; i < 3; i += 1) lag.record(5);
    assert.equal(lag.bound(250, 3_000), 3_000);
    lag.record(5);
    assert.equal(lag.samples, 4);
    assert.equal(lag.bound(250, 3_000), 250, 'small lags: the floor');
  });

  it('should wait twice the largest recent lag, within [floor, ceiling]', () => {
    const lag = new EventLag({ minSamples: 2 });
    lag.record(10);
    lag.record(400);
    assert.equal(lag.bound(250, 3_000), 800);
    lag.record(2_000);
    assert.equal(lag.bound(250, 3_000), 3_000, 'capped by the ceiling');
    assert.equal(lag.bound(5_000, 3_000), 3_000, 'a floor above the ceiling is capped too');
  });

  it('should forget lags older than the window, so one slow event does not lengthen every wait forever', () => {
    const lag = new EventLag({ window: 4, minSamples: 1 });
    lag.record(1_000);
    assert.equal(lag.bound(0, 10_000), 2_000);
    for (let i = 0; i < 3; i += 1) lag.record(20);
    assert.equal(lag.bound(0, 10_000), 2_000, 'still in the window');
    lag.record(20);
    assert.equal(lag.bound(0, 10_000), 40, 'pushed out by the fourth newer lag');
  });

  it('should read a negative or non-finite lag as 0 (an event that beat its 201)', () => {
    const lag = new EventLag({ minSamples: 2, factor: 3 });
    lag.record(-50);
    lag.record(Number.NaN);
    assert.equal(lag.bound(0, 1_000), 0);
    lag.record(100);
    assert.equal(lag.bound(0, 1_000), 300, 'the factor applies');
  });
});

describe('ConversationLags', () => {
  it('should measure each conversation from its own 201s to its own events', () => {
    let now = 0;
    const lags = new ConversationLags({ minSamples: 1 }, () => now);
    lags.answered('a1', 'alice', false);
    lags.answered('b1', 'bob', false);
    now = 300;
    lags.evented('a1');
    lags.evented('b1');
    lags.evented('unknown'); // an event for a send whose 201 we never saw: nothing to measure
    assert.equal(lags.bound('alice', 0, 3_000), 600);
    assert.equal(lags.samples('unknown'), 0);
    lags.answered('b2', 'bob', true);
    assert.equal(lags.samples('bob'), 2, 'an event that beat the 201 is a lag of 0');
    assert.equal(lags.bound('carol', 0, 3_000), 3_000, 'no lags: the ceiling');
  });

  it('should forget the conversation that sent least recently once 10,000 are kept', () => {
    const lags = new ConversationLags({ minSamples: 1 });
    for (let i = 0; i <= 10_000; i += 1) lags.answered(`op${i}`, `c${i}`, true);
    assert.equal(lags.samples('c0'), 0, 'the oldest went');
    assert.equal(lags.samples('c1'), 1);
    assert.equal(lags.samples('c10000'), 1);
  });
});

describe('measuredWaitApplies', () => {
  it('should allow the measured wait only after a reset seen on the connection, never after our own timeout', () => {
    assert.equal(measuredWaitApplies(ucwaError(0, 'LocalFailure', 'ECONNRESET', { uncertain: true })), true);
    assert.equal(measuredWaitApplies(ucwaError(0, 'LocalFailure', 'UND_ERR_SOCKET', { uncertain: true })), true);
    assert.equal(measuredWaitApplies(ucwaError(0, 'LocalFailure', 'EPIPE', { uncertain: true })), true);
    assert.equal(measuredWaitApplies(ucwaError(0, 'Timeout', 'ETIMEDOUT', { uncertain: true })), false, 'the server may still be working on it');
    assert.equal(measuredWaitApplies(ucwaError(0, 'Timeout', 'RequestTimeout', { uncertain: true })), false);
    assert.equal(measuredWaitApplies(ucwaError(0, 'LocalFailure', 'ECONNREFUSED', { uncertain: false })), false);
    assert.equal(measuredWaitApplies(ucwaError(503, 'ServiceUnavailable')), false);
  });
});
