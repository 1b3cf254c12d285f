/**
 * `npm start` where Electron cannot run: scripts/start.mjs must say so in one line and serve
 * the lab in browser mode instead, for a missing binary and for one that fails at once.
 * Runs the real script (and the real lab) in a child process, against a stand-in renderer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from './helpers';

const root = resolve(import.meta.dirname, '..', '..', '..');
let dir: string;
let child: ChildProcess | null = null;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tcplab-start-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>TCP Lab</title>');
  // An "Electron" that fails at once, as a binary without its libraries would.
  mkdirSync(join(dir, 'broken'));
  writeFileSync(
    join(dir, 'broken', 'electron'),
    '#!/bin/sh\necho "cannot open shared object file" >&2\nexit 127\n',
  );
  chmodSync(join(dir, 'broken', 'electron'), 0o755);
});

afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  child = null;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run start.mjs until it prints the browser-mode address; resolves with its output lines. */
function start(overrideDist: string): Promise<string[]> {
  child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], {
    cwd: root,
    env: {
      ...process.env,
      ELECTRON_OVERRIDE_DIST_PATH: overrideDist,
      TCPLAB_NO_BUILD: '1',
      TCPLAB_RENDERER_DIR: join(dir, 'renderer'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolvePromise, reject) => {
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/open http:\/\/127\.0\.0\.1:\d+\/\?token=\S+\n/.test(out)) resolvePromise(out.trim().split('\n'));
    });
    child!.once('exit', (code) => reject(new Error(`start.mjs exited (${code}) before serving:\n${out}`)));
  });
}

describe.skipIf(process.platform === 'win32')('npm start without Electron', () => {
  it('says there is no binary, in one line, and serves browser mode', async () => {
    const lines = await start(join(dir, 'no-such-dir'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^Electron is not available on this machine \(no binary at .*no-such-dir.*\); serving the lab in browser mode instead\.$/,
    );
    const url = new URL(lines[1]!.replace(/^.*open /, ''));
    const page = await httpGet(Number(url.port), '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('TCP Lab');
  });

  it('falls back the same way when the binary fails at once', async () => {
    const lines = await start(join(dir, 'broken'));
    expect(lines[0]).toBe(
      'Electron is not available on this machine (Electron exited with code 127 right after starting); serving the lab in browser mode instead.',
    );
    expect(lines.at(-1)).toMatch(/^TCP Lab \(browser mode\): open http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  });
});
