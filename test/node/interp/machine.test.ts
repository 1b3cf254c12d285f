/**
 * The C interpreter on programs without sockets: what they print is what the same program
 * built with gcc prints (where gcc is installed), and each fault stops the program at its line
 * with its code.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgramEnd } from '../../../app/contract';
import { Lab } from '../../../app/core/lab';

let lab: Lab;
beforeAll(async () => {
  lab = await Lab.create({ kernel: 'none' });
});
afterAll(async () => {
  await lab.dispose();
});

const hasGcc = (() => {
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Run `source` as the server's program to its end: what it printed and how it ended. */
async function runC(source: string): Promise<{ out: string; err: string; end: ProgramEnd | null }> {
  const r = await lab.execute({ type: 'loadProgram', actor: 'server', program: { name: 't', source } });
  if (!r.ok) throw new Error(`${r.error} ${JSON.stringify(r.problems)}`);
  for (let i = 0; i < 20 && !lab.view().actors['server']!.end; i++)
    await lab.execute({ type: 'run', actor: 'server' });
  const a = lab.view().actors['server']!;
  const text = (s: string) =>
    a.output
      .filter((c) => c.stream === s)
      .map((c) => c.text)
      .join('');
  return { out: text('stdout'), err: text('stderr'), end: a.end };
}

