/**
 * The opt-in operationId de-duplication (`rejectDuplicateOperationIds`, PROTOCOL.md §8.4, §15 item 43): a POST
 * sendMessage / startMessaging that repeats an operationId already accepted is answered 409 Conflict/AlreadyExists
 * instead of creating a second message or conversation.
 *
 * Keyed by (signed-in user, endpointId), not by application or conversation. UCWA documents no de-duplication, so
 * this is our model of a server that does it: such a server would key operationIds by the signed-in endpoint,
 * because MultiTabSupport.md says applications with the same culture, endpointId, type and userAgent are internally
 * ONE application, and a client that loses its application re-creates it with the same endpointId. Keying by
 * application or conversation would forget every operationId exactly when a client most needs the check: when it
 * resends an uncertain send after the application expired (the conversation and its messages die with it).
 *
 * Bounded in size and age so a long emulator run does not grow without limit: an operationId is remembered for
 * `maxAgeMs` (the retry budget of one logical send is far shorter) and at most `maxPerEndpoint` per endpoint,
 * oldest forgotten first. Lives beside the emulator state (a WeakMap on the Env), not inside it, so it survives
 * application re-creation and needs no field in `state.ts`.
 */
import type { Env } from './env.js';
import type { UserRecord } from './state.js';

/** @default 10 min: far longer than any retry budget of one send (the client's maxElapsedMs defaults to 60 s). */
export const OPERATION_ID_MAX_AGE_MS = 10 * 60_000;
/** @default 20,000 operationIds per endpoint. */
export const OPERATION_ID_MAX_PER_ENDPOINT = 20_000;

export interface OperationIdRegistryOptions {
  maxAgeMs?: number;
  maxPerEndpoint?: number;
  now?: () => number;
}

/** operationIds accepted per (user, endpointId); insertion order = age order. */
export class OperationIdRegistry {
  private readonly endpoints = new Map<string, Map<string, number>>();
  private readonly maxAgeMs: number;
  private readonly maxPerEndpoint: number;
  private readonly now: () => number;

  constructor(options: OperationIdRegistryOptions = {}) {
    this.maxAgeMs = options.maxAgeMs ?? OPERATION_ID_MAX_AGE_MS;
    this.maxPerEndpoint = options.maxPerEndpoint ?? OPERATION_ID_MAX_PER_ENDPOINT;
    this.now = options.now ?? Date.now;
  }

  private ids(user: UserRecord, endpointId: string): Map<string, number> {
    const key = `${user.uri.toLowerCase()}|${endpointId}`;
    let ids = this.endpoints.get(key);
    if (!ids) {
      ids = new Map();
      this.endpoints.set(key, ids);
    }
    const oldest = this.now() - this.maxAgeMs;
    for (const [id, at] of ids) {
      if (at > oldest) break;
      ids.delete(id);
    }
    return ids;
  }

  /** True when this endpoint already had an operation with this id (within the bounds). */
  seen(user: UserRecord, endpointId: string, operationId: string): boolean {
    return this.ids(user, endpointId).has(operationId);
  }

  /** Remember an accepted operation. */
  add(user: UserRecord, endpointId: string, operationId: string): void {
    const ids = this.ids(user, endpointId);
    ids.delete(operationId);
    ids.set(operationId, this.now());
    while (ids.size > this.maxPerEndpoint) ids.delete(ids.keys().next().value as string);
  }

  /** operationIds remembered for this endpoint (tests, diagnostics). */
  size(user: UserRecord, endpointId: string): number {
    return this.ids(user, endpointId).size;
  }
}

const registries = new WeakMap<Env, OperationIdRegistry>();

/** The registry of one emulator instance (created on first use). */
export function operationIdsOf(env: Env): OperationIdRegistry {
  let registry = registries.get(env);
  if (!registry) {
    registry = new OperationIdRegistry();
    registries.set(env, registry);
  }
  return registry;
}
