/**
 * botbuilder-adapter-ucwa: Bot Framework v4 adapter for Skype for Business Server (UCWA 2.0).
 *
 * The emulator is a separate entry point (`botbuilder-adapter-ucwa/emulator`) so production code never loads it,
 * and so is the restify host (`botbuilder-adapter-ucwa/host`), so that a library user does not import restify.
 */

// Everyday use
export { UcwaAdapter } from './adapter/ucwa-adapter.js';
export { UcwaError, isUcwaError } from './ucwa/errors.js';
export { CommandMiddleware } from './commands/command-middleware.js';
export { NotSupportedError } from './adapter/not-supported-error.js';

// Advanced: the protocol client, the retry policy, command helpers
export { UcwaClient } from './ucwa/ucwa-client.js';
export { RETRY_RULES, resolveRetryRules } from './retry/rules.js';
export { decide } from './retry/decide.js';
export { withRetry } from './retry/with-retry.js';
export { formatRetryTable } from './retry/format-table.js';
export { validateCommandManifest, CommandManifestError } from './commands/manifest.js';
export { parseCommand } from './commands/parse-command.js';
export { CommandParseError, isCommandParseError } from './commands/command-parse-error.js';
export { activityToMessages } from './adapter/activity-mapper.js';
export { conversationToReference, referenceToKey, UCWA_CHANNEL_ID } from './adapter/conversation-ref.js';
export { backoffDelay, retryAfterMs } from './retry/backoff.js';
export { DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_ELAPSED_MS } from './retry/rules.js';
export { tokenize, tokenizeLeading } from './commands/tokenize.js';
export { parseArgs, tokenizeArgs } from './commands/parse-command.js';
export { pingCommand } from './commands/builtin/ping.js';
export { createHelpCommand } from './commands/builtin/help.js';
export { isCommandHandlerError } from './commands/handler-error.js';
export { htmlToText } from './ucwa/html-to-text.js';
export { splitMessage } from './ucwa/message-splitter.js';
export { decodeDataUri, encodeDataUri } from './ucwa/data-uri.js';

// Types
export type { UcwaAdapterOptions } from './adapter/options.js';
export type { BotLogic } from './adapter/ucwa-adapter.js';
export type { UcwaErrorDetails, UcwaErrorSource } from './ucwa/errors.js';
export type {
  UcwaClientOptions,
  UcwaClientLike,
  UcwaClientHandlers,
  UcwaMetricsSink,
  ClientState,
  ConversationInfo,
  ConversationState,
  IncomingMessage,
  ParticipantInfo,
  SendResult,
  DeliveryFailure,
  Logger,
} from './ucwa/types.js';
export type { RetryAction, RetryRule, RetryOptions, RetryDecision, RetryHooks, ResolvedRetryOptions, WithRetryOptions } from './retry/types.js';
export type { DecideContext } from './retry/decide.js';
export type { CommandHandlerError } from './commands/handler-error.js';
export type { CommandParseErrorReason } from './commands/command-parse-error.js';
export type { ParsedCommand } from './commands/parse-command.js';
export type { Token, TokenizeOptions } from './commands/tokenize.js';
export type {
  ArgSpec,
  ArgType,
  AllowSpec,
  CommandHandler,
  CommandMiddlewareOptions,
  CommandSpec,
  ManifestCommand,
  ParsedArgs,
  RateLimitSpec,
} from './commands/types.js';
export type { ErrorBody, EventsResponse, Link, Links, Resource, SenderBlock, UcwaEvent } from './ucwa/wire-types.js';
