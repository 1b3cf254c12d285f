/**
 * Faults a C program can have in the lab, as message codes with parameters: each stops that
 * actor at its line and leaves the lab running. Spread into MESSAGE_PARAMS (messages.ts); the
 * window says them from renderer/src/i18n/c-faults-*.ts. `what` names the object as the
 * program writes it (`buf`, `addr.sin_port`, `*p`).
 */
export const C_FAULT_PARAMS = {
  'fault.outOfBounds': ['what', 'index', 'size'],
  'fault.uninit': ['what'],
  'fault.divZero': [],
  'fault.nullPointer': ['what'],
  'fault.dangling': ['what'],
  'fault.readOnly': ['what'],
  'fault.notPointer': ['what'],
  'fault.format': ['fn', 'detail'],
  'fault.formatArgs': ['fn', 'want', 'got'],
  'fault.noString': ['fn', 'what'],
  'fault.args': ['fn', 'want', 'got'],
  'fault.argType': ['fn', 'n', 'want'],
  'fault.stack': ['depth'],
  'fault.noReturn': ['fn'],
  'fault.unsupported': ['construct'],
  'fault.undeclared': ['name'],
  'fault.notFunction': ['name'],
  'fault.tooBig': ['fn', 'n', 'max'],
  'fault.fdSet': ['fd'],
  'fault.family': ['fn', 'family'],
  'fault.sockopt': ['level', 'name'],
  'fault.budget': ['n'],
  'fault.memory': ['n', 'max'],
  'fault.sigpipe': ['fn'],
  'note.exitCloses': ['n'],
  'note.loopbackOnly': ['host'],
} as const satisfies Record<string, readonly string[]>;
