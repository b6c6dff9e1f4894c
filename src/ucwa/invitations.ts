/**
 * Invitation events (PROTOCOL.md §7.2–7.4, §8.1–8.3): incoming invitations are accepted at once (or declined with
 * `{"reason":"Local"}`) using the links kept from the started event; the first message is delivered when the
 * invitation completes; invitations we started settle the pending operation found by our operationId.
 */
import { isDataUri } from './data-uri.js';
import { getEmbedded, getHref, getLink, getString } from './links.js';
import type { ConversationRecord } from './conversation-store.js';
import type { ConversationTracker } from './conversations.js';
import { safeDecode } from './message-body.js';
import { reasonToError } from './operations.js';
import type { ParticipantInfo } from './types.js';
import type { Resource, UcwaEvent } from './wire-types.js';

export async function onInvitation(t: ConversationTracker, event: UcwaEvent): Promise<void> {
  const href = t.deps.resolve(event.link.href);
  const inv = await t.resource(event);
  const operationId = getString(inv, 'operationId');
  const pending = t.deps.operations.findInvitation(operationId, href);
  if (pending || getString(inv, 'direction') === 'Outgoing') return onOutgoingInvitation(t, event, href, inv, pending?.operationId ?? operationId);
  const conversationHref = t.href(inv, 'conversation');
  if (!conversationHref) return;
  const from = getEmbedded(inv, 'from');
  const remote: ParticipantInfo = { uri: getString(from, 'uri') ?? '', name: getString(from, 'name') ?? getLink(inv, 'from')?.title, href: t.href(from, 'self') ?? t.href(inv, 'from') };
  const record = t.deps.store.ensure(conversationHref, { threadId: getString(inv, 'threadId'), direction: 'Incoming', local: t.deps.self(), remote });
  if (remote.href) record.participants.set(remote.href, remote);
  record.info.subject = getString(inv, 'subject') || record.info.subject;
  if (!record.invitation) {
    const message = getHref(inv, 'message');
    record.invitation = { href, firstDelivered: false, replayPending: false, firstMessage: message && isDataUri(message) ? safeDecode(message, t.deps.logger) : undefined };
  }
  // Keep accept/decline from the started event: later snapshots drop them (§15 item 8).
  record.invitation.accept ??= t.href(inv, 'accept');
  record.invitation.decline ??= t.href(inv, 'decline');
  if (event.type === 'started') answerInvitation(t, record);
  else if (event.type === 'completed') {
    if (event.status === 'Success' && !event.reason) {
      record.info.state = 'Connected';
      t.start(record);
      deliverFirstMessage(t, record);
    } else {
      t.deps.logger.info({ code: event.reason?.code, subcode: event.reason?.subcode, declined: record.invitation.declined === true }, 'ucwa:events incoming invitation ended without a conversation');
      if (!record.started) t.deps.store.remove(record);
    }
  }
}

export function answerInvitation(t: ConversationTracker, record: ConversationRecord): void {
  const inv = record.invitation!;
  let accept: boolean;
  try {
    accept = t.deps.acceptInvitation(record.info.remote.uri);
  } catch (err) {
    t.deps.logger.error({ err: String(err) }, 'ucwa:events acceptInvitations predicate threw; declining');
    accept = false;
  }
  const link = accept ? inv.accept : inv.decline;
  if (!link) return;
  inv.declined = !accept;
  // Accept at once: an invitation unanswered for ≈30 s fails (§7.3). Not awaited: the event channel goes on.
  t.deps.post(link, accept ? 'accept' : 'decline', accept ? undefined : { reason: 'Local' }).catch((err: unknown) => {
    t.deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, `ucwa:events ${accept ? 'accept' : 'decline'} failed (invitation taken elsewhere or expired, §15 item 8)`);
  });
}

export function deliverFirstMessage(t: ConversationTracker, record: ConversationRecord): void {
  const inv = record.invitation;
  if (!inv?.firstMessage || inv.firstDelivered) return;
  inv.firstDelivered = true;
  inv.replayPending = true;
  t.emitMessage(record, inv.href, record.info.remote, inv.firstMessage.text, inv.firstMessage.html, new Date());
}

export function onOutgoingInvitation(t: ConversationTracker, event: UcwaEvent, href: string, inv: Resource | undefined, operationId: string | undefined): void {
  const pending = t.deps.operations.findInvitation(operationId, href);
  if (operationId) t.deps.operations.attachHref(operationId, href);
  const conversationHref = t.href(inv, 'conversation');
  const record = conversationHref
    ? t.deps.store.ensure(conversationHref, { key: pending?.key, threadId: getString(inv, 'threadId'), direction: 'Outgoing', local: t.deps.self(), remote: pending?.to ? { uri: pending.to } : undefined })
    : undefined;
  if (record && inv) record.info.subject = getString(inv, 'subject') || record.info.subject;
  if (event.type === 'started' && operationId) t.deps.operations.recordProof(operationId, true, href);
  if (event.type !== 'completed' || !operationId) return;
  if (event.status === 'Success' && !event.reason && record) {
    const accepted = getEmbedded(inv, 'acceptedByParticipant');
    if (accepted && getString(accepted, 'uri')) record.info.remote = { uri: getString(accepted, 'uri')!, name: getString(accepted, 'name'), href: t.href(accepted, 'self') };
    record.info.state = 'Connected';
    t.start(record);
    t.deps.operations.settleInvitation(operationId, { value: record.info });
  } else {
    if (record && !record.started) t.deps.store.remove(record);
    t.deps.operations.settleInvitation(operationId, { error: reasonToError(pending?.resource ?? 'startMessaging', event.reason, event.status, operationId) });
  }
}
