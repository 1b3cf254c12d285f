/**
 * A real lab in browser mode for end-to-end tests and benchmarks: the engine (Lab.create,
 * real loopback sockets, the real kernel table) behind startWebServer on 127.0.0.1.
 */
import { Lab, type LabOptions } from '../../../app/core/lab';
import { startWebServer, type WebServer } from '../../../app/web/server';
import { ensureRendererBuilt } from './build';

/** A running lab and its browser-mode server. */
export interface LabWeb {
  lab: Lab;
  server: WebServer;
  /** The page's address, token included. */
  url: string;
  /** Close the server, then every socket of the lab. */
  close(): Promise<void>;
}

/** Build the renderer if needed, create a lab, and serve it. */
export async function startLabWeb(opts: LabOptions = {}): Promise<LabWeb> {
  const rendererDir = ensureRendererBuilt();
  const lab = await Lab.create(opts);
  const server = await startWebServer({ lab, rendererDir });
  return {
    lab,
    server,
    url: server.url,
    async close() {
      await server.close();
      await lab.dispose();
    },
  };
}
