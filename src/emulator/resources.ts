/**
 * Builders of UCWA resources, shaped like the walk-through captures (CreateAnApplication.md, ReceiveAnIM.md,
 * SendAnIM.md): the same link rels, property names and member order, `rel` last.
 */
import type { Resource } from '../ucwa/wire-types.js';
import type { AppRecord, Conversation, MessageRecord, UserRecord } from './state.js';
import { toHtmlDataUri, toPlainDataUri } from './data-uri.js';
import { userKey } from './urls.js';

const l = (href: string, title?: string): { href: string; title?: string } => (title === undefined ? { href } : { href, title });

/** ASP.NET AJAX date form used by UCWA JSON (PayloadFormat.md): `/Date(1383784870271)/`. */
export const ucwaDate = (ms: number): string => `/Date(${ms})/`;

export function meResource(app: AppRecord): Resource {
  const u = app.urls;
  const key = userKey(app.user.uri);
  // Before makeMeAvailable the app is in "lurker mode": no presence/note/location (MeDashboard.md).
  const links: Record<string, { href: string }> = { self: l(u.me()) };
  if (app.available) {
    links.note = l(u.meChild('note'));
    links.presence = l(u.meChild('presence'));
    links.location = l(u.meChild('location'));
    links.reportMyActivity = l(u.reportMyActivity());
  } else {
    links.makeMeAvailable = l(u.makeMeAvailable());
  }
  links.callForwardingSettings = l(u.meChild('callForwardingSettings'));
  links.phones = l(u.meChild('phones'));
  links.photo = l(u.photo(key));
  return { name: app.user.name, uri: app.user.uri, emailAddresses: [key], _links: links, rel: 'me' };
}

export function communicationResource(app: AppRecord): Resource {
  const u = app.urls;
  const links: Record<string, { href: string }> = { self: l(u.communication()) };
  if (app.available) links.startPhoneAudio = l(u.startPhoneAudio());
  links.conversations = l(u.conversations());
  links.startMessaging = l(u.startMessaging());
  links.startOnlineMeeting = l(u.startOnlineMeeting());
  links.joinOnlineMeeting = l(u.joinOnlineMeeting());
  return {
    [app.guard]: 'please pass this in a PUT request',
    supportedModalities: app.supportedModalities,
    supportedMessageFormats: app.supportedMessageFormats,
    _links: links,
    rel: 'communication',
    etag: String(app.commEtag),
  };
}

export function peopleResource(app: AppRecord): Resource {
  const u = app.urls;
  const names = ['presenceSubscriptions', 'subscribedContacts', 'presenceSubscriptionMemberships', 'groups', 'groupMemberships', 'contacts', 'privacyRelationships', 'contactsAndGroupsSubscription', 'search'];
  const rels = ['presenceSubscriptions', 'subscribedContacts', 'presenceSubscriptionMemberships', 'myGroups', 'myGroupMemberships', 'myContacts', 'myPrivacyRelationships', 'myContactsAndGroupsSubscription', 'search'];
  const links: Record<string, { href: string }> = { self: l(u.people()) };
  rels.forEach((rel, i) => (links[rel] = l(u.peopleChild(names[i]!))));
  return { _links: links, rel: 'people' };
}

export function onlineMeetingsResource(app: AppRecord): Resource {
  const u = app.urls;
  return {
    _links: {
      self: l(u.onlineMeetings()),
      myOnlineMeetings: l(u.onlineMeetings('myOnlineMeetings')),
      onlineMeetingDefaultValues: l(u.onlineMeetings('defaultValues')),
      onlineMeetingEligibleValues: l(u.onlineMeetings('eligibleValues')),
      onlineMeetingInvitationCustomization: l(u.onlineMeetings('customInvitation')),
      onlineMeetingPolicies: l(u.onlineMeetings('policies')),
      phoneDialInInformation: l(u.onlineMeetings('phoneDialInInformation')),
      myAssignedOnlineMeeting: l(u.onlineMeetings(`myOnlineMeetings/${app.id.toUpperCase()}MTG`)),
    },
    rel: 'onlineMeetings',
  };
}

