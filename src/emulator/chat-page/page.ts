/**
 * The browser chat page served by the emulator at `/_emulator/chat` (issue #6).
 * Owned by the host work; the emulator only serves what this returns.
 */
export interface ChatPageOptions {
  botUri: string;
  botName: string;
  users: { uri: string; name: string }[];
}

export function renderChatPage(options: ChatPageOptions): string {
  const data = JSON.stringify(options).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>UCWA emulator chat</title></head>
<body><h1>Chat with ${escapeHtml(options.botName)}</h1><script>window.CHAT = ${data};</script></body></html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
