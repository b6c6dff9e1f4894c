/**
 * UCWA error responses (PROTOCOL.md §10.1): `{code, subcode?, message}`; `subcode` is omitted when there is
 * none and only a 400 carries `parameters`.
 */
import type { ErrorBody } from '../ucwa/wire-types.js';

/** Thrown by route handlers; the dispatcher turns it into a UCWA error response. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly subcode: string | undefined,
    message: string,
    readonly parameters?: Record<string, unknown>,
    readonly headers?: Record<string, string | string[]>,
  ) {
    super(message);
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code };
    if (this.subcode) body.subcode = this.subcode;
    body.message = this.message;
    if (this.status === 400 && this.parameters) body.parameters = this.parameters;
    return body;
  }
}

/** 400 BadRequest/ParameterValidationFailure naming the offending inputs (PayloadFormat.md). */
export function parameterError(parameters: Record<string, string>): HttpError {
  const names = Object.keys(parameters).join(', ');
  return new HttpError(400, 'BadRequest', 'ParameterValidationFailure', `Invalid or missing parameter(s): ${names}.`, parameters);
}

export const applicationNotFound = (): HttpError =>
  new HttpError(404, 'NotFound', 'ApplicationNotFound', 'An error occurred. Please retry. If the problem persists, contact your support team.');

export const inactiveApplicationExpired = (): HttpError =>
  new HttpError(410, 'Gone', 'InactiveApplicationExpired', 'The application expired because it was inactive for too long.');

/** The generic "ResourceNotFound" (GenericSynchronousErrors.md): 404 NotFound without a subcode. */
export const resourceNotFound = (what = 'The requested resource'): HttpError =>
  new HttpError(404, 'NotFound', undefined, `${what} does not exist.`);

export const conflict = (subcode: string | undefined, message: string): HttpError => new HttpError(409, 'Conflict', subcode, message);
