import type { TurnContext } from 'botbuilder';
import { UcwaAdapter } from '../../../src/adapter/ucwa-adapter.js';
import type { UcwaAdapterOptions } from '../../../src/adapter/options.js';
import { FakeUcwaClient } from './fake-client.js';
import type { FakeClientOptions } from './fake-client.js';
import { createFakeLogger } from './fake-logger.js';

export const ALICE = { uri: 'sip:alice@contoso.com', name: 'Alice Smith' };
export const BOB = { uri: 'sip:bob@contoso.com', name: 'Bob Jones' };

/** A UcwaAdapter over a FakeUcwaClient, with a captured logger and a sleep that records instead of waiting. */
export function createTestAdapter(clientOptions: FakeClientOptions = {}, options: Partial<UcwaAdapterOptions> = {}) {
  const client = new FakeUcwaClient(clientOptions);
  const logger = createFakeLogger();
  const sleeps: number[] = [];
  const adapter = new UcwaAdapter({
    discoveryUrl: 'https://lyncdiscover.contoso.com/',
    client,
    logger,
    culture: 'en-GB',
    sleep: async (ms) => void sleeps.push(ms),
    ...options,
  });
  return { adapter, client, logger, sleeps };
}

/** A promise with its resolve exposed, for holding a turn or a send open. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Collects the activities the bot saw and resolves waiters by count. */
export function createRecorder() {
  const seen: TurnContext['activity'][] = [];
  let waiters: Array<() => boolean> = [];
  return {
    seen,
    record(context: TurnContext): void {
      seen.push(context.activity);
      waiters = waiters.filter((done) => !done());
    },
    waitFor(count: number): Promise<TurnContext['activity'][]> {
      return new Promise((resolve) => {
        const done = (): boolean => (seen.length >= count ? (resolve(seen), true) : false);
        if (!done()) waiters.push(done);
      });
    },
  };
}
