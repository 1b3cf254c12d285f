/**
 * The default programs: the classic echo server and its client, real C files in
 * resources/programs (echo-server.c, echo-client.c). `PORT` is predefined in every actor's
 * program at reset, as `gcc -DPORT=n` would: a free loopback port the lab picked, so the
 * client connects where the server listens.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Program } from '../contract/schema';

/** resources/programs of the repository (development, tests, browser mode). */
export const DEFAULT_PROGRAMS_DIR = fileURLToPath(new URL('../../resources/programs/', import.meta.url));

/** The shipped program `file` (a name like `echo-server.c`) from `dir`. */
export async function readProgram(dir: string, file: string): Promise<Program> {
  const source = await readFile(join(dir, file), 'utf8');
  return { name: file.replace(/\.c$/, ''), source, file };
}

/** The default server and client. */
export async function defaultPrograms(
  dir = DEFAULT_PROGRAMS_DIR,
): Promise<{ server: Program; client: Program }> {
  return { server: await readProgram(dir, 'echo-server.c'), client: await readProgram(dir, 'echo-client.c') };
}
