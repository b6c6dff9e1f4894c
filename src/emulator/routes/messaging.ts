/**
 * startMessaging, messagingInvitation (accept / decline / cancel), conversation, messaging, sendMessage,
 * message, setIsTyping, stopMessaging, participants (PROTOCOL.md §7, §8; the matching `*_ref.md` pages).
 */
import { HttpError, conflict, parameterError, resourceNotFound } from '../http-error.js';
import {
  conversationResource, invitationResource, messageResource, messagingResource, participantMessagingResource, participantResource,
} from '../resources.js';
import { fromDataUri, htmlToText } from '../data-uri.js';
import { operationIdsOf } from '../operation-registry.js';
import { userKey } from '../urls.js';
import type { Conversation } from '../state.js';
import { type RouteArgs, str } from './route-types.js';

const IMPORTANCE = ['Normal', 'Urgent', 'Emergency'];

/** The correlation id: `operationId` (sendMessage_ref.md), `OperationContext` (SendAnIM.md), `operationContext` (JS). */
function operationIdOf(args: RouteArgs, body?: Map<string, unknown>): string | undefined {
  const q = args.ctx.query;
  return (body && str(body, 'operationId')) ?? q.get('operationid') ?? q.get('operationcontext');
}

function checkOperationId(id: string | undefined): void {
  if (id !== undefined && id.length > 50) throw parameterError({ operationId: 'must be at most 50 characters' });
}

/** POST startMessaging → 201 + Location of the messagingInvitation (startMessaging_ref.md, SendAnIM.md step 2). */
export function startMessaging(args: RouteArgs): void {
  const { env, ctx, app } = args;
  const input = ctx.jsonInput();
  const to = str(input, 'to') ?? ctx.query.get('to');
  const subject = str(input, 'subject') ?? '';
  const importance = str(input, 'importance') ?? 'Normal';
  const operationId = operationIdOf(args, input);
  const bad: Record<string, string> = {};
  if (!to || !/^sip:[^@\s]+@[^@\s]+$/i.test(to)) bad.to = 'is required: the SIP URI of the person to invite (sip:user@domain)';
  if (subject.length > 250) bad.subject = 'must be at most 250 characters';
  if (!IMPORTANCE.includes(importance)) bad.importance = `must be one of ${IMPORTANCE.join(', ')}`;
  if (operationId !== undefined && operationId.length > 50) bad.operationId = 'must be at most 50 characters';
  let text: string | undefined;
  let html: string | undefined;
  const links = input.get('_links');
  if (links && typeof links === 'object') {
    const message = Object.entries(links as Record<string, unknown>).find(([k]) => k.toLowerCase() === 'message')?.[1] as { href?: unknown } | undefined;
    if (message !== undefined) {
      const decoded = typeof message?.href === 'string' ? fromDataUri(message.href) : undefined;
      if (!decoded) bad['_links.message'] = 'must be a data: URI (data:text/plain;charset=utf-8,<text> or ;base64)';
      else if (decoded.mediaType === 'text/html') ((html = decoded.text), (text = htmlToText(decoded.text)));
      else text = decoded.text;
    }
  }
  if (Object.keys(bad).length) throw parameterError(bad);
  // Per (user, endpointId), surviving application re-creation: see operation-registry.ts.
  const dedupe = operationId !== undefined && env.opts.rejectDuplicateOperationIds ? operationIdsOf(env) : undefined;
  if (dedupe && dedupe.seen(app.user, app.endpointId, operationId!)) throw conflict('AlreadyExists', `An operation with operationId ${operationId} already exists.`);
  const target = env.findUser(to!);
  const conv = env.engine.startMessaging(app, target, to!, { operationId, subject, importance, text, html });
  dedupe?.add(app.user, app.endpointId, operationId!);
  ctx.empty(201, { Location: app.urls.invitation(conv.invitationId) });
}

function invitationOf({ app, params }: RouteArgs): Conversation {
  const conv = app.invitations.get(params.inv ?? '');
  if (!conv) throw resourceNotFound(`Invitation ${params.inv}`);
  return conv;
}

