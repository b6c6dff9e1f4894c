/**
 * Pure conversions between what the UCWA client reports (`UcwaClientHandlers` payloads) and Bot Framework
 * activities, both ways. No I/O: the adapter decides when and where; this file decides what.
 * The mapping follows PROTOCOL.md §8.8 ("Mapping hints for the Bot Framework adapter").
 */
import { ActivityTypes } from 'botbuilder';
import type { Activity, ChannelAccount } from 'botbuilder';
import type { ConversationInfo, IncomingMessage, ParticipantInfo } from '../ucwa/types.js';
import { extrasToMarkdown } from './attachment-text.js';
import { conversationAccount, UCWA_CHANNEL_ID } from './conversation-ref.js';
import { escapeHtml, htmlToText, sanitizeMessageHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

/** What every inbound activity needs besides the event itself. */
export interface MapContext {
  /** `activity.serviceUrl`: the discovery URL, so a stored reference says which deployment it belongs to. */
  serviceUrl: string;
  /** `activity.locale`: the adapter's `culture`. */
  locale: string;
  /** The signed-in bot; falls back to the conversation's local participant. */
  bot?: ParticipantInfo;
}

/** `channelData.ucwa` on every inbound activity. */
export interface UcwaChannelData {
  conversationHref?: string;
  threadId?: string;
  direction: 'Incoming' | 'Outgoing';
}

/** A participant as a botbuilder ChannelAccount: the SIP URI is the id, the display name (or the URI) the name. */
export function toChannelAccount(participant: ParticipantInfo, role: 'user' | 'bot'): ChannelAccount {
  return { id: participant.uri, name: participant.name ?? participant.uri, role };
}

function baseActivity(conversation: ConversationInfo, from: ParticipantInfo, ctx: MapContext, timestamp = new Date()): Partial<Activity> {
  const bot = ctx.bot ?? conversation.local;
  const ucwa: UcwaChannelData = { conversationHref: conversation.href, threadId: conversation.threadId, direction: conversation.direction };
  return {
    channelId: UCWA_CHANNEL_ID,
    serviceUrl: ctx.serviceUrl,
    locale: ctx.locale,
    conversation: conversationAccount(conversation),
    from: toChannelAccount(from, from.uri === bot.uri ? 'bot' : 'user'),
    recipient: toChannelAccount(bot, 'bot'),
    // UCWA timeStamps are UTC instants with no sender time zone, so localTimestamp carries the same instant.
    timestamp,
    localTimestamp: timestamp,
    channelData: { ucwa },
  };
}

/** message event → `message` activity: plain text, `textFormat: 'plain'`, the HTML (if any) in channelData.html. */
export function messageToActivity(message: IncomingMessage, ctx: MapContext): Partial<Activity> {
  const activity = baseActivity(message.conversation, message.sender, ctx, message.timestamp);
  return {
    ...activity,
    type: ActivityTypes.Message,
    id: message.href,
    text: message.text,
    textFormat: 'plain',
    channelData: message.html === undefined ? activity.channelData : { ...activity.channelData, html: message.html },
  };
}

/** The bot accepted (or connected) a conversation: both parties are added, bot included, as Teams and Direct Line do. */
export function conversationStartedToActivity(conversation: ConversationInfo, ctx: MapContext): Partial<Activity> {
  const bot = ctx.bot ?? conversation.local;
  return {
    ...baseActivity(conversation, conversation.remote, ctx),
    type: ActivityTypes.ConversationUpdate,
    membersAdded: [toChannelAccount(conversation.remote, 'user'), toChannelAccount(bot, 'bot')],
  };
}

/** A participant joined (PROTOCOL.md §7.7) → `conversationUpdate` with membersAdded. */
export function participantAddedToActivity(conversation: ConversationInfo, participant: ParticipantInfo, ctx: MapContext): Partial<Activity> {
  return { ...baseActivity(conversation, participant, ctx), type: ActivityTypes.ConversationUpdate, membersAdded: [toChannelAccount(participant, 'user')] };
}

/** A participant left (PROTOCOL.md §7.7) → `conversationUpdate` with membersRemoved. */
export function participantRemovedToActivity(conversation: ConversationInfo, participant: ParticipantInfo, ctx: MapContext): Partial<Activity> {
  return { ...baseActivity(conversation, participant, ctx), type: ActivityTypes.ConversationUpdate, membersRemoved: [toChannelAccount(participant, 'user')] };
}

/** typingParticipants *added* (PROTOCOL.md §7.6) → `typing`; *deleted* has no Bot Framework counterpart. */
export function typingToActivity(conversation: ConversationInfo, participant: ParticipantInfo, ctx: MapContext): Partial<Activity> {
  return { ...baseActivity(conversation, participant, ctx), type: ActivityTypes.Typing };
}

/** Conversation Disconnected/deleted (PROTOCOL.md §7.8) → `endOfConversation`, from the remote party. */
export function conversationEndedToActivity(conversation: ConversationInfo, ctx: MapContext): Partial<Activity> {
  return { ...baseActivity(conversation, conversation.remote, ctx), type: ActivityTypes.EndOfConversation };
}

/** One outgoing IM: the plain-text body always, the HTML body only when the activity needs formatting. */
export interface OutboundMessage {
  plain: string;
  /** Sanitised HTML; undefined when plain text says it all (then the message goes as text/plain). */
  html?: string;
}

/**
 * `message` activity → the IM(s) to send. Zero messages when there is nothing to show (only `speak`, say);
 * otherwise one, text first then attachments and suggested actions, so the parts of one reply cannot be
 * interleaved with another reply (the client splits an over-long body itself, in order).
 *
 * textFormat: `plain` → text/plain as is; `markdown` (also when absent: the Bot Framework default) → rendered;
 * `xml` → the text is HTML, sanitised. `speak` and `inputHint` are ignored: IM has no voice or input hints.
 */
export function activityToMessages(activity: Partial<Activity>): OutboundMessage[] {
  const text = activity.text ?? '';
  const extras = renderMarkdown(extrasToMarkdown(activity));
  let body: { plain: string; html: string; hasMarkup: boolean };
  switch ((activity.textFormat ?? 'markdown').toLowerCase()) {
    case 'plain':
      body = { plain: text, html: text.trim() === '' ? '' : `<p>${escapeHtml(text).replace(/\r?\n/g, '<br>')}</p>`, hasMarkup: false };
      break;
    case 'xml': {
      const html = sanitizeMessageHtml(text);
      const plain = htmlToText(html);
      body = { plain, html, hasMarkup: html !== escapeHtml(plain) };
      break;
    }
    default:
      body = renderMarkdown(text);
  }
  const plain = [body.plain, extras.plain].filter((p) => p.trim() !== '').join('\n\n');
  if (plain.trim() === '') return [];
  if (!body.hasMarkup && !extras.hasMarkup) return [{ plain }];
  return [{ plain, html: sanitizeMessageHtml(body.html + extras.html) }];
}
