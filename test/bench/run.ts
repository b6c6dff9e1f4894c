/**
 * `npm run bench -- <name> [...]`: runs test/bench/<name>.ts (default export `run(): Promise<BenchReport>`),
 * prints its figures and writes a JSON report to test/bench/results/<name>.json.
 * With no name, runs every benchmark listed below.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export type BenchReport = Record<string, number | string | boolean | Record<string, number | string>>;

const ALL = ['emulator', 'faults'];
const here = dirname(fileURLToPath(import.meta.url));
const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));

for (const name of names.length ? names : ALL) {
  if (!/^[a-z-]+$/.test(name)) throw new Error(`Unknown benchmark "${name}": expected one of ${ALL.join(', ')}`);
  const mod = (await import(`./${name}.ts`)) as { default: () => Promise<BenchReport> };
  process.stdout.write(`== bench ${name}\n`);
  const report = await mod.default();
  for (const [k, v] of Object.entries(report)) process.stdout.write(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}\n`);
  const out = join(here, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${name}.json`), JSON.stringify({ name, at: new Date().toISOString(), node: process.version, ...report }, null, 2));
  process.stdout.write(`report: test/bench/results/${name}.json\n`);
}
