import type { CommandSpec } from '../../commands/types.js';

/** `whoami`: the sender's SIP URI, display name and the permission groups they are in. */
export function whoamiCommand(groups: Readonly<Record<string, readonly string[]>>): CommandSpec {
  return {
    name: 'whoami',
    summary: 'Show your SIP URI, display name and permission groups',
    handler: async (context) => {
      const { id = '', name } = context.activity.from ?? {};
      const member = groupsOf(id, groups);
      await context.sendActivity(
        `You are ${name ?? 'unknown'} (${id}).\nGroups: ${member.length > 0 ? member.join(', ') : 'none'}.`,
      );
    },
  };
}

/** Group names whose members include `sipUri` itself or its domain (`@contoso.com`). */
export function groupsOf(sipUri: string, groups: Readonly<Record<string, readonly string[]>>): string[] {
  const uri = sipUri.toLowerCase();
  const domain = '@' + uri.slice(uri.lastIndexOf('@') + 1);
  return Object.entries(groups)
    .filter(([, members]) => members.some((m) => m.toLowerCase() === uri || m.toLowerCase() === domain))
    .map(([group]) => group);
}
