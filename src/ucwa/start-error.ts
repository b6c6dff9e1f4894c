/**
 * `UcwaClient.start()` failures, told so that a person can act on them. The layers below report what failed
 * (`GET / failed: no response (LocalFailure/ECONNREFUSED)`); at start-up the operator also needs which step
 * (autodiscovery, sign-in, application) on which host, and what to change. The rewritten error keeps the class,
 * status, code, subcode and details of the original (so the retry table and callers key on the same values) and
 * carries it as `cause`. Messages name hosts, never paths with queries, tokens or passwords. Also: the error of a
 * start() that stop() cancelled.
 */
import { UcwaError } from './errors.js';

/** What start() was doing, by the resource that failed. */
function phaseOf(resource: string | undefined): string {
  switch (resource) {
    case 'discovery':
    case 'user':
    case 'redirect':
      return 'autodiscovery';
    case 'token':
      return 'sign-in';
    case 'applications':
    case 'application':
    case 'makeMeAvailable':
      return 'creating the application';
    case 'events':
      return 'opening the event channel';
    default:
      return resource ? `the ${resource} request` : 'sign-in';
  }
}

/** The host a failed request went to, from its (already redacted) URL; the discovery host otherwise. */
function hostOf(error: UcwaError, discoveryUrl: string): string {
  for (const url of [error.details.request?.url, discoveryUrl]) {
    try {
      if (url) return new URL(url).host;
    } catch {
      // not a URL: try the next one
    }
  }
  return 'the server';
}

const TLS_UNTRUSTED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_UNTRUSTED']);

/** What to change, for the failures an operator meets while setting up. Undefined when the message says it all. */
function hintFor(error: UcwaError, host: string, phase: string): string | undefined {
  const sub = error.subcode ?? '';
  if (error.status === 0) {
    if (sub === 'ECONNREFUSED') return `nothing accepts connections at ${host}: check \`discoveryUrl\` (host and port) and that the server or \`proxy\` is up`;
    if (sub === 'ENOTFOUND') return `the host name ${host} does not resolve: check \`discoveryUrl\` and DNS`;
    if (sub === 'EAI_AGAIN') return `DNS did not answer for ${host}: check the resolver, then try again`;
    if (sub === 'EHOSTUNREACH' || sub === 'ENETUNREACH') return `no route to ${host}: check the network or set \`proxy\``;
    if (TLS_UNTRUSTED.has(sub)) return `the TLS certificate of ${host} is not trusted (${sub}): pass the issuing CA certificate (PEM) as \`ca\`; TLS verification cannot be turned off`;
    if (sub === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the TLS certificate of ${host} was not issued for that name: use the host name the certificate names in \`discoveryUrl\``;
    if (sub === 'CERT_HAS_EXPIRED' || sub === 'CERT_NOT_YET_VALID') return `the TLS certificate of ${host} is outside its validity period (${sub}): renew it on the server`;
    if (sub === 'EPROTO' || sub === 'ERR_SSL_WRONG_VERSION_NUMBER') return `${host} did not answer with TLS: check the scheme and port in \`discoveryUrl\``;
    if (error.code === 'Timeout') return `${host} did not answer in time: check that it is reachable (or set \`proxy\`), or raise \`requestTimeoutMs\``;
    if (sub === 'EPROXYCONNECT') return `the HTTPS proxy refused the tunnel to ${host}: check \`proxy\` / HTTPS_PROXY`;
    if (sub === 'TokenCallbackFailed' || sub === 'TokenCallbackInvalid') return undefined;
    if (sub === 'NoApplicationsLink' || sub === 'MalformedBody') return `${host} answered, but not as a UCWA autodiscovery service: \`discoveryUrl\` must be the autodiscovery root, e.g. https://lyncdiscover.contoso.com/`;
    return undefined;
  }
  if (phase === 'autodiscovery' && (error.status === 404 || error.status === 400 || error.status === 405)) {
    return `\`discoveryUrl\` must be the autodiscovery root, e.g. https://lyncdiscover.contoso.com/ (${host} has no UCWA discovery there)`;
  }
  if (error.status === 401 && error.details.source !== 'oauth') return 'the server refused the access token: check the `token` callback, or the account\'s permission to use UCWA';
  if (error.status === 403) return 'the server refuses this account or application (policy): ask the Skype for Business administrator to allow UCWA for it';
  if (error.status === 410 && error.subcode === 'TooManyApplications') return 'the account has too many UCWA applications: stop other instances of the bot, or wait for their applications to expire';
  return undefined;
}

/**
 * The error `start()` rejects with: a `UcwaError` saying which step failed on which host and what to change,
 * with the original as `cause`. A non-UcwaError (a programming error) is returned unchanged.
 */
export function explainStartFailure(error: unknown, discoveryUrl: string): unknown {
  if (!(error instanceof UcwaError)) return error;
  const phase = phaseOf(error.details.resource);
  const host = hostOf(error, discoveryUrl);
  const hint = hintFor(error, host, phase);
  const message = `UCWA start failed during ${phase} at ${host}: ${error.message}${hint ? `; ${hint}` : ''}`;
  return new UcwaError(message, error.status, error.code, error.subcode, error.details, { cause: error });
}

/** The error of a `start()` that `stop()` cancelled (subcode `Stopped`). */
export function startCancelled(cause?: unknown): UcwaError {
  return new UcwaError('UcwaClient.start() was cancelled: stop() was called while signing in', 0, 'LocalFailure', 'Stopped', { source: 'network', uncertain: false }, cause === undefined ? undefined : { cause });
}

/**
 * `running`, or a rejection with `cancelled()` as soon as `signal` aborts, whichever comes first. `running` goes
 * on in the background and its own rejection is observed (never an unhandled rejection).
 */
export function untilStopped<T>(running: Promise<T>, signal: AbortSignal, cancelled: () => Error): Promise<T> {
  running.catch(() => undefined);
  const stopped = new Promise<never>((_, reject) => {
    const onAbort = () => reject(cancelled());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    void running.finally(() => signal.removeEventListener('abort', onAbort)).catch(() => undefined);
  });
  stopped.catch(() => undefined);
  return Promise.race([running, stopped]);
}
