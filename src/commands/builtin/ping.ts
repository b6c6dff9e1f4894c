import type { CommandSpec } from '../types.js';

/**
 * A `ping` command that answers `pong`: the usual liveness check in chat-ops rooms. Not registered
 * automatically; add it with `commands.command(pingCommand)`.
 */
export const pingCommand: CommandSpec = {
  name: 'ping',
  summary: 'Check the bot is alive',
  handler: async (context) => {
    await context.sendActivity('pong');
  },
};
