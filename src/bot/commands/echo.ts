import type { CommandSpec } from '../../commands/types.js';

/** `echo <text>`: repeats the text, the smallest possible command. */
export const echoCommand: CommandSpec = {
  name: 'echo',
  summary: 'Repeat your text back',
  args: [{ name: 'text', required: true, rest: true, description: 'what to repeat' }],
  handler: async (context, args) => {
    await context.sendActivity(String(args['text']));
  },
};
