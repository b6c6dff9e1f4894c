/**
 * Autodiscovery: root → user → (401 challenge → token) → user again → `applications` (PROTOCOL.md §2, §3.6),
 * following discovery-level and home-pool redirects (§2.3) with at most 5 hops and loop detection.
 * Discovery hrefs are resolved against the URL of the response that carried them (§0.1 rule 1); every
 * redirect target must pass the token guard before it is followed (§2.4).
 */
import { UcwaError } from './errors.js';
import { redactUrl, safePath } from './http.js';
import { getHref, resolveHref } from './links.js';
import type { UcwaHttp } from './ucwa-http.js';
import type { Logger } from './types.js';

/** Redirect hops allowed during discovery (PROTOCOL.md §2.3 recommends a cap). */
export const MAX_DISCOVERY_HOPS = 5;

export interface DiscoveryResult {
  /** Absolute `applications` URL; its origin is the base for every later UCWA href. */
  applicationsUrl: string;
  /** The `user` URL that answered with `applications`. */
  userUrl: string;
  /** Redirects followed. */
  hops: number;
}

type Stage = 'root' | 'user' | 'redirect';

function discoveryError(message: string, url: string, subcode: string): UcwaError {
  return new UcwaError(message, 0, 'NotFound', subcode, { source: 'http', resource: 'discovery', request: { method: 'GET', url: redactUrl(url) }, uncertain: false });
}

/** Run autodiscovery from `discoveryUrl` and return the home pool's applications URL. */
export async function discover(http: UcwaHttp, discoveryUrl: string, logger: Logger, signal?: AbortSignal): Promise<DiscoveryResult> {
  let url = discoveryUrl;
  let stage: Stage = 'root';
  let hops = 0;
  const visited = new Set<string>();
  for (;;) {
    const visitKey = `${stage} ${url}`;
    if (visited.has(visitKey)) throw discoveryError(`Autodiscovery loop: ${safePath(url)} was visited twice`, url, 'RedirectLoop');
    visited.add(visitKey);
    // `signal`: stop() during start() ends a discovery request to a hanging server at once.
    const response = await http.request({ method: 'GET', url, resource: stage === 'root' ? 'discovery' : stage, auth: stage !== 'root', signal });
    const doc = response.body;
    const base = response.url;
    const applications = getHref(doc, 'applications');
    // user_ref.md shows `applications` and `redirect` together: prefer applications (§2.3).
    if (applications && stage !== 'root') {
      logger.debug({ hops }, 'ucwa:client discovery complete');
      return { applicationsUrl: resolveHref(applications, base), userUrl: url, hops };
    }
    const user = getHref(doc, 'user');
    const redirect = getHref(doc, 'redirect');
    if (user && stage !== 'user') {
      url = resolveHref(user, base);
      stage = 'user';
      continue;
    }
    if (redirect) {
      const target = resolveHref(redirect, base);
      if (++hops > MAX_DISCOVERY_HOPS) throw discoveryError(`Autodiscovery followed more than ${MAX_DISCOVERY_HOPS} redirects`, target, 'TooManyRedirects');
      if (!http.guard.mayReceiveToken(target)) {
        throw discoveryError(
          `Autodiscovery redirect to ${new URL(target).host} refused: not https or outside allowedDomains (${http.guard.allowedDomains.join(', ')}); add the domain to \`allowedDomains\` if it is yours`,
          target, 'RedirectNotAllowed',
        );
      }
      logger.info({ host: new URL(target).host, hops }, 'ucwa:client following autodiscovery redirect');
      url = target;
      stage = 'redirect';
      continue;
    }
    throw discoveryError(`${safePath(url)} has neither an \`applications\`, \`user\` nor \`redirect\` link`, url, 'NoApplicationsLink');
  }
}
