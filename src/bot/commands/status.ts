import type { CommandSpec } from '../../commands/types.js';

export interface StatusSource {
  /** When the bot started (ms since epoch). */
  startedAt: number;
  /** The UCWA connection, as the adapter reports it (`adapter.state`, `adapter.notReadyReason`). */
  connection(): { state: string; notReadyReason?: string | undefined };
  /** Conversations the bot is in. */
  conversations(): number;
  tickets(): number;
  now?: () => number;
}

/** `status`: uptime, UCWA connection state and open conversations, as a small formatted (HTML) reply. */
export function statusCommand(source: StatusSource): CommandSpec {
  return {
    name: 'status',
    summary: 'Show uptime, the UCWA connection state and open conversations',
    handler: async (context) => {
      const now = (source.now ?? Date.now)();
      const { state, notReadyReason } = source.connection();
      const connection = notReadyReason ? `${state} (${notReadyReason})` : state;
      const text = [
        '**Status**',
        '',
        `- Uptime: ${formatDuration(now - source.startedAt)}`,
        `- UCWA connection: ${connection}`,
        `- Open conversations: ${source.conversations()}`,
        `- Tickets: ${source.tickets()}`,
      ].join('\n');
      await context.sendActivity({ text, textFormat: 'markdown' });
    },
  };
}

/** `3725000` → `1h 2m 5s`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [d && `${d}d`, (d || h) && `${h}h`, (d || h || m) && `${m}m`, `${s}s`].filter(Boolean).join(' ');
}
