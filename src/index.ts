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
export { validateCommandManifest } from './commands/manifest.js';
export { parseCommand } from './commands/parse-command.js';
export { CommandParseError, isCommandParseError } from './commands/command-parse-error.js';
export { activityToMessages } from './adapter/activity-mapper.js';

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
  Logger,
} from './ucwa/types.js';
export type { RetryAction, RetryRule, RetryOptions, RetryDecision, RetryHooks, ResolvedRetryOptions } from './retry/types.js';
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
