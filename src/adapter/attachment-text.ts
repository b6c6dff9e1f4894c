/**
 * Readable text fallbacks for what an IM cannot show: cards, files and suggested actions become Markdown
 * (rendered to HTML and plain text by `renderMarkdown`). Skype for Business IM has no cards or buttons, so:
 * - a link-like button (openUrl, signin, downloadFile, play*, showImage) becomes a link;
 * - a reply button (imBack, postBack, messageBack, Action.Submit) becomes a numbered choice `1. Red`; the
 *   user answers with the number or the title, which botbuilder's ChoicePrompt recognises either way;
 * - images and files become links to their URL (inline `data:` content is never pasted into the chat);
 * - an Adaptive Card is reduced to its TextBlocks, FactSets, images and actions.
 * Card titles and labels are escaped; card `text` is Markdown, as in the Bot Framework card schema.
 */
import type { Activity, Attachment, CardAction } from 'botbuilder';
import { escapeMarkdown } from './markdown.js';

type Json = Record<string, unknown>;

const LINK_ACTIONS = new Set(['openUrl', 'signin', 'downloadFile', 'playAudio', 'playVideo', 'showImage']);
const CHOICE_ACTIONS = new Set(['imBack', 'postBack', 'messageBack', 'Action.Submit', 'Action.Execute']);

/** Numbers choices across one outgoing message so every number is unique. */
class ChoiceCounter {
  private next = 1;
  take(): number {
    return this.next++;
  }
}

/** Markdown for an activity's attachments and suggested actions; '' when there are none. */
export function extrasToMarkdown(activity: Partial<Activity>): string {
  const counter = new ChoiceCounter();
  const parts = (activity.attachments ?? []).map((a) => attachmentToMarkdown(a, counter));
  const suggested = activity.suggestedActions?.actions ?? [];
  if (suggested.length > 0) parts.push(actionsToMarkdown(suggested, counter));
  return parts.filter((p) => p.trim() !== '').join('\n\n');
}

/** One attachment as readable Markdown: cards by their fields, Adaptive Cards by their elements, files as links. */
export function attachmentToMarkdown(attachment: Attachment, counter = new ChoiceCounter()): string {
  const type = (attachment.contentType ?? '').toLowerCase();
  const content = attachment.content as unknown;
  if (type === 'application/vnd.microsoft.card.adaptive' && isObject(content)) return adaptiveToMarkdown(content, counter);
  if (type.startsWith('application/vnd.microsoft.card.') && isObject(content)) return cardToMarkdown(content, counter);
  if (type.startsWith('text/') && typeof content === 'string') return content;
  const label = attachment.name || (type.startsWith('image/') ? 'image' : 'file');
  if (attachment.contentUrl && !attachment.contentUrl.startsWith('data:')) return link(label, attachment.contentUrl);
  return `${escapeMarkdown(label)} (attachment not shown: content sent inline)`;
}

/** Hero, thumbnail, signin, OAuth, receipt and media cards share these fields. */
function cardToMarkdown(card: Json, counter: ChoiceCounter): string {
  const lines: string[] = [];
  const head = [str(card['title']) && `**${escapeMarkdown(str(card['title']))}**`, str(card['subtitle']) && escapeMarkdown(str(card['subtitle']))];
  if (head.some(Boolean)) lines.push(head.filter(Boolean).join('\n'));
  if (str(card['text'])) lines.push(str(card['text']));
  const facts = arr(card['facts']).filter(isObject).map((f) => `${escapeMarkdown(str(f['key']))}: ${escapeMarkdown(str(f['value']))}`);
  const items = arr(card['items']).filter(isObject).map((it) => [str(it['title']), str(it['subtitle']), str(it['price'])].filter(Boolean).map(escapeMarkdown).join(' '));
  if (facts.length + items.length > 0) lines.push([...items, ...facts].join('\n'));
  if (str(card['total'])) lines.push(`Total: ${escapeMarkdown(str(card['total']))}`);
  const media = [...arr(card['images']), ...arr(card['media'])].filter(isObject).filter((m) => str(m['url']) && !str(m['url']).startsWith('data:'));
  if (media.length > 0) lines.push(media.map((m) => link(str(m['alt']) || 'image', str(m['url']))).join('\n'));
  const buttons = arr(card['buttons']).filter(isObject) as unknown as CardAction[];
  if (buttons.length > 0) lines.push(actionsToMarkdown(buttons, counter));
  return lines.join('\n\n');
}

/** Buttons and suggested actions: links first as they are, choices numbered. */
export function actionsToMarkdown(actions: CardAction[], counter = new ChoiceCounter()): string {
  return actions
    .map((a) => {
      const title = str(a.title) || str(a.displayText) || str(a.text) || (typeof a.value === 'string' ? a.value : '');
      if (LINK_ACTIONS.has(a.type) && typeof a.value === 'string') return link(title || a.value, a.value);
      if (a.type === 'call' && typeof a.value === 'string') return `${escapeMarkdown(title)}: ${escapeMarkdown(a.value.replace(/^tel:/i, ''))}`;
      return `${counter.take()}\\. ${escapeMarkdown(title)}`;
    })
    .join('\n');
}

function adaptiveToMarkdown(card: Json, counter: ChoiceCounter): string {
  const blocks: string[] = [];
  const actions: CardAction[] = [];
  const walk = (element: unknown): void => {
    if (Array.isArray(element)) return element.forEach(walk);
    if (!isObject(element)) return;
    switch (element['type']) {
      case 'TextBlock':
        if (str(element['text'])) blocks.push(str(element['text']));
        return;
      case 'RichTextBlock':
        blocks.push(arr(element['inlines']).map((i) => (typeof i === 'string' ? i : isObject(i) ? str(i['text']) : '')).join(''));
        return;
      case 'FactSet':
        blocks.push(arr(element['facts']).filter(isObject).map((f) => `${escapeMarkdown(str(f['title']))}: ${escapeMarkdown(str(f['value']))}`).join('\n'));
        return;
      case 'Image':
        if (str(element['url']) && !str(element['url']).startsWith('data:')) blocks.push(link(str(element['altText']) || 'image', str(element['url'])));
        return;
      case 'Action.OpenUrl':
        actions.push({ type: 'openUrl', title: str(element['title']), value: str(element['url']) });
        return;
      case 'Action.Submit':
      case 'Action.Execute':
      case 'Action.ShowCard':
        actions.push({ type: 'imBack', title: str(element['title']), value: str(element['title']) });
        return;
    }
    for (const key of ['body', 'items', 'columns', 'actions', 'selectAction']) walk(element[key]);
  };
  walk(card['body']);
  walk(card['actions']);
  if (actions.length > 0) blocks.push(actionsToMarkdown(actions, counter));
  if (blocks.length === 0 && str(card['fallbackText'])) blocks.push(str(card['fallbackText']));
  return blocks.filter(Boolean).join('\n\n');
}

function link(text: string, href: string): string {
  return `[${escapeMarkdown(text)}](${href.replace(/[()\s]/g, encodeURIComponent)})`;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}
