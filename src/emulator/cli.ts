/**
 * `npm run emulator`: starts a UCWA emulator with three demo accounts and prints how to reach it.
 * Port from `UCWA_EMULATOR_PORT` (default 4000). Stops cleanly on SIGINT/SIGTERM.
 */
import { UcwaEmulator } from './emulator.js';

const DEMO_USERS = [
  { uri: 'sip:bot@contoso.com', name: 'Help Bot', password: 'bot-demo-pass' },
  { uri: 'sip:alice@contoso.com', name: 'Alice', password: 'alice-demo-pass' },
  { uri: 'sip:bob@contoso.com', name: 'Bob', password: 'bob-demo-pass' },
];

function portFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 4000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`Expected UCWA_EMULATOR_PORT to be a port number (0-65535), got "${raw}"`);
  return n;
}

async function main(): Promise<void> {
  const emu = await UcwaEmulator.start({ port: portFromEnv(process.env.UCWA_EMULATOR_PORT), host: process.env.UCWA_EMULATOR_HOST ?? '127.0.0.1', domain: 'contoso.com', users: DEMO_USERS });
  const lines = [
    'UCWA emulator listening',
    `  discovery URL: ${emu.discoveryUrl}`,
    `  chat page:     ${emu.chatUrl}`,
    '  accounts (demo passwords, local use only):',
    ...DEMO_USERS.map((u) => `    ${u.uri.padEnd(24)} ${u.name.padEnd(10)} password: ${u.password}`),
    'Press Ctrl+C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the emulator\n`);
    emu.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
