/** The contract between engine and window: schemas, types, the reducer and the API. */
export * from './schema';
export * from './reducer';
export * from './api';
export * from './call-preview';
export * from './event-size';
