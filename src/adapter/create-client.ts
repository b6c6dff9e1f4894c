/**
 * The default client factory, in its own module so the adapter loads the protocol client only when it needs
 * one: adapter code and tests that inject `options.client` never load `src/ucwa/`.
 */
import { UcwaClient } from '../ucwa/ucwa-client.js';
import type { UcwaClientLike, UcwaClientOptions } from '../ucwa/types.js';

/** `new UcwaClient(options)`, typed as the contract the adapter relies on. */
export function createUcwaClient(options: UcwaClientOptions): UcwaClientLike {
  return new UcwaClient(options);
}
