/** Why a command line or one of its arguments was rejected; stable strings for tests and logs. */
export type CommandParseErrorReason =
  | 'empty'
  | 'too-long'
  | 'too-many-args'
  | 'control-character'
  | 'unclosed-quote'
  | 'unknown-option'
  | 'duplicate-option'
  | 'missing-value'
  | 'missing-argument'
  | 'invalid-value';

/**
 * The only error the command parser throws for bad user input. The message is written for the chat user
 * ("Argument count: expected a number, got 'ten'") and names the argument and/or position (1-based column).
 *
 * @example
 * ```ts
 * try { parseArgs(tokenize(text), spec.args); }
 * catch (error) { if (isCommandParseError(error)) await ctx.sendActivity(`${error.message}\nUsage: ${usage}`); }
 * ```
 */
export class CommandParseError extends Error {
  override name = 'CommandParseError' as const;
  constructor(
    message: string,
    readonly reason: CommandParseErrorReason,
    /** 0-based index into the NFC-normalised text, when the problem has a position. */
    readonly position?: number,
    /** The argument spec name (or `--option` as typed) the problem concerns. */
    readonly argument?: string,
  ) {
    super(message);
  }
}

/** True for a {@link CommandParseError} (also across module copies, by name). */
export function isCommandParseError(error: unknown): error is CommandParseError {
  return error instanceof CommandParseError || (error instanceof Error && error.name === 'CommandParseError');
}
