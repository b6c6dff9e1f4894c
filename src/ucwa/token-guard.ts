/**
 * Decides where the bearer token (and the password grant) may go. PROTOCOL.md §2.4: the detailed security check
 * is only an image in the docs (§15 item 21), so the policy is the conservative one recommended there:
 * HTTPS only, and only to hosts inside `allowedDomains` (default: the discovery host's registrable domain).
 * Plain http:// is accepted for loopback hosts only, and only with `allowInsecureLoopback`.
 * TLS verification is always on: there is deliberately no option to turn it off (`ca` covers internal PKIs).
 */

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Second-level labels under a two-letter country TLD that behave like public suffixes (`co.uk`, `com.au`). */
const COUNTRY_SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'gov', 'ac', 'edu', 'ne', 'or', 'go', 'gv', 'ltd', 'plc']);

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return LOOPBACK.has(h) || /^127\.\d+\.\d+\.\d+$/.test(h) || h.endsWith('.localhost');
}

function isIpAddress(hostname: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(hostname) || hostname.includes(':') || hostname.startsWith('[');
}

/**
 * The registrable domain of a host without a public-suffix list: the last two labels, or three under a
 * two-letter country TLD with a generic second level (`contoso.co.uk`). IP addresses and single-label hosts
 * are returned unchanged (they allow only themselves). Deployments with other multi-part suffixes set
 * `allowedDomains` explicitly.
 */
export function registrableDomain(hostname: string): string {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  if (isIpAddress(h)) return h;
  const labels = h.split('.');
  if (labels.length <= 2) return h;
  const tld = labels[labels.length - 1]!;
  const second = labels[labels.length - 2]!;
  const take = tld.length === 2 && COUNTRY_SECOND_LEVEL.has(second) ? 3 : 2;
  return labels.slice(-take).join('.');
}

export interface TokenGuardOptions {
  /** Hosts or parent domains that may receive the token; matched exactly or as a parent domain. */
  allowedDomains: readonly string[];
  allowInsecureLoopback: boolean;
}

/** Why a URL was refused, as an Error with a fix-it message; name `TokenGuardError`. */
export class TokenGuardError extends Error {
  override name = 'TokenGuardError' as const;
}

export class TokenGuard {
  readonly allowedDomains: readonly string[];
  private readonly allowInsecureLoopback: boolean;

  constructor(options: TokenGuardOptions) {
    this.allowedDomains = options.allowedDomains.map((d) => d.toLowerCase().replace(/^\*?\./, '').replace(/\.$/, ''));
    this.allowInsecureLoopback = options.allowInsecureLoopback;
  }

  /** Default guard for a discovery URL: its registrable domain. */
  static forDiscovery(discoveryUrl: string, options: { allowedDomains?: readonly string[]; allowInsecureLoopback?: boolean }): TokenGuard {
    const host = new URL(discoveryUrl).hostname;
    return new TokenGuard({
      allowedDomains: options.allowedDomains ?? [registrableDomain(host)],
      allowInsecureLoopback: options.allowInsecureLoopback ?? false,
    });
  }

  /** True when the host is one of the allowed domains or a subdomain of one. */
  isAllowedHost(hostname: string): boolean {
    const h = hostname.toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');
    return this.allowedDomains.some((d) => {
      const domain = d.replace(/^\[|\]$/g, '');
      return h === domain || (!isIpAddress(domain) && h.endsWith('.' + domain));
    });
  }

  /**
   * Throws a TokenGuardError when a request to `url` may not be made at all: a scheme other than https,
   * or http to a non-loopback host (or to loopback without `allowInsecureLoopback`).
   */
  assertTransport(url: string): void {
    const u = new URL(url);
    if (u.protocol === 'https:') return;
    if (u.protocol === 'http:') {
      if (isLoopbackHost(u.hostname) && this.allowInsecureLoopback) return;
      throw new TokenGuardError(
        isLoopbackHost(u.hostname)
          ? `Refusing http:// request to ${u.host}: set allowInsecureLoopback: true to allow plain HTTP on loopback`
          : `Refusing http:// request to ${u.host}: UCWA must be reached over https (only loopback may use http, with allowInsecureLoopback)`,
      );
    }
    throw new TokenGuardError(`Refusing ${u.protocol} URL: only https is supported`);
  }

  /** True when the bearer token (or a password) may be sent to `url`: an allowed transport and an allowed host. */
  mayReceiveToken(url: string): boolean {
    try {
      this.assertTransport(url);
    } catch {
      return false;
    }
    return this.isAllowedHost(new URL(url).hostname);
  }
}
