// Barrel of the shared client/server contract.
export * from './errors.ts';
export * from './limits.ts';
export * from './primitives.ts';
export * from './triage.ts';
export * from './events.ts';
export * from './http.ts';
export * from './board.ts';
export * from './policy.ts';
export * from './supervisor.ts';
export * from './revocation.ts';
