/**
 * Thrown for a botbuilder operation UCWA instant messaging cannot do. Its `name` is `NotSupported`, so callers
 * can test `error.name === 'NotSupported'` without importing the class.
 *
 * UCWA has no way to edit or retract a sent IM (`message_ref.md` lists no update or delete), so
 * `updateActivity` and `deleteActivity` always throw it.
 */
export class NotSupportedError extends Error {
  override name = 'NotSupported' as const;
}
