/**
 * Wires the sample helpdesk / chat-ops bot: copy this file to start your own.
 *
 * @example
 * const bot = createHelpdeskBot({ botName: 'Help Bot', groups: { admins: ['sip:alice@contoso.com'] }, connection: () => adapter });
 * for (const mw of bot.middleware) adapter.use(mw);
 * adapter.onTurnError = bot.onTurnError;
 * await adapter.start(bot.logic);
 */
import type { Middleware, TurnContext } from 'botbuilder';
import { CommandMiddleware } from '../commands/command-middleware.js';
import type { Logger } from '../ucwa/types.js';
import { echoCommand } from './commands/echo.js';
import { restartCommand } from './commands/restart.js';
import { statusCommand } from './commands/status.js';
import { ticketCommand, ticketsCommand } from './commands/ticket.js';
import { whoamiCommand } from './commands/whoami.js';
import { ConversationTracker } from './conversation-tracker.js';
import { HelpdeskBot } from './helpdesk-bot.js';
import { TicketStore } from './ticket-store.js';

export interface HelpdeskBotOptions {
  botName: string;
  /** Permission groups (SIP URIs and `@domain` entries). `admins` may run `restart`; it is empty when missing. */
  groups?: Readonly<Record<string, readonly string[]>>;
  /** The UCWA connection state for `status`: pass the adapter. */
  connection: () => { state: string; notReadyReason?: string | undefined };
  /** Where `restart` restarts a service. @default logs it (the sample has nothing to restart) */
  restartService?: (service: string) => Promise<void>;
  logger?: Logger;
  /** @default Date.now */
  now?: () => number;
}

export interface HelpdeskBotParts {
  commands: CommandMiddleware;
  tickets: TicketStore;
  conversations: ConversationTracker;
  /** Add to the adapter in this order (`adapter.use(...bot.middleware)`). */
  middleware: Middleware[];
  /** The turn handler for `adapter.start(logic)`. */
  logic: (context: TurnContext) => Promise<void>;
  /** For `adapter.onTurnError`: logs and apologises, unless the command middleware already did both. */
  onTurnError: (context: TurnContext, error: Error) => Promise<void>;
}

export function createHelpdeskBot(options: HelpdeskBotOptions): HelpdeskBotParts {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const logger = options.logger;
  const groups = { admins: [], ...options.groups };
  const tickets = new TicketStore(() => new Date(now()));
  const conversations = new ConversationTracker();
  const restartService = options.restartService ?? (async (service: string) => {
    logger?.info({ event: 'sample.restart', service }, 'restart requested (the sample bot has no real service to restart)');
  });

  const commands = new CommandMiddleware({ groups, now, ...(logger ? { logger } : {}) })
    .command(statusCommand({ startedAt, now, connection: options.connection, conversations: () => conversations.count, tickets: () => tickets.size }))
    .command(echoCommand)
    .command(whoamiCommand(groups))
    .command(ticketCommand(tickets))
    .command(ticketsCommand(tickets))
    .command(restartCommand(restartService));

  const bot = new HelpdeskBot(options.botName, commands);
  return {
    commands,
    tickets,
    conversations,
    middleware: [conversations, commands],
    logic: (context) => bot.run(context),
    onTurnError: async (context, error) => {
      // A command failure was already logged (with its correlation id) and answered by CommandMiddleware.
      if ((error as { replied?: boolean }).replied) return;
      logger?.error({ err: error, conversation: context.activity.conversation?.id }, 'turn failed');
      await context.sendActivity('Sorry, something went wrong on my side. Please try again.').catch(() => undefined);
    },
  };
}
