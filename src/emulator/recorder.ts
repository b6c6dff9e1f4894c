/**
 * The request log (issue #2): method, path, query, headers (authorization masked), body (passwords masked),
 * routed resource and status, in arrival order. Bounded so long runs do not grow without limit.
 */
import type { IncomingMessage } from 'node:http';
import type { RecordedRequest } from './types.js';

const MAX_BODY = 4096;

export class Recorder {
  private log: RecordedRequest[] = [];
  private seq = 0;

  constructor(private readonly limit: number) {}

  start(req: IncomingMessage, url: URL): RecordedRequest | undefined {
    if (this.limit <= 0) return undefined;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      headers[k] = k === 'authorization' ? maskAuthorization(String(v)) : Array.isArray(v) ? v.join(', ') : v;
    }
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const rec: RecordedRequest = { seq: ++this.seq, at: new Date(), method: req.method ?? 'GET', path: url.pathname, query, headers, body: '' };
    this.log.push(rec);
    if (this.log.length > this.limit) this.log.splice(0, this.log.length - this.limit);
    return rec;
  }

  setBody(rec: RecordedRequest | undefined, body: Buffer, contentType: string): void {
    if (!rec || body.length === 0) return;
    let text = body.subarray(0, MAX_BODY).toString('utf8');
    // Secrets never in logs: the password grant carries one in its form body.
    if (contentType.includes('x-www-form-urlencoded')) text = text.replace(/(^|&)(password|ms_rtc_renew)=[^&]*/gi, '$1$2=***');
    rec.body = text;
  }

  all(): RecordedRequest[] {
    return this.log.slice();
  }

  clear(): void {
    this.log = [];
  }
}

function maskAuthorization(v: string): string {
  const scheme = v.trim().split(/\s+/)[0] ?? '';
  return `${scheme} ***`;
}
