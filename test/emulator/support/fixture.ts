import { UcwaEmulator, type StartOptions } from '../../../src/emulator/index.js';

export const BOT = { uri: 'sip:bot@contoso.com', name: 'Help Bot', password: 'bot-pass' };
export const ALICE = { uri: 'sip:alice@contoso.com', name: 'Alice' };
export const BOB = { uri: 'sip:bob@contoso.com', name: 'Bob', password: 'bob-pass' };

export function startEmulator(options: StartOptions = {}): Promise<UcwaEmulator> {
  return UcwaEmulator.start({ port: 0, host: '127.0.0.1', domain: 'contoso.com', users: [BOT, ALICE, BOB], ...options });
}
