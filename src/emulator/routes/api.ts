/**
 * The private HTTP API under `/_emulator/` (issue #2): the browser chat page and out-of-process tests drive
 * simulated users and faults with it. JSON in and out; errors are `{ "error": "<what to fix>" }`.
 * Passwords are never returned.
 */
import type { Context } from '../context.js';
import type { UcwaEmulator } from '../emulator.js';
import type { Conversation } from '../state.js';
import { SimConversationHandle, assertAckDelay, assertAvailability, toSimulatedMessage } from '../simulated-users.js';
import { validateFaultSpec } from '../faults.js';
import { renderChatPage } from '../chat-page/page.js';

class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const MAX_WAIT_SECONDS = 30;
/** `sip:alice@contoso.com` (the `sip:` prefix may be left out in API paths). */
const SIP_URI = /^(sip:)?[^@\s:/]+@[^@\s/]+$/i;

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError(400, `Bad percent-encoding in path segment "${segment}"`);
  }
}

function send(ctx: Context, status: number, body: unknown): void {
  ctx.reply(status, { 'Content-Type': 'application/json; charset=utf-8' }, JSON.stringify(body));
}

function input(ctx: Context): Record<string, unknown> {
  if (ctx.body.length === 0) return {};
  try {
    const v: unknown = JSON.parse(ctx.text());
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* falls through */
  }
  throw new ApiError(400, 'The body must be a JSON object');
}

function textInput(ctx: Context): { text: string; format: 'plain' | 'html' } {
  const body = input(ctx);
  if (typeof body.text !== 'string' || body.text.length === 0) throw new ApiError(400, 'text must be a non-empty string');
  const format = body.format ?? 'plain';
  if (format !== 'plain' && format !== 'html') throw new ApiError(400, 'format must be "plain" or "html"');
  return { text: body.text, format };
}

function view(conv: Conversation): object {
  const h = new SimConversationHandle(undefined as never, conv);
  return {
    id: conv.id,
    state: h.state,
    botTyping: h.botTyping,
    ...(conv.failure ? { failure: conv.failure } : {}),
    messages: conv.messages.map((m) => ({ ...toSimulatedMessage(m), timestamp: new Date(m.at).toISOString() })),
  };
}

