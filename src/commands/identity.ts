import { toSipUri } from './convert-arg.js';

/**
 * The identity used for permissions, rate limits and confirmations: `context.activity.from.id`, which is a
 * SIP URI on the UCWA channel. `sip:` is added when missing and the whole URI is lower-cased, because SfB
 * treats SIP addresses case-insensitively (a user may appear as `sip:Alice@Contoso.com` in one event and
 * `sip:alice@contoso.com` in another). Ids that are not SIP addresses (other channels) are lower-cased as-is.
 */
export function toUserId(raw: string | undefined | null): string {
  if (typeof raw !== 'string') return '';
  const sip = toSipUri(raw);
  return (sip ?? raw.trim()).toLowerCase();
}

/** Domain part of a normalised user id (`contoso.com`), or '' when it has none. */
export function userDomain(userId: string): string {
  const at = userId.lastIndexOf('@');
  return at === -1 ? '' : userId.slice(at + 1);
}
