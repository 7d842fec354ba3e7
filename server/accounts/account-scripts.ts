// The durable store's Lua scripts (./lua), run like the ephemeral store's (store/scripts.ts): loaded once,
// called by SHA, sent whole again after a Redis restart emptied the script cache.
import { scriptRunner } from '../../store/scripts.ts';

export type AccountScript = 'accept-totp-step' | 'change-password' | 'finish-enrolment';

export const runAccountScript = scriptRunner<AccountScript>(new URL('./lua/', import.meta.url));
