// `npm start` must work straight after `npm install` on a fresh clone: build once if dist/ is missing or stale.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const marker = 'dist/index.js';
const tsc = 'node_modules/typescript/bin/tsc';
const stale = !existsSync(marker) || (existsSync('src') && newest('src') > statSync(marker).mtimeMs);
if (stale) {
  if (!existsSync(tsc)) {
    // A production install (`npm ci --omit=dev`) has no compiler: say how to deploy instead of failing obscurely.
    if (existsSync(marker)) process.exit(0);
    process.stderr.write('dist/ is missing and TypeScript is not installed. Build first: `npm ci && npm run build`, then deploy with dist/.\n');
    process.exit(1);
  }
  process.stdout.write('Building (tsc)...\n');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { stdio: 'inherit' });
}
