/**
 * applications, application, me, makeMeAvailable, reportMyActivity, communication, policies
 * (PROTOCOL.md §4, §5; applications_ref.md, application_ref.md, makeMeAvailable_ref.md, reportMyActivity_ref.md).
 */
import { randomUUID } from 'node:crypto';
import type { Resource } from '../../ucwa/wire-types.js';
import type { AppRecord } from '../state.js';
import { EventChannel, MEDIUM } from '../event-channel.js';
import { HttpError, conflict, parameterError } from '../http-error.js';
import { applicationResource, communicationResource, meResource, policiesResource } from '../resources.js';
import { event } from '../events.js';
import { AppUrls, userKey } from '../urls.js';
import { type RouteArgs, str } from './route-types.js';

const MAX = 100;

/** POST applications: the same user + endpointId (+ instanceId) reaches the same application (MultiTabSupport.md) → 200. */
export function createApplication({ env, ctx, pool, user }: RouteArgs): void {
  const input = ctx.jsonInput();
  const bad: Record<string, string> = {};
  const fields: Record<string, string> = {};
  for (const name of ['userAgent', 'endpointId', 'culture']) {
    const v = str(input, name);
    if (!v || v.length > MAX) bad[name] = v ? `must be at most ${MAX} characters` : 'is required and must be a non-empty string';
    else fields[name] = v;
  }
  const instanceId = str(input, 'instanceId');
  if (instanceId !== undefined && instanceId.length > MAX) bad.instanceId = `must be at most ${MAX} characters`;
  if (Object.keys(bad).length) throw parameterError(bad);
  env.sweep();
  const agent = fields.userAgent!.toLowerCase();
  if (env.opts.refusedUserAgents.some((refused) => agent.startsWith(refused))) {
    throw new HttpError(410, 'Gone', 'UserAgentNotAllowed', 'The administrator does not allow applications with this userAgent.');
  }
  let live = 0;
  for (const app of env.apps.values()) {
    if (app.dead || app.user !== user) continue;
    live++;
    if (app.pool === pool && app.endpointId === fields.endpointId && app.instanceId === instanceId) {
      app.lastSeen = Date.now();
      ctx.json(200, applicationResource(app), appHeaders(app));
      return;
    }
  }
  if (live >= env.opts.maxApplicationsPerUser) {
    throw new HttpError(410, 'Gone', 'TooManyApplications', `This user already has ${live} applications; delete one first.`);
  }
  const id = env.nextAppId();
  const urls = new AppUrls(env.style, env.poolPrefix(pool), id);
  const now = Date.now();
  const app: AppRecord = {
    id, user, pool, urls,
    endpointId: fields.endpointId!,
    instanceId,
    userAgent: fields.userAgent!,
    culture: fields.culture!,
    channel: new EventChannel((ack) => urls.events(ack), { collapseOperations: env.opts.collapseOperationEvents }),
    available: false,
    supportedMessageFormats: ['Plain'],
    supportedModalities: [],
    commEtag: 3140562359,
    guard: randomUUID(),
    lastSeen: now,
    lastActivity: now,
    dead: undefined,
    convs: new Map(),
    invitations: new Map(),
  };
  env.apps.set(id, app);
  ctx.json(201, applicationResource(app), appHeaders(app));
}

function appHeaders(app: AppRecord): Record<string, string> {
  // CreateAnApplication.md step 10: the photo cookie; irrelevant to a bot but part of the response.
  return { 'Set-Cookie': `cwt_ucwa=${app.id}; path=${app.urls.base}/photos; secure; HttpOnly`, ETag: `"${app.commEtag}${app.id}"` };
}

export function getApplication({ ctx, app }: RouteArgs): void {
  ctx.json(200, applicationResource(app), appHeaders(app));
}

/** DELETE application → 204; conversations end, later requests get 404 ApplicationNotFound (ApplicationDashboard.md). */
export function deleteApplication({ env, ctx, app }: RouteArgs): void {
  env.kill(app, 'deleted');
  ctx.empty(204);
}

export function getMe({ ctx, app }: RouteArgs): void {
  ctx.json(200, meResource(app));
}

export function getMeChild({ ctx, app }: RouteArgs): void {
  const name = ctx.url.pathname.split('/').pop()!;
  const body: Resource = { _links: { self: { href: ctx.url.pathname } }, rel: name };
  if (name === 'presence') body.availability = 'Online';
  if (name === 'note') body.message = '';
  if (!app.available) throw new HttpError(404, 'NotFound', undefined, `${name} is available only after makeMeAvailable.`);
  ctx.json(200, body);
}

const ALLOWED_MODALITIES = ['Messaging', 'PhoneAudio'];

