import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { CHAT_PAGE_CSP, renderChatPage } from '../../../src/emulator/chat-page/page.js';
import { PAGE_SCRIPT } from '../../../src/emulator/chat-page/page-script.js';

const options = {
  botUri: 'sip:bot@contoso.com',
  botName: 'Help <Bot>',
  users: [{ uri: 'sip:alice@contoso.com', name: 'Alice</script><script>alert(1)</script>' }],
};

describe('renderChatPage', () => {
  const html = renderChatPage(options);

  it('should be one self-contained document with no external resources', () => {
    assert.match(html, /^<!doctype html>/);
    assert.doesNotMatch(html, /\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    // The only link is an empty inline icon: without it the browser asks for /favicon.ico and logs a 404.
    assert.deepEqual(html.match(/<link\b[^>]*>/gi), ['<link rel="icon" href="data:,">']);
  });

  it('should allow exactly its inline script by hash in the Content-Security-Policy', () => {
    const hash = createHash('sha256').update(PAGE_SCRIPT).digest('base64');
    assert.ok(CHAT_PAGE_CSP.includes(`'sha256-${hash}'`));
    assert.ok(html.includes(`<script>${PAGE_SCRIPT}</script>`));
    assert.doesNotMatch(CHAT_PAGE_CSP, /unsafe-inline|unsafe-eval/);
  });

  it('should escape names in markup and in the embedded JSON', () => {
    assert.ok(html.includes('Help &#60;Bot&#62;'));
    assert.ok(!html.includes('Alice</script>'));
    const json = /<script type="application\/json" id="chat-config">([^<]*)<\/script>/.exec(html)?.[1];
    assert.ok(json);
    assert.deepEqual(JSON.parse(json), options);
  });

  it('should carry the test ids the browser test relies on', () => {
    for (const id of ['user-list', 'composer-input', 'send', 'leave', 'messages', 'typing-indicator', 'conversation-state', 'error-banner']) {
      assert.ok(html.includes(`data-testid="${id}"`), id);
    }
  });

  it('should never assign bot HTML through innerHTML', () => {
    assert.doesNotMatch(PAGE_SCRIPT, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
