/**
 * Why the lab refused a command, as message codes with parameters (part of MESSAGE_PARAMS,
 * messages.ts): the window says `CommandResult.refusal` in its language; `error` keeps the
 * English below for logs, the lesson check and older windows. The same for a command that
 * failed validation: its first issue as an `invalid.` code (the English names them all).
 */

/** Every refusal code and the names of its parameters. */
export const REFUSAL_PARAMS = {
  'refusal.closed': [],
  'refusal.noActor': ['actor', 'actors'],
  'refusal.noSuchActor': ['actor'],
  'refusal.blocked': ['actor', 'call', 'block'],
  'refusal.busy': ['actor', 'call'],
  'refusal.writeLimit': ['n', 'max'],
  'refusal.ended': ['actor'],
  'refusal.notBlocked': ['actor'],
  'refusal.notInterruptible': ['actor'],
  'refusal.actorLimit': ['n'],
  'refusal.tooManyActors': ['max'],
  'refusal.defaultClient': [],
  'refusal.cannotRun': ['line', 'col', 'n'],
  'refusal.cannotRunOf': ['actor', 'line', 'col', 'n'],
  'refusal.nothingCaptured': [],
  'refusal.nothingCapturedThere': [],
  'refusal.internal': ['error'],
  'refusal.pageBusy': ['n'],
  'refusal.notConnected': [],
  // A command that is not one: its first issue (the path into the command, e.g. args.fd); the
  // window puts it after its own words ("The lab refused: …", "Invalid arguments: …").
  'invalid.type': ['path', 'expected'],
  'invalid.tooBig': ['path', 'max'],
  'invalid.tooSmall': ['path', 'min'],
  'invalid.keys': ['path', 'keys'],
  'invalid.value': ['path'],
  // A lesson's replay (lesson-replay.ts): what stopped it; a refusal or a verdict follows.
  'replay.notFree': ['actor'],
  'replay.noSolutionProgram': ['program'],
  'replay.solutionRefused': [],
  'replay.resetRefused': [],
  'replay.notBack': [],
  'replay.notReached': ['step'],
  'replay.noTimeWait': ['step', 'actor'],
  // A trace file the window will not open (trace.ts), a capture the lab did not send.
  'trace.tooLarge': ['n', 'max'],
  'trace.notJson': [],
  'trace.notTrace': ['format'],
  'trace.newer': ['version', 'max'],
  'trace.version1': [],
  'trace.damaged': ['path'],
  'trace.eventInvalid': ['n', 'path'],
  'trace.eventSeq': ['n', 'seq', 'want'],
  'trace.eventEarlier': ['n', 'seq'],
  'refusal.noCapture': [],
} as const satisfies Record<string, readonly string[]>;

/** A refusal code. */
export type RefusalCode = keyof typeof REFUSAL_PARAMS;

/**
 * The English of every refusal: CommandResult.error, and the window's English catalog. An
 * `actor` is an actor id, a `block` a block reason id (the window says both in its words).
 */
export const REFUSAL_EN: Readonly<Record<RefusalCode, string>> = {
  'refusal.closed': 'the lab is closed',
  'refusal.noActor': "there is no actor '{actor}' (actors: {actors})",
  'refusal.noSuchActor': "there is no actor '{actor}'",
  'refusal.blocked': '{actor} is blocked in {call}() ({block}): wait for it to return, or interrupt it',
  'refusal.busy': '{actor} is busy in {call}()',
  'refusal.writeLimit': "write of {n} bytes is over the lab's limit of {max} bytes per write",
  'refusal.ended': "{actor}'s program has ended (load or reset it to start again)",
  'refusal.notBlocked': '{actor} is not blocked in a call',
  'refusal.notInterruptible': "{actor}'s call cannot be interrupted",
  'refusal.actorLimit': 'the lab has {n} actors, its limit',
  'refusal.tooManyActors': 'too many actors: the limit is {max}',
  'refusal.defaultClient': 'the default client program does not compile',
  'refusal.cannotRun': 'the program cannot run: line {line}:{col} ({n} problem(s), marked in the editor)',
  'refusal.cannotRunOf':
    "{actor}'s program cannot run: line {line}:{col} ({n} problem(s), marked in the editor)",
  'refusal.nothingCaptured': 'nothing captured: capture is off or has seen no segment of the lab yet',
  'refusal.nothingCapturedThere': 'nothing captured of that connection, or since that moment',
  'refusal.internal': 'internal error: {error}',
  'refusal.pageBusy': 'refused: {n} commands already wait for the lab on this page',
  'refusal.notConnected': 'not connected to the lab',
  'invalid.type': '{path}: expected {expected}',
  'invalid.tooBig': '{path}: at most {max}',
  'invalid.tooSmall': '{path}: at least {min}',
  'invalid.keys': '{path}: unknown key(s) {keys}',
  'invalid.value': '{path}: not a valid value here',
  'replay.notFree': '{actor} did not become free (still blocked?)',
  'replay.noSolutionProgram': 'the lesson has no program "{program}" (solution)',
  'replay.solutionRefused': 'the solution was refused',
  'replay.resetRefused': 'the reset was refused',
  'replay.notBack': 'the lab did not come back from reset',
  'replay.notReached': 'step {step}: checkpoint not reached',
  'replay.noTimeWait':
    "step {step} needs a socket of {actor} in TIME_WAIT (needsTimeWait): the steps before it left none in the kernel's table",
  'trace.tooLarge': 'the file is too large for a trace ({n} characters, at most {max})',
  'trace.notJson': 'the file is not a TCP Lab trace: it is not JSON',
  'trace.notTrace': 'the file is not a TCP Lab trace (no "format": "{format}")',
  'trace.newer':
    'the trace is version {version}, newer than this app reads ({max}): update TCP Lab to open it',
  'trace.version1':
    'the trace is version 1, saved before programs were C: this app reads version 2 (run the lesson again and save a new trace)',
  'trace.damaged': 'the trace is damaged at {path}',
  'trace.eventInvalid': 'the trace is damaged: event {n} is invalid (at {path})',
  'trace.eventSeq': 'the trace is damaged: event {n} has seq {seq}, expected {want}',
  'trace.eventEarlier': 'the trace is damaged: event {n} (seq {seq}) is earlier than the one before it',
  'refusal.noCapture': 'the lab answered without a capture',
};

/** A refusal's English: `{name}` filled with the code's own parameters only. */
export function refusalText(code: RefusalCode, params?: Readonly<Record<string, string | number>>): string {
  return REFUSAL_EN[code].replace(/\{(\w+)\}/g, (whole, name: string) =>
    params && Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
