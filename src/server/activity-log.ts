/**
 * Debug logging of the conversation itself: every inbound activity and every reply, with who, where and the
 * text. The host's logger redacts `text` unless `LOG_MESSAGE_BODIES=true` (logger.ts), so by default these
 * lines say that something was said, never what.
 */
import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { Logger } from '../ucwa/types.js';

function describe(activity: Partial<Activity>): Record<string, unknown> {
  return {
    type: activity.type,
    from: activity.from?.id,
    conversation: activity.conversation?.id,
    ...(typeof activity.text === 'string' ? { text: activity.text } : {}),
  };
}

/**
 * A botbuilder middleware that logs activities at debug level (`LOG_LEVEL=debug`).
 * @example adapter.use(activityLog(logger));
 */
export function activityLog(logger: Logger): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      logger.debug({ event: 'activity.received', ...describe(context.activity) }, 'activity received');
      context.onSendActivities(async (_ctx, activities, send) => {
        for (const activity of activities) logger.debug({ event: 'activity.sent', ...describe(activity) }, 'activity sent');
        return send();
      });
      await next();
    },
  };
}
