/**
 * One HTTP exchange. Every answer goes through `reply()`, so a fault can add headers, or swallow the answer
 * and destroy the socket after the request took effect (`reset: 'after'`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordedRequest } from './types.js';
import { HttpError } from './http-error.js';

export interface ServerInfo {
  fqdn: string;
}

export class Context {
  /** Query parameters with lower-cased names (input names are case-insensitive, PROTOCOL.md §1.4). */
  readonly query: Map<string, string>;
  resource: string | undefined;
  resetAfter = false;
  /** Answer a 201 only after queued events went out on the parked P-GET (OperationResource.md: events may come first). */
  createdAfterEvents = false;
  replied = false;
  private closeHandlers: (() => void)[] | undefined;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly url: URL,
    readonly body: Buffer,
    readonly info: ServerInfo,
    readonly record: RecordedRequest | undefined,
  ) {
    this.query = new Map();
    for (const [k, v] of url.searchParams) this.query.set(k.toLowerCase(), v);
    res.once('close', () => {
      if (!this.replied) {
        this.replied = true;
        for (const h of this.closeHandlers ?? []) h();
      }
    });
  }

  /** Called if the client goes away before an answer was sent (a parked P-GET whose socket closed). */
  onAbort(handler: () => void): void {
    (this.closeHandlers ??= []).push(handler);
  }

  get contentType(): string {
    return (this.req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  }

  reply(status: number, headers: Record<string, string | string[] | number>, body?: string | Buffer): void {
    if (this.replied) return;
    if (this.createdAfterEvents && status === 201) {
      // The event channel flushes in a microtask; a macrotask later the 201 follows (PROTOCOL.md §0.1 rule 5, §14.6).
      this.createdAfterEvents = false;
      setImmediate(() => this.reply(status, headers, body));
      return;
    }
    this.replied = true;
    if (this.record) this.record.status = status;
    if (this.resetAfter) {
      // The request took effect; the client never learns the outcome (issue #2 "uncertain outcome").
      this.req.socket.destroy();
      return;
    }
    const res = this.res;
    if (res.headersSent || res.destroyed) return;
    res.statusCode = status;
    res.setHeader('X-MS-Server-Fqdn', this.info.fqdn);
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Pragma', 'no-cache');
    res.setHeader('Expires', '-1');
    try {
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    } catch {
      // A header value that Node refuses (control characters) must not leave the request unanswered.
      for (const k of Object.keys(headers)) res.removeHeader(k);
      res.statusCode = 500;
      body = JSON.stringify({ code: 'ServiceFailure', message: 'The emulator could not encode a response header.' });
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
    }
    if (body === undefined || body.length === 0) {
      res.setHeader('Content-Length', '0');
      res.end();
    } else {
      res.setHeader('Content-Length', Buffer.byteLength(body));
      res.end(body);
    }
  }

  json(status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
    this.reply(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }, JSON.stringify(body));
  }

  empty(status: number, headers: Record<string, string | string[]> = {}): void {
    this.reply(status, headers);
  }

  error(err: HttpError): void {
    // Header values must be visible ASCII: the message may quote hostile input (a decoded path segment).
    const reason = err.message.replace(/"/g, "'").replace(/[^\x20-\x7e]/g, '?');
    this.json(err.status, err.toBody(), {
      'X-Ms-diagnostics': `${diagnosticNumber(err.status)};source="${this.info.fqdn}";reason="${reason}"`,
      ...(err.headers ?? {}),
    });
  }

  /** The raw body as UTF-8 text. */
  text(): string {
    return this.body.toString('utf8');
  }

  /** Parses a JSON input body (empty → `{}`); lower-cases top-level names (PROTOCOL.md §1.4). */
  jsonInput(): Map<string, unknown> {
    const out = new Map<string, unknown>();
    if (this.body.length === 0) return out;
    const ct = this.contentType;
    if (ct !== 'application/json' && ct !== 'application/vnd.microsoft.com.ucwa+json') {
      throw new HttpError(415, 'UnsupportedMediaType', undefined, `Content-Type "${ct || '(none)'}" is not supported here; send application/json.`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.text());
    } catch {
      throw new HttpError(400, 'BadRequest', 'DeserializationFailure', 'The request body is not valid JSON.');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new HttpError(400, 'BadRequest', 'DeserializationFailure', 'The request body must be a JSON object.');
    }
    for (const [k, v] of Object.entries(parsed)) out.set(k.toLowerCase(), v);
    return out;
  }
}

function diagnosticNumber(status: number): number {
  return status === 401 ? 28020 : status >= 500 ? 1003 : 1000;
}
