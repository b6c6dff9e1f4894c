/**
 * Failure reasons of `completed` invitation events (PROTOCOL.md §6.5, §8.3, §10.5). The docs list the subcodes but
 * never the accompanying code, so: remote refusals → RemoteFailure, unknown address → NotFound, no answer → Timeout,
 * our own cancel/decline → LocalFailure (inferred).
 */
import type { ErrorBody } from '../ucwa/wire-types.js';

export const REASONS: Record<string, ErrorBody> = {
  Declined: { code: 'RemoteFailure', subcode: 'Declined', message: 'The remote party declined the invitation.' },
  DestinationNotFound: { code: 'NotFound', subcode: 'DestinationNotFound', message: 'The person you are trying to reach does not exist.' },
  TemporarilyUnavailable: { code: 'RemoteFailure', subcode: 'TemporarilyUnavailable', message: 'The person you are trying to reach is not available.' },
  Busy: { code: 'RemoteFailure', subcode: 'Busy', message: 'The person you are trying to reach is busy.' },
  DoNotDisturb: { code: 'RemoteFailure', subcode: 'DoNotDisturb', message: 'The person you are trying to reach does not want to be disturbed.' },
  Timeout: { code: 'Timeout', subcode: 'Timeout', message: 'The invitation was not answered in time.' },
  Missed: { code: 'Timeout', subcode: 'Missed', message: 'The invitation was not answered in time.' },
  Canceled: { code: 'LocalFailure', subcode: 'Canceled', message: 'The invitation was canceled.' },
  LocalDeclined: { code: 'LocalFailure', subcode: 'Declined', message: 'The invitation was declined.' },
  /** A message to a participant who went offline (failedDeliveryParticipant_ref.md; code inferred). */
  Undelivered: { code: 'RemoteFailure', subcode: 'TemporarilyUnavailable', message: 'The message could not be delivered to every participant.' },
};

/** How a simulated user answers an invitation, by availability (issue #2). */
export function answerOf(a: string): 'accept' | 'noAnswer' | string {
  switch (a) {
    case 'online': return 'accept';
    case 'offline': return 'TemporarilyUnavailable';
    case 'busy': return 'Busy';
    case 'doNotDisturb': return 'DoNotDisturb';
    case 'declines': return 'Declined';
    default: return 'noAnswer';
  }
}
