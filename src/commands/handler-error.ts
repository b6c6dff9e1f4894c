import type { TurnContext } from 'botbuilder';
import type { Logger } from '../ucwa/types.js';

/** What an error thrown by a command handler carries when it reaches `adapter.onTurnError`. */
export interface CommandHandlerError extends Error {
  /** Short id also shown to the user ("ref 7f3a9c") and logged with the error. */
  correlationId: string;
  /** True when the user already got the "Sorry, … failed" reply: onTurnError should not reply again. */
  replied: boolean;
  /** The command name. */
  command: string;
}

/** True for an error that went through {@link replyToHandlerError} (it has a correlation id). */
export function isCommandHandlerError(error: unknown): error is CommandHandlerError {
  return error instanceof Error && typeof (error as Partial<CommandHandlerError>).correlationId === 'string';
}

/**
 * Logs a handler failure with a correlation id, tells the user (same id), and returns the error to rethrow,
 * marked with `correlationId`, `command` and `replied`. Non-Error throws are wrapped (original as `cause`).
 * The reply happens before the rethrow so the user hears back even if `onTurnError` only logs.
 */
export async function replyToHandlerError(
  context: TurnContext,
  thrown: unknown,
  details: { command: string; shown: string; user: string; correlationId: string; logger: Logger },
): Promise<CommandHandlerError> {
  const { command, shown, user, correlationId, logger } = details;
  const error = (thrown instanceof Error ? thrown : new Error(`Command ${command} threw ${String(thrown)}`, { cause: thrown })) as CommandHandlerError;
  logger.error({ event: 'command.failed', correlationId, user, command, err: error }, 'command handler failed');
  let replied = false;
  try {
    await context.sendActivity(`Sorry, ${shown} failed (ref ${correlationId}). The team has been told.`);
    replied = true;
  } catch (sendError) {
    logger.error({ event: 'command.reply-failed', correlationId, err: sendError }, 'could not send the failure reply');
  }
  try {
    Object.assign(error, { correlationId, replied, command });
  } catch {
    // A frozen error keeps its shape; the correlation id is still in the log.
  }
  return error;
}
