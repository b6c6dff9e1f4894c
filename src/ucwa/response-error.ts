/**
 * Turning an HTTP answer into a `UcwaError` (PROTOCOL.md §10.1, STYLE.md §4): the body is read only when its
 * Content-Type is UCWA's (JSON or XML); a proxy's HTML 502 gets its code from the status and no subcode.
 */
import type { Response } from 'node-fetch';
import { UcwaError, describeFailure, statusToCode } from './errors.js';
import type { UcwaErrorDetails } from './errors.js';
import { redactUrl, safePath } from './http.js';
import type { ErrorBody } from './wire-types.js';

/** Parse `Retry-After` (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** True for `application/json`, `application/vnd.microsoft.com.ucwa+json`, `…+xml`, `application/xml`. */
export function isUcwaContentType(contentType: string | null): boolean {
  const ct = (contentType ?? '').toLowerCase();
  return /^application\/([\w.+-]*\+)?(json|xml)\b/.test(ct) || ct.startsWith('text/xml');
}

function parseXmlError(text: string): Partial<ErrorBody> {
  const pick = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`, 'i').exec(text)?.[1]?.trim();
  return { code: pick('code'), subcode: pick('subcode'), message: pick('message') } as Partial<ErrorBody>;
}

/** Build the UcwaError for a non-2xx response. Reads (and consumes) the body only when it is UCWA's. */
export async function toUcwaError(response: Response, request: { method: string; url: string }, resource: string, extra: Partial<UcwaErrorDetails> = {}): Promise<UcwaError> {
  const status = response.status;
  let body: Partial<ErrorBody> = {};
  const contentType = response.headers.get('content-type');
  if (isUcwaContentType(contentType)) {
    try {
      const text = await response.text();
      if (/json/i.test(contentType ?? '')) {
        const parsed: unknown = text ? JSON.parse(text) : {};
        if (parsed && typeof parsed === 'object') body = parsed as Partial<ErrorBody>;
      } else body = parseXmlError(text);
    } catch {
      body = {};
    }
  } else {
    // Not UCWA's (a proxy or IIS page): drain and ignore.
    await response.arrayBuffer().catch(() => undefined);
  }
  const code = typeof body.code === 'string' && body.code ? body.code : statusToCode(status);
  const subcode = typeof body.subcode === 'string' && body.subcode ? body.subcode : undefined;
  const details: UcwaErrorDetails = {
    source: 'http',
    resource,
    request: { method: request.method, url: redactUrl(request.url) },
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    diagnostics: response.headers.get('x-ms-diagnostics') ?? undefined,
    debugInfo: body.debugInfo,
    parameters: body.parameters,
    ...extra,
  };
  return new UcwaError(describeFailure(request.method, safePath(request.url), status, code, subcode), status, code, subcode, details);
}
