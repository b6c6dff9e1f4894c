/**
 * URL shapes (PROTOCOL.md §13). The walk-through form (`/ucwa/oauth/v1/...`, SendAnIM.md, ReceiveAnIM.md) is the
 * default because it looks like real server output; `urlStyle: 'reference'` switches to the `*_ref.md` form so
 * client tests can prove they never build URLs. UCWA hrefs are relative (Hypermedia.md); a pool prefix
 * (`/pool2`) stands for the second front-end pool of the home-pool redirect.
 */
export type UrlStyle = 'walkthrough' | 'reference';

/** Path of the applications resource of a pool. */
export function applicationsPath(style: UrlStyle, poolPrefix: string): string {
  return `${poolPrefix}${style === 'reference' ? '/ucwa/v1' : '/ucwa/oauth/v1'}/applications`;
}

/** Discovery paths served on the same origin (RootURL.md, CreateAnApplication.md). */
export function discoveryPaths(style: UrlStyle, poolPrefix: string): { root: string; user: string; xframe: string; token: string } {
  if (style === 'reference') {
    const root = `${poolPrefix}/autodiscover/autodiscoverservice.svc/root`;
    return { root, user: `${root}/user`, xframe: `${root}/xframe`, token: `${poolPrefix}/WebTicket/oauthtoken` };
  }
  const root = `${poolPrefix}/Autodiscover/AutodiscoverService.svc/root`;
  return { root, user: `${root}/oauth/user`, xframe: `${poolPrefix}/Autodiscover/XFrame/XFrame.html`, token: `${poolPrefix}/WebTicket/oauthtoken` };
}

/** Every href of one application, computed on demand (nothing is stored per conversation). */
export class AppUrls {
  readonly base: string;
  constructor(readonly style: UrlStyle, poolPrefix: string, appId: string) {
    this.base = `${applicationsPath(style, poolPrefix)}/${appId}`;
  }
  private get ref(): boolean {
    return this.style === 'reference';
  }
  self(): string { return this.base; }
  events(ack: number): string { return `${this.base}/events?ack=${ack}`; }
  policies(): string { return `${this.base}/policies`; }
  batch(): string { return `${this.base}/batch`; }
  me(): string { return `${this.base}/me`; }
  makeMeAvailable(): string { return this.ref ? `${this.base}/communication/makeMeAvailable` : `${this.base}/me/makeMeAvailable`; }
  reportMyActivity(): string { return this.ref ? `${this.base}/reportMyActivity` : `${this.base}/me/reportMyActivity`; }
  meChild(name: 'presence' | 'note' | 'location' | 'callForwardingSettings' | 'phones'): string { return `${this.base}/me/${name}`; }
  photo(user: string): string { return this.ref ? `${this.base}/photo` : `${this.base}/photos/${user}`; }
  people(): string { return `${this.base}/people`; }
  peopleChild(name: string): string { return `${this.base}/people/${name}`; }
  contact(user: string): string { return `${this.base}/people/${user}`; }
  contactPresence(user: string): string { return `${this.base}/people/${user}/presence`; }
  contactPhoto(user: string): string { return `${this.base}/photos/${user}`; }
  onlineMeetings(child = ''): string { return `${this.base}/onlineMeetings${child ? `/${child}` : ''}`; }
  communication(): string { return `${this.base}/communication`; }
  conversations(): string { return this.ref ? `${this.base}/communication/conversations` : `${this.base}/communication/conversations?filter=active`; }
  startMessaging(): string { return this.ref ? `${this.base}/communication/startMessaging` : `${this.base}/communication/messagingInvitations`; }
  startOnlineMeeting(): string { return `${this.base}/communication/onlineMeetingInvitations?onlineMeetingUri=adhoc`; }
  joinOnlineMeeting(): string { return `${this.base}/communication/onlineMeetingInvitations`; }
  startPhoneAudio(): string { return `${this.base}/communication/phoneAudioInvitations`; }
  invitation(id: string): string { return this.ref ? `${this.base}/communication/invitations/${id}` : `${this.base}/communication/messagingInvitations/${id}`; }
  accept(id: string): string { return `${this.invitation(id)}/accept`; }
  decline(id: string): string { return `${this.invitation(id)}/decline`; }
  /** Outgoing invitations: SendAnIM.md points `cancel` at `…/messaging/terminate`; cancel_ref.md at `…/invitations/<id>/cancel`. */
  cancel(id: string, conv: string): string { return this.ref ? `${this.invitation(id)}/cancel` : this.stopMessaging(conv); }
  conversation(c: string): string { return `${this.base}/communication/conversations/${c}`; }
  modality(c: string, name: 'applicationSharing' | 'audioVideo' | 'dataCollaboration' | 'phoneAudio'): string { return `${this.conversation(c)}/${name}`; }
  addParticipant(c: string): string { return this.ref ? `${this.conversation(c)}/addParticipant` : `${this.base}/communication/participantInvitations?conversation=${c}`; }
  participants(c: string): string { return `${this.conversation(c)}/participants`; }
  participant(c: string, user: string): string { return `${this.conversation(c)}/participants/${user}`; }
  participantMessaging(c: string, user: string): string { return `${this.participant(c, user)}/${this.ref ? 'participantMessaging' : 'messaging'}`; }
  messaging(c: string): string { return `${this.conversation(c)}/messaging`; }
  sendMessage(c: string): string { return `${this.messaging(c)}/${this.ref ? 'sendMessage' : 'messages'}`; }
  messages(c: string): string { return `${this.messaging(c)}/messages`; }
  message(c: string, n: number): string { return `${this.messaging(c)}/messages/${n}`; }
  setIsTyping(c: string): string { return `${this.messaging(c)}/${this.ref ? 'setIsTyping' : 'typing'}`; }
  typingParticipants(c: string): string { return this.ref ? `${this.participants(c)}/typingParticipants` : `${this.messaging(c)}/typingParticipants`; }
  stopMessaging(c: string): string { return `${this.messaging(c)}/${this.ref ? 'stopMessaging' : 'terminate'}`; }
  addMessaging(c: string): string { return `${this.messaging(c)}/addMessaging`; }
}

/** `sip:alice@contoso.com` → `alice@contoso.com`, the participant/contact key used in walk-through hrefs. */
export function userKey(uri: string): string {
  return uri.replace(/^sip:/i, '');
}