/** POST makeMeAvailable → 204, once per application (makeMeAvailable_ref.md). */
export function makeMeAvailable({ ctx, app }: RouteArgs): void {
  const input = ctx.jsonInput();
  const modalities = input.get('supportedmodalities');
  const formats = input.get('supportedmessageformats');
  if (modalities !== undefined && (!Array.isArray(modalities) || modalities.some((m) => typeof m !== 'string'))) {
    throw parameterError({ supportedModalities: 'must be an array of ModalityType strings' });
  }
  if (formats !== undefined && (!Array.isArray(formats) || formats.some((f) => f !== 'Plain' && f !== 'Html'))) {
    throw parameterError({ supportedMessageFormats: 'must be an array of "Plain" / "Html"' });
  }
  const mods = (modalities as string[] | undefined) ?? ['Messaging'];
  if (mods.some((m) => !ALLOWED_MODALITIES.includes(m))) {
    throw new HttpError(403, 'Forbidden', undefined, 'Only Messaging and PhoneAudio may be requested in supportedModalities.');
  }
  if (app.available) throw conflict('AlreadyExists', 'makeMeAvailable was already performed for this application.');
  app.available = true;
  app.lastActivity = Date.now();
  app.supportedModalities = mods;
  if (formats) app.supportedMessageFormats = (formats as string[]).includes('Plain') ? (formats as string[]) : ['Plain', ...(formats as string[])];
  app.commEtag++;
  const u = app.urls;
  // ReceiveAnIM.md step 7 / EventChannelDetails.md: Medium priority events.
  app.channel.push('me', u.me(), [
    event({ rel: 'me', href: u.me() }, 'updated'),
    event({ rel: 'presence', href: u.meChild('presence') }, 'added'),
    event({ rel: 'note', href: u.meChild('note') }, 'added'),
    event({ rel: 'location', href: u.meChild('location') }, 'added'),
  ], MEDIUM);
  app.channel.push('communication', u.communication(), [event({ rel: 'communication', href: u.communication() }, 'updated', communicationResource(app))], MEDIUM);
  ctx.empty(204);
}

export function reportMyActivity({ ctx, app }: RouteArgs): void {
  if (!app.available) throw conflict('MakeMeAvailableRequired', 'Call makeMeAvailable before reportMyActivity.');
  app.lastActivity = Date.now();
  ctx.empty(204);
}

export function getCommunication({ ctx, app }: RouteArgs): void {
  ctx.json(200, communicationResource(app), { ETag: `"${app.commEtag}"` });
}

/** PUT communication: If-Match required (428), current ETag (412), the PUT guard member (400) — HTTP.md. */
export function putCommunication({ ctx, app }: RouteArgs): void {
  const ifMatch = ctx.req.headers['if-match'];
  if (!ifMatch) throw new HttpError(428, 'PreconditionRequired', undefined, 'PUT requires an If-Match header with the current ETag.');
  if (ifMatch.replace(/"/g, '').trim() !== String(app.commEtag)) throw new HttpError(412, 'PreconditionFailed', undefined, 'The ETag in If-Match is not current; GET the resource again.');
  const input = ctx.jsonInput();
  if (!input.has(app.guard.toLowerCase())) throw parameterError({ [app.guard]: 'the PUT guard member must be passed back' });
  const formats = input.get('supportedmessageformats');
  if (Array.isArray(formats) && formats.every((f) => f === 'Plain' || f === 'Html')) app.supportedMessageFormats = formats as string[];
  app.commEtag++;
  app.channel.push('communication', app.urls.communication(), [event({ rel: 'communication', href: app.urls.communication() }, 'updated', communicationResource(app))], MEDIUM);
  ctx.empty(200, { ETag: `"${app.commEtag}"` });
}

export function getPolicies({ env, ctx, app }: RouteArgs): void {
  ctx.json(200, policiesResource(app, env.opts.htmlMessaging));
}

export function getConversations({ ctx, app }: RouteArgs): void {
  const links = [...app.convs.values()].map((c) => ({ href: app.urls.conversation(c.id) }));
  ctx.json(200, { _links: { self: { href: app.urls.conversations() }, conversation: links }, rel: 'conversations' });
}

export function getContact({ env, ctx, app, params }: RouteArgs): void {
  const user = env.findUser(params.u ?? '');
  if (!user) throw new HttpError(404, 'NotFound', undefined, `No contact ${params.u}.`);
  const key = userKey(user.uri);
  ctx.json(200, {
    uri: user.uri, name: user.name, type: 'User', sourceNetwork: 'SameEnterprise',
    _links: { self: { href: app.urls.contact(key) }, contactPresence: { href: app.urls.contactPresence(key) }, contactPhoto: { href: app.urls.contactPhoto(key) } },
    rel: 'contact',
  });
}

export function getEvents({ ctx, app }: RouteArgs): void {
  app.channel.poll(ctx);
}

/**
 * POST batch: the link is part of every application (application_ref.md) but the emulator does not implement
 * multipart/batching, which an IM bot never needs (PROTOCOL.md §11 allows 501/405). 501 with a UCWA error body.
 */
export function batch(): never {
  throw new HttpError(501, 'ServiceFailure', undefined, 'Batch requests (multipart/batching) are not supported by this emulator (NotSupported); send the requests one by one.');
}
