/**
 * `npm run web`: the lab in browser mode. Creates a Lab, serves the built renderer and the
 * WebSocket bridge on 127.0.0.1, prints the address (token included) on one line, and closes
 * every socket on SIGINT / SIGTERM.
 *
 * Options (environment): TCPLAB_PORT (default 47300; 0 for any free port), TCPLAB_RENDERER_DIR
 * (default out/renderer next to the repository root).
 *
 * The default port is fixed because the browser keeps the window's storage (lesson progress,
 * a teacher's loaded lessons, language and theme) per address: a new port each start would
 * lose them. When that port is taken, the lab takes a free one and says what that costs.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Lab } from '../core/lab';
import { startWebServer } from './server';

const root = resolve(import.meta.dirname, '..', '..');
const rendererDir = process.env.TCPLAB_RENDERER_DIR ?? resolve(root, 'out', 'renderer');
/** The default browser-mode port (see above). */
const DEFAULT_PORT = 47300;
const port = Number(process.env.TCPLAB_PORT ?? DEFAULT_PORT);

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(
    `TCPLAB_PORT must be a port number (0-65535), not ${JSON.stringify(process.env.TCPLAB_PORT)}`,
  );
  process.exit(2);
}
if (!existsSync(resolve(rendererDir, 'index.html'))) {
  console.error(
    `No built renderer in ${rendererDir}: run \`npm run build\` first (npm run web does it for you).`,
  );
  process.exit(1);
}

// Capture is tried; where it is not permitted the window says why and the lab infers segments.
// Without the C library's calls there is no lab: one line says why (no emulation stands in).
const lab = await Lab.create({ capture: true, trace: true }).catch((err: unknown) => {
  console.error(`TCP Lab could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
async function serve(): Promise<Awaited<ReturnType<typeof startWebServer>>> {
  try {
    return await startWebServer({ lab, port, rendererDir });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || process.env.TCPLAB_PORT) throw err;
    console.log(
      `Port ${port} is taken (another TCP Lab?): using a free port. The browser keeps lesson progress per address, so this window starts without it; set TCPLAB_PORT to choose a port.`,
    );
    return startWebServer({ lab, port: 0, rendererDir });
  }
}
const server = await serve().catch(async (err: Error) => {
  console.error(`TCP Lab could not serve on 127.0.0.1:${port}: ${err.message}`);
  await lab.dispose();
  process.exit(1);
});
console.log(`TCP Lab (browser mode): open ${server.url}`);

/** How long closing may take before the process exits anyway. */
const STOP_TIMEOUT_MS = 5000;
let stopping = false;
async function stop(): Promise<void> {
  // Idempotent: Ctrl-C reaches both this process and its launcher (scripts/web.mjs), which
  // forwards it, so the signal can arrive twice.
  if (stopping) return;
  stopping = true;
  setTimeout(() => {
    console.error('TCP Lab: closing took too long; exiting anyway.');
    process.exit(1);
  }, STOP_TIMEOUT_MS).unref();
  await server.close();
  await lab.dispose();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