export function getInvitation(args: RouteArgs): void {
  args.ctx.json(200, invitationResource(args.app, invitationOf(args)));
}

function pendingIncoming(args: RouteArgs): Conversation {
  const conv = invitationOf(args);
  if (conv.direction !== 'Incoming' || conv.invitationState !== 'Connecting') {
    throw conflict(undefined, 'The invitation is no longer pending.');
  }
  return conv;
}

/** POST accept → 204 (`?sessionContext` tolerated, ReceiveAnIM.md step 13). */
export function accept(args: RouteArgs): void {
  args.env.engine.accept(pendingIncoming(args));
  args.ctx.empty(204);
}

/** POST decline (optional `{"reason":"Local"|"Global"|...}`) → 204 (decline_ref.md). */
export function decline(args: RouteArgs): void {
  const input = args.ctx.jsonInput();
  const reason = str(input, 'reason');
  if (reason !== undefined && !/^[A-Za-z0-9]+$/.test(reason)) throw parameterError({ reason: 'must be a CallDeclineReason such as Local or Global' });
  args.env.engine.decline(pendingIncoming(args));
  args.ctx.empty(204);
}

/** POST cancel on a pending outgoing invitation (cancel_ref.md; reference URL form only). */
export function cancel(args: RouteArgs): void {
  const conv = invitationOf(args);
  if (conv.direction !== 'Outgoing' || conv.invitationState !== 'Connecting') throw conflict(undefined, 'Only a pending outgoing invitation can be canceled.');
  args.env.engine.stopMessaging(conv);
  args.ctx.empty(204);
}

function conversationOf({ env, app, params }: RouteArgs): Conversation {
  return env.conversation(app, params.c ?? '');
}

export function getConversation(args: RouteArgs): void {
  args.ctx.json(200, conversationResource(args.app, conversationOf(args)));
}

export function deleteConversation(args: RouteArgs): void {
  args.env.engine.leaveConversation(conversationOf(args));
  args.ctx.empty(204);
}

export function getMessaging(args: RouteArgs): void {
  args.ctx.json(200, messagingResource(args.app, conversationOf(args)));
}

function connected(args: RouteArgs): Conversation {
  const conv = conversationOf(args);
  // sendMessage/setIsTyping links exist only while messaging is Connected (sendMessage_ref.md); 409 inferred (§14.6).
  if (conv.state !== 'Connected') throw conflict(undefined, `Messaging is ${conv.state === 'Disconnected' ? 'Disconnected' : 'not Connected yet'} in this conversation.`);
  return conv;
}

/** POST sendMessage: raw text/plain or text/html body → 201 + Location of the message (SendAnIM.md steps 9-10). */
export function sendMessage(args: RouteArgs): void {
  const { env, ctx, app } = args;
  const conv = conversationOf(args);
  const ct = ctx.contentType;
  if (ct !== 'text/plain' && ct !== 'text/html') {
    throw new HttpError(415, 'UnsupportedMediaType', undefined, `sendMessage takes text/plain (or text/html when Html was negotiated), not "${ct || '(none)'}".`);
  }
  if (ct === 'text/html' && !conv.html) {
    throw new HttpError(415, 'UnsupportedMediaType', undefined, 'Html was not negotiated for this conversation (messaging.negotiatedMessageFormats); send text/plain.');
  }
  if (ctx.body.length > env.opts.maxMessageBytes) {
    throw new HttpError(413, 'EntityTooLarge', undefined, `The message is larger than ${env.opts.maxMessageBytes} bytes.`);
  }
  const operationId = operationIdOf(args);
  checkOperationId(operationId);
  const raw = ctx.text();
  if (raw.length === 0) throw parameterError({ message: 'the message body must not be empty' });
  connected(args);
  // Per (user, endpointId), not per conversation: a resend after the application was re-created lands in a new
  // conversation and must still be caught (operation-registry.ts).
  const dedupe = operationId !== undefined && env.opts.rejectDuplicateOperationIds ? operationIdsOf(env) : undefined;
  if (dedupe && dedupe.seen(app.user, app.endpointId, operationId!)) {
    throw conflict('AlreadyExists', `A message with operationId ${operationId} was already sent.`);
  }
  const html = ct === 'text/html' ? raw : undefined;
  const m = env.engine.sendMessage(conv, html !== undefined ? htmlToText(raw) : raw, html, operationId);
  dedupe?.add(app.user, app.endpointId, operationId!);
  ctx.empty(201, { Location: app.urls.message(conv.id, m.mid) });
}

