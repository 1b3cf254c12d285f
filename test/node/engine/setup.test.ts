/**
 * Lesson 1 at engine level (server setup), errors detected for real, interrupts, bad
 * commands, limits, and the default programs stepped to completion.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../app/core/net-util';
import {
  call,
  isLinux,
  kernelRows,
  kernelState,
  modelState,
  newLab,
  ret,
  returned,
  serverListening,
  sockOf,
  waitFor,
  said,
  varOf,
  lineText,
} from './helpers';

describe('server setup', () => {
  it('socket gives fd 3 in CLOSED, bind ties it, listen puts it in LISTEN (kernel too), accept blocks', async () => {
    const lab = await newLab();
    const port = lab.defaultPort();
    expect(await ret(lab, 'server', 'socket')).toEqual({ ret: 3 });
    expect(sockOf(lab.view(), 'server', 3).state).toBe('CLOSED');
    expect(await ret(lab, 'server', 'bind', { fd: 3, host: '127.0.0.1', port })).toEqual({ ret: 0 });
    expect(sockOf(lab.view(), 'server', 3).local).toEqual({ host: '127.0.0.1', port });
    expect(await ret(lab, 'server', 'listen', { fd: 3 })).toEqual({ ret: 0 });
    const s = sockOf(lab.view(), 'server', 3);
    expect(s.state).toBe('LISTEN');
    expect(s.transitions.map((t) => t.to)).toEqual(['LISTEN']);
    const o = await call(lab, 'server', 'accept', { fd: 3 });
    expect(o).toMatchObject({ status: 'blocked', reason: 'no-connection' });
    expect(lab.view().actors['server']!.current?.blocked).toBe('no-connection');
    if (isLinux) {
      await kernelState(lab, s.id, 'LISTEN');
      expect((await kernelRows(port)).some((r) => r.state === 'LISTEN')).toBe(true);
    }
    // The blocked accept returns when a client connects.
    expect(await ret(lab, 'client', 'socket')).toEqual({ ret: 3 });
    expect(await ret(lab, 'client', 'connect', { fd: 3, host: '127.0.0.1', port })).toEqual({ ret: 0 });
    const r = await returned(lab, 'server', o.callId);
    expect(r.ret).toBe(4);
    expect(sockOf(lab.view(), 'server', 4).state).toBe('ESTABLISHED');
  });

  it('descriptors are the lowest free from 3, as in C', async () => {
    const lab = await newLab();
    expect((await ret(lab, 'client', 'socket')).ret).toBe(3);
    expect((await ret(lab, 'client', 'socket')).ret).toBe(4);
    expect((await ret(lab, 'client', 'socket')).ret).toBe(5);
    expect(await ret(lab, 'client', 'close', { fd: 4 })).toEqual({ ret: 0 });
    expect((await ret(lab, 'client', 'socket')).ret).toBe(4);
    expect(await ret(lab, 'client', 'close', { fd: 9 })).toEqual({ ret: -1, errno: 'EBADF' });
  });

  it('bind fails with EADDRINUSE against a listener inside the lab', async () => {
    const lab = await newLab();
    await serverListening(lab);
    expect(await ret(lab, 'server', 'socket')).toEqual({ ret: 4 });
    expect(await ret(lab, 'server', 'bind', { fd: 4, host: '127.0.0.1', port: lab.defaultPort() })).toEqual({
      ret: -1,
      errno: 'EADDRINUSE',
    });
    // Also when the other socket is only bound (the kernel does not see it yet).
    expect(await ret(lab, 'client', 'socket')).toEqual({ ret: 3 });
    const p = await freePort();
    expect(await ret(lab, 'client', 'bind', { fd: 3, host: '127.0.0.1', port: p })).toEqual({ ret: 0 });
    expect(await ret(lab, 'server', 'bind', { fd: 4, host: '127.0.0.1', port: p })).toEqual({
      ret: -1,
      errno: 'EADDRINUSE',
    });
  });

  it('bind fails with EADDRINUSE against a plain net.Server outside the lab, and works once it is gone', async () => {
    const lab = await newLab();
    const outside = net.createServer();
    await new Promise<void>((r) => outside.listen(0, '127.0.0.1', r));
    const port = (outside.address() as net.AddressInfo).port;
    expect(await ret(lab, 'server', 'socket')).toEqual({ ret: 3 });
    expect(await ret(lab, 'server', 'bind', { fd: 3, host: '127.0.0.1', port })).toEqual({
      ret: -1,
      errno: 'EADDRINUSE',
    });
    await new Promise<void>((r) => outside.close(() => r()));
    expect(await ret(lab, 'server', 'bind', { fd: 3, host: '127.0.0.1', port })).toEqual({ ret: 0 });
  });

  it('bind() alone reserves the port: a bind or listen by another program there fails EADDRINUSE', async () => {
    const lab = await newLab();
    const port = await freePort();
    expect(await ret(lab, 'server', 'socket')).toEqual({ ret: 3 });
    expect(await ret(lab, 'server', 'bind', { fd: 3, host: '127.0.0.1', port })).toEqual({ ret: 0 });
    const outside = net.createServer();
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      outside.once('error', resolve);
      outside.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve(null));
    });
    outside.close();
    expect(err?.code).toBe('EADDRINUSE');
    if (isLinux) expect((await kernelRows(port)).filter((r) => r.state === 'LISTEN')).toEqual([]);
  });

  it('bind refuses addresses outside loopback and picks a real port for 0', async () => {
    const lab = await newLab();
    expect(await ret(lab, 'server', 'socket')).toEqual({ ret: 3 });
    expect(await ret(lab, 'server', 'bind', { fd: 3, host: '8.8.8.8', port: 80 })).toEqual({
      ret: -1,
      errno: 'EADDRNOTAVAIL',
    });
    expect(said(lab.view().actors['server']!.last?.detail)).toMatch(/^note.notLoopback /);
    expect(await ret(lab, 'server', 'bind', { fd: 3, host: 'example.com', port: 80 })).toEqual({
      ret: -1,
      errno: 'EADDRNOTAVAIL',
    });
    expect(await ret(lab, 'server', 'bind', { fd: 3, host: '::1', port: 0 })).toEqual({
      ret: -1,
      errno: 'EAFNOSUPPORT',
    });
    expect(await ret(lab, 'server', 'bind', { fd: 3, host: 'localhost', port: 0 })).toEqual({ ret: 0 });
    const local = sockOf(lab.view(), 'server', 3).local!;
    expect(local.host).toBe('127.0.0.1');
    expect(local.port).toBeGreaterThan(0);
    expect(await ret(lab, 'server', 'bind', { fd: 3, host: '127.0.0.1', port: 0 })).toEqual({
      ret: -1,
      errno: 'EINVAL',
    });
    expect(await ret(lab, 'server', 'accept', { fd: 3 })).toEqual({ ret: -1, errno: 'EINVAL' });
  });
});

describe('errors and interrupts', () => {
  it('connect to a port nobody listens on returns -1 ECONNREFUSED, the socket back in CLOSED', async () => {
    const lab = await newLab();
    const port = await freePort();
    expect(await ret(lab, 'client', 'socket')).toEqual({ ret: 3 });
    expect(await ret(lab, 'client', 'connect', { fd: 3, host: '127.0.0.1', port })).toEqual({
      ret: -1,
      errno: 'ECONNREFUSED',
    });
    const s = sockOf(lab.view(), 'client', 3);
    expect(s.transitions.map((t) => t.to)).toEqual(['SYN_SENT', 'CLOSED']);
    const segs = lab.view().segments.map((g) => g.flags.join('+'));
    expect(segs).toEqual(['SYN', 'RST+ACK']);
    expect(await ret(lab, 'client', 'connect', { fd: 3, host: '10.0.0.1', port })).toEqual({
      ret: -1,
      errno: 'EACCES',
    });
  });

  it('interrupt makes a blocked call return -1 EINTR and leaves the socket as it was', async () => {
    const lab = await newLab();
    await serverListening(lab);
    const o = await call(lab, 'server', 'accept', { fd: 3 });
    expect(o.status).toBe('blocked');
    const stepWhileBlocked = await lab.handle({ type: 'step', actor: 'server' });
    expect(stepWhileBlocked).toEqual({
      ok: false,
      error: expect.stringMatching(/server is blocked in accept\(\)/),
      refusal: {
        code: 'refusal.blocked',
        params: expect.objectContaining({ actor: 'server', call: 'accept' }),
      },
    });
    const r = await lab.handle({ type: 'interrupt', actor: 'server' });
    expect(r).toEqual({ ok: true, value: { callId: o.callId, status: 'returned', ret: -1, errno: 'EINTR' } });
    expect(lab.view().actors['server']!.current).toBeNull();
    expect(sockOf(lab.view(), 'server', 3).state).toBe('LISTEN');
    expect(await lab.handle({ type: 'interrupt', actor: 'server' })).toMatchObject({ ok: false });
    // The listener still works.
    expect(await ret(lab, 'client', 'socket')).toEqual({ ret: 3 });
    expect(
      await ret(lab, 'client', 'connect', { fd: 3, host: '127.0.0.1', port: lab.defaultPort() }),
    ).toEqual({ ret: 0 });
    await waitFor(lab, (v) => sockOf(v, 'server', 3).acceptQueue?.length === 1, 'queued connection');
    expect(await ret(lab, 'server', 'accept', { fd: 3 })).toEqual({ ret: 4 });
  });

  it('bad commands are rejected with a clear error and no event', async () => {
    const lab = await newLab();
    const before = lab.events().length;
    const bad: unknown[] = [
      null,
      { type: 'nope' },
      {
        type: 'call',
        actor: 'server',
        call: { call: 'bind', args: { fd: 3, host: '127.0.0.1', port: 70000 } },
      },
      { type: 'call', actor: 'server', call: { call: 'write', args: { fd: 3, data: 'x', fill: 3 } } },
      { type: 'call', actor: 'ghost', call: { call: 'socket', args: {} } },
      { type: 'call', actor: 'Server!', call: { call: 'socket', args: {} } },
      { type: 'step', actor: 'ghost' },
      { type: 'interrupt', actor: 'client' },
      { type: 'loadProgram', actor: 'client', program: { name: 'x', lines: [] } },
      { type: 'loadProgram', actor: 'client', program: { name: 'x', lines: [{ code: 'goto', jump: 5 }] } },
    ];
    for (const b of bad) {
      const r = await lab.handle(b);
      expect(r.ok, JSON.stringify(b)).toBe(false);
      if (!r.ok) expect(r.error.length).toBeGreaterThan(5);
    }
    expect(lab.events().length).toBe(before);
  });

  it('limits: descriptors per actor (EMFILE), bytes per write (rejected), actors (rejected)', async () => {
    const lab = await newLab({ limits: { fdsPerActor: 2, bytesPerWrite: 10, actors: 3 } });
    expect((await ret(lab, 'client', 'socket')).ret).toBe(3);
    expect((await ret(lab, 'client', 'socket')).ret).toBe(4);
    expect(await ret(lab, 'client', 'socket')).toEqual({ ret: -1, errno: 'EMFILE' });
    const before = lab.events().length;
    const w = await lab.handle({
      type: 'call',
      actor: 'client',
      call: { call: 'write', args: { fd: 3, fill: 11 } },
    });
    expect(w).toMatchObject({ ok: false, error: expect.stringMatching(/limit/) });
    expect(lab.events().length).toBe(before);
    expect(await lab.handle({ type: 'addClient' })).toEqual({ ok: true, value: 'client2' });
    expect(await lab.handle({ type: 'addClient' })).toMatchObject({ ok: false });
    expect(lab.view().actorOrder).toEqual(['server', 'client', 'client2']);
  });
});

describe('more limits and listener close', () => {
  it('closing a listener resets the connections still in its accept queue', async () => {
    const lab = await newLab();
    await serverListening(lab);
    expect(await ret(lab, 'client', 'socket')).toEqual({ ret: 3 });
    expect(
      await ret(lab, 'client', 'connect', { fd: 3, host: '127.0.0.1', port: lab.defaultPort() }),
    ).toEqual({ ret: 0 });
    await waitFor(lab, (v) => sockOf(v, 'server', 3).acceptQueue?.length === 1, 'a queued connection');
    const client = sockOf(lab.view(), 'client', 3).id;
    expect(await ret(lab, 'server', 'close', { fd: 3 })).toEqual({ ret: 0 });
    // The kernel resets the queued connection: the client's read says so.
    const r = await call(lab, 'client', 'read', { fd: 3 });
    const n = r.status === 'returned' ? r : await returned(lab, 'client', r.callId);
    expect(n).toMatchObject({ ret: -1, errno: 'ECONNRESET' });
    await modelState(lab, client, 'CLOSED');
    if (isLinux)
      expect((await kernelRows(lab.defaultPort())).filter((x) => x.state !== 'TIME_WAIT')).toEqual([]);
  });
});

describe('the default programs', () => {
  it('step to completion: the client sends hello, the server echoes it, both close', async () => {
    const lab = await newLab();
    const next = async (actor: string) => {
      const r = await lab.handle({ type: 'step', actor, unit: 'call' });
      if (!r.ok) throw new Error(r.error);
      return r.value;
    };
    expect(await next('server')).toMatchObject({ status: 'returned', ret: 3 }); // socket
    expect(await next('server')).toMatchObject({ status: 'returned', ret: 0 }); // bind
    expect(await next('server')).toMatchObject({ status: 'returned', ret: 0 }); // listen
    expect(await next('server')).toMatchObject({ status: 'blocked', reason: 'no-connection' });
    const acceptLine = lab.view().actors['server']!.current!.line!;
    expect(lineText(lab, 'server', acceptLine)).toContain('accept(listenfd');
    expect(await next('client')).toMatchObject({ status: 'returned', ret: 3 }); // socket
    expect(await next('client')).toMatchObject({ status: 'returned', ret: 0 }); // connect
    await waitFor(lab, (v) => varOf(v, 'server', 'connfd') === '4', 'accept to return connfd 4');
    expect(lab.view().actors['server']!.pc).toBeGreaterThan(acceptLine);
    expect(await next('client')).toMatchObject({ status: 'returned', ret: 5 }); // write hello
    expect(await next('server')).toMatchObject({ status: 'returned', ret: 5 }); // read
    expect(varOf(lab.view(), 'server', 'buf')).toBe('"hello"');
    expect(await next('server')).toMatchObject({ status: 'returned', ret: 5 }); // write echo
    expect(await next('client')).toMatchObject({ status: 'returned', ret: 5 }); // read
    expect(await next('client')).toMatchObject({ status: 'returned', ret: 0 }); // close
    await lab.handle({ type: 'run', actor: 'client' });
    expect(lab.view().actors['client']!.end).toEqual({ how: 'exit', status: 0 });
    expect(await next('server')).toMatchObject({ status: 'returned', ret: 0 }); // read → 0 (FIN)
    expect(await next('server')).toMatchObject({ status: 'returned', ret: 0 }); // close(connfd)
    expect(await next('server')).toMatchObject({ status: 'returned', ret: 0 }); // close(listenfd)
    await lab.handle({ type: 'run', actor: 'server' });
    expect(lab.view().actors['server']!.pc).toBeNull();
    expect(lab.view().actors['server']!.end).toEqual({ how: 'exit', status: 0 });
    expect(await lab.handle({ type: 'step', actor: 'server' })).toMatchObject({ ok: false });
    const v = lab.view();
    expect(v.actors['server']!.fds).toEqual({});
    expect(v.actors['client']!.fds).toEqual({});
    const out = (id: string) => v.actors[id]!.output.map((c) => c.text).join('');
    expect(out('server')).toContain('read 5 bytes: hello');
    expect(out('client')).toContain('hello');
  });

  it('run goes until a call blocks', async () => {
    const lab = await newLab();
    const r = await lab.handle({ type: 'run', actor: 'server' });
    expect(r).toMatchObject({ ok: true, value: { status: 'blocked', reason: 'no-connection' } });
    const c = await lab.handle({ type: 'run', actor: 'client' });
    // The client connects, writes and then blocks in read until the server echoes.
    expect(c).toMatchObject({ ok: true, value: { status: 'blocked', reason: 'recv-empty' } });
  });
});
