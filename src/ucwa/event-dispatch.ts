/**
 * Walks one event-channel response in array order (senders may repeat, PROTOCOL.md §6.3) and hands each
 * well-formed event to the tracker. A malformed sender block or event is logged and skipped, never fatal.
 */
import { isResource } from './links.js';
import type { Logger } from './types.js';
import type { EventsResponse, UcwaEvent } from './wire-types.js';

export interface EventHandler {
  handleEvent(sender: { rel: string; href: string }, event: UcwaEvent): Promise<void>;
}

/** An event with the members every handler relies on: `link.rel`, `link.href`, `type`. */
export function isValidEvent(value: unknown): value is UcwaEvent {
  if (!isResource(value)) return false;
  const link = value['link'];
  return isResource(link) && typeof link['rel'] === 'string' && typeof link['href'] === 'string' && typeof value['type'] === 'string';
}

export async function dispatchEvents(response: EventsResponse, handler: EventHandler, logger: Logger): Promise<void> {
  const senders: unknown[] = Array.isArray(response.sender) ? response.sender : [];
  for (const sender of senders) {
    if (!isResource(sender) || typeof sender['href'] !== 'string' || !Array.isArray(sender['events'])) {
      logger.warn({ rel: isResource(sender) ? sender['rel'] : undefined }, 'ucwa:events malformed sender block skipped');
      continue;
    }
    const block = { rel: String(sender['rel'] ?? ''), href: sender['href'] };
    for (const event of sender['events'] as unknown[]) {
      if (!isValidEvent(event)) {
        logger.warn({ sender: block.rel }, 'ucwa:events malformed event skipped');
        continue;
      }
      try {
        await handler.handleEvent(block, event);
      } catch (err) {
        logger.warn({ rel: event.link.rel, type: event.type, err: err instanceof Error ? err.message : String(err) }, 'ucwa:events event could not be handled; skipped');
      }
    }
  }
}
