/**
 * `npm run bench`: every benchmark in one run, printed as `name value` lines; `npm run bench
 * -- bundle paint` runs only the suites named. Figures to compare between changes, measured
 * on the machine at hand; where issue 13 set a target (the window's bundle, first paint,
 * frames) it is printed beside the figure, never asserted.
 */
import os from 'node:os';
import { benchEvents } from './events';
import { benchThroughput } from './throughput';

const only = process.argv.slice(2);
const suites: [string, () => Promise<Record<string, number | string>>][] = [
  ['events', () => benchEvents()],
  ['throughput', () => benchThroughput()],
  ['kernel-poll', async () => (await import('./kernel-poll')).benchKernelPoll()],
  ['kernel-facts', async () => (await import('./kernel-facts')).benchKernelFacts()],
  ['amplification', async () => (await import('./amplification')).benchAmplification()],
  ['bundle', async () => (await import('./bundle')).benchBundle()],
  ['paint', async () => (await import('./paint')).benchPaint()],
  // 100 MB in 1 MB writes (a few hundred events), then in 64 KB writes (thousands).
  ['frames', async () => (await import('./frames')).benchFrames(100, 1024, 'frames')],
  ['frames', async () => (await import('./frames')).benchFrames(100, 64, 'frames_64k')],
  ['interp', async () => (await import('./interp')).benchInterp()],
];

console.log(
  `# TCP Lab benchmarks — ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}, node ${process.version}, ${new Date().toISOString()}`,
);
let failed = 0;
for (const [name, run] of suites) {
  if (only.length && !only.includes(name)) continue;
  try {
    const figures = await run();
    for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(48)} ${v}`);
  } catch (err) {
    failed++;
    console.log(`${name.padEnd(48)} FAILED: ${(err as Error).message}`);
  }
}
process.exit(failed ? 1 : 0);
