/**
 * Bearer tokens issued by the OAuth token endpoint (AuthenticationInUCWA.md, PROTOCOL.md §3). A token is valid
 * only in the pool whose endpoint issued it, so a home-pool redirect needs a fresh challenge (§2.3, §2.4 (d)).
 */
import { randomBytes } from 'node:crypto';
import type { UserRecord } from './state.js';

interface TokenRecord {
  user: UserRecord;
  pool: 1 | 2;
  expiresAt: number;
}

export class TokenStore {
  private readonly tokens = new Map<string, TokenRecord>();

  constructor(private readonly lifetimeSeconds: number) {}

  issue(user: UserRecord, pool: 1 | 2): { access_token: string; expires_in: number } {
    const now = Date.now();
    for (const [k, t] of this.tokens) if (t.expiresAt <= now) this.tokens.delete(k);
    const token = `cwt=${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, { user, pool, expiresAt: now + this.lifetimeSeconds * 1000 });
    return { access_token: token, expires_in: this.lifetimeSeconds };
  }

  /** The user behind `Authorization: Bearer <token>`, or undefined when missing, unknown, expired or of another pool. */
  check(authorization: string | undefined, pool: 1 | 2): UserRecord | undefined {
    const m = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
    if (!m) return undefined;
    const t = this.tokens.get(m[1]!.trim());
    if (!t || t.pool !== pool) return undefined;
    if (t.expiresAt <= Date.now()) {
      this.tokens.delete(m[1]!.trim());
      return undefined;
    }
    return t.user;
  }

  expireAll(): void {
    this.tokens.clear();
  }
}
