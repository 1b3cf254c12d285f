/**
 * Integers as gcc has them, on programs without sockets (the same program built with gcc
 * prints the same, where gcc is installed; the expected text is written out too, so the case
 * fails without gcc as well): casts to the library's typedef names the grammar reads as
 * something else (`(socklen_t)-1`, `(in_addr_t)*p`, `(in_port_t)(x + 1)`), and eight-byte
 * arithmetic exact beyond 2^53 (`(size_t)-1`, ULONG_MAX / 3, %lu, %lx).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../../app/core/lab';

let lab: Lab;
beforeAll(async () => {
  lab = await Lab.create({ kernel: 'none' });
});
afterAll(async () => {
  await lab.dispose();
});

const hasGcc = spawnSync('gcc', ['--version'], { stdio: 'ignore' }).status === 0;

/** What the lab's interpreter prints running `source` to its end (it must exit 0). */
async function labOut(source: string): Promise<string> {
  const r = await lab.execute({ type: 'loadProgram', actor: 'server', program: { name: 't', source } });
  if (!r.ok) throw new Error(`${r.error} ${JSON.stringify(r.problems)}`);
  for (let i = 0; i < 20 && !lab.view().actors['server']!.end; i++)
    await lab.execute({ type: 'run', actor: 'server' });
  const a = lab.view().actors['server']!;
  expect(a.end).toEqual({ how: 'exit', status: 0 });
  return a.output.map((c) => c.text).join('');
}

/** What gcc's build of `source` prints. */
function gccOut(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tcplab-int-'));
  try {
    writeFileSync(join(dir, 't.c'), source);
    execFileSync('gcc', ['-std=c11', '-Wall', '-Wextra', '-Werror', '-o', join(dir, 't'), join(dir, 't.c')]);
    return spawnSync(join(dir, 't'), { encoding: 'utf8' }).stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CASTS = `#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#define NOLEN (socklen_t)-1

int main(void)
{
    int n = 7, a = 3, b = 5;
    socklen_t len = 16, *lp = &len;
    socklen_t m1 = (socklen_t)-1;
    socklen_t p1 = (socklen_t)+n;
    socklen_t mul = (socklen_t)-a * b;
    socklen_t star = (socklen_t)*lp * 2;
    in_port_t port = (in_port_t)(n + 65530);
    in_addr_t q = (in_addr_t)-2;
    in_addr_t sh = (in_addr_t)-1 >> 1;
    ssize_t s = (ssize_t)n;
    uint16_t u = (uint16_t)-1;
    uint32_t w = (uint32_t)(n - 8);
    long cmp = (socklen_t)-1 > 0;
    printf("%u %u %u %u %u\\n", m1, p1, mul, star, (unsigned)port);
    printf("%u %u %zd %u %u %ld %u\\n", q, sh, s, (unsigned)u, w, cmp, NOLEN);
    printf("%u %d %d\\n", (socklen_t)-a - b, (int)(socklen_t)-1, -(socklen_t)-1 == 1);
    printf("%u %u %u\\n", (socklen_t)-(in_port_t)-1, n + (socklen_t)-a * b, n * (socklen_t)*lp / 3);
    return 0;
}
`;

const LONGS = `#include <stdio.h>
#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

int main(void)
{
    size_t c = (size_t)-1;
    ssize_t d = (ssize_t)c;
    unsigned long x = 18446744073709551557UL;
    unsigned long y = x * 3 + 11;
    size_t z = c - 5;
    unsigned long big = 9007199254740993UL;
    long l = LONG_MAX;
    unsigned int low = (unsigned int)(ULONG_MAX - 5);
    printf("%zu %zd %lu %lu %lu\\n", c, d, ULONG_MAX, ULONG_MAX / 3, (unsigned long)-1 / 7);
    printf("%lu %lu %lu %lu %lu\\n", x, y, x % 1000, x >> 3, SIZE_MAX - z);
    printf("%zu %d %d %u\\n", z, z > 100, (long)z < 0, low);
    printf("%lu %lu %lx %lX %lo\\n", big, big + 2, big * 5, ~big, big);
    printf("%ld %ld %ld %d\\n", l, l / 7 * 7 + l % 7, LONG_MIN, LONG_MIN < 0);
    big += 2;
    big++;
    printf("%lu %lu %d\\n", big, big ^ 0xffUL, big == 9007199254740996UL);
    return 0;
}
`;

const SWITCHES = `#include <stdio.h>

static const char *which(unsigned long v)
{
    switch (v) {
    case 9007199254740993UL:
        return "odd";
    case 9007199254740992UL:
        return "even";
    case (unsigned long)-1:
        return "max";
    default:
        return "other";
    }
}

int main(void)
{
    unsigned long a = 9007199254740992UL;
    unsigned char c = 200;
    printf("%s %s %s %s\\n", which(a), which(a + 1), which(a + 3), which(0UL - 1));
    switch (c) {
    case 200:
        printf("200\\n");
        break;
    default:
        printf("no\\n");
    }
    return 0;
}
`;

describe('integers as gcc has them', () => {
  it('casts to socklen_t, in_addr_t, in_port_t the grammar reads as a subtraction, a product or a call', async () => {
    const want =
      '4294967295 7 4294967281 32 1\n4294967294 2147483647 7 65535 4294967295 1 4294967295\n4294967288 -1 1\n4294901761 4294967288 37\n';
    expect(await labOut(CASTS)).toBe(want);
    if (hasGcc) expect(gccOut(CASTS)).toBe(want);
  });

  it('unsigned long and size_t arithmetic is exact beyond 2^53', async () => {
    const want = [
      '18446744073709551615 -1 18446744073709551615 6148914691236517205 2635249153387078802',
      '18446744073709551557 18446744073709551450 557 2305843009213693944 5',
      '18446744073709551610 1 1 4294967290',
      '9007199254740993 9007199254740995 a0000000000005 FFDFFFFFFFFFFFFE 400000000000000001',
      '9223372036854775807 9223372036854775807 -9223372036854775808 1',
      '9007199254740996 9007199254741243 1',
      '',
    ].join('\n');
    expect(await labOut(LONGS)).toBe(want);
    if (hasGcc) expect(gccOut(LONGS)).toBe(want);
  });

  it('a switch on an unsigned long beyond 2^53 picks the exact case', async () => {
    const want = 'even odd other max\n200\n';
    expect(await labOut(SWITCHES)).toBe(want);
    if (hasGcc) expect(gccOut(SWITCHES)).toBe(want);
  });
});
