/**
 * Structured JSON logs (pino) for the host. Secrets are always redacted; message bodies are redacted unless
 * `LOG_MESSAGE_BODIES=true` (they are what people wrote to the bot, so they stay out of logs by default).
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from './config.js';

/** Keys whose values are credentials. */
export const SECRET_KEYS = [
  'password', 'token', 'accessToken', 'access_token', 'refreshToken', 'authorization', 'Authorization', 'cookie',
  'set-cookie', 'secret', 'cwt',
] as const;

/** Keys whose values are message content (UCWA plainMessage / htmlMessage, activity text). */
export const BODY_KEYS = ['text', 'html', 'body', 'plainMessage', 'htmlMessage', 'messageBody', 'attachments'] as const;

export const REDACTED = '[REDACTED]';

export interface CreateLoggerOptions {
  /** @default 'info' */
  level?: LogLevel;
  /** @default false */
  logMessageBodies?: boolean;
  /** Where the JSON lines go. @default stdout */
  destination?: DestinationStream;
  /** @default 'ucwa-bot' */
  name?: string;
}

/** The redaction paths: each key at the top level and up to three levels down (`req.headers.authorization`). */
export function redactPaths(logMessageBodies: boolean): string[] {
  const keys: readonly string[] = logMessageBodies ? SECRET_KEYS : [...SECRET_KEYS, ...BODY_KEYS];
  const paths: string[] = [];
  for (const key of keys) {
    const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    const dot = k.startsWith('[') ? '' : '.';
    paths.push(k, `*${dot}${k}`, `*.*${dot}${k}`, `*.*.*${dot}${k}`);
  }
  return paths;
}

/**
 * Creates the host's logger.
 * @example const logger = createLogger({ level: config.logLevel, logMessageBodies: config.logMessageBodies });
 */
export function createLogger(options: CreateLoggerOptions = {}): PinoLogger {
  return pino(
    {
      name: options.name ?? 'ucwa-bot',
      level: options.level ?? 'info',
      redact: { paths: redactPaths(options.logMessageBodies ?? false), censor: REDACTED },
      // Errors keep their UCWA fields (status, code, subcode) through pino's err serializer.
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
