/**
 * A seeded fuzz of the boundary (issue 12): 10,000 messages built from the contract's schemas,
 * valid ones with extreme values and invalid ones made wrong in one place, sent to browser
 * mode's server over a real WebSocket. 0 crashes; every invalid message gets an error, never
 * an ok; the lab is unchanged by each rejected one. Then the commands alone against the real
 * Lab's handle: every invalid one ok:false with no event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientMessageSchema, CommandSchema, type ServerMessage } from '../../../app/contract';
import { Lab } from '../../../app/core/lab';
import { startWebServer, type WebServer } from '../../../app/web/server';
import { openClient, type TestClient } from '../web/helpers';
import { LogLab } from '../web/log-lab';
import { SchemaFuzzer } from './schema-fuzz';

const SEED = 12;
const MESSAGES = 10_000;

let lab: LogLab;
let server: WebServer;
let c: TestClient;

beforeAll(async () => {
  lab = new LogLab();
  server = await startWebServer({ lab, rendererDir: '/nonexistent', onNotice: () => {} });
  c = await openClient(server.port, server.token);
});
afterAll(async () => {
  c?.close();
  await server?.close();
});

/** The next answer after `from` messages: a reply, an error, or a history's last part. */
function answer(from: number): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const look = () => {
      for (let i = from; i < c.messages.length; i++) {
        const m = c.messages[i]!;
        if (m.kind === 'reply' || m.kind === 'error' || (m.kind === 'history' && !m.more)) return resolve(m);
      }
      c.ws.once('message', () => setImmediate(look));
    };
    look();
  });
}

describe('fuzz', () => {
  it(`${MESSAGES} messages over the WebSocket: only errors to invalid ones, lab unchanged by them`, async () => {
    const fz = new SchemaFuzzer(SEED);
    const counts = { valid: 0, invalid: 0, notJson: 0 };
    for (let i = 0; i < MESSAGES; i++) {
      let value: unknown = fz.value(ClientMessageSchema);
      if (typeof value === 'object' && value !== null) (value as { id: number }).id = i;
      if (fz.next() < 0.5) value = fz.mutate(value);
      let text = JSON.stringify(value);
      if (fz.next() < 0.02) text = text.slice(0, Math.max(1, fz.int(text.length)));
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        counts.notJson++;
      }
      const valid = parsed !== undefined && ClientMessageSchema.safeParse(parsed).success;
      const before = lab.events().length;
      const from = c.messages.length;
      c.ws.send(text);
      const m = await answer(from);
      if (valid) {
        counts.valid++;
        expect(m.kind === 'reply' ? m.result.ok : m.kind === 'history').toBe(true);
      } else {
        counts.invalid++;
        if (m.kind !== 'error')
          throw new Error(`message ${i} is invalid but was answered ${JSON.stringify(m).slice(0, 200)}`);
        expect(JSON.stringify(m).length).toBeLessThan(1000);
        expect(lab.events().length).toBe(before);
      }
      c.messages.length = 0;
    }
    expect(counts.valid).toBeGreaterThan(1000);
    expect(counts.invalid).toBeGreaterThan(1000);
  }, 60_000);

  it(`${MESSAGES} invalid commands against the real lab: ok:false, no event`, async () => {
    const real = await Lab.create({ kernel: 'none' });
    try {
      const fz = new SchemaFuzzer(SEED + 1);
      let tried = 0;
      while (tried < MESSAGES) {
        const cmd = fz.mutate(fz.value(CommandSchema));
        if (CommandSchema.safeParse(cmd).success) continue;
        tried++;
        const before = real.events().length;
        const r = await real.handle(JSON.parse(JSON.stringify(cmd)));
        if (r.ok) throw new Error(`accepted an invalid command: ${JSON.stringify(cmd).slice(0, 200)}`);
        expect(r.error.length).toBeLessThan(1000);
        expect(real.events().length).toBe(before);
      }
    } finally {
      await real.dispose();
    }
  }, 60_000);
});