export function applicationResource(app: AppRecord): Resource {
  const u = app.urls;
  return {
    culture: app.culture,
    userAgent: app.userAgent,
    _links: { self: l(u.self()), policies: l(u.policies()), batch: l(u.batch()), events: l(u.events(1)) },
    _embedded: {
      me: meResource(app),
      people: peopleResource(app),
      onlineMeetings: onlineMeetingsResource(app),
      communication: communicationResource(app),
    },
    rel: 'application',
  };
}

export function policiesResource(app: AppRecord, html: boolean): Resource {
  return {
    htmlMessaging: html ? 'Enabled' : 'Disabled',
    emoticons: 'Enabled',
    messagingUrls: 'Enabled',
    _links: { self: l(app.urls.policies()) },
    rel: 'policies',
  };
}

/** A participant of `conv` (walk-through: ReceiveAnIM.md step 12). `local` → the application's own user. */
export function participantResource(app: AppRecord, conv: Conversation, user: UserRecord, local: boolean): Resource {
  const u = app.urls;
  const key = userKey(user.uri);
  const links: Record<string, { href: string }> = { self: l(u.participant(conv.id, key)), conversation: l(u.conversation(conv.id)) };
  if (local) links.me = l(u.me());
  else {
    links.contact = l(u.contact(key));
    links.contactPresence = l(u.contactPresence(key));
    links.contactPhoto = l(u.contactPhoto(key));
  }
  return { sourceNetwork: 'SameEnterprise', anonymous: false, name: user.name, uri: user.uri, _links: links, rel: 'participant' };
}

export function participantMessagingResource(app: AppRecord, conv: Conversation, user: UserRecord): Resource {
  const u = app.urls;
  const key = userKey(user.uri);
  return { _links: { self: l(u.participantMessaging(conv.id, key)), participant: l(u.participant(conv.id, key), user.name) }, rel: 'participantMessaging' };
}

export function conversationResource(app: AppRecord, conv: Conversation): Resource {
  const u = app.urls;
  const c = conv.id;
  const connected = conv.state === 'Connected';
  const links: Record<string, { href: string; title?: string }> = { self: l(u.conversation(c)) };
  if (conv.direction === 'Incoming') {
    links.applicationSharing = l(u.modality(c, 'applicationSharing'));
    links.audioVideo = l(u.modality(c, 'audioVideo'));
    links.dataCollaboration = l(u.modality(c, 'dataCollaboration'));
  }
  links.messaging = l(u.messaging(c));
  links.phoneAudio = l(u.modality(c, 'phoneAudio'));
  if (connected) {
    links.localParticipant = l(u.participant(c, userKey(app.user.uri)), app.user.name);
    links.addParticipant = l(u.addParticipant(c));
  }
  return {
    state: conv.state,
    threadId: conv.threadId,
    subject: conv.subject,
    activeModalities: conv.state === 'Connecting' || conv.state === 'Disconnected' ? [] : ['Messaging'],
    importance: conv.importance,
    recording: false,
    _links: links,
    rel: 'conversation',
  };
}

export function messagingState(conv: Conversation): 'Connecting' | 'Connected' | 'Disconnected' {
  if (conv.state === 'Connected') return 'Connected';
  if (conv.state === 'Disconnected') return 'Disconnected';
  return 'Connecting';
}

