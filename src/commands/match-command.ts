import type { Activity } from 'botbuilder';
import { splitCommandLine, type CommandLine } from './parse-command.js';
import { isSpace } from './tokenize.js';

/** What {@link matchCommandLine} found in a message. */
export interface CommandMatch extends CommandLine {
  /** The message started with the configured prefix. */
  prefixed: boolean;
}

/** Command words look like names; `!!!` or `!?` in a chat is not an attempt to run a command. */
const NAME_LIKE = /^[\p{L}\p{N}][\p{L}\p{N}_.-]*$/u;

/**
 * True for one-to-one conversations: `conversationType` 'personal', or no type and not a group
 * (the UcwaAdapter and TestAdapter leave the type unset for 1:1 chats).
 */
export function isPersonalConversation(activity: Partial<Activity>): boolean {
  const conversation = activity.conversation;
  if (conversation?.conversationType !== undefined) return conversation.conversationType === 'personal';
  return conversation?.isGroup !== true;
}

/**
 * The message text without at-mentions of the bot (mention entities, or a leading `@BotName`), trimmed.
 * Unlike `TurnContext.removeRecipientMention` it does not modify the activity, so dialogs still see the
 * original text when the message falls through.
 */
export function textWithoutMentions(activity: Partial<Activity>): string {
  let text = typeof activity.text === 'string' ? activity.text : '';
  const botId = activity.recipient?.id;
  for (const entity of activity.entities ?? []) {
    const mention = entity as { type?: string; text?: unknown; mentioned?: { id?: string } };
    if (mention.type === 'mention' && botId !== undefined && mention.mentioned?.id === botId && typeof mention.text === 'string' && mention.text !== '') {
      text = text.replace(mention.text, ' ');
    }
  }
  text = trimSpace(text);
  const botName = activity.recipient?.name;
  if (botName && text.length > botName.length && text[0] === '@' &&
      text.slice(1, botName.length + 1).toLowerCase() === botName.toLowerCase() && isSpace(text.charCodeAt(botName.length + 1))) {
    text = trimSpace(text.slice(botName.length + 1));
  }
  return text;
}

/** Trims unicode whitespace (NBSP included), like the tokenizer. */
export function trimSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/**
 * Decides whether a message is addressed to the command router. With a prefix, `!cmd` anywhere; without it,
 * only in one-to-one conversations (or when no prefix is configured). The caller still checks the name
 * against the registry: an unprefixed unknown word is free text for the bot's dialogs.
 */
export function matchCommandLine(text: string, prefix: string, personal: boolean): CommandMatch | undefined {
  let body = text;
  let prefixed = false;
  if (prefix !== '' && body.startsWith(prefix)) {
    prefixed = true;
    body = body.slice(prefix.length);
  } else if (prefix !== '' && !personal) {
    return undefined;
  }
  const line = splitCommandLine(body);
  if (line === undefined || !NAME_LIKE.test(line.name)) return undefined;
  return { ...line, prefixed, restOffset: line.restOffset + (prefixed ? prefix.length : 0) };
}
