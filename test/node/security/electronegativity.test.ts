/**
 * Electronegativity (Doyensec's scanner for Electron anti-patterns) over the app's sources:
 * app/ (main, preload, engine, contract, browser mode), renderer/ (index.html, TypeScript),
 * the build in out/ when there is one, and package.json. Every finding must be explained in SECURITY.md's table of
 * Electronegativity findings (check id and file); a new finding fails the test until it is
 * fixed or explained there.
 *
 * A second scan of a deliberately unsafe window proves the scanner works here (so a pass
 * is not a scanner that found nothing). The check that fetches Electron's release list
 * from GitHub (AvailableSecurityFixesGlobalCheck) is left out: tests do not use the network.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');
const cli = join(root, 'node_modules/@doyensec/electronegativity/dist/index.js');
const work = mkdtempSync(join(tmpdir(), 'tcplab-electronegativity-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** One finding: check id, file relative to the scanned folder ('—' for whole-app checks), line, text. */
interface Finding {
  id: string;
  file: string;
  line: number;
  message: string;
}

/** Run Electronegativity over a folder and return its findings (from its SARIF output). */
function scan(input: string, name: string): Promise<Finding[]> {
  const out = join(work, `${name}.sarif`);
  const args = [cli, '-i', input, '-r', '-v', 'false', '-x', 'AvailableSecurityFixesGlobalCheck', '-o', out];
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      args,
      { cwd: work, timeout: 120_000, env: { ...process.env, LANG: 'en' } },
      (err, stdout, stderr) => {
        if (err) return fail(new Error(`electronegativity failed: ${err.message}\n${stdout}\n${stderr}`));
        let sarif: { runs: { results: SarifResult[] }[] };
        try {
          sarif = JSON.parse(readFileSync(out, 'utf8'));
        } catch (e) {
          return fail(
            new Error(`electronegativity wrote no SARIF (${(e as Error).message})\n${stdout}\n${stderr}`),
          );
        }
        done(
          sarif.runs.flatMap((r) =>
            r.results.map((x) => {
              const loc = x.locations?.[0]?.physicalLocation;
              const uri = loc?.artifactLocation?.uri ?? '';
              return {
                id: x.ruleId,
                // Whole-app checks (no CSP anywhere, …) have no file: 'file:///' or 'N/A'.
                file: uri === '' || uri === 'file:///' || uri === 'N/A' ? '—' : uri.replace(/^file:\/\//, ''),
                line: loc?.region?.startLine ?? 0,
                message: x.message?.text ?? '',
              };
            }),
          ),
        );
      },
    );
  });
}

interface SarifResult {
  ruleId: string;
  message?: { text?: string };
  locations?: {
    physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } };
  }[];
}

/** The (check id, file) pairs SECURITY.md explains, from its "Electronegativity findings" table. */
function explained(): Set<string> {
  const md = readFileSync(join(root, 'SECURITY.md'), 'utf8');
  const section = md.split(/^## /m).find((s) => s.startsWith('Electronegativity findings'));
  expect(section, 'SECURITY.md has a "## Electronegativity findings" section').toBeDefined();
  const pairs = new Set<string>();
  for (const line of (section ?? '').split('\n')) {
    const m = /^\|\s*`([A-Z0-9_]+)`\s*\|\s*`?([^|`]+?)`?\s*\|\s*(.+?)\s*\|\s*$/.exec(line);
    if (m && (m[3] ?? '').length > 10) pairs.add(`${m[1]} ${m[2]}`);
  }
  return pairs;
}

/** Copy what is scanned into a fresh folder (the scanner would otherwise walk node_modules). */
function stage(): string {
  const dir = join(work, 'project');
  // out/ (the electron-vite build, when present) adds the compiled Vue components, which the
  // scanner cannot read as .vue files.
  for (const part of ['app', 'renderer', 'out']) {
    if (existsSync(join(root, part))) cpSync(join(root, part), join(dir, part), { recursive: true });
  }
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  return dir;
}

describe('Electronegativity', () => {
  it('finds nothing in the app that SECURITY.md does not explain', async () => {
    const unsafe = join(work, 'unsafe');
    mkdirSync(unsafe, { recursive: true });
    cpSync(join(root, 'package.json'), join(unsafe, 'package.json'));
    writeFileSync(
      join(unsafe, 'main.js'),
      "const { BrowserWindow } = require('electron');\n" +
        'new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n',
    );
    const [findings, control] = await Promise.all([scan(stage(), 'project'), scan(unsafe, 'unsafe')]);
    const known = explained();

    // The scanner works here: the unsafe app (no CSP, no navigation limits, no permission
    // handler, no isolation) gets findings that SECURITY.md does not excuse.
    const controlUnexplained = control.filter((f) => !known.has(`${f.id} ${f.file}`)).map((f) => f.id);
    expect(controlUnexplained).toEqual(
      expect.arrayContaining([
        'CSP_GLOBAL_CHECK',
        'LIMIT_NAVIGATION_GLOBAL_CHECK',
        'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
        'CONTEXT_ISOLATION_JS_CHECK',
      ]),
    );
    // It read the project: the Electron version comes from package.json.
    expect(findings.map((f) => f.id)).toContain('ELECTRON_VERSION_JSON_CHECK');

    const unexplained = findings.filter((f) => !known.has(`${f.id} ${f.file}`));
    expect(
      unexplained.map((f) => `${f.id} ${f.file}:${f.line} ${f.message}`),
      'findings missing from the table in SECURITY.md',
    ).toEqual([]);
  }, 180_000);
});