export function createApiHandler(emu: UcwaEmulator): (ctx: Context) => Promise<void> {
  const env = emu.env;
  const findConv = (id: string): Conversation => {
    for (const u of env.users.values()) for (const c of u.convs) if (c.id === id) return c;
    throw new ApiError(404, `No conversation ${id}`);
  };
  const userOf = (raw: string) => {
    if (!SIP_URI.test(raw)) throw new ApiError(400, `"${raw}" is not a SIP URI such as sip:alice@contoso.com`);
    const rec = env.findUser(raw);
    if (!rec) throw new ApiError(404, `No user ${raw}`);
    return rec;
  };

  async function route(ctx: Context): Promise<void> {
    const method = ctx.req.method ?? 'GET';
    const parts = ctx.url.pathname.split('/').filter(Boolean).map(decodeSegment);
    const [, area, a, b, c] = parts; // ['_emulator', area, ...]
    const is = (m: string, n: number): boolean => method === m && parts.length === n;

    if (area === 'chat' && parts.length === 2) {
      if (method !== 'GET') throw new ApiError(405, 'Use GET');
      const bot = emu.botUri ? env.findUser(emu.botUri) : undefined;
      const users = [...env.users.values()].filter((u) => u !== bot).map((u) => ({ uri: u.uri, name: u.name }));
      const html = renderChatPage({ botUri: bot?.uri ?? '', botName: bot?.name ?? '', users });
      ctx.reply(200, { 'Content-Type': 'text/html; charset=utf-8' }, html);
      return;
    }
    if (area !== 'api') throw new ApiError(404, `Unknown emulator path ${ctx.url.pathname}`);

    if (a === 'users' && is('GET', 3)) {
      send(ctx, 200, [...env.users.values()].map((u) => ({ uri: u.uri, name: u.name, availability: u.availability, ackDelayMs: u.ackDelayMs })));
      return;
    }
    if (a === 'users' && b && c === 'availability' && is('POST', 5)) {
      const rec = userOf(b);
      try {
        rec.availability = assertAvailability(input(ctx).availability);
      } catch (e) {
        throw new ApiError(400, (e as Error).message);
      }
      send(ctx, 200, { uri: rec.uri, availability: rec.availability });
      return;
    }
    if (a === 'users' && b && c === 'ackDelayMs' && is('POST', 5)) {
      const rec = userOf(b);
      try {
        rec.ackDelayMs = assertAckDelay(input(ctx).ackDelayMs, 'ackDelayMs');
      } catch (e) {
        throw new ApiError(400, (e as Error).message);
      }
      send(ctx, 200, { uri: rec.uri, ackDelayMs: rec.ackDelayMs });
      return;
    }
    if (a === 'users' && b && c === 'conversations' && is('POST', 5)) {
      const { text, format } = textInput(ctx);
      const rec = userOf(b);
      const conv = await emu.user(rec.uri).startConversation(text, { format }).catch((e: Error) => {
        throw new ApiError(400, e.message);
      });
      send(ctx, 201, { id: conv.id, state: conv.state });
      return;
    }
    if (a === 'users' && b && c === 'conversations' && is('GET', 5)) {
      send(ctx, 200, userOf(b).convs.map(view));
      return;
    }
    if (a === 'conversations' && b && is('GET', 4)) {
      await longPoll(ctx, findConv(b));
      return;
    }
    if (a === 'conversations' && b && c && is('POST', 5)) {
      const conv = findConv(b);
      const h = new SimConversationHandle(env, conv);
      if (c === 'messages') {
        const { text, format } = textInput(ctx);
        if (conv.state === 'Disconnected') throw new ApiError(409, 'The conversation is Disconnected; start a new one');
        await h.send(text, { format });
      } else if (c === 'typing') {
        const typing = input(ctx).typing;
        if (typeof typing !== 'boolean') throw new ApiError(400, 'typing must be a boolean');
        await h.typing(typing);
      } else if (c === 'leave') await h.leave();
      else throw new ApiError(404, `Unknown conversation action ${c}`);
      send(ctx, 200, view(conv));
      return;
    }
    if (a === 'faults' && parts.length === 3) {
      if (method === 'POST') {
        let spec;
        try {
          spec = validateFaultSpec(input(ctx));
        } catch (e) {
          throw new ApiError(400, (e as Error).message);
        }
        send(ctx, 201, { id: emu.faults.inject(spec).id });
      } else if (method === 'DELETE') {
        emu.faults.clear();
        send(ctx, 200, { cleared: true });
      } else throw new ApiError(405, 'Use POST or DELETE');
      return;
    }
    if (a === 'requests' && is('GET', 3)) {
      send(ctx, 200, emu.requests());
      return;
    }
    throw new ApiError(404, `Unknown emulator API route ${method} ${ctx.url.pathname}`);
  }

  /** Long poll: answers when a newer message, a state change or a botTyping change happens, else after `wait` s. */
  function longPoll(ctx: Context, conv: Conversation): Promise<void> {
    const since = Number(ctx.query.get('since') ?? 0) || 0;
    const wait = Math.min(MAX_WAIT_SECONDS, Math.max(0, Number(ctx.query.get('wait') ?? 0) || 0));
    const h = new SimConversationHandle(env, conv);
    // The caller may say what it already shows (`state`, `typing=0|1`): a change since its last answer, e.g. the bot's
    // typing indicator switching on between two polls, is then reported at once instead of at the next message.
    const knownState = ctx.query.get('state');
    const knownTyping = ctx.query.get('typing');
    const state0 = knownState ? knownState : h.state;
    const typing0 = knownTyping === '1' || knownTyping === 'true' ? true : knownTyping === '0' || knownTyping === 'false' ? false : h.botTyping;
    const failed = (): number => conv.messages.reduce((n, m) => n + (m.failure === undefined ? 0 : 1), 0);
    const failed0 = failed();
    // A delivery failure (an expired incoming message, a bot message to an offline user) also answers the poll.
    const ready = (): boolean => conv.messages.some((m) => m.seq > since) || h.state !== state0 || h.botTyping !== typing0 || failed() !== failed0;
    if (wait === 0 || ready()) {
      send(ctx, 200, view(conv));
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        stop();
        emu.apiClosers.delete(finish);
        send(ctx, 200, view(conv));
        resolve();
      };
      const timer = setTimeout(finish, wait * 1000);
      const stop = env.hub.watch(conv, () => {
        if (ready()) finish();
      });
      emu.apiClosers.add(finish);
      ctx.onAbort(() => {
        clearTimeout(timer);
        stop();
        emu.apiClosers.delete(finish);
        resolve();
      });
    });
  }

  return async (ctx) => {
    try {
      await route(ctx);
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 500;
      send(ctx, status, { error: (e as Error).message });
    }
  };
}
