/**
 * The child of fd-reserve.test.ts, run under a low RLIMIT_NOFILE: a lab behind browser mode's
 * server whose server actor calls socket() until it fails. It prints one JSON line with what
 * happened and the server's port, then waits for its stdin to close.
 */
import { Lab } from '../../../app/core/lab';
import { startWebServer } from '../../../app/web/server';
import { descriptorHeadroom, descriptorLimit } from '../../../app/core/fd-budget';

const lab = await Lab.create({ limits: { actors: 16, fdsPerActor: 100_000 } });
const server = await startWebServer({ lab, rendererDir: '/nonexistent', onNotice: () => {} });
let opened = 0;
let failed: unknown = null;
while (failed === null) {
  const r = await lab.handle({
    type: 'call',
    actor: 'server',
    call: { call: 'socket', args: { family: 'inet' } },
  });
  if (r.ok && typeof r.value === 'object' && r.value.status === 'returned' && r.value.ret >= 0) opened++;
  else failed = r.ok ? { value: r.value, detail: lab.view().actors['server']?.last?.detail } : r;
}
const report = {
  limit: descriptorLimit(),
  opened,
  failed,
  headroom: descriptorHeadroom(true),
  port: server.port,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void server
    .close()
    .then(() => lab.dispose())
    .then(() => process.exit(0));
});
