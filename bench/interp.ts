/**
 * The C interpreter: parse (and check) time of a 300-line program, the cost of one statement
 * (stepped one command at a time, and inside a Run), and a 100 MB transfer through a C while
 * loop of read/write with a 64 KB buffer (bench/c/sink-server.c, source-client.c) in the lab,
 * beside the same two programs built with gcc -O2, in one run.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Lab } from '../app/core/lab';
import { freePort } from '../app/core/net-util';
import { compile } from '../app/core/interp/runner';

const MB = 1024 * 1024;
const src = (f: string) => readFileSync(new URL(`./c/${f}`, import.meta.url), 'utf8');

/** A 300-line program: the echo server's socket code plus helpers, as a student's might grow. */
function program300(): string {
  const head = src('sink-server.c').replace(/int main\(void\)[\s\S]*$/, '');
  const fns: string[] = [];
  for (let i = 0; fns.join('\n').split('\n').length < 280; i++)
    fns.push(
      `static int helper${i}(int a, int b)\n{\n    int r = 0;\n    for (int k = 0; k < a; k++) {\n        if (k % 2 == 0)\n            r += b;\n        else\n            r -= k;\n    }\n    return r;\n}\n`,
    );
  return `${head}${fns.join('\n')}\nint main(void)\n{\n    return helper0(1, 2) - 2;\n}\n`;
}

async function parseMs(): Promise<{ ms: number; lines: number }> {
  const p = { name: 'p300', source: program300() };
  for (let i = 0; i < 3; i++) await compile(p); // warm up (the grammar loads once)
  const n = 20;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const c = await compile(p);
    if (!c.ok) throw new Error(`the 300-line program does not compile: ${JSON.stringify(c.problems[0])}`);
  }
  return { ms: (performance.now() - t0) / n, lines: p.source.split('\n').length };
}

const LOOP = `int main(void)\n{\n    long s = 0;\n    for (long i = 0; i < 100000000; i++)\n        s += i;\n    return s > 0 ? 0 : 1;\n}\n`;

async function stepCosts(lab: Lab): Promise<{ stepUs: number; runUs: number }> {
  await lab.execute({ type: 'loadProgram', actor: 'server', program: { name: 'loop', source: LOOP } });
  const n = 2000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await lab.execute({ type: 'step', actor: 'server' });
  const stepUs = ((performance.now() - t0) * 1000) / n;
  const before = lab.view().actors.server!.steps;
  const t1 = performance.now();
  const r = await lab.execute({ type: 'run', actor: 'server' }); // stops at the statement budget
  const runMs = performance.now() - t1;
  if (!r.ok || r.value !== 'budget') throw new Error(`run should stop at the budget: ${JSON.stringify(r)}`);
  const done = lab.view().actors.server!.steps - before;
  return { stepUs, runUs: (runMs * 1000) / done };
}

/** The transfer in the lab: run whichever program is free until both have ended. */
async function labTransfer(lab: Lab, total: number): Promise<number> {
  const client = {
    name: 'source-client',
    source: src('source-client.c').replace('(100L * 1024 * 1024)', `(${total}L)`),
  };
  const r = await lab.execute({
    type: 'reset',
    programs: { server: { name: 'sink-server', source: src('sink-server.c') }, client },
  });
  if (!r.ok) throw new Error(r.error);
  await lab.execute({ type: 'run', actor: 'server' });
  const t0 = performance.now();
  const ended = () => ['server', 'client'].every((a) => lab.view().actors[a]!.end);
  const free = (a: string) => !lab.view().actors[a]!.end && !lab.view().actors[a]!.current;
  for (let guard = 0; guard < 1_000_000 && !ended(); guard++) {
    const go = ['server', 'client'].filter(free);
    if (go.length) await Promise.all(go.map((a) => lab.execute({ type: 'run', actor: a })));
    else
      await new Promise<void>((resolve) => {
        const off = lab.subscribe(() => {
          if (ended() || free('server') || free('client')) {
            off();
            resolve();
          }
        });
      });
  }
  const ms = performance.now() - t0;
  const out = lab
    .view()
    .actors.server!.output.map((c) => c.text)
    .join('')
    .trim();
  if (out !== String(total)) throw new Error(`the server read ${out} bytes, not ${total}`);
  return ms;
}

/** The same two programs built with gcc -O2: ms from the client's start to both exits, or null. */
async function gccTransfer(total: number): Promise<number | null> {
  const run = promisify(execFile);
  const dir = mkdtempSync(join(tmpdir(), 'tcplab-interp-'));
  try {
    const port = await freePort();
    const build = (f: string, exe: string) =>
      run('gcc', [
        '-O2',
        '-std=c11',
        `-DPORT=${port}`,
        `-DTOTAL=${total}L`,
        '-o',
        join(dir, exe),
        new URL(`./c/${f}`, import.meta.url).pathname,
      ]);
    await build('sink-server.c', 'server');
    await build('source-client.c', 'client');
    const server = spawn(join(dir, 'server'), { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    server.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const serverExit = new Promise((r) => server.once('exit', r));
    // Wait until it listens: ss is asked once per try, each try waiting for the last to exit.
    for (let i = 0; i < 200; i++) {
      const { stdout } = await run('ss', ['-Htln', `sport = :${port}`]).catch(() => ({ stdout: '' }));
      if (stdout.includes(String(port))) break;
    }
    const t0 = performance.now();
    await run(join(dir, 'client'), [], { timeout: 60_000 });
    await serverExit;
    const ms = performance.now() - t0;
    return out.trim() === String(total) ? ms : null;
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchInterp(totalMb = 100): Promise<Record<string, number>> {
  const total = totalMb * MB;
  const parse = await parseMs();
  const lab = await Lab.create();
  try {
    const steps = await stepCosts(lab);
    const labMs = await labTransfer(lab, total);
    const cMs = await gccTransfer(total);
    const out: Record<string, number> = {
      [`interp.parse_${parse.lines}_lines_ms`]: round(parse.ms),
      'interp.step_command_us': round(steps.stepUs),
      'interp.statement_in_run_us': round(steps.runUs),
      [`interp.transfer_${totalMb}MB_64KB_lab_ms`]: Math.round(labMs),
      [`interp.transfer_${totalMb}MB_64KB_lab_MBps`]: round(totalMb / (labMs / 1000)),
    };
    if (cMs !== null) {
      out[`interp.transfer_${totalMb}MB_64KB_gcc_ms`] = Math.round(cMs);
      out[`interp.transfer_${totalMb}MB_64KB_gcc_MBps`] = round(totalMb / (cMs / 1000));
      out['interp.transfer_lab_over_gcc_time'] = round(labMs / cMs);
    }
    return out;
  } finally {
    await lab.dispose();
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;
