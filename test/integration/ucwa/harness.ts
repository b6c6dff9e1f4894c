/** Shared setup for client-against-emulator tests: a client wired to collect what its handlers see. */
import { UcwaClient } from '../../../src/ucwa/ucwa-client.js';
import type { ConversationInfo, IncomingMessage, ParticipantInfo, UcwaClientOptions } from '../../../src/ucwa/types.js';
import { createFakeLogger } from '../../fakes/ucwa/fake-transport.js';

export const BOT = { uri: 'sip:bot@contoso.com', name: 'Help Bot', password: 'b0t-secret' };
export const ALICE = { uri: 'sip:alice@contoso.com', name: 'Alice' };
export const OLGA = { uri: 'sip:olga@contoso.com', name: 'Olga', availability: 'offline' as const };

/** Resolves when `predicate` becomes true; re-checked whenever the collector notifies (no polling sleeps). */
export class Collector {
  readonly messages: IncomingMessage[] = [];
  readonly started: ConversationInfo[] = [];
  readonly ended: ConversationInfo[] = [];
  readonly typing: ParticipantInfo[] = [];
  readonly fatal: Error[] = [];
  private waiters: { predicate: () => boolean; resolve: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];

  notify(): void {
    for (const w of [...this.waiters]) {
      if (w.predicate()) {
        clearTimeout(w.timer);
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({ predicate, resolve, reject, timer });
    });
  }
}

export function createClient(discoveryUrl: string, extra: Partial<UcwaClientOptions> = {}) {
  const logger = createFakeLogger();
  const seen = new Collector();
  const client = new UcwaClient({
    discoveryUrl, username: 'bot@contoso.com', password: BOT.password, allowInsecureLoopback: true, logger, ...extra,
  } as UcwaClientOptions);
  client.setHandlers({
    message: (m) => {
      seen.messages.push(m);
      seen.notify();
    },
    conversationStarted: (c) => {
      seen.started.push(c);
      seen.notify();
    },
    conversationEnded: (c) => {
      seen.ended.push({ ...c });
      seen.notify();
    },
    typing: (_c, p) => {
      seen.typing.push(p);
      seen.notify();
    },
    fatal: (e) => {
      seen.fatal.push(e);
      seen.notify();
    },
  });
  return { client, seen, logger };
}
