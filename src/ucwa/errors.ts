import type { ErrorBody } from './wire-types.js';

/** Where an error came from: a synchronous HTTP answer, the event channel (`reason` block), or no answer at all. */
export type UcwaErrorSource = 'http' | 'event' | 'network' | 'oauth';

export interface UcwaErrorDetails {
  source: UcwaErrorSource;
  /** The UCWA resource the request addressed, by its doc name: `sendMessage`, `events`, `applications`, ... */
  resource?: string;
  /** Method and URL with any token stripped. Never the Authorization header. */
  request?: { method: string; url: string };
  /** Parsed `Retry-After`, in milliseconds. */
  retryAfterMs?: number;
  /** `X-Ms-diagnostics` header, logged, never parsed (PROTOCOL.md §1.2). */
  diagnostics?: string;
  debugInfo?: Record<string, unknown>;
  parameters?: ErrorBody['parameters'];
  /** Filled by the retry layer on the final failure. */
  attempts?: number;
  elapsedMs?: number;
  /** The operationId of the logical operation, when there was one. */
  operationId?: string;
  /** The network error code (`ECONNRESET`, `ECONNREFUSED`, `ETIMEDOUT`, ...) for `source: 'network'`. */
  networkCode?: string;
  /** True when the request was (or may have been) written before the failure: its outcome is uncertain. */
  uncertain?: boolean;
}

/**
 * Everything UCWA (or the road to it) says goes wrong is one class: behaviour lives in tables keyed on
 * `(status, code, subcode)`, not in subclasses, because the docs reserve the right to add subcodes (PROTOCOL.md §10.1).
 *
 * `status` is the HTTP status, or 0 when no response came (network failure, abort, timeout).
 */
export class UcwaError extends Error {
  override name = 'UcwaError' as const;

  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly subcode: string | undefined,
    readonly details: UcwaErrorDetails,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  get resource(): string | undefined {
    return this.details.resource;
  }
  get attempts(): number | undefined {
    return this.details.attempts;
  }
  get elapsedMs(): number | undefined {
    return this.details.elapsedMs;
  }

  /** A JSON view without secrets, for logs. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      code: this.code,
      subcode: this.subcode,
      ...this.details,
    };
  }
}

/**
 * Network codes of a connection that failed after the request was written (a reset, a hang-up): the outcome is
 * uncertain, but nothing is still on its way to the server.
 */
export const CONNECTION_RESET_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);

export function isUcwaError(value: unknown): value is UcwaError {
  return value instanceof UcwaError;
}

/** ErrorCode for an HTTP status when the body is not UCWA's (a proxy's 502, an IIS page) — PROTOCOL.md §10.2. */
export const STATUS_TO_CODE: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  408: 'Timeout',
  409: 'Conflict',
  410: 'Gone',
  412: 'PreconditionFailed',
  413: 'EntityTooLarge',
  415: 'UnsupportedMediaType',
  428: 'PreconditionRequired',
  429: 'TooManyRequests',
  500: 'ServiceFailure',
  502: 'ServiceFailure',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function statusToCode(status: number): string {
  if (status === 0) return 'LocalFailure';
  return STATUS_TO_CODE[status] ?? (status >= 500 ? 'ServiceFailure' : 'BadRequest');
}

/** Standard message shape: method, path, status, code and subcode, so a log line alone says what failed. */
export function describeFailure(method: string, path: string, status: number, code: string, subcode?: string): string {
  const what = subcode ? `${code}/${subcode}` : code;
  return status === 0 ? `${method} ${path} failed: no response (${what})` : `${method} ${path} failed: ${status} ${what}`;
}
