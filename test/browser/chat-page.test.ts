import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../src/server/config.js';
import { createLogger } from '../../src/server/logger.js';
import { startBot, type RunningBot } from '../../src/server/main.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOT = 'test-output/chat-page.png';

/** Runs `run` with a page in a fresh Chromium profile, closing everything afterwards. */
async function withPage<T>(run: (page: Page, problems: string[]) => Promise<T>): Promise<T> {
  // Fails (never skips) without a browser, with the fix in the message: CI's .ci/run installs Debian's chromium.
  assert.ok(existsSync(CHROMIUM), `No Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
  const profile = mkdtempSync(join(tmpdir(), 'chat-page-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, viewport: { width: 1100, height: 700 } });
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      // No exceptions for favicon.ico: the page declares an inline icon, so a 404 there is a regression too.
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    return await run(page, problems);
  } finally {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

describe('chat page (real headless Chromium)', function () {
  this.timeout(60_000);
  let running: RunningBot;

  before(async () => {
    running = await startBot(loadConfig({ PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'silent' }), {
      logger: createLogger({ level: 'silent' }), defaultMetrics: false,
    });
  });
  after(() => running?.stop());

  it('should let Alice send help and show the bot reply, then leave', async () => {
    await withPage(async (page, problems) => {
      await page.goto(String(running.chatUrl));
      assert.equal(await page.title(), 'Chat with Help Bot (UCWA emulator)');
      const users = page.locator('[data-testid=user]');
      await users.first().waitFor();
      assert.deepEqual(await users.evaluateAll((els) => els.map((e) => e.getAttribute('data-uri'))), ['sip:alice@contoso.com', 'sip:bob@contoso.com']);

      await page.click('[data-testid=user][data-uri="sip:alice@contoso.com"]');
      await page.fill('[data-testid=composer-input]', 'help');
      await page.press('[data-testid=composer-input]', 'Enter');

      const reply = page.locator('[data-testid=message][data-direction=received]', { hasText: 'Commands you can run' });
      await reply.waitFor({ timeout: 15_000 });
      assert.match(await reply.innerText(), /status/);
      assert.equal(await page.locator('[data-testid=message][data-direction=sent] .bubble').first().innerText(), 'help');
      await page.locator('[data-testid=conversation-state]', { hasText: 'In a conversation' }).waitFor();
      await page.locator('[data-testid=system-message]', { hasText: 'Help Bot joined the conversation' }).waitFor();

      // status answers in markdown, which the adapter sends as HTML: the page renders it as a list.
      await page.fill('[data-testid=composer-input]', 'status');
      await page.click('[data-testid=send]');
      const status = page.locator('[data-testid=message][data-direction=received]', { hasText: /Uptime: / });
      await status.waitFor({ timeout: 15_000 });
      assert.ok((await status.locator('.bubble li').count()) >= 4, 'status is rendered as an HTML list');
      assert.match(await status.locator('.bubble li', { hasText: 'UCWA connection' }).innerText(), /UCWA connection: ready/);

      // What a person types is text, both ways: HTML-looking input is shown and echoed literally, never run.
      const typed = '<b>hi</b> <img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
      await page.fill('[data-testid=composer-input]', `echo ${typed}`);
      await page.press('[data-testid=composer-input]', 'Enter');
      const echoed = page.locator('[data-testid=message][data-direction=received] .bubble', { hasText: '<b>hi</b>' });
      await echoed.waitFor({ timeout: 15_000 });
      assert.equal(await echoed.innerText(), typed);
      assert.equal(await echoed.locator('b, img, script').count(), 0);
      assert.equal(await page.evaluate('window.pwned'), undefined);

      // The typing indicator: restart sends typing first; a slow sendMessage keeps it on screen until the reply.
      await page.fill('[data-testid=composer-input]', 'restart web');
      await page.press('[data-testid=composer-input]', 'Enter');
      await page.locator('[data-testid=message][data-direction=received]', { hasText: 'Reply yes within 30 s' }).waitFor({ timeout: 15_000 });
      // setIsTyping lands 300 ms after 'yes', once the page's next long poll is parked: the emulator's long poll
      // compares with the typing state at request time, so a change just before a poll would go unseen.
      running.emulator!.faults.inject({ resource: 'setIsTyping', times: 1, latencyMs: 300 });
      running.emulator!.faults.inject({ resource: 'sendMessage', times: 1, latencyMs: 800 });
      await page.fill('[data-testid=composer-input]', 'yes');
      await page.press('[data-testid=composer-input]', 'Enter');
      await page.locator('[data-testid=typing-indicator]', { hasText: 'Help Bot is typing' }).waitFor({ state: 'visible', timeout: 15_000 });
      mkdirSync('test-output', { recursive: true });
      await page.screenshot({ path: 'test-output/chat-page-typing.png' });
      await page.locator('[data-testid=message][data-direction=received]', { hasText: 'Restarted web.' }).waitFor({ timeout: 15_000 });
      await page.locator('[data-testid=typing-indicator]').waitFor({ state: 'hidden' });

      // The replies are rendered, then the conversation is photographed for people to look at.
      mkdirSync('test-output', { recursive: true });
      await page.screenshot({ path: SCREENSHOT });

      await page.click('[data-testid=leave]');
      await page.locator('[data-testid=system-message]', { hasText: 'Conversation ended' }).waitFor();
      const conversation = running.emulator!.user('sip:alice@contoso.com').conversations()[0]!;
      await conversation.waitForState('Disconnected', 10_000);
      assert.deepEqual(problems, []);
    });
  });

  it("should restore a user's open conversation after switching to another user and back", async () => {
    await withPage(async (page, problems) => {
      await page.goto(String(running.chatUrl));
      await page.click('[data-testid=user][data-uri="sip:bob@contoso.com"]');
      await page.fill('[data-testid=composer-input]', 'echo from bob');
      await page.press('[data-testid=composer-input]', 'Enter');
      const echoed = page.locator('[data-testid=message][data-direction=received] .bubble', { hasText: /^from bob$/ });
      await echoed.waitFor({ timeout: 15_000 });

      await page.click('[data-testid=user][data-uri="sip:alice@contoso.com"]');
      await page.locator('[data-testid=signed-in-as]', { hasText: 'Alice' }).waitFor();
      assert.equal(await echoed.count(), 0, "Bob's messages are not shown to Alice");

      await page.click('[data-testid=user][data-uri="sip:bob@contoso.com"]');
      await echoed.waitFor({ timeout: 15_000 });
      assert.equal(await page.locator('[data-testid=conversation-state]').innerText(), 'In a conversation');
      assert.deepEqual(problems, []);
    });
  });

  it('should render bot HTML through the allow-list only', async () => {
    await withPage(async (page) => {
      await page.goto(String(running.chatUrl));
      const hostile =
        '<p onclick="x()">Hi <b>there</b><img src=x onerror="window.pwned=1"><script>window.pwned=2</script>' +
        '<a href="javascript:window.pwned=3">js</a> <a href="https://example.com/a?b=1" style="color:red">ok</a>' +
        '<iframe src="https://example.com"></iframe><span class="x"><em>kept</em></span></p><ul><li><code>c</code></li></ul>';
      // Evaluated in the page (a string, since this project's TypeScript has no DOM types).
      const html = await page.evaluate(`(() => {
        const box = document.createElement('div');
        box.appendChild(window.ucwaChat.renderBotHtml(${JSON.stringify(hostile)}));
        return box.innerHTML;
      })()`);
      assert.equal(html,
        '<p>Hi <b>there</b><span>js</span> <a href="https://example.com/a?b=1" target="_blank" rel="noopener noreferrer nofollow">ok</a>' +
        '<em>kept</em></p><ul><li><code>c</code></li></ul>');
      assert.equal(await page.evaluate('window.pwned'), undefined);
      const deep = await page.evaluate(`(() => {
        const box = document.createElement('div');
        box.appendChild(window.ucwaChat.renderBotHtml('${'<b>'.repeat(40)}deep text${'</b>'.repeat(40)}'));
        return { text: box.textContent, depth: box.querySelectorAll('b').length };
      })()`) as { text: string; depth: number };
      assert.deepEqual(deep, { text: 'deep text', depth: 21 }, 'absurd nesting is flattened to text, not dropped');
    });
  });
});
