// `npm run docs` rewrites the default retry table in README.md from RETRY_RULES (test/readme.test.ts checks it).
import { readFileSync, writeFileSync } from 'node:fs';
import { RETRY_RULES } from '../src/retry/rules.js';
import { formatRetryTable } from '../src/retry/format-table.js';

const START = '<!-- retry-table:start -->';
const END = '<!-- retry-table:end -->';
const readme = readFileSync('README.md', 'utf8');
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from < 0 || to < from) throw new Error(`README.md lacks the ${START} … ${END} markers`);
writeFileSync('README.md', `${readme.slice(0, from + START.length)}\n${formatRetryTable(RETRY_RULES)}\n${readme.slice(to)}`);