export function messagingResource(app: AppRecord, conv: Conversation): Resource {
  const u = app.urls;
  const c = conv.id;
  const state = messagingState(conv);
  const body: Resource = { state };
  const links: Record<string, { href: string }> = { self: l(u.messaging(c)), conversation: l(u.conversation(c)) };
  if (state === 'Connected') {
    body.negotiatedMessageFormats = conv.html ? ['Plain', 'Html'] : ['Plain'];
    links.stopMessaging = l(u.stopMessaging(c));
    links.sendMessage = l(u.sendMessage(c));
    links.setIsTyping = l(u.setIsTyping(c));
    links.typingParticipants = l(u.typingParticipants(c));
  } else if (state === 'Connecting' && conv.state !== 'Incoming') {
    // Outgoing: stopMessaging cancels the invitation (SendAnIM.md step 4). A pending incoming invitation is answered
    // with accept/decline instead, so its messaging offers no stopMessaging (absent link = not available, §1.3).
    links.stopMessaging = l(u.stopMessaging(c));
  } else {
    links.addMessaging = l(u.addMessaging(c));
  }
  body._links = links;
  body.rel = 'messaging';
  return body;
}

export function invitationResource(app: AppRecord, conv: Conversation, actions = true): Resource {
  const u = app.urls;
  const c = conv.id;
  const remoteKey = userKey(conv.remote.uri);
  const pending = actions && conv.invitationState === 'Connecting';
  const body: Resource = { direction: conv.direction, importance: conv.importance, threadId: conv.threadId, state: conv.invitationState };
  if (conv.operationId !== undefined) body.operationId = conv.operationId;
  body.subject = conv.subject;
  const links: Record<string, { href: string; title?: string }> = { self: l(u.invitation(conv.invitationId)) };
  if (conv.direction === 'Incoming') {
    links.to = l(u.contact(userKey(app.user.uri)));
    links.conversation = l(u.conversation(c));
    if (pending && conv.state === 'Incoming') {
      links.accept = l(u.accept(conv.invitationId));
      links.decline = l(u.decline(conv.invitationId));
    }
    links.messaging = l(u.messaging(c));
    if (conv.firstText !== undefined) links.message = l(toPlainDataUri(conv.firstText));
    body._links = links;
    body._embedded = { from: participantResource(app, conv, conv.remote, false) };
  } else {
    links.from = l(u.participant(c, userKey(app.user.uri)), app.user.name);
    links.to = l(u.contact(remoteKey));
    if (pending) links.cancel = l(u.cancel(conv.invitationId, c));
    links.conversation = l(u.conversation(c));
    links.messaging = l(u.messaging(c));
    body._links = links;
    if (conv.invitationState === 'Connected') body._embedded = { acceptedByParticipant: [participantResource(app, conv, conv.remote, false)] };
  }
  body.rel = 'messagingInvitation';
  return body;
}

/** A message resource as the bot's application sees it (ReceiveAnIM.md step 16, SendAnIM.md step 12). */
export function messageResource(app: AppRecord, conv: Conversation, m: MessageRecord): Resource {
  const u = app.urls;
  const c = conv.id;
  const incoming = m.dir === 'sent';
  const body: Resource = { direction: incoming ? 'Incoming' : 'Outgoing', timeStamp: ucwaDate(m.at) };
  if (!incoming) {
    // message_ref.md: status is a Status value (Succeeded / Failed / Pending).
    body.status = m.failure === undefined ? 'Succeeded' : 'Failed';
    if (m.operationId !== undefined) body.operationId = m.operationId;
  }
  const links: Record<string, { href: string; title?: string }> = { self: l(u.message(c, m.mid)) };
  if (incoming) {
    const key = userKey(conv.remote.uri);
    links.contact = l(u.contact(key));
    links.participant = l(u.participant(c, key), conv.remote.name);
    links.messaging = l(u.messaging(c));
    links.plainMessage = l(toPlainDataUri(m.text));
    if (m.html !== undefined && conv.html) links.htmlMessage = l(toHtmlDataUri(m.html));
  } else {
    links.messaging = l(u.messaging(c));
  }
  body._links = links;
  if (!incoming && m.failure !== undefined) {
    // failedDeliveryParticipant_ref.md: always an array of participant links, even with one element (§1.3).
    (body._links as Record<string, unknown>).failedDeliveryParticipant = [l(u.participant(c, userKey(conv.remote.uri)), conv.remote.name)];
  }
  body.rel = 'message';
  return body;
}
