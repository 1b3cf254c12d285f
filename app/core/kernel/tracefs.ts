/**
 * The tracefs around the state tracer (tracepoint.ts): whether the tracepoint
 * sock:inet_sock_set_state can be used here (Linux, tracefs mounted, or mounted now as root,
 * a tracing instance may be made, the event exists) and what to do to allow it; the removal
 * of instances left by a process that is gone (a crash); and, for tests, the instances this
 * process has now.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { access, constants as fsc, readdir, rmdir, writeFile } from 'node:fs/promises';

/** The tracepoint's directory under tracefs (and under each instance). */
export const EVENT = 'events/sock/inet_sock_set_state';
/** How to let the lab use tracefs, told with every refusal. */
export const HOW_TO_ALLOW =
  'run the lab as root, or grant this user access to tracefs ' +
  '(mount -t tracefs -o gid=<group>,mode=0770 nodev /sys/kernel/tracing)';

/** Why the tracepoint cannot be used here, or null when it can (it may mount tracefs). */
export async function stateTracerUnavailable(root = '/sys/kernel/tracing'): Promise<string | null> {
  if (process.platform !== 'linux') return `the state tracepoint is Linux's (this is ${process.platform})`;
  const root0 = process.getuid?.() === 0;
  if (!isTracefsMounted(root)) {
    if (!root0) return `tracefs is not mounted at ${root} and only root may mount it: ${HOW_TO_ALLOW}`;
    const err = await run('mount', ['-t', 'tracefs', 'nodev', root]);
    if (err) return `tracefs could not be mounted at ${root} (${err}): ${HOW_TO_ALLOW}`;
  }
  try {
    await access(`${root}/instances`, fsc.W_OK | fsc.X_OK);
    await access(`${root}/${EVENT}`, fsc.X_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `this kernel has no tracepoint sock:inet_sock_set_state in ${root}`;
    return `no permission to create a tracing instance in ${root} (${code}): ${HOW_TO_ALLOW}`;
  }
  return null;
}

function isTracefsMounted(root: string): boolean {
  try {
    return readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .some((l) => l.split(' ')[1] === root && l.split(' ')[2] === 'tracefs');
  } catch {
    return false;
  }
}

function run(cmd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) =>
    execFile(cmd, args, (err, _out, stderr) =>
      resolve(err ? (stderr.trim() || err.message).split('\n')[0]! : null),
    ),
  );
}

/** Instances named tcplab-<pid>-… of processes that are gone (a crash), disabled and removed. */
export async function removeStaleInstances(root = '/sys/kernel/tracing'): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(`${root}/instances`);
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = Number(/^tcplab-(\d+)-/.exec(name)?.[1] ?? NaN);
    if (!Number.isInteger(pid) || alive(pid)) continue;
    const dir = `${root}/instances/${name}`;
    await writeFile(`${dir}/${EVENT}/enable`, '0').catch(() => {});
    if (
      await rmdir(dir).then(
        () => true,
        () => false,
      )
    )
      removed.push(dir);
  }
  return removed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** For tests: the tracer directories of this process now present under `root`. */
export function ownInstances(root = '/sys/kernel/tracing'): string[] {
  try {
    return readdirSync(`${root}/instances`).filter((n) => n.startsWith(`tcplab-${process.pid}-`));
  } catch {
    return [];
  }
}
