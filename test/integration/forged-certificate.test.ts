// A resident refuses a counsellor whose certificate is forged, whatever a compromised server stores for her:
// a certificate signed by a key the page does not pin, one signed by the other association's key while naming
// this one, and a genuine certificate for another identity key than the one that signs the handshake. The
// resident derives no keys and no message can be sealed to her.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateToWire, fromB64, generateSigningKeyPair, issueCertificate, sodiumReady, toB64 } from '../../crypto/index.ts';
import type { WireCertificateData } from '../../protocol/index.ts';
import { CounsellorBot, DEFAULT_TRIAGE, ResidentBot } from '../sim/bots.ts';
import { startCluster, stopSharedRedis, TEST_PASSWORD, type TestCluster } from '../support/cluster.ts';

let cluster: TestCluster;

beforeAll(async () => {
  await sodiumReady();
  cluster = await startCluster({ nodes: 1 });
});

afterAll(async () => {
  await cluster?.close();
  await stopSharedRedis();
});

function certificate(signer: Uint8Array, body: { counsellorId: string; alias: string; identityPublicKey: string }): WireCertificateData {
  const now = Date.now();
  const c = issueCertificate(
    {
      version: 1,
      association: 'telefono-donna',
      counsellorId: body.counsellorId,
      alias: body.alias,
      identityPublicKey: fromB64(body.identityPublicKey, 32),
      issuedAt: now,
      expiresAt: now + 86_400_000,
    },
    signer,
  );
  return { ...certificateToWire(c), association: 'telefono-donna' } as WireCertificateData;
}

const forgeries: [string, (rec: { id: string; alias: string; identityPublicKey: string }) => WireCertificateData, RegExp][] = [
  [
    'signed by a key the resident page does not pin',
    (rec) =>
      certificate(generateSigningKeyPair().secretKey, { counsellorId: rec.id, alias: rec.alias, identityPublicKey: rec.identityPublicKey }),
    /signature does not verify/,
  ],
  [
    "signed with the other association's key while naming this one",
    (rec) =>
      certificate(fromB64(cluster.keys.ebano.secretKey, 64), {
        counsellorId: rec.id,
        alias: rec.alias,
        identityPublicKey: rec.identityPublicKey,
      }),
    /signature does not verify/,
  ],
  [
    'genuine, but for another identity key than the one that signs the handshake',
    (rec) =>
      certificate(fromB64(cluster.keys['telefono-donna'].secretKey, 64), {
        counsellorId: rec.id,
        alias: rec.alias,
        identityPublicKey: toB64(generateSigningKeyPair().publicKey),
      }),
    /handshake signature does not verify/,
  ],
];

describe('a resident refuses a forged certificate', () => {
  let n = 0;
  for (const [what, forge, reason] of forgeries) {
    it(`a certificate ${what}: no session keys, no chat`, async () => {
      const c = await cluster.addCounsellor({ username: `td-forged${++n}`, association: 'telefono-donna' });
      const accounts = cluster.nodes[0]!.ctx.accounts;
      const rec = (await accounts.counsellor(c.id))!;
      // What a compromised server (or store) would do: swap her certificate for a forged one.
      await accounts.updateCounsellor(c.id, { certificate: forge(rec) });
      const bot = await CounsellorBot.connect(cluster.urls[0]!, c.username, TEST_PASSWORD);
      const resident = new ResidentBot(cluster.urls[0]!, cluster.pins, { ...DEFAULT_TRIAGE, association: 'telefono-donna' });
      try {
        await resident.join();
        // Her console answers the handshake as usual; the resident's page checks the offer and refuses it.
        await bot.claim();
        await expect(resident.waitForChat(5_000)).rejects.toThrow(reason);
      } finally {
        await resident.leave('abandon').catch(() => undefined);
        resident.close();
        bot.close();
      }
    });
  }
});