export function getMessages(args: RouteArgs): void {
  const conv = conversationOf(args);
  const u = args.app.urls;
  const links = conv.messages.map((m) => ({ href: u.message(conv.id, m.mid) }));
  args.ctx.json(200, { _links: { self: { href: u.messages(conv.id) }, message: links }, rel: 'messages' });
}

export function getMessage(args: RouteArgs): void {
  const conv = conversationOf(args);
  const m = conv.messages.find((x) => String(x.mid) === args.params.n);
  if (!m) throw resourceNotFound(`Message ${args.params.n}`);
  args.ctx.json(200, messageResource(args.app, conv, m));
}

export function setIsTyping(args: RouteArgs): void {
  args.env.engine.setIsTyping(connected(args));
  args.ctx.empty(204);
}

export function stopMessaging(args: RouteArgs): void {
  const conv = conversationOf(args);
  if (conv.direction === 'Incoming' && conv.state === 'Incoming') throw conflict(undefined, 'Accept or decline the invitation first.');
  args.env.engine.stopMessaging(conv);
  args.ctx.empty(204);
}

/** addMessaging re-opens IM in a live conversation whose messaging is Disconnected; a two-party conversation ends with it here. */
export function addMessaging(args: RouteArgs): void {
  const conv = conversationOf(args);
  throw conflict(undefined, `Messaging is ${conv.state} in this conversation; addMessaging applies only to a Disconnected modality.`);
}

function participantUser(args: RouteArgs, conv: Conversation): { user: typeof conv.remote; local: boolean } {
  const key = (args.params.u ?? '').toLowerCase();
  if (key === userKey(args.app.user.uri).toLowerCase()) return { user: args.app.user, local: true };
  if (key === userKey(conv.remote.uri).toLowerCase() && conv.state === 'Connected') return { user: conv.remote, local: false };
  if (key === userKey(conv.remote.uri).toLowerCase() && conv.direction === 'Incoming') return { user: conv.remote, local: false };
  throw resourceNotFound(`Participant ${args.params.u}`);
}

export function getParticipant(args: RouteArgs): void {
  const conv = conversationOf(args);
  const { user, local } = participantUser(args, conv);
  args.ctx.json(200, participantResource(args.app, conv, user, local));
}

export function getParticipantMessaging(args: RouteArgs): void {
  const conv = conversationOf(args);
  const { user } = participantUser(args, conv);
  args.ctx.json(200, participantMessagingResource(args.app, conv, user));
}

export function getParticipants(args: RouteArgs): void {
  const conv = conversationOf(args);
  const u = args.app.urls;
  const links: { href: string; title?: string }[] = [{ href: u.participant(conv.id, userKey(args.app.user.uri)), title: args.app.user.name }];
  if (conv.state === 'Connected') links.push({ href: u.participant(conv.id, userKey(conv.remote.uri)), title: conv.remote.name });
  args.ctx.json(200, { _links: { self: { href: u.participants(conv.id) }, participant: links }, rel: 'participants' });
}

export function getTypingParticipants(args: RouteArgs): void {
  const conv = conversationOf(args);
  const u = args.app.urls;
  const links = conv.remoteTyping ? [{ href: u.participant(conv.id, userKey(conv.remote.uri)), title: conv.remote.name }] : [];
  args.ctx.json(200, { _links: { self: { href: u.typingParticipants(conv.id) }, participant: links }, rel: 'typingParticipants' });
}
