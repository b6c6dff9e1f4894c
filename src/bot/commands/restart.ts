import { ActivityTypes } from 'botbuilder';
import type { CommandSpec } from '../../commands/types.js';

export const SERVICES = ['web', 'worker', 'queue'] as const;

/**
 * `restart <service>`: the permission and confirmation example. Only the `admins` group may run it, and it asks
 * the user to reply `yes` first. `restartService` is where a real bot calls its deployment tooling.
 */
export function restartCommand(restartService: (service: string) => Promise<void>): CommandSpec {
  return {
    name: 'restart',
    summary: 'Restart a service (admins only, asks you to confirm)',
    args: [{ name: 'service', type: 'enum', values: SERVICES, required: true, description: 'the service to restart' }],
    allow: { groups: ['admins'] },
    confirm: { prompt: 'This restarts the service for everyone.', timeoutMs: 30_000 },
    handler: async (context, args) => {
      const service = String(args['service']);
      await context.sendActivity({ type: ActivityTypes.Typing });
      await restartService(service);
      await context.sendActivity(`Restarted ${service}.`);
    },
  };
}
