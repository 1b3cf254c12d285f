/**
 * The C subset checker on tree-sitter-c's real trees: classic echo programs (read/write,
 * poll, select) pass, and gcc agrees they are C; each construct outside the subset is refused
 * with its code at its line and column; a syntax error is marked where it is; the tests see
 * every code given. (That each code is said in English and Chinese with exactly its
 * parameters is test/renderer/messages.test.ts: the codes are in MESSAGE_CODES.)
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { Language, Parser } from 'web-tree-sitter';
import {
  C_PROBLEM_CODES,
  CONSTANT_NAMES,
  HEADERS,
  LIB_CALLABLES,
  LIB_FUNCTIONS,
  MAX_DEPTH,
  MAX_PROBLEMS,
  checkProgram,
} from '../../../app/contract/c/subset';
import { MAX_PROGRAM_CHARS, ProgramProblemSchema } from '../../../app/contract/program';

let parser: Parser;
beforeAll(async () => {
  await Parser.init();
  const C = await Language.load('node_modules/tree-sitter-c/tree-sitter-c.wasm');
  parser = new Parser();
  parser.setLanguage(C);
});

/** The problems of a source, as code, parameters and place. */
function check(source: string) {
  const tree = parser.parse(source)!;
  try {
    return checkProgram(tree.rootNode).map((p) => {
      expect(ProgramProblemSchema.parse(p)).toEqual(p);
      const { text, ...where } = p;
      const m = text as { code: string; params?: Record<string, string | number> };
      return { code: m.code, params: m.params, ...where };
    });
  } finally {
    tree.delete();
  }
}

/** The 1-based line and column of the first `mark` in `source`. */
function at(source: string, mark: string) {
  const i = source.indexOf(mark);
  if (i < 0) throw new Error(`${mark} not in source`);
  const before = source.slice(0, i).split('\n');
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}

const HEAD = `#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
`;
/** A program whose main holds `body`, after `top` at the top level. */
const inMain = (body: string, top = '') => `${HEAD}${top}\nint main(void) {\n    ${body}\n    return 0;\n}\n`;

const ECHO_SERVER = `#define _POSIX_C_SOURCE 200809L
${HEAD}#include <stdlib.h>
#include <errno.h>
#ifndef PORT
#define PORT 5000
#endif
#define BUF_SIZE 1024

static int listen_on(unsigned short port);

int main(void) {
    int lfd = listen_on(PORT);
    if (lfd < 0) return EXIT_FAILURE;
    struct sockaddr_in peer;
    socklen_t len = sizeof(peer);
    int cfd = accept(lfd, (struct sockaddr *)&peer, &len);
    if (cfd == -1) { perror("accept"); exit(1); }
    char who[INET_ADDRSTRLEN], buf[BUF_SIZE];
    inet_ntop(AF_INET, &peer.sin_addr, who, sizeof who);
    printf("connection from %s:%d\\n", who, ntohs(peer.sin_port));
    ssize_t n;
    while ((n = read(cfd, buf, sizeof(buf))) > 0) {
        for (ssize_t off = 0, w; off < n; off += w) {
            w = write(cfd, buf + off, (size_t)(n - off));
            if (w < 0) { perror("write"); break; }
        }
    }
    if (n < 0 && errno != EINTR) fputs(strerror(errno), stderr);
    close(cfd);
    close(lfd);
    return 0;
}

static int listen_on(unsigned short port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0), yes = 1;
    if (fd < 0) { perror("socket"); return -1; }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET; addr.sin_port = htons(port); addr.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 5) < 0) {
        perror("bind/listen");
        close(fd);
        return -1;
    }
    return fd;
}
`;

const ECHO_CLIENT = `${HEAD}#include <stdlib.h>
#include <netinet/tcp.h>
#define HOST "127.0.0.1"
#define MESSAGE "hello, " "server\\n"

int send_all(int fd, const char *data, size_t len) {
    for (size_t sent = 0; sent < len;) {
        ssize_t w = send(fd, data + sent, len - sent, MSG_NOSIGNAL);
        if (w <= 0) return -1;
        sent += (size_t)w;
    }
    return 0;
}

int main(int argc, char *argv[]) {
    int port = argc > 1 ? atoi(argv[1]) : 5000;
    int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), one = 1, total = 0;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    struct linger lg = { .l_onoff = 1, .l_linger = 0 };
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    struct sockaddr_in server = {0};
    server.sin_family = AF_INET; server.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, HOST, &server.sin_addr) != 1) { fputs("bad address\\n", stderr); return 1; }
    if (connect(fd, (struct sockaddr *)&server, sizeof server) < 0) { perror("connect"); return 1; }
    if (send_all(fd, MESSAGE, strlen(MESSAGE)) < 0) perror("send");
    int err = 0;
    socklen_t elen = sizeof(socklen_t);
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
    shutdown(fd, SHUT_WR);
    char reply[256], line[64];
    ssize_t n;
    while ((n = recv(fd, reply, sizeof(reply) - 1, 0)) > 0) {
        reply[n] = '\\0';
        total += (int)n;
        printf("%s", reply);
    }
    snprintf(line, sizeof line, "%*d bytes (%-5s|%x|%c|%lu|%zu|%%)", 4, total, "ok", 255u, 'z', 10ul, sizeof line);
    puts(line);
    close(fd);
    return EXIT_SUCCESS;
}
`;

