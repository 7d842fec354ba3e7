// `npm run admin -- <command>`: operators' account tasks on the same local defaults as `npm start` (it talks
// to the running app's durable store, or starts its own on the same files when the app is not running).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import {
  accountRoleSchema,
  ASSOCIATIONS,
  associationSchema,
  languageSchema,
  type Association,
  type Language,
} from '../../protocol/index.ts';
import { sodiumReady } from '../../crypto/index.ts';
import { connectRedis } from '../../store/redis.ts';
import { AccountStore } from '../accounts/account-store.ts';
import { createInvitation, EnrolmentError, invitationLink } from '../accounts/enrolment.ts';
import { base32Decode, totpAt } from '../accounts/totp.ts';
import { loadConfig, type Config } from '../config.ts';
import { durableRedis } from '../local-redis.ts';
import {
  certify,
  createAssociation,
  createCounsellor,
  MIN_PASSWORD_LENGTH,
  readAssociationKeyFile,
  type CreatedCounsellor,
} from './provision.ts';

const USAGE = `usage: npm run admin -- <command> [options]

  association add <telefono-donna|ebano> [--key-out FILE]
      Create the association's signing key pair. The secret goes to FILE (default DATA_DIR/keys/<id>.key,
      mode 0600): keep it offline. The public key is stored and pinned for the resident build.
  counsellor invite --association A --username U --alias NAME [--capacity N] [--languages it,en]
                    [--role counsellor|supervisor]
      Create a single-use invitation (valid 72 h) and print its link. She opens it in the console, chooses
      her password and sets up her authenticator app; her identity key is made in her browser. Certify it
      afterwards with \`counsellor certify\`. A new invitation for the same username replaces the old one.
  counsellor add --association A --username U --alias NAME [--capacity N] [--languages it,en]
                 [--role counsellor|supervisor] [--password-file FILE] [--key FILE | --no-certify]
      Create a counsellor directly (prefer \`invite\`). The password comes from FILE, or HELPDESK_PASSWORD, or
      a prompt (min ${MIN_PASSWORD_LENGTH} chars). Prints her TOTP secret and recovery codes once. Her identity key is
      certified with the association key file unless --no-certify.
  counsellor certify --username U [--key FILE]
  counsellor list
  demo --counsellors M [--supervisors S] --out FILE
      Create M certified demo counsellors with random passwords and TOTP secrets (split between the
      associations) and write their credentials and the pinned keys to FILE (mode 0600) for \`npm run simulate\`.
  totp <username> [--credentials FILE]
      Print the current sign-in code of a demo counsellor, read from the demo credentials FILE
      (default DATA_DIR/demo-credentials.json). Only demo accounts: real secrets are not kept anywhere readable.
`;

function fail(msg: string): never {
  process.stderr.write(`admin: ${msg}\n`);
  process.exit(2);
}

async function promptPassword(): Promise<string> {
  if (process.env.HELPDESK_PASSWORD) return process.env.HELPDESK_PASSWORD;
  if (!process.stdin.isTTY) fail('no password: use --password-file FILE or HELPDESK_PASSWORD');
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Mute the echo while she types.
  const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
  process.stdout.write(`Password (min ${MIN_PASSWORD_LENGTH} characters): `);
  out._writeToOutput = () => undefined;
  const pw = await new Promise<string>((r) => rl.question('', r));
  rl.close();
  process.stdout.write('\n');
  return pw;
}

