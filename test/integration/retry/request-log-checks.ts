/**
 * Checks on the emulator's request log for the soak test: the log is the independent witness of what the client
 * actually sent, so "no permanent error was retried" is proven there, not by counting calls inside the client.
 */
import type { RecordedRequest } from '../../../src/emulator/types.js';

/**
 * Statuses whose every documented row is 'fail'. 409 is left out: the log has no subcode, and 409 without one
 * (messaging not connected yet) is retried by design.
 */
export const PERMANENT_STATUSES = new Set([400, 403, 405, 406, 413, 415]);

/** Checks the emulator's request log: a permanent answer is never followed by the same operationId. */
export function findPermanentRetries(log: readonly RecordedRequest[]): string[] {
  const violations: string[] = [];
  const byOp = new Map<string, RecordedRequest[]>();
  for (const r of log) {
    if (r.resource !== 'sendMessage') continue;
    const op = r.query.operationId ?? r.query.OperationContext ?? r.query.operationContext;
    if (!op) continue;
    byOp.set(op, [...(byOp.get(op) ?? []), r]);
  }
  // A resend after 401 / application loss is legitimate once the client recovered: a token request (an
  // application POST) after the first such answer in the log and before the resend. Another conversation may have
  // triggered the recovery, and a request already in flight with the old token also gets a 401 afterwards.
  const first = (statuses: number[]): number => log.find((r) => r.status !== undefined && statuses.includes(r.status) && r.resource !== 'token')?.seq ?? Infinity;
  const firstUnauthorized = first([401]);
  const firstGone = first([404, 410]);
  const recovered = (since: number, to: number, resource: string): boolean => log.some((r) => r.seq > since && r.seq < to && r.resource === resource);
  for (const [op, requests] of byOp) {
    requests.forEach((r, i) => {
      const next = requests[i + 1];
      if (!next || r.status === undefined) return;
      if (PERMANENT_STATUSES.has(r.status)) violations.push(`operationId ${op}: resent after a permanent ${r.status} (request #${r.seq})`);
      if (r.status === 401 && !recovered(firstUnauthorized, next.seq, 'token')) violations.push(`operationId ${op}: resent after 401 without a new token`);
      if ((r.status === 404 || r.status === 410) && !recovered(firstGone, next.seq, 'applications')) {
        violations.push(`operationId ${op}: resent after ${r.status} without re-creating the application`);
      }
    });
  }
  return violations;
}

const applicationOf = (path: string): string | undefined => /\/applications\/([^/]+)\//.exec(path)?.[1];

/**
 * True when every delivery of `body` carried one operationId and each landed in a different application: the
 * retry layer reused the operationId as it must, and only an application loss separated the copies. Within one
 * application the event proof and the 409 AlreadyExists backstop make a second copy impossible.
 */
export function isDuplicateAcrossApplicationLoss(log: readonly RecordedRequest[], body: string): boolean {
  const deliveries = log.filter((r) => r.resource === 'sendMessage' && r.body === body && r.status !== undefined && r.status >= 200 && r.status < 300);
  const operationIds = new Set(deliveries.map((r) => r.query.operationId));
  const applications = deliveries.map((r) => applicationOf(r.path));
  return deliveries.length > 1 && operationIds.size === 1 && new Set(applications).size === applications.length;
}

