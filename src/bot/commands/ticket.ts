import type { CommandSpec } from '../../commands/types.js';
import type { TicketStore } from '../ticket-store.js';

/** `ticket <summary>`: opens a helpdesk ticket and confirms its id. */
export function ticketCommand(tickets: TicketStore): CommandSpec {
  return {
    name: 'ticket',
    summary: 'Open a helpdesk ticket',
    args: [{ name: 'summary', required: true, rest: true, description: 'what is wrong, in a sentence' }],
    rateLimit: { perUser: { max: 5, windowMs: 60_000 } },
    handler: async (context, args) => {
      const ticket = tickets.open(String(args['summary']), context.activity.from.id);
      await context.sendActivity(`Opened ticket ${ticket.id}: "${ticket.summary}". The helpdesk will get back to you here.`);
    },
  };
}

/** `tickets`: lists the tickets the sender opened. */
export function ticketsCommand(tickets: TicketStore): CommandSpec {
  return {
    name: 'tickets',
    summary: 'List the tickets you opened',
    handler: async (context) => {
      const mine = tickets.openedBy(context.activity.from.id);
      if (mine.length === 0) {
        await context.sendActivity('You have no tickets. Open one with: ticket <summary>');
        return;
      }
      const lines = mine.map((t) => `- **${t.id}** ${escapeMarkdown(t.summary)}`);
      await context.sendActivity({ text: `Your tickets:\n\n${lines.join('\n')}`, textFormat: 'markdown' });
    },
  };
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|~]/g, (c) => `\\${c}`);
}
