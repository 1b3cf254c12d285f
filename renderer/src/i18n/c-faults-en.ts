/**
 * Faults that stop a C program, and the interpreter's notes, in English: one entry per code of
 * app/contract/c/faults.ts (the compiler checks that none is missing).
 */
import type { C_FAULT_PARAMS } from '@contract/c/faults';

export const cFaultsEn: Readonly<Record<keyof typeof C_FAULT_PARAMS, string>> = {
  'fault.outOfBounds': '{what}: index {index} is outside the object ({size} elements)',
  'fault.uninit': '{what} is read before it has been given a value',
  'fault.divZero': 'division by zero',
  'fault.nullPointer': '{what} is a null pointer',
  'fault.dangling': '{what} points to a variable that no longer exists (its function returned)',
  'fault.readOnly': '{what} is a string literal: it cannot be changed',
  'fault.notPointer': '{what} is not a pointer',
  'fault.format': '{fn}: the conversion {detail} does not match its argument',
  'fault.formatArgs': '{fn}: the format asks for {want} arguments, {got} were given',
  'fault.noString': "{fn}: {what} holds no '\\0' where its text should end",
  'fault.args': '{fn}() takes {want} arguments, {got} were given',
  'fault.argType': '{fn}(): argument {n} should be {want}',
  'fault.stack': 'the call stack is {depth} calls deep: endless recursion?',
  'fault.noReturn': '{fn}() ended without returning a value',
  'fault.unsupported': '{construct} is not supported here',
  'fault.undeclared': '{name} is not declared',
  'fault.notFunction': '{name}() is not a function the lab knows',
  'fault.tooBig': '{fn}(): {n} is more than the lab allows ({max})',
  'fault.fdSet': 'descriptor {fd} does not fit in an fd_set (0 … 1023)',
  'fault.family': '{fn}(): address family {family} is not AF_INET or AF_INET6',
  'fault.sockopt': 'setsockopt/getsockopt: the option {level}, {name} is not one the lab offers',
  'fault.sigpipe':
    'killed by SIGPIPE: {fn}() on a connection the peer has closed (the kernel sends the signal with EPIPE; send(…, MSG_NOSIGNAL) gets -1 EPIPE instead)',
  'fault.memory': 'the program’s variables would hold {n} bytes, more than the lab gives a program ({max})',
  'fault.budget': 'Run stopped after {n} statements without a system call: press Run again to go on',
  'note.exitCloses': 'the program ended: the kernel closed its {n} descriptors, as at any process exit',
  'note.loopbackOnly':
    'bind() to {host}: the lab binds only on loopback, so the socket is bound to the loopback address',
};
