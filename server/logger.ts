// Structured JSON logs (pino) that never carry an IP address, a user agent, a token or a payload: callers log
// event names, codes and opaque counts only, and known sensitive keys are censored as a second line of defence.
import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'ip',
  '*.ip',
  'remoteAddress',
  '*.remoteAddress',
  'userAgent',
  '*.userAgent',
  'headers',
  '*.headers',
  'token',
  '*.token',
  'authKey',
  '*.authKey',
  'password',
  '*.password',
  'ciphertext',
  '*.ciphertext',
  'payload',
  '*.payload',
  'resumeToken',
  '*.resumeToken',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: undefined,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