const POLL_SERVER = `#define _GNU_SOURCE
${HEAD}#include <errno.h>
#include <fcntl.h>
#include <poll.h>

struct pollfd fds[3];
int nfds = 1;

static void set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

int main(void) {
    int lfd = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 addr;
    memset(&addr, 0, sizeof addr);
    addr.sin6_family = AF_INET6; addr.sin6_port = htons(5001); addr.sin6_addr = in6addr_loopback;
    if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0) { perror("bind"); return 1; }
    listen(lfd, SOMAXCONN);
    set_nonblocking(lfd);
    fds[0].fd = lfd; fds[0].events = POLLIN;
    for (;;) {
        int ready = poll(fds, (unsigned long)nfds, -1);
        if (ready < 0) { if (errno == EINTR) continue; break; }
        for (int i = nfds - 1, seen = 0; i >= 0 && seen < ready; i--) {
            short re = fds[i].revents;
            if (re == 0) continue;
            seen++;
            if (fds[i].fd == lfd) {
                struct sockaddr_storage ss; socklen_t len = sizeof ss;
                int c = accept(lfd, (struct sockaddr *)&ss, &len);
                if (c < 0) continue;
                if (nfds == 3) { close(c); continue; }
                set_nonblocking(c);
                fds[nfds].fd = c;
                fds[nfds].events = POLLIN | POLLRDHUP;
                fds[nfds++].revents = 0;
            } else if (re & (POLLIN | POLLHUP | POLLERR)) {
                char buf[512];
                ssize_t n = read(fds[i].fd, buf, sizeof buf);
                if (n > 0) write(fds[i].fd, buf, (size_t)n);
                else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                    close(fds[i].fd);
                    fds[i] = fds[--nfds];
                }
            }
        }
    }
    return 0;
}
`;

const SELECT_SERVER = `#define _DEFAULT_SOURCE
${HEAD}#include <stdlib.h>
#include <sys/select.h>

int clients[4] = { -1, -1, -1, -1 };
const int nclients = sizeof clients / sizeof clients[0];

int max(int a, int b) { return a > b ? a : b; }
int fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }

int main(void) {
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(5002) };
    addr.sin_addr.s_addr = inet_addr("127.0.0.1");
    bind(lfd, (struct sockaddr *)&addr, sizeof addr); listen(lfd, 8);
    struct timeval tv;
    fd_set readfds;
    unsigned long rounds = 0UL;
    do {
        memset(&readfds, 0, sizeof(fd_set));
        FD_ZERO(&readfds); FD_SET(lfd, &readfds);
        int top = lfd;
        for (int i = 0; i < nclients; ++i)
            if (clients[i] >= 0) { FD_SET(clients[i], &readfds); top = max(top, clients[i]); }
        tv.tv_sec = 5; tv.tv_usec = 0;
        switch (select(top + 1, &readfds, NULL, NULL, &tv)) {
        case -1: perror("select"); exit(EXIT_FAILURE);
        case 0: puts("timeout"); continue;
        default: break;
        }
        if (FD_ISSET(lfd, &readfds)) {
            int c = accept(lfd, NULL, NULL), placed = 0;
            for (int i = 0; i < nclients && !placed; i++)
                if (clients[i] < 0) { clients[i] = c; placed = 1; }
            if (!placed) close(c);
        }
        for (int i = 0; i < nclients; i++) {
            int fd = clients[i];
            if (fd < 0 || !FD_ISSET(fd, &readfds)) continue;
            char buf[128], out[160] = "echo: ", *p = buf;
            ssize_t got = recv(fd, buf, sizeof buf - 1, 0);
            if (got <= 0) { FD_CLR(fd, &readfds); close(fd); clients[i] = -1; continue; }
            buf[got] = 0;
            while (*p != '\\0' && *p != '\\n') p++;
            *p = '\\0';
            if (strcmp(buf, "quit") == 0 || strncmp(buf, "bye", 3) == 0) shutdown(fd, SHUT_RDWR);
            strcat(out, buf);
            send(fd, out, strlen(out), 0);
        }
        usleep(1000);
    } while (++rounds < 1000u && fact(3) == 6);
    printf("%lu rounds\\n", rounds);
    return 0;
}
`;

