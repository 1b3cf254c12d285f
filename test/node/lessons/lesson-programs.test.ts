/**
 * What the lesson check reads from a program's C text: the most descriptors it can open
 * (programFds), so that a checkpoint naming an fd the actor can never hold is refused.
 */
import { describe, expect, it } from 'vitest';
import { programFds } from '../../../app/contract/lesson-file';

describe('programFds: the most descriptors a program can open, from its text', () => {
  const fds = (source: string) => programFds({ name: 'p', source });
  it('counts socket() and accept() calls written once', () => {
    expect(fds('int main(void)\n{\n    int fd = socket(AF_INET, SOCK_STREAM, 0);\n    return fd;\n}\n')).toBe(
      1,
    );
    expect(
      fds(
        'int main(void) { int a = socket(AF_INET, SOCK_STREAM, 0); int b = accept(a, NULL, NULL); return b; }',
      ),
    ).toBe(2);
    expect(fds('int main(void) { return 0; }')).toBe(0);
  });
  it('leaves out comments, strings and preprocessor lines', () => {
    expect(
      fds(
        '/* socket( */ int main(void) { // accept(\n puts("socket(x) // accept("); return 0; }\n#define S socket(',
      ),
    ).toBe(0);
  });
  it('unbounded (1024) when a call may run more than once: a loop, or a function besides main', () => {
    expect(
      fds('int main(void) { int l = socket(AF_INET, SOCK_STREAM, 0); for (;;) { accept(l, NULL, NULL); } }'),
    ).toBe(1024);
    expect(
      fds(
        'int open_one(void) { return socket(AF_INET, SOCK_STREAM, 0); }\nint main(void) { return open_one(); }',
      ),
    ).toBe(1024);
    expect(
      fds('int main(void) { int l = socket(AF_INET, SOCK_STREAM, 0); if (l < 0) { return 1; } return 0; }'),
    ).toBe(1);
  });
});