/** What gcc's build of `source` prints. */
function gccOut(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tcplab-c-'));
  try {
    writeFileSync(join(dir, 't.c'), source);
    execFileSync('gcc', ['-std=c11', '-Wall', '-Wextra', '-Werror', '-o', join(dir, 't'), join(dir, 't.c')]);
    // The program's exit status is its own (PURE returns 3): only its output is compared.
    return spawnSync(join(dir, 't'), { encoding: 'utf8' }).stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PURE = `#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#define N 5
#define GREETING "hi"

int counter = 10;

static int fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }

static void fill(char *p, int n, char c) {
    for (int i = 0; i < n; i++)
        p[i] = c;
    p[n] = '\\0';
}

int main(void) {
    int a[N] = {1, 2, 3};
    long big = 1L << 40;
    unsigned u = 4000000000u;
    char buf[32];
    char name[] = "tcp";
    struct sockaddr_in addr;
    int i = 0, sum = 0;

    printf("%d %d %ld %u %x %X %o|%5d|%-4d|%05d|%c|%s|%%\\n", -7 / 2, -7 % 2, big, u, 255, 255, 8, 42, 7, 42, 'A', GREETING);
    printf("sizes %zu %zu %zu %zu\\n", sizeof a, sizeof(struct sockaddr_in), sizeof(long), sizeof name);
    while (i < N) { sum += a[i]; i++; }
    do { sum *= 2; } while (sum < 100);
    for (i = 0; i < 10; i++) {
        if (i % 2) continue;
        if (i > 6) break;
        sum += i;
    }
    printf("sum %d fact %d counter %d\\n", sum, fact(6), ++counter);
    switch (sum % 4) {
    case 0: printf("zero "); /* falls through */
    case 1: printf("one\\n"); break;
    default: printf("other\\n");
    }
    fill(buf, 3, 'x');
    strcat(buf, name);
    printf("%s %zu %d %d\\n", buf, strlen(buf), strcmp(buf, "xxxtcp"), strncmp("abc", "abd", 2));
    snprintf(buf, sizeof buf, "%s:%d", "127.0.0.1", 5000);
    puts(buf);
    fprintf(stdout, "to stdout %d\\n", 1);
    fprintf(stderr, "to stderr %s\\n", "x");
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(8080);
    inet_pton(AF_INET, "10.1.2.3", &addr.sin_addr);
    struct sockaddr_in *p = &addr;
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &p->sin_addr, text, sizeof text);
    printf("%s %d %u %d\\n", text, ntohs(p->sin_port), (unsigned)addr.sin_addr.s_addr, (int)(sizeof addr.sin_zero));
    char *q = buf + 4;
    printf("%c %ld %d\\n", *q, (long)(q - buf), q > buf);
    unsigned char c = 250;
    c += 10;
    short s = -1;
    printf("%d %d %d %d\\n", c, s, (int)(unsigned short)s, ~5 & 0xff);
    return 3;
}
`;

describe('the C interpreter', () => {
  it('a program without sockets prints what gcc prints and returns its status', async () => {
    const r = await runC(PURE);
    expect(r.end).toEqual({ how: 'exit', status: 3 });
    expect(r.out).toContain('-3 -1 1099511627776 4000000000 ff FF 10|   42|7   |00042|A|hi|%');
    expect(r.out).toContain('sizes 20 16 8 4');
    expect(r.err).toBe('to stderr x\n');
    if (hasGcc) expect(r.out).toBe(gccOut(PURE));
  });

  const faults: [string, string, string, number][] = [
    ['an index out of bounds', 'int a[3];\n  int i = 3;\n  a[i] = 1;', 'fault.outOfBounds', 3],
    ['a read of an uninitialised variable', 'int x;\n  printf("%d\\n", x);', 'fault.uninit', 2],
    ['a division by zero', 'int z = 0;\n  printf("%d\\n", 5 / z);', 'fault.divZero', 2],
    ['a null pointer', 'char *p = NULL;\n  *p = 1;', 'fault.nullPointer', 2],
    ['a dangling pointer', 'int *p = dangle();\n  printf("%d\\n", *p);', 'fault.dangling', 2],
    ['a format that does not match', 'long n = 1;\n  printf("%d\\n", n);', 'fault.format', 2],
    [
      'a string without its NUL',
      "char b[3];\n  b[0] = 'a'; b[1] = 'b'; b[2] = 'c';\n  printf(\"%s\\n\", b);",
      'fault.noString',
      3,
    ],
    ['a write to a string literal', 'char *s = "abc";\n  s[0] = \'x\';', 'fault.readOnly', 2],
    ['endless recursion', 'printf("%d\\n", down(1));', 'fault.stack', 1],
  ];
  /** `line`: the faulting statement's line within the body (main's body starts on line 4). */
  it.each(faults)('%s stops the program at its line with its code', async (_what, body, code, line) => {
    const src = `#include <stdio.h>\nint main(void) {\n  ${body}\n  return 0;\n}\nint *dangle(void) { int x = 1; return &x; }\nint down(int n) { return down(n + 1); }\n`;
    // The helpers come after main: declare them first (line numbers stay those of main).
    const withProtos = src.replace(
      '#include <stdio.h>\n',
      '#include <stdio.h>\nint *dangle(void); int down(int n);\n',
    );
    const r = await runC(withProtos);
    expect(r.end).toMatchObject({ how: 'fault', text: { code } });
    if (code !== 'fault.stack') expect((r.end as { line: number }).line).toBe(line + 3);
    // The lab goes on: the next program runs.
    expect((await runC('int main(void) { return 7; }\n')).end).toEqual({ how: 'exit', status: 7 });
  });

  it("perror prints the C library's text for errno, as the kernel set it", async () => {
    const r = await runC(`#include <stdio.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>
int main(void) {
  if (close(42) < 0) perror("close");
  printf("%d %s\\n", errno == EBADF, strerror(errno));
  return 0;
}
`);
    expect(r.err).toBe('close: Bad file descriptor\n');
    expect(r.out).toBe('1 Bad file descriptor\n');
  });
});

describe('stepping', () => {
  const SRC = `#include <stdio.h>
int twice(int x) {
  return 2 * x;
}
int main(void) {
  int n = 1;
  n = twice(n);
  for (int i = 0; i < 2; i++)
    n++;
  printf("%d\\n", n);
  return 0;
}
`;
  it('step runs one statement and shows the next; frames show the locals with their types', async () => {
    expect(
      await lab.execute({ type: 'loadProgram', actor: 'server', program: { name: 's', source: SRC } }),
    ).toEqual({ ok: true });
    const at = () => lab.view().actors['server']!.pc;
    const lines: (number | null)[] = [at()];
    for (let i = 0; i < 12 && at() !== null; i++) {
      await lab.execute({ type: 'step', actor: 'server' });
      lines.push(at());
      if (at() === 3) {
        const frames = lab.view().actors['server']!.frames;
        expect(frames.map((f) => f.fn)).toEqual(['twice', 'main']);
        expect(frames[0]!.vars).toEqual([{ name: 'x', type: 'int', value: '1' }]);
      }
    }
    expect(lines).toEqual([6, 7, 3, 8, 9, 8, 9, 8, 10, 11, null]);
    expect(lab.view().actors['server']!.output).toEqual([{ stream: 'stdout', text: '4\n' }]);
  });

  it('run stops at a breakpoint, again on the next pass, and a program without calls stops after the budget', async () => {
    await lab.execute({ type: 'loadProgram', actor: 'server', program: { name: 's', source: SRC } });
    expect(await lab.execute({ type: 'run', actor: 'server', breakpoints: [9] })).toEqual({
      ok: true,
      value: 'breakpoint',
    });
    expect(lab.view().actors['server']!.pc).toBe(9);
    expect(await lab.execute({ type: 'run', actor: 'server', breakpoints: [9] })).toEqual({
      ok: true,
      value: 'breakpoint',
    });
    expect(await lab.execute({ type: 'run', actor: 'server', breakpoints: [9] })).toEqual({
      ok: true,
      value: 'ended',
    });
    const spin = 'int main(void) {\n  for (;;) {\n  }\n}\n';
    await lab.execute({ type: 'loadProgram', actor: 'server', program: { name: 'spin', source: spin } });
    expect(await lab.execute({ type: 'run', actor: 'server' })).toEqual({ ok: true, value: 'budget' });
    expect(lab.view().actors['server']!.pc).toBe(2);
    expect(lab.view().notices.at(-1)?.text).toMatchObject({ code: 'fault.budget' });
  });
});

describe('static locals', () => {
  it('keep their value from one call to the next, as in C', async () => {
    const src = `#include <stdio.h>
static int count(void) {
  static int n = 10;
  static char buf[4];
  buf[1] = buf[0] == 'a' ? 'b' : 'a';
  buf[0] = 'a';
  return ++n + (buf[1] == 'b');
}
int main(void) {
  count();
  count();
  printf("%d\\n", count());
  return 0;
}
`;
    const r = await runC(src);
    expect(r.out).toBe('14\n');
    if (hasGcc) expect(r.out).toBe(gccOut(src));
  });
});

describe('memory', () => {
  it('a program whose variables would hold more than the lab gives stops with a fault, and its frames are given back', async () => {
    const src = `#include <stdio.h>
int deep(int n) {
  char b[1048576];
  b[0] = (char)n;
  return n > 0 ? deep(n - 1) + b[0] : 0;
}
int main(void) {
  printf("%d\\n", deep(10));
  printf("%d\\n", deep(100));
  return 0;
}
`;
    const r = await runC(src);
    expect(r.out).toBe('55\n');
    expect(r.end).toMatchObject({ how: 'fault', text: { code: 'fault.memory' } });
  });
});
