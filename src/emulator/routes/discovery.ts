/**
 * Autodiscovery root, user, redirect, xframe and the OAuth token endpoint (PROTOCOL.md §2, §3;
 * RootURL.md, CreateAnApplication.md, AuthenticationInUCWA.md, user_ref.md, redirect_ref.md).
 * Discovery links are absolute (§2.2, §3.6); the home-pool redirect sends the client to the `/pool2`
 * prefix, which issues its own challenge and tokens.
 */
import type { Context } from '../context.js';
import type { Env } from '../env.js';
import { HttpError } from '../http-error.js';

export interface DiscoveryMatch {
  resource: 'discovery' | 'user' | 'redirect' | 'xframe' | 'token';
  pool: 1 | 2;
}

/** Which discovery resource `pathname` addresses, if any. */
export function matchDiscovery(env: Env, pathname: string): { resource: DiscoveryMatch['resource']; pool: 1 | 2 } | undefined {
  const lower = pathname.toLowerCase();
  const pools: (1 | 2)[] = env.opts.homePoolRedirect ? [1, 2] : [1];
  for (const pool of pools) {
    const d = env.discovery(pool);
    if ((pool === 1 && pathname === '/') || lower === d.root.toLowerCase()) return { resource: 'discovery', pool };
    if (lower === d.user.toLowerCase()) return { resource: 'user', pool };
    if (lower === `${d.user}/redirect`.toLowerCase()) return { resource: 'redirect', pool };
    if (lower === d.xframe.toLowerCase()) return { resource: 'xframe', pool };
    if (lower === d.token.toLowerCase()) return { resource: 'token', pool };
  }
  return undefined;
}

const UNAUTHORIZED_HTML =
  '<!DOCTYPE html><html><head><title>401 - Unauthorized: Access is denied due to invalid credentials.</title></head>' +
  '<body><h2>401 - Unauthorized: Access is denied due to invalid credentials.</h2></body></html>';

/** 401 with the MsRtcOAuth challenge and an IIS-style HTML body (CreateAnApplication.md step 4). */
export function sendChallenge(env: Env, ctx: Context, pool: 1 | 2): void {
  ctx.reply(401, {
    'Content-Type': 'text/html',
    'WWW-Authenticate': env.challenge(pool),
    'X-Ms-diagnostics': `28020;source="${env.fqdn}";reason="No valid security token."`,
  }, UNAUTHORIZED_HTML);
}

export function handleDiscovery(env: Env, ctx: Context, m: { resource: string; pool: 1 | 2 }): void {
  const d = env.discovery(m.pool);
  const o = env.origin;
  const q = env.style === 'walkthrough' ? `?originalDomain=${env.opts.domain}` : '';
  const method = ctx.req.method ?? 'GET';
  if (m.resource === 'token') {
    if (method !== 'POST') throw methodNotAllowed(['POST']);
    token(env, ctx, m.pool);
    return;
  }
  if (method !== 'GET') throw methodNotAllowed(['GET']);
  switch (m.resource) {
    case 'discovery':
      ctx.json(200, { _links: { self: { href: `${o}${d.root}${q}` }, user: { href: `${o}${d.user}${q}` }, xframe: { href: `${o}${d.xframe}` } } });
      return;
    case 'xframe':
      ctx.reply(200, { 'Content-Type': 'text/html' }, '<!doctype html><html><body>UCWA emulator XFrame</body></html>');
      return;
    case 'redirect': {
      const home = env.discovery(2);
      ctx.json(200, { _links: { self: { href: `${o}${d.user}/redirect` }, user: { href: `${o}${home.user}${q}` }, xframe: { href: `${o}${home.xframe}` } }, rel: 'redirect' });
      return;
    }
    default: {
      const user = env.tokens.check(ctx.req.headers.authorization, m.pool);
      if (!user) {
        sendChallenge(env, ctx, m.pool);
        return;
      }
      if (m.pool !== env.homePool) {
        // user_ref.md / redirect_ref.md: the user is homed on another pool; no applications link here.
        ctx.json(200, { _links: { self: { href: `${o}${d.user}${q}` }, redirect: { href: `${o}${d.user}/redirect` }, xframe: { href: `${o}${d.xframe}` } }, rel: 'user' });
        return;
      }
      ctx.json(200, { _links: { self: { href: `${o}${d.user}${q}` }, applications: { href: env.applicationsUrl(m.pool) }, xframe: { href: `${o}${d.xframe}` } } });
    }
  }
}

function methodNotAllowed(allow: string[]): HttpError {
  return new HttpError(405, 'MethodNotAllowed', undefined, `Use ${allow.join(' or ')} on this resource.`, undefined, { Allow: allow.join(', ') });
}

/** OAuth token endpoint (AuthenticationInUCWA.md): errors are `{"error": ...}` with 400, not UCWA bodies (§3.4). */
function token(env: Env, ctx: Context, pool: 1 | 2): void {
  const fail = (error: string, diag: string): void =>
    ctx.reply(400, { 'Content-Type': 'application/json;charset=UTF-8', 'X-Ms-diagnostics': `${diag};source="${env.fqdn}"` }, JSON.stringify({ error }));
  if (ctx.contentType !== 'application/x-www-form-urlencoded') {
    fail('invalid_request', '28032;reason="The request must be application/x-www-form-urlencoded."');
    return;
  }
  const form = new URLSearchParams(ctx.text());
  const grant = form.get('grant_type');
  if (!grant) return fail('invalid_request', '28032;reason="grant_type is missing."');
  if (grant !== 'password') return fail('unsupported_grant_type', '28029;reason="Authentication type not allowed."');
  const username = form.get('username');
  const password = form.get('password');
  if (!username || password === null) return fail('invalid_request', '28032;reason="username and password are required."');
  const name = username.includes('@') || username.toLowerCase().startsWith('sip:') ? username : `${username}@${env.opts.domain}`;
  const user = env.findUser(name);
  if (!user || user.password === undefined || user.password !== password) {
    fail('invalid_grant', '28020;reason="The user name or password is incorrect."');
    return;
  }
  const issued = env.tokens.issue(user, pool);
  ctx.reply(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, JSON.stringify({
    access_token: issued.access_token,
    expires_in: issued.expires_in,
    ms_rtc_identityscope: 'local',
    token_type: 'Bearer',
  }));
}
