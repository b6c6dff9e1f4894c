import type { Context } from '../context.js';
import type { Env } from '../env.js';
import type { AppRecord, UserRecord } from '../state.js';

/** What a UCWA route handler gets: the authenticated user and, below `applications/<id>`, the live application. */
export interface RouteArgs {
  env: Env;
  ctx: Context;
  pool: 1 | 2;
  user: UserRecord;
  app: AppRecord;
  params: Record<string, string>;
}

export type Handler = (args: RouteArgs) => void;

export interface MethodRoute {
  /** Resource name as in the docs; also the name faults and the request log use. */
  resource: string;
  handler: Handler;
}

/** Case-insensitive lookup in a parsed JSON body whose names were lower-cased. */
export function str(input: Map<string, unknown>, name: string): string | undefined {
  const v = input.get(name.toLowerCase());
  return typeof v === 'string' ? v : undefined;
}
