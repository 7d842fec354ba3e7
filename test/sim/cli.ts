// `npm run simulate -- --url URL --credentials FILE --residents N --counsellors M --messages K --canary TEXT`
// Runs the scripted load against a running helpdesk; the last output line is one JSON object of results.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runSimulation } from './simulation.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8080' },
    credentials: { type: 'string' },
    residents: { type: 'string', default: '10' },
    counsellors: { type: 'string', default: '2' },
    messages: { type: 'string', default: '5' },
    canary: { type: 'string', default: 'CANARY-sim' },
    timeout: { type: 'string', default: '300' },
  },
});

function die(msg: string): never {
  process.stderr.write(`simulate: ${msg}\n`);
  process.exit(2);
}

if (!values.credentials) die('--credentials FILE is required (write one with `npm run admin -- demo --counsellors M --out FILE`)');
const creds = JSON.parse(readFileSync(values.credentials, 'utf8')) as {
  pins: Record<string, string>;
  counsellors: { username: string; password: string }[];
};
const m = Number(values.counsellors);
const n = Number(values.residents);
const k = Number(values.messages);
for (const [name, v, max] of [
  ['counsellors', m, 200],
  ['residents', n, 5000],
  ['messages', k, 1000],
] as const) {
  if (!Number.isInteger(v) || v < 1 || v > max) die(`--${name} must be an integer 1-${max}`);
}
if (creds.counsellors.length < m) die(`the credentials file has only ${creds.counsellors.length} counsellors`);
const result = await runSimulation({
  url: values.url.split(','),
  pins: creds.pins,
  counsellors: creds.counsellors.slice(0, m),
  residents: n,
  messages: k,
  canary: values.canary,
  timeoutMs: Number(values.timeout) * 1000,
});
process.stdout.write(JSON.stringify(result) + '\n');
process.exit(result.errors.length === 0 ? 0 : 1);
