/**
 * The default client factory: the one place the adapter names the concrete `UcwaClient`; everything else in
 * `src/adapter/` speaks `UcwaClientLike`, and tests inject `options.client`. The client is constructed lazily,
 * in `start()`. (A static import on purpose: a dynamic `import()` here gave tsx-run tests a second copy of
 * `src/ucwa/errors.ts`, so `error instanceof UcwaError` failed for errors the client threw.)
 */
import { UcwaClient } from '../ucwa/ucwa-client.js';
import type { UcwaClientLike, UcwaClientOptions } from '../ucwa/types.js';

/** `new UcwaClient(options)`, typed as the contract the adapter relies on. */
export function createUcwaClient(options: UcwaClientOptions): UcwaClientLike {
  return new UcwaClient(options);
}
