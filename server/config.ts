// Configuration from environment variables: one schema, documented defaults, and a clear message naming the
// variable when a value is wrong. The README's configuration table mirrors this file.
import { z } from 'zod';
import { OpeningHoursError, parseOpeningHours } from './opening-hours.ts';

const port = z.coerce.number().int().min(0).max(65535);
const seconds = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const redisUrl = z.string().regex(/^rediss?:\/\/.+/, { error: 'must be a redis:// or rediss:// URL' });
/** Kept as the spec text (the association's starting policy, see protocol/policy.ts); checked here so a typo stops the start. */
const openingHoursSpec = z.string().superRefine((spec, ctx) => {
  try {
    parseOpeningHours(spec);
  } catch (err) {
    if (!(err instanceof OpeningHoursError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message, input: spec });
  }
});
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const configSchema = z.object({
  PORT: port.default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  REDIS_URL: redisUrl.optional(),
  STORE_URL: redisUrl.optional(),
  DATA_DIR: z.string().min(1).default('data'),
  KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,32}$/)
    .default('hd:'),
  STORE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,32}$/)
    .default('hds:'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
  PUBLIC_ORIGIN: z.url().optional(),
  EXIT_URL: z.url().default('https://it.wikipedia.org/wiki/Milano'),
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
  RESIDENT_TTL_SECONDS: seconds(2, 86_400).default(10_800),
  RESIDENT_GRACE_SECONDS: seconds(1, 3_600).default(90),
  MAX_LINE_LENGTH: z.coerce.number().int().min(1).max(10_000).default(200),
  SESSION_IDLE_SECONDS: seconds(2, 86_400).default(1_800),
  DEFAULT_CAPACITY: z.coerce.number().int().min(1).max(10).default(3),
  /**
   * Highest capacity a counsellor may set for herself in the console (counsellor:profile). For now one value
   * for both associations; a supervisor-editable association policy replaces it in a later issue.
   */
  MAX_CAPACITY_PER_COUNSELLOR: z.coerce.number().int().min(1).max(10).default(4),
  RESIDENT_EVENTS_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(20),
  COUNSELLOR_EVENTS_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(100),
  NO_REPLY_SECONDS: seconds(1, 3_600).default(120),
  COUNSELLOR_GRACE_SECONDS: seconds(1, 3_600).default(60),
  /** How long a colleague has to accept or decline a transfer offer before the sender is told it expired. */
  TRANSFER_OFFER_SECONDS: seconds(1, 600).default(120),
  AGING_SECONDS: seconds(10, 86_400).default(300),
  AGING_CHECK_SECONDS: seconds(1, 600).default(10),
  LANGUAGE_FALLBACK_SECONDS: seconds(0, 86_400).default(180),
  OPENING_HOURS_TELEFONO_DONNA: openingHoursSpec.default('24/7'),
  OPENING_HOURS_EBANO: openingHoursSpec.default('24/7'),
  ASSIGNMENT_TELEFONO_DONNA: z.enum(['manual', 'auto']).default('manual'),
  ASSIGNMENT_EBANO: z.enum(['manual', 'auto']).default('manual'),
  AGGREGATE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(400),
  ROLLUP_INTERVAL_SECONDS: seconds(1, 3_600).default(60),
  RUN_WORKERS: bool.default(true),
  SWEEP_INTERVAL_SECONDS: seconds(1, 3_600).default(60),
  /** Supervisor's board: one snapshot per association per period, only while someone watches (docs/supervisor.md). */
  BOARD_INTERVAL_MS: z.coerce.number().int().min(200).max(60_000).default(1_000),
  /** Waits (the oldest now, the median of the last hour) at or above these turn amber / red. Per-association policy later. */
  BOARD_AMBER_WAIT_SECONDS: seconds(1, 86_400).default(300),
  BOARD_RED_WAIT_SECONDS: seconds(1, 86_400).default(600),
  /** Residents waiting at or above these turn amber / red. */
  BOARD_AMBER_WAITING: z.coerce.number().int().min(1).max(10_000).default(5),
  BOARD_RED_WAITING: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Prometheus endpoint on a listener of its own (docs/operations.md); unset = no endpoint, 0 = any free port. */
  METRICS_PORT: port.optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** When set, a scrape must send `Authorization: Bearer <token>`. Required when METRICS_HOST is not loopback. */
  METRICS_TOKEN: z
    .string()
    .min(16)
    .max(256)
    .regex(/^[\x21-\x7e]+$/, { error: 'printable ASCII without spaces' })
    .optional(),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') picked[key] = v;
  }
  const parsed = configSchema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = i.path.join('.');
      // Messages that already quote the value (opening hours) are not repeated with it.
      return i.message.includes('"')
        ? `  ${name}: ${i.message}`
        : `  ${name}=${JSON.stringify(picked[String(i.path[0])] ?? '')}: ${i.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}\nSee the configuration table in README.md.`);
  }
  if (Boolean(parsed.data.TLS_CERT_FILE) !== Boolean(parsed.data.TLS_KEY_FILE)) {
    throw new ConfigError('invalid configuration: set both TLS_CERT_FILE and TLS_KEY_FILE, or neither.');
  }
  const d = parsed.data;
  if (d.BOARD_RED_WAIT_SECONDS < d.BOARD_AMBER_WAIT_SECONDS || d.BOARD_RED_WAITING < d.BOARD_AMBER_WAITING) {
    throw new ConfigError('invalid configuration: each BOARD_RED_* threshold must be at or above its BOARD_AMBER_* one.');
  }
  if (d.METRICS_PORT !== undefined && !d.METRICS_TOKEN && !/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(d.METRICS_HOST)) {
    throw new ConfigError(
      'invalid configuration: METRICS_HOST is not a loopback address; set METRICS_TOKEN too, so the metrics are not open to the network.',
    );
  }
  return parsed.data;
}
