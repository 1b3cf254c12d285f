/**
 * The default programs: the classic echo server and its client, as the course text writes
 * them. `PORT` is a program variable the lab sets in every actor at reset (a free loopback
 * port it picked), so the client connects where the server listens.
 */
import type { Program } from '../contract/schema';

/** The classic iterative echo server: accept one client, echo until EOF, close. */
export const DEFAULT_SERVER_PROGRAM: Program = {
  name: 'echo server',
  lines: [
    { code: 'int listenfd = socket(AF_INET, SOCK_STREAM, 0);', call: 'socket', args: {}, assign: 'listenfd' },
    {
      code: 'bind(listenfd, 127.0.0.1, PORT);',
      call: 'bind',
      args: { fd: { var: 'listenfd' }, host: '127.0.0.1', port: { var: 'PORT' } },
    },
    { code: 'listen(listenfd, 5);', call: 'listen', args: { fd: { var: 'listenfd' }, backlog: 5 } },
    {
      code: 'int connfd = accept(listenfd, NULL, NULL);',
      call: 'accept',
      args: { fd: { var: 'listenfd' } },
      assign: 'connfd',
    },
    { code: 'for (;;) {' },
    {
      code: '    n = read(connfd, buf, sizeof buf);',
      call: 'read',
      args: { fd: { var: 'connfd' }, max: 1024 },
      assign: 'n',
      store: 'buf',
    },
    { code: '    if (n <= 0) break;', jump: 9, when: { var: 'n', op: '<=', value: 0 } },
    {
      code: '    write(connfd, buf, n);',
      call: 'write',
      args: { fd: { var: 'connfd' }, data: { var: 'buf' } },
    },
    { code: '}', jump: 5 },
    { code: 'close(connfd);', call: 'close', args: { fd: { var: 'connfd' } } },
    { code: 'close(listenfd);', call: 'close', args: { fd: { var: 'listenfd' } } },
  ],
};

/** The classic client: connect, send "hello", read the answer, close. */
export const DEFAULT_CLIENT_PROGRAM: Program = {
  name: 'echo client',
  lines: [
    { code: 'int sockfd = socket(AF_INET, SOCK_STREAM, 0);', call: 'socket', args: {}, assign: 'sockfd' },
    {
      code: 'connect(sockfd, 127.0.0.1, PORT);',
      call: 'connect',
      args: { fd: { var: 'sockfd' }, host: '127.0.0.1', port: { var: 'PORT' } },
    },
    { code: 'write(sockfd, "hello", 5);', call: 'write', args: { fd: { var: 'sockfd' }, data: 'hello' } },
    {
      code: 'n = read(sockfd, buf, sizeof buf);',
      call: 'read',
      args: { fd: { var: 'sockfd' }, max: 1024 },
      assign: 'n',
      store: 'buf',
    },
    { code: 'close(sockfd);', call: 'close', args: { fd: { var: 'sockfd' } } },
  ],
};
