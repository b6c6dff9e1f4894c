/** An in-memory helpdesk ticket list: enough for the sample; swap it for your ticketing system's API. */
export interface Ticket {
  /** `T-1001`, `T-1002`, ... */
  id: string;
  summary: string;
  /** SIP URI of the person who opened it. */
  requester: string;
  createdAt: Date;
}

/** Keeps tickets in memory, newest last. */
export class TicketStore {
  private readonly tickets: Ticket[] = [];
  private nextNumber = 1001;

  constructor(private readonly now: () => Date = () => new Date()) {}

  open(summary: string, requester: string): Ticket {
    const ticket: Ticket = { id: `T-${this.nextNumber++}`, summary, requester, createdAt: this.now() };
    this.tickets.push(ticket);
    return ticket;
  }

  /** Tickets opened by `requester` (case-insensitive SIP URI). */
  openedBy(requester: string): Ticket[] {
    const who = requester.toLowerCase();
    return this.tickets.filter((t) => t.requester.toLowerCase() === who);
  }

  get size(): number {
    return this.tickets.length;
  }
}
