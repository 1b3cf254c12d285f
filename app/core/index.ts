/** The lab engine: the Lab API, its limits, the default programs and the state machine. */
export { Lab, type LabOptions } from './lab';
export { DEFAULT_LIMITS, type Limits } from './limits';
export { defaultPrograms, readProgram } from './programs';
export { EventLog, type EventLogOptions, type EventListener } from './event-log';
export { nextState, pathBetween, INPUT_CAUSE, type TcpInput } from './tcp-state';
