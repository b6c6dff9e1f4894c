/**
 * A deliberately tiny Markdown renderer for bot replies (no `marked` in the dependency set, and a bot's
 * Markdown is small: bold, italics, code, links, lists, headings, paragraphs). It renders to two targets
 * from one parse, so the HTML message and its plain-text fallback always say the same thing.
 *
 * Choices (documented in the README mapping table):
 * - A single newline is a line break (`<br>`), not CommonMark's soft break: chat users type lines, not prose.
 * - `_` emphasis needs word boundaries (`snake_case_name` stays as is); `*` emphasis does not.
 * - Headings become bold paragraphs (Skype clients have no heading styles).
 * - Links keep only http, https, mailto and sip targets; anything else (javascript:, data:) becomes its text.
 */
import { escapeHtml } from './html.js';
import { parseBlocks } from './markdown-parse.js';
import type { Block, Inline } from './markdown-parse.js';

/** Both renderings of a Markdown text, and whether it used any markup at all. */
export interface RenderedMarkdown {
  html: string;
  plain: string;
  /** False when the text is plain prose: then HTML adds nothing and the sender can use text/plain. */
  hasMarkup: boolean;
}

/** Renders Markdown to sanitisable HTML and to plain text. Pure. */
export function renderMarkdown(markdown: string): RenderedMarkdown {
  const blocks = parseBlocks(markdown);
  const hasMarkup = blocks.some((b) => b.type !== 'paragraph' || b.lines.some((line) => line.some((n) => n.type !== 'text')));
  return {
    html: blocks.map(blockToHtml).join(''),
    plain: blocks.map(blockToPlain).join('\n\n'),
    hasMarkup,
  };
}

/** Escapes text so `renderMarkdown` shows it literally (card titles, button labels). */
export function escapeMarkdown(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(/[\\`*_[\]<>]/g, '\\$&')
        .replace(/^(\s*)([#+-])(?=\s)/, '$1\\$2')
        .replace(/^(\s*\d+)([.)])(?=\s)/, '$1\\$2'),
    )
    .join('\n');
}

function inlineToHtml(nodes: Inline[]): string {
  return nodes
    .map((n) => {
      switch (n.type) {
        case 'text':
          return escapeHtml(n.text);
        case 'code':
          return `<code>${escapeHtml(n.text)}</code>`;
        case 'strong':
          return `<b>${inlineToHtml(n.children)}</b>`;
        case 'em':
          return `<i>${inlineToHtml(n.children)}</i>`;
        case 'link':
          return `<a href="${escapeHtml(n.href)}">${inlineToHtml(n.children)}</a>`;
      }
    })
    .join('');
}

/** Plain text: markers dropped, a link shows its target unless its text already is the target. */
export function inlineToPlain(nodes: Inline[]): string {
  return nodes
    .map((n) => {
      switch (n.type) {
        case 'text':
        case 'code':
          return n.text;
        case 'strong':
        case 'em':
          return inlineToPlain(n.children);
        case 'link': {
          const text = inlineToPlain(n.children);
          const bare = n.href.replace(/^mailto:/i, '');
          return text === '' || text === n.href || text === bare ? n.href : `${text} (${n.href})`;
        }
      }
    })
    .join('');
}

function blockToHtml(block: Block): string {
  switch (block.type) {
    case 'paragraph':
      return `<p>${block.lines.map(inlineToHtml).join('<br>')}</p>`;
    case 'heading':
      return `<p><b>${inlineToHtml(block.content)}</b></p>`;
    case 'code':
      return `<pre><code>${escapeHtml(block.text)}</code></pre>`;
    case 'list': {
      // The allow-list has no ol[start]: a list that starts elsewhere than 1 keeps its numbers as text.
      if (block.ordered && block.start !== 1) return `<p>${block.items.map((item, n) => `${block.start + n}. ${inlineToHtml(item)}`).join('<br>')}</p>`;
      const tag = block.ordered ? 'ol' : 'ul';
      return `<${tag}>${block.items.map((item) => `<li>${inlineToHtml(item)}</li>`).join('')}</${tag}>`;
    }
  }
}

function blockToPlain(block: Block): string {
  switch (block.type) {
    case 'paragraph':
      return block.lines.map(inlineToPlain).join('\n');
    case 'heading':
      return inlineToPlain(block.content);
    case 'code':
      return block.text;
    case 'list':
      return block.items.map((item, n) => `${block.ordered ? `${block.start + n}.` : '-'} ${inlineToPlain(item)}`).join('\n');
  }
}
