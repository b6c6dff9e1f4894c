/**
 * The browser chat page served by the emulator at `/_emulator/chat` (issue #6).
 * Owned by the host work; the emulator only serves what this returns.
 *
 * One self-contained HTML document: inline CSS and script, no external resources. A Content-Security-Policy
 * allows exactly that inline script (by hash), same-origin fetches and nothing else, as a second line of defence
 * behind the page's own sanitising of bot HTML (page-script.ts).
 */
import { createHash } from 'node:crypto';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';

export interface ChatPageOptions {
  botUri: string;
  botName: string;
  users: { uri: string; name: string }[];
}

const SCRIPT_HASH = createHash('sha256').update(PAGE_SCRIPT).digest('base64');
const STYLE_HASH = createHash('sha256').update(PAGE_STYLE).digest('base64');

/** The Content-Security-Policy the page declares (also usable as a response header). */
export const CHAT_PAGE_CSP = [
  "default-src 'none'",
  `script-src 'sha256-${SCRIPT_HASH}'`,
  `style-src 'sha256-${STYLE_HASH}'`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Renders the chat page.
 * @example res.end(renderChatPage({ botUri: 'sip:bot@contoso.com', botName: 'Help Bot', users }))
 */
export function renderChatPage(options: ChatPageOptions): string {
  // JSON in a non-executed script element; `<` escaped so no value can close the element.
  const data = JSON.stringify({ botUri: options.botUri, botName: options.botName, users: options.users }).replace(/</g, '\\u003c');
  const bot = escapeHtml(options.botName);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CHAT_PAGE_CSP)}">
<title>Chat with ${bot} (UCWA emulator)</title>
<link rel="icon" href="data:,">
<style>${PAGE_STYLE}</style>
</head>
<body>
<aside class="sidebar">
  <div class="brand"><h1>UCWA emulator</h1><p>Simulated Skype for Business client</p></div>
  <div class="section-title">Chat as</div>
  <ul class="users" id="users" data-testid="user-list" aria-label="Demo users"></ul>
  <p class="hint">Pick a demo user, then send a message: it reaches the bot through the emulator's event channel, as a real Skype for Business client's would. Try <code>help</code>.</p>
</aside>
<main>
  <header class="conv">
    <span class="avatar bot" aria-hidden="true">${escapeHtml(initialsOf(options.botName))}<span class="presence online"></span></span>
    <div class="who">
      <div class="title" data-testid="bot-name">${bot}</div>
      <div class="state" id="conversation-state" data-testid="conversation-state"></div>
    </div>
    <span class="state" id="me" data-testid="signed-in-as">Pick a user to start</span>
    <button type="button" class="leave" id="leave" data-testid="leave" disabled>Leave</button>
  </header>
  <p class="error" id="error" data-testid="error-banner" role="alert" hidden></p>
  <div class="messages" id="messages" data-testid="messages" aria-live="polite">
    <div class="empty" id="empty">No messages yet. Pick a user on the left and say hello to ${bot}.</div>
  </div>
  <div class="typing" id="typing" data-testid="typing-indicator" hidden>${bot} is typing...</div>
  <div class="composer">
    <textarea id="input" data-testid="composer-input" placeholder="Type a message (Enter to send)" aria-label="Message" disabled></textarea>
    <button type="button" class="send" id="send" data-testid="send" disabled>Send</button>
  </div>
</main>
<script type="application/json" id="chat-config">${data}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>`;
}

function initialsOf(name: string): string {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]!.toUpperCase()).join('') || '?';
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
