import type { ResolvedAllow } from './permissions.js';
import type { ArgSpec, CommandHandler, RateLimitSpec } from './types.js';

/** A registered command after validation: defaults filled in, `allow` expanded, usage generated. */
export interface ResolvedCommand {
  name: string;
  aliases: readonly string[];
  summary: string;
  /** Usage without the prefix and name: `<service> [--env dev|prod]`. */
  usage: string;
  /** True when the usage line came from the spec rather than being generated. */
  usageGiven: boolean;
  args: readonly ArgSpec[];
  allow: ResolvedAllow | undefined;
  rateLimit: RateLimitSpec | undefined;
  confirm: { prompt: string | undefined; timeoutMs: number } | undefined;
  handler: CommandHandler;
  /** Registered by the middleware itself (help); optional in the manifest. */
  builtin: boolean;
}
