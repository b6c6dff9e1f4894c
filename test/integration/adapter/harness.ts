/**
 * Shared set-up for adapter integration tests: the real UcwaAdapter + real UcwaClient against the emulator on
 * an ephemeral loopback port, and a bot whose turns the test can observe.
 */
import type { TurnContext } from 'botbuilder';
import { UcwaEmulator } from '../../../src/emulator/index.js';
import type { EmulatorUserConfig, StartOptions } from '../../../src/emulator/index.js';
import { UcwaAdapter } from '../../../src/adapter/ucwa-adapter.js';
import type { UcwaAdapterOptions } from '../../../src/adapter/options.js';
import { createFakeLogger } from '../../fakes/adapter/fake-logger.js';

export const BOT_USER: EmulatorUserConfig = { uri: 'sip:bot@contoso.com', name: 'Help Bot', password: 'bot-pass-1' };
export const ALICE: EmulatorUserConfig = { uri: 'sip:alice@contoso.com', name: 'Alice Smith' };
export const BOB: EmulatorUserConfig = { uri: 'sip:bob@contoso.com', name: 'Bob Jones' };
export const CAROL: EmulatorUserConfig = { uri: 'sip:carol@contoso.com', name: 'Carol Offline', availability: 'offline' };

export type Activity = TurnContext['activity'];

export interface Harness {
  emu: UcwaEmulator;
  adapter: UcwaAdapter;
  logger: ReturnType<typeof createFakeLogger>;
  /** Every activity the bot's logic saw, in arrival order. */
  seen: Activity[];
  /** Resolves with the first `count` activities matching `filter` once they arrived. */
  waitForActivities(count: number, filter?: (a: Activity) => boolean): Promise<Activity[]>;
  close(): Promise<void>;
}

/**
 * Starts an emulator with the bot + `users`, and a started adapter whose logic records each activity, then
 * calls `reply` (default: nothing).
 */
export async function startHarness(
  users: EmulatorUserConfig[],
  reply: (context: TurnContext) => Promise<void> = async () => {},
  options: { emulator?: Partial<StartOptions>; adapter?: Partial<UcwaAdapterOptions> } = {},
): Promise<Harness> {
  const emu = await UcwaEmulator.start({ port: 0, users: [BOT_USER, ...users], ...options.emulator });
  const logger = createFakeLogger();
  const adapter = new UcwaAdapter({
    discoveryUrl: emu.discoveryUrl,
    username: 'bot@contoso.com',
    password: BOT_USER.password,
    allowInsecureLoopback: true,
    logger,
    ...options.adapter,
  });
  const seen: Activity[] = [];
  let waiters: Array<() => boolean> = [];
  await adapter.start(async (context) => {
    seen.push(context.activity);
    waiters = waiters.filter((done) => !done());
    await reply(context);
  });
  return {
    emu,
    adapter,
    logger,
    seen,
    waitForActivities(count, filter = () => true) {
      return new Promise((resolve) => {
        const done = (): boolean => {
          const matching = seen.filter(filter);
          if (matching.length < count) return false;
          resolve(matching.slice(0, count));
          return true;
        };
        if (!done()) waiters.push(done);
      });
    },
    async close() {
      await adapter.stop();
      await emu.close();
    },
  };
}

export const isMessage = (a: Activity): boolean => a.type === 'message';