/** Where the console is reached: PUBLIC_ORIGIN when set, else this machine's address as `npm start` prints it. */
function consoleOrigin(config: Config): string {
  if (config.PUBLIC_ORIGIN) return new URL(config.PUBLIC_ORIGIN).origin;
  const scheme = config.TLS_CERT_FILE ? 'https' : 'http';
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`;
}

function languagesOption(value: string | undefined): Language[] {
  return (value ?? 'it').split(',').map((l) => {
    const p = languageSchema.safeParse(l.trim());
    if (!p.success) fail(`unknown language ${l}`);
    return p.data;
  });
}

function secondFactorText(c: CreatedCounsellor): string {
  return [
    `  TOTP secret (enter it in her authenticator app, or make a QR code of the URI; shown only now):`,
    `    ${c.totp.secret.replace(/(.{4})/g, '$1 ').trim()}`,
    `    ${c.totp.uri}`,
    `  Recovery codes (single use, for a lost phone; give them to her, shown only now):`,
    ...c.recoveryCodes.map((code) => `    ${code}`),
    '',
  ].join('\n');
}

interface DemoCredentials {
  pins: Record<string, string>;
  counsellors: {
    username: string;
    password: string;
    association: Association;
    totpSecret: string;
    otpauthUri: string;
    recoveryCodes: string[];
  }[];
  /** Supervisor accounts (one per association by default), same fields; sign in at /supervisor. */
  supervisors?: DemoCredentials['counsellors'];
}

/** `totp <username>`: reads only the demo file, so it cannot become a way around anyone's real second factor. */
function printDemoCode(file: string, username: string | undefined): void {
  if (!username) fail('usage: totp <username> [--credentials FILE]');
  if (!existsSync(file)) fail(`no demo credentials at ${file}: run \`npm run admin -- demo --counsellors 2 --out ${file}\` first`);
  const creds = JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoCredentials>;
  const c = [...(creds.counsellors ?? []), ...(creds.supervisors ?? [])].find((x) => x.username === username);
  if (!c?.totpSecret) fail(`${username} is not a demo counsellor in ${file}`);
  const now = Date.now();
  const left = 30 - (Math.floor(now / 1000) % 30);
  process.stdout.write(`${totpAt(base32Decode(c.totpSecret), now)}  (valid for ${left} more s; each code signs in once)\n`);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'key-out': { type: 'string' },
      association: { type: 'string' },
      username: { type: 'string' },
      alias: { type: 'string' },
      capacity: { type: 'string' },
      languages: { type: 'string' },
      'password-file': { type: 'string' },
      key: { type: 'string' },
      'no-certify': { type: 'boolean' },
      counsellors: { type: 'string' },
      supervisors: { type: 'string' },
      out: { type: 'string' },
      role: { type: 'string' },
      credentials: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [cmd, sub, arg] = positionals;
  if (values.help || !cmd) {
    process.stdout.write(USAGE);
    return;
  }
  const config = loadConfig();
  const dataDir = resolve(config.DATA_DIR);
  if (cmd === 'totp') return printDemoCode(resolve(values.credentials ?? join(dataDir, 'demo-credentials.json')), sub);
  await sodiumReady();
  const pinsFile = join(dataDir, 'pins.json');
  const keyFileOf = (a: Association) => join(dataDir, 'keys', `${a}.key`);
  const dur = await durableRedis(config.STORE_URL, dataDir, false);
  const store = await connectRedis({ url: dur.url, name: 'admin' });
  const accounts = new AccountStore(store, config.STORE_PREFIX);
  const now = Date.now();
  try {
    if (cmd === 'association' && sub === 'add') {
      const a = associationSchema.safeParse(arg);
      if (!a.success) fail(`association must be one of ${ASSOCIATIONS.join(', ')}`);
      const keyFile = resolve(values['key-out'] ?? keyFileOf(a.data));
      const f = await createAssociation(accounts, { association: a.data, keyFile, pinsFile, now });
      process.stdout.write(
        `association ${a.data}: public key ${f.publicKey}\n  secret key file: ${keyFile} (mode 0600; keep it safe)\n  pinned in ${pinsFile}; \`npm start\` rebuilds the resident page with it.\n`,
      );
    } else if (cmd === 'counsellor' && (sub === 'add' || sub === 'invite')) {
      const a = associationSchema.safeParse(values.association);
      if (!a.success) fail(`--association must be one of ${ASSOCIATIONS.join(', ')}`);
      if (!values.username || !values.alias) fail('--username and --alias are required');
      const languages = languagesOption(values.languages);
      const capacity = Number(values.capacity ?? config.DEFAULT_CAPACITY);
      if (!Number.isInteger(capacity) || capacity < 1 || capacity > 10) fail('--capacity must be 1-10');
      const role = accountRoleSchema.safeParse(values.role ?? 'counsellor');
      if (!role.success) fail('--role must be counsellor or supervisor');
      if (sub === 'invite') {
        try {
          const inv = await createInvitation(accounts, {
            username: values.username,
            alias: values.alias,
            association: a.data,
            role: role.data,
            capacity,
            languages,
            createdBy: 'admin-cli',
            now,
          });
          process.stdout.write(
            [
              `invitation for ${values.username} (${a.data}, ${role.data})${inv.replaced ? ' (replaces the earlier one)' : ''}, valid until ${new Date(inv.expiresAt).toISOString()}:`,
              `  ${invitationLink(consoleOrigin(config), inv.token)}`,
              '  Send it to her over a trusted channel; it works once. Certify her key after she enrolled: `npm run admin -- counsellor certify --username ' +
                values.username +
                '`.',
              '',
            ].join('\n'),
          );
        } catch (err) {
          if (err instanceof EnrolmentError) fail(err.message);
          throw err;
        }
        return;
      }
      const password = values['password-file'] ? readFileSync(values['password-file'], 'utf8').trimEnd() : await promptPassword();
      const keyPath = values.key ?? keyFileOf(a.data);
      const associationKey = values['no-certify'] ? null : existsSync(keyPath) ? readAssociationKeyFile(keyPath) : null;
      const created = await createCounsellor(accounts, {
        username: values.username,
        password,
        alias: values.alias,
        association: a.data,
        role: role.data,
        capacity,
        languages,
        associationKey,
        now,
      });
      const rec = created.record;
      process.stdout.write(
        `counsellor ${rec.username} (${rec.association}) created; ${rec.certificate ? 'certified' : 'certificate pending: run `counsellor certify`'}.\n`,
      );
      process.stdout.write(secondFactorText(created));
    } else if (cmd === 'counsellor' && sub === 'certify') {
      const rec = values.username ? await accounts.counsellorByUsername(values.username) : null;
      if (!rec) fail('no such counsellor (--username)');
      const key = readAssociationKeyFile(values.key ?? keyFileOf(rec.association));
      if (key.association !== rec.association) fail('the key file belongs to another association');
      await accounts.updateCounsellor(rec.id, { certificate: certify(rec, key, now) });
      await accounts.audit({ actor: 'admin-cli', action: 'counsellor-certified', target: rec.username, association: rec.association }, now);
      process.stdout.write(`counsellor ${rec.username} certified.\n`);
    } else if (cmd === 'counsellor' && sub === 'list') {
      for (const c of await accounts.listCounsellors()) {
        process.stdout.write(
          `${c.username}\t${c.association}\t${c.role}\t${c.alias}\t${c.status}\t${c.certificate ? 'certified' : 'pending'}\tcapacity ${c.capacity}\t${c.languages.join(',')}\n`,
        );
      }
    } else if (cmd === 'demo') {
      const m = Number(values.counsellors ?? 2);
      if (!Number.isInteger(m) || m < 1 || m > 200) fail('--counsellors must be 1-200');
      if (!values.out) fail('--out FILE is required');
      for (const a of ASSOCIATIONS) {
        if (!(await accounts.associationKey(a)) && !existsSync(keyFileOf(a)))
          await createAssociation(accounts, { association: a, keyFile: keyFileOf(a), pinsFile, now });
      }
      const pins: Record<string, string> = {};
      for (const a of ASSOCIATIONS) pins[a] = (await accounts.associationKey(a)) ?? fail(`association ${a} has no key`);
      const s = Number(values.supervisors ?? ASSOCIATIONS.length);
      if (!Number.isInteger(s) || s < 0 || s > 20) fail('--supervisors must be 0-20');
      const demoAccount = async (i: number, role: 'counsellor' | 'supervisor') => {
        const association = ASSOCIATIONS[i % ASSOCIATIONS.length]!;
        const username = `${role === 'supervisor' ? 'demo-sup' : 'demo'}-${randomBytes(4).toString('hex')}`;
        const password = randomBytes(18).toString('base64url');
        const created = await createCounsellor(accounts, {
          username,
          password,
          alias: role === 'supervisor' ? `Supervisor ${i + 1}` : `Demo ${i + 1}`,
          association,
          role,
          capacity: config.DEFAULT_CAPACITY,
          languages: ['it', 'en', 'ar', 'es', 'fr', 'zh'],
          associationKey: readAssociationKeyFile(keyFileOf(association)),
          now,
        });
        return {
          username,
          password,
          association,
          totpSecret: created.totp.secret,
          otpauthUri: created.totp.uri,
          recoveryCodes: created.recoveryCodes,
        };
      };
      const counsellors: DemoCredentials['counsellors'] = [];
      for (let i = 0; i < m; i++) counsellors.push(await demoAccount(i, 'counsellor'));
      const supervisors: DemoCredentials['counsellors'] = [];
      for (let i = 0; i < s; i++) supervisors.push(await demoAccount(i, 'supervisor'));
      const out = resolve(values.out);
      mkdirSync(dirname(out), { recursive: true });
      const demo: DemoCredentials = { pins, counsellors, supervisors };
      writeFileSync(out, JSON.stringify(demo, null, 2) + '\n', { mode: 0o600 });
      const first = counsellors[0]!;
      process.stdout.write(
        `${m} demo counsellors and ${s} demo supervisors written to ${out}\n` +
          `Sign in at /console (counsellors) or /supervisor (supervisors) with a username and password from that file;\n` +
          `for the code, add its otpauthUri to an\n` +
          `authenticator app, or run \`npm run admin -- totp ${first.username} --credentials ${out}\`.\n`,
      );
    } else {
      fail(`unknown command: ${positionals.join(' ')}\n\n${USAGE}`);
    }
  } finally {
    await store.close();
    await dur.stop();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
