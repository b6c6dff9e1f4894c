import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { RETRY_RULES } from '../src/retry/rules.js';
import { formatRetryTable } from '../src/retry/format-table.js';

// The README is a contract with newcomers: its quick start and default retry table must stay true.
describe('README', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  it('should give the two-command quick start', () => {
    assert.match(readme, /npm install && npm start/);
    assert.match(readme, /^npm test\b/m);
  });

  it('should show exactly the default retry table (run `npm run docs` after changing RETRY_RULES)', () => {
    const start = readme.indexOf('<!-- retry-table:start -->');
    const end = readme.indexOf('<!-- retry-table:end -->');
    assert.ok(start >= 0 && end > start, 'retry table markers missing');
    const table = readme.slice(start, end).split('\n').slice(1).join('\n').trim();
    assert.equal(table, formatRetryTable(RETRY_RULES).trim());
  });
});
