// Public surface of the end-to-end crypto module. keywrap.ts is left out on purpose: it pulls the much larger
// sumo build of libsodium, which only the counsellor console and the server need; they import it directly.
export * from './errors.ts';
export * from './sodium.ts';
export * from './encoding.ts';
export * from './signing.ts';
export * from './certificate.ts';
export * from './handshake.ts';
export * from './padding.ts';
export * from './session.ts';
export * from './handoff.ts';
export * from './revocation.ts';
