import { strict as assert } from 'node:assert';
import { TestAdapter } from 'botbuilder';
import { activityLog } from '../../../src/server/activity-log.js';
import { createLogger, REDACTED } from '../../../src/server/logger.js';

async function chat(logMessageBodies: boolean): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', logMessageBodies, destination: { write: (s: string) => { lines.push(JSON.parse(s)); } } });
  const adapter = new TestAdapter(async (context) => { await context.sendActivity('reply with a secret plan'); });
  adapter.use(activityLog(logger));
  await adapter.send('my password is hunter2').assertReply('reply with a secret plan').startTest();
  return lines.filter((l) => String(l['event']).startsWith('activity.'));
}

describe('activityLog', () => {
  it('should log who said something and where, with the text redacted by default', async () => {
    const lines = await chat(false);
    assert.deepEqual(lines.map((l) => [l['event'], l['type'], l['text']]), [
      ['activity.received', 'message', REDACTED],
      ['activity.sent', 'message', REDACTED],
    ]);
    assert.equal(lines[0]!['from'], 'user1');
    assert.ok(!JSON.stringify(lines).includes('hunter2'));
  });

  it('should log the text with LOG_MESSAGE_BODIES=true', async () => {
    const lines = await chat(true);
    assert.deepEqual(lines.map((l) => l['text']), ['my password is hunter2', 'reply with a secret plan']);
  });
});
