import assert from 'node:assert/strict';
import { CardFactory } from 'botbuilder';
import type { Attachment } from 'botbuilder';
import { actionsToMarkdown, attachmentToMarkdown, extrasToMarkdown } from '../../../src/adapter/attachment-text.js';
import { renderMarkdown } from '../../../src/adapter/markdown.js';

const plainOf = (a: Attachment): string => renderMarkdown(attachmentToMarkdown(a)).plain;

describe('attachmentToMarkdown', () => {
  it('should render a hero card as title, text, image link and numbered choices', () => {
    const card = CardFactory.heroCard('Order *42*', 'Ready for **pickup**', ['https://img.test/a.png'], [{ type: 'imBack', title: 'Yes', value: 'yes' }, 'No', { type: 'openUrl', title: 'Track', value: 'https://t.test/42' }]);
    assert.equal(plainOf(card), 'Order *42*\n\nReady for pickup\n\nimage (https://img.test/a.png)\n\n1. Yes\n2. No\nTrack (https://t.test/42)');
    assert.match(renderMarkdown(attachmentToMarkdown(card)).html, /<b>Order \*42\*<\/b>.*<b>pickup<\/b>.*<a href="https:\/\/t.test\/42">Track<\/a>/);
  });

  it('should render a thumbnail card with subtitle', () => {
    const card = CardFactory.thumbnailCard('T', [], [], { subtitle: 'S', text: 'body' });
    assert.equal(plainOf(card), 'T\nS\n\nbody');
  });

  it('should render an adaptive card: text blocks, facts, images and actions', () => {
    const card = CardFactory.adaptiveCard({
      type: 'AdaptiveCard',
      body: [
        { type: 'TextBlock', text: 'Incident **INC-7**' },
        { type: 'Container', items: [{ type: 'FactSet', facts: [{ title: 'Severity', value: '2' }, { title: 'Owner', value: 'ops' }] }] },
        { type: 'ColumnSet', columns: [{ type: 'Column', items: [{ type: 'Image', url: 'https://i.test/x.png', altText: 'graph' }] }] },
      ],
      actions: [{ type: 'Action.Submit', title: 'Acknowledge' }, { type: 'Action.OpenUrl', title: 'Runbook', url: 'https://r.test' }],
    });
    assert.equal(plainOf(card), 'Incident INC-7\n\nSeverity: 2\nOwner: ops\n\ngraph (https://i.test/x.png)\n\n1. Acknowledge\nRunbook (https://r.test)');
  });

  it('should fall back to fallbackText for an adaptive card with nothing readable', () => {
    assert.equal(plainOf(CardFactory.adaptiveCard({ type: 'AdaptiveCard', body: [{ type: 'Input.Text', id: 'x' }], fallbackText: 'Open in Teams' })), 'Open in Teams');
  });

  it('should render an image attachment as a link to it', () => {
    assert.equal(plainOf({ contentType: 'image/png', contentUrl: 'https://f.test/p.png', name: 'photo.png' }), 'photo.png (https://f.test/p.png)');
  });

  it('should render a file attachment as a link and never paste data: content', () => {
    assert.equal(plainOf({ contentType: 'application/pdf', contentUrl: 'https://f.test/r.pdf', name: 'report.pdf' }), 'report.pdf (https://f.test/r.pdf)');
    assert.equal(plainOf({ contentType: 'image/png', contentUrl: 'data:image/png;base64,AAAA', name: 'x.png' }), 'x.png (attachment not shown: content sent inline)');
  });

  it('should render a receipt card with items and total', () => {
    const card = CardFactory.receiptCard({ title: 'Receipt', facts: [{ key: 'Order', value: '1' }], items: [{ title: 'Tea', price: '$2' }], total: '$2' } as never);
    assert.equal(plainOf(card), 'Receipt\n\nTea $2\nOrder: 1\n\nTotal: $2');
  });

  it('should render a signin card button as a link', () => {
    assert.equal(plainOf(CardFactory.signinCard('Sign in', 'https://login.test', 'Please sign in')), 'Please sign in\n\nSign in (https://login.test)');
  });
});

describe('actionsToMarkdown / extrasToMarkdown', () => {
  it('should number choices 1. 2. 3. and keep call actions readable', () => {
    const md = actionsToMarkdown([
      { type: 'imBack', title: 'Red', value: 'red' },
      { type: 'postBack', title: 'Green', value: 'green' },
      { type: 'messageBack', title: '', displayText: 'Blue', value: 'b' },
      { type: 'call', title: 'Desk', value: 'tel:+15550100' },
    ]);
    assert.equal(renderMarkdown(md).plain, '1. Red\n2. Green\n3. Blue\nDesk: +15550100');
  });

  it('should number across cards and suggested actions so every number is unique', () => {
    const md = extrasToMarkdown({
      attachments: [CardFactory.heroCard('', [], ['A', 'B'])],
      suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'C', value: 'c' }] },
    });
    assert.equal(renderMarkdown(md).plain, '1. A\n2. B\n\n3. C');
  });

  it('should give an empty string when there is nothing to render', () => assert.equal(extrasToMarkdown({ text: 'x' }), ''));
});
