/** A closed listener's card does not keep saying LISTEN: the kernel's table says it is gone. */
import { describe, expect, it } from 'vitest';
import { isLinux, newLab, serverListening, sockOf, waitFor } from './helpers';

describe.runIf(isLinux)('a listener closed', () => {
  it('reads "no row" from the kernel once closed, not its last LISTEN', async () => {
    const lab = await newLab();
    await serverListening(lab);
    const id = sockOf(lab.view(), 'server', 3).id;
    await waitFor(lab, (v) => v.sockets[id]?.kernel?.state === 'LISTEN', 'the kernel lists LISTEN');
    expect(
      await lab.handle({ type: 'call', actor: 'server', call: { call: 'close', args: { fd: 3 } } }),
    ).toMatchObject({ ok: true });
    await waitFor(lab, (v) => v.sockets[id]?.kernel?.state === null, 'the kernel has no row any more');
    expect(lab.view().sockets[id]!.state).toBe('CLOSED');
    await lab.dispose();
  });
});