/** Casts to typedef names the grammar reads as a subtraction, a product, a call (C reads casts). */
const TYPEDEF_CASTS = inMain(
  'int k = 2; socklen_t len = 4, *lp = &len; in_addr_t a = (in_addr_t)-1 >> 1; in_port_t p = (in_port_t)(k + 1);\n' +
    '    socklen_t m = (socklen_t)-k * 2 + (socklen_t)*lp + (socklen_t)+k; int i = (int)(socklen_t)-1;\n' +
    '    printf("%u %u %u %d\\n", a, (unsigned)p, m, i);',
);

const gcc = spawnSync('gcc', ['--version']).status === 0;

describe('the C subset accepts classic socket programs', () => {
  const programs = { ECHO_SERVER, ECHO_CLIENT, POLL_SERVER, SELECT_SERVER, TYPEDEF_CASTS };
  for (const [name, source] of Object.entries(programs)) {
    it(`${name} has no problem`, () => expect(check(source)).toEqual([]));
    it.runIf(gcc)(`${name} is C: gcc -std=c11 -Wall -Wextra -Werror compiles it`, () => {
      const args = ['-std=c11', '-Wall', '-Wextra', '-Werror', '-x', 'c', '-c', '-', '-o', '/dev/null'];
      const r = spawnSync('gcc', args, { input: source, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }

  it('exports what the subset is, for the interpreter', () => {
    expect(LIB_FUNCTIONS).toContain('inet_pton');
    expect(LIB_CALLABLES).toContain('FD_ISSET');
    expect(HEADERS).toContain('poll.h');
    expect(CONSTANT_NAMES).toEqual(expect.arrayContaining(['SO_REUSEADDR', 'ECONNRESET', 'POLLRDHUP']));
  });
});

/** [what, source, code, parameters, where the problem starts]. */
type Case = [string, string, string, Record<string, string | number> | undefined, string];
// prettier-ignore
const CASES: Case[] = [
  ['goto', inMain('goto out;'), 'c.unsupportedStatement', { construct: 'goto' }, 'goto'],
  ['a label', inMain('x: ;'), 'c.label', { name: 'x' }, 'x:'],
  ['asm', inMain('asm("nop");'), 'c.unsupportedStatement', { construct: 'asm' }, 'asm'],
  ['fork()', inMain('fork();', '#include <stdlib.h>'), 'c.notAvailable', { name: 'fork' }, 'fork'],
  ['malloc()', inMain('char *p = malloc(4); (void)p;'), 'c.notAvailable', { name: 'malloc' }, 'malloc'],
  ['pthread_create()', inMain('pthread_create(0, 0, 0, 0);'), 'c.notAvailable', { name: 'pthread_create' }, 'pth'],
  ['an unknown call', inMain('frob(1);'), 'c.unknownFunction', { name: 'frob' }, 'frob'],
  ['SOCK_DGRAM', inMain('socket(AF_INET, SOCK_DGRAM, 0);'), 'c.constantNotAvailable', { name: 'SOCK_DGRAM' }, 'SOCK_D'],
  ['an undeclared name', inMain('count = 1;'), 'c.unknownName', { name: 'count' }, 'count'],
  ['an unknown field', inMain('struct sockaddr_in a; a.sin_prt = 0;'), 'c.unknownField', { name: 'sin_prt' }, 'sin_prt'],
  ['<netdb.h>', inMain(';', '#include <netdb.h>'), 'c.unknownHeader', { header: '<netdb.h>' }, '<netdb.h>'],
  ['a local header', inMain(';', '#include "mine.h"'), 'c.unknownHeader', { header: '"mine.h"' }, '"mine.h"'],
  ['#if', inMain(';', '#if 1\n#endif'), 'c.preprocessor', { directive: '#if' }, '#if'],
  ['#pragma', inMain(';', '#pragma once'), 'c.preprocessor', { directive: '#pragma' }, '#pragma'],
  ['#ifdef around code', inMain(';', '#ifdef D\nint d;\n#endif'), 'c.ifdefBody', { directive: '#ifdef' }, 'int d'],
  ['#define in main', inMain('#define N 1\n'), 'c.directivePlace', { directive: '#define' }, '#define'],
  ['a function-like macro', inMain(';', '#define SQ(x) ((x) * (x))'), 'c.functionMacro', { name: 'SQ' }, '#define'],
  ['a macro of code', inMain(';', '#define LOOP while (1)'), 'c.defineValue', { name: 'LOOP' }, 'while'],
  ['float', inMain('float f; (void)f;'), 'c.unsupportedType', { type: 'float' }, 'float'],
  ['a union', inMain('union u { int a; } x; (void)x;'), 'c.unsupportedType', { type: 'union u' }, 'union'],
  ['an enum', inMain(';', 'enum color { RED };'), 'c.unsupportedType', { type: 'enum color' }, 'enum'],
  ['a struct of its own', inMain(';', 'struct pt { int x : 3; };'), 'c.structDefinition', { name: 'struct pt' }, 'struct pt'],
  ['an unknown struct', inMain('struct pt *p = 0; (void)p;'), 'c.unsupportedType', { type: 'struct pt' }, 'struct pt'],
  ['void *', inMain(';', 'void *vp;'), 'c.unsupportedType', { type: 'void *' }, '*vp'],
  ['typedef', inMain(';', 'typedef int num;'), 'c.unsupportedKeyword', { keyword: 'typedef' }, 'typedef'],
  ['extern', inMain(';', 'extern int shared;'), 'c.unsupportedKeyword', { keyword: 'extern' }, 'extern'],
  ['volatile', inMain('volatile int v = 0; (void)v;'), 'c.unsupportedKeyword', { keyword: 'volatile' }, 'volatile'],
  ['a function pointer', inMain(';', 'int (*fp)(int);'), 'c.functionPointer', undefined, '(*fp)'],
  ['a function as a value', inMain('long f = (long)main; (void)f;'), 'c.functionPointer', undefined, 'main;'],
  ['a nested function', inMain('int in(void) { return 1; }'), 'c.functionInFunction', { name: 'in' }, 'int in'],
  ['a variadic function', inMain(';', 'int sum(int n, ...);'), 'c.variadic', { name: 'sum' }, '...'],
  ['a K&R definition', inMain(';', 'int old(a) int a; { return a; }'), 'c.krDefinition', { name: 'old' }, 'old('],
  ['a 2-D array', inMain('int g[3][3]; (void)g;'), 'c.array2d', { name: 'g' }, 'g['],
  ['a pointer to a pointer', inMain('int **pp = 0; (void)pp;'), 'c.pointerToPointer', { name: 'pp' }, '**pp'],
  ['a VLA', inMain('int n = 3; int v[n]; (void)v;'), 'c.vla', { name: 'v' }, 'n]'],
  ['a global set by a call', inMain(';', 'int fd = socket(AF_INET, SOCK_STREAM, 0);'), 'c.globalInit', { name: 'fd' }, 'socket('],
  ['an array without size', inMain('int v[]; (void)v;'), 'c.arraySize', { name: 'v' }, 'v[]'],
  ['a case not constant', inMain('int n = 1; switch (n) { case n: break; }'), 'c.caseValue', undefined, 'n: break'],
  ['case outside a switch', inMain('case 1: ;'), 'c.caseOutside', { keyword: 'case' }, 'case'],
  ['a declaration after case', inMain('switch (1) { case 1: int k = 0; (void)k; }'), 'c.caseDeclaration', undefined, 'int k'],
  ['break outside', inMain('break;'), 'c.breakOutside', undefined, 'break'],
  ['continue in a switch', inMain('switch (1) { default: continue; }'), 'c.continueOutside', undefined, 'continue'],
  ['the comma operator', inMain('int a = 0; a = (a++, 2);'), 'c.comma', undefined, 'a++,'],
  ['a compound literal', inMain('struct sockaddr_in a = (struct sockaddr_in){ 0 };'), 'c.compoundLiteral', undefined, '(struct sockaddr_in){'],
  ['a statement expression', inMain('int a = ({ 1; }); (void)a;'), 'c.statementExpression', undefined, '({'],
  ['a floating literal', inMain('int a = 1.5; (void)a;'), 'c.floatingPoint', { text: '1.5' }, '1.5'],
  ['a binary literal', inMain('int a = 0b101; (void)a;'), 'c.number', { text: '0b101' }, '0b101'],
  ['a typedef name as a value', inMain('int n = 1 + (in_port_t); (void)n;'), 'c.typedefCast', { type: 'in_port_t', instead: 'uint16_t' }, '(in_port_t);'],
  ['a bad escape', inMain("char c = '\\q'; (void)c;"), 'c.escape', { text: '\\q' }, '\\q'],
  ['a wide string', inMain('puts(L"x");'), 'c.unsupportedExpression', { construct: 'L"x"' }, 'L"x"'],
  ['_Generic', inMain('int a = _Generic(1, int: 2); (void)a;'), 'c.unsupportedExpression', { construct: '_Generic' }, '_G'],
  ['strlen without <string.h>', 'int main(void) { return (int)strlen("a"); }', 'c.needsHeader', { name: 'strlen', header: 'string.h' }, 'strlen'],
  ['POLLRDHUP without _GNU_SOURCE', inMain('return POLLRDHUP;', '#include <poll.h>'), 'c.needsFeature', { name: 'POLLRDHUP', macro: '_GNU_SOURCE' }, 'POLLRDHUP'],
  ['a call above its definition', inMain('f();', '') + 'void f(void) {}\n', 'c.declareBefore', { name: 'f' }, 'f();'],
  ['a function named close', inMain(';', 'int close(int fd) { return fd; }'), 'c.redefinesLibrary', { name: 'close' }, 'close('],
  ['a name declared twice', inMain('int k, k;'), 'c.redefined', { name: 'k' }, 'k;'],
  ['write() with 4 arguments', inMain('write(1, "x", 1, 0);'), 'c.argCount', { name: 'write', want: 3, got: 4 }, 'write'],
  ['fcntl() with 1', inMain('fcntl(3);', '#include <fcntl.h>'), 'c.argCountRange', { name: 'fcntl', min: 2, max: 3, got: 1 }, 'fcntl('],
  ['printf() with none', inMain('printf();'), 'c.argCountMin', { name: 'printf', min: 1, got: 0 }, 'printf'],
  ['a format with too few values', inMain('printf("%d %s", 1);'), 'c.formatArgs', { name: 'printf', want: 2, got: 1 }, '"%d'],
  ['%f', inMain('printf("%5.2f", 1);'), 'c.formatConversion', { name: 'printf', conv: '%5.2f' }, '"%5'],
  ['void main', 'void main(void) { }\n', 'c.mainSignature', undefined, 'main'],
  ['no main', `${HEAD}int helper(void) { return 0; }\n`, 'c.noMain', undefined, '#include'],
];

describe('the C subset refuses what it has not, at its place', () => {
  for (const [what, source, code, params, mark] of CASES) {
    it(`${what}: ${code}`, () => {
      const got = check(source);
      expect(got.map((p) => p.code)).toEqual([code]);
      expect(got[0]).toMatchObject({ params, ...at(source, mark) });
    });
  }

  it('says where: line and column from 1, the end just after the construct', () => {
    const source = inMain('int a = 0;\n    goto done;');
    const goto = { code: 'c.unsupportedStatement', params: { construct: 'goto' } };
    expect(check(source)).toEqual([{ ...goto, line: 10, col: 5, endLine: 10, endCol: 15 }]);
  });

  it('a missing semicolon is c.missing at its place; an ERROR node is c.syntax near its text', () => {
    const missing = { code: 'c.missing', params: { what: ';' }, line: 9, col: 15, endLine: 9, endCol: 15 };
    expect(check(inMain('puts("hi")'))).toEqual([missing]);
    const error = { code: 'c.syntax', params: { near: '3' }, line: 9, col: 9, endLine: 9, endCol: 10 };
    expect(check(inMain('int 3x = 0;'))).toEqual([error]);
  });

  it('stops after MAX_PROBLEMS problems, saying so', () => {
    const got = check(inMain(Array.from({ length: 80 }, (_, i) => `v${i} = 1;`).join('\n')));
    expect(got).toHaveLength(MAX_PROBLEMS + 1);
    expect(got.at(-1)).toMatchObject({ code: 'c.tooMany', params: { max: MAX_PROBLEMS } });
  });

  it('refuses nesting deeper than MAX_DEPTH without exhausting the stack, and a source too long', () => {
    const deep = inMain(`int a = ${'('.repeat(5000)}1${')'.repeat(5000)}; (void)a;`);
    expect(check(deep)).toMatchObject([{ code: 'c.tooDeep', params: { max: MAX_DEPTH } }]);
    const long = inMain(`/* ${'x'.repeat(MAX_PROGRAM_CHARS)} */`);
    expect(check(long).map((p) => p.code)).toEqual(['c.tooLong']);
  });
});

describe('C problem codes', () => {
  it('every code is one the tests see the checker give', () => {
    const others = ['c.syntax', 'c.missing', 'c.tooMany', 'c.tooDeep', 'c.tooLong'];
    const seen = new Set([...CASES.map((c) => c[2]), ...others]);
    expect(C_PROBLEM_CODES.filter((c) => !seen.has(c))).toEqual([]);
  });
});
