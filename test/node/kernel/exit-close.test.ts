/**
 * A program's exit closes what it held, as the kernel does at any process exit: the listener's
 * LISTEN → CLOSED says so (cause.exitClose), with the tracepoint too, where the kernel's event
 * of the close came without a call attached and was taken for an RST. Without the tracepoint
 * (states from TCP_INFO readings) the same cause. A close() call keeps its own cause.
 */
import { describe, expect, it } from 'vitest';
import { stateTracerUnavailable } from '../../../app/core/kernel/tracefs';
import type { Lab } from '../../../app/core/lab';
import { newLab, waitFor } from '../engine/helpers';
import { runToEnd } from '../interp/run-to-end';

const why = process.platform === 'linux' ? await stateTracerUnavailable() : 'not Linux';
if (why) console.log(`tracepoint cases skipped: ${why}`);

const server = (end: string) => ({
  name: 'listen-and-exit',
  source: `#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

int main(void)
{
    struct sockaddr_in addr;
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(PORT);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(lfd, (struct sockaddr *)&addr, sizeof addr);
    listen(lfd, 4);
    ${end}
    return 0;
}
`,
});

/** The listener's transitions once it is CLOSED: state, source and cause code. */
async function listenerPath(lab: Lab): Promise<string[]> {
  const v = await waitFor(
    lab,
    (v) => {
      const l = Object.values(v.sockets).find((s) => s.transitions.some((t) => t.to === 'LISTEN'));
      return l?.state === 'CLOSED' && v.actors['server']?.end ? l : null;
    },
    'the listener closed',
  );
  return v.transitions.map(
    (t) => `${t.to}/${t.source}/${typeof t.cause === 'string' ? t.cause : t.cause.code}`,
  );
}

async function run(trace: boolean, end: string): Promise<string[]> {
  const lab = await newLab({ trace });
  expect(await lab.execute({ type: 'reset', programs: { server: server(end) } })).toEqual({ ok: true });
  await runToEnd(lab, ['server']);
  expect(lab.view().actors['server']!.end).toEqual({ how: 'exit', status: 0 });
  return listenerPath(lab);
}

describe('a listener closed by the program’s exit', () => {
  it.skipIf(why !== null)(
    'with the tracepoint: the kernel’s LISTEN → CLOSED, caused by the exit',
    async () => {
      expect(await run(true, '')).toEqual(['LISTEN/kernel/cause.listen', 'CLOSED/kernel/cause.exitClose']);
    },
  );

  it.skipIf(why !== null)('with the tracepoint: a close() call is a close, not an RST', async () => {
    expect(await run(true, 'close(lfd);')).toEqual([
      'LISTEN/kernel/cause.listen',
      'CLOSED/kernel/cause.closeCall',
    ]);
  });

  it('from TCP_INFO readings: the same cause', async () => {
    expect(await run(false, '')).toEqual(['LISTEN/kernel/cause.listen', 'CLOSED/inferred/cause.exitClose']);
  });
});
