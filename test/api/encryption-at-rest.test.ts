/**
 * Encryption at rest, read from the raw storage: after a whole enrolment (document with MRZ and a
 * portrait crop, face, applicant form, a decision, a webhook secret, the generated JWT secret) no
 * image file, blob, engine result, factor or secret on disk or in the database contains its
 * plaintext — on SQLite (the database file, its WAL and the image files) and on PostgreSQL (the
 * rows as stored). Data of an earlier version (plain) still reads, and `keys rotate` seals it and
 * moves everything to a new key, after which the old key is no longer needed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { buildApp, createServices } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { generateKeyText, Keyring, parseKeys } from '../../src/server/store/encryption.js';
import { rotateDataKeys } from '../../src/server/store/rotate-keys.js';
import { openStore, type Store } from '../../src/server/store/index.js';
import { complete, createTestTenant, openSession, postImage, TEST_DATABASE_URL } from '../helpers/service.js';
import { FACE_MODEL, FakeScriptedDocumentEngine, FakeScriptedFaceEngine, acceptedFace, embeddingPair } from '../verification/scripted-engines.js';
import { passportPage, td3 } from '../verification/mrz-builder.js';

const NAME = { lastName: 'QUINTAVALLE', firstName: 'ZELMIRA', birth: '840812', expiry: '310101' };
const WEBHOOK_SECRET = 'whsec_plaintext_marker_7f3a9c';

/** Every file under `dir` (recursively), as bytes. */
function filesUnder(dir: string): Array<{ path: string; bytes: Buffer }> {
  const out: Array<{ path: string; bytes: Buffer }> = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push({ path: p, bytes: readFileSync(p) });
  }
  return out;
}

/** Raw values of every column that may hold personal data or a secret, as stored. */
async function rawRows(store: Store): Promise<Array<{ where: string; bytes: Buffer }>> {
  const out: Array<{ where: string; bytes: Buffer }> = [];
  const add = (where: string, v: unknown) => v !== null && v !== undefined && out.push({ where, bytes: Buffer.isBuffer(v) ? v : Buffer.from(String(v)) });
  for (const r of await store.db.all<Record<string, unknown>>(`SELECT * FROM captures`)) add(`captures.result ${r.id}`, r.result);
  for (const r of await store.db.all<Record<string, unknown>>(`SELECT * FROM sessions`)) add(`sessions.applicant_form ${r.id}`, r.applicant_form);
  for (const r of await store.db.all<Record<string, unknown>>(`SELECT * FROM verification_results`)) add(`verification_results.factors ${r.session_id}`, r.factors);
  for (const r of await store.db.all<Record<string, unknown>>(`SELECT * FROM service_settings`)) add(`service_settings ${r.key}`, r.value);
  for (const r of await store.db.all<Record<string, unknown>>(`SELECT * FROM webhook_endpoints`)) add(`webhook_endpoints ${r.tenant_id}`, r.secret);
  if (store.db.dialect === 'postgres') for (const r of await store.db.all<Record<string, unknown>>(`SELECT * FROM image_blobs`)) add(`image_blobs ${r.id}`, r.bytes);
  return out;
}

for (const postgres of [false, true]) {
  describe(postgres ? 'PostgreSQL' : 'SQLite', () => {
    test('no image, engine result, factor or secret is readable in the raw files and rows; old plain data still reads; rotation moves everything to a new key', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'idv-enc-'));
      const schema = `t_${Date.now()}_${randomBytes(4).toString('hex')}`;
      const firstKey = generateKeyText();
      const storeOpts = postgres
        ? { databaseUrl: TEST_DATABASE_URL, dataDir, pgSchema: schema }
        : { databaseUrl: `sqlite:${join(dataDir, 'enrolment.sqlite')}`, dataDir };
      let store = await openStore({ ...storeOpts, keyring: new Keyring(parseKeys(firstKey)) });
      try {
        const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_BASE_URL: 'https://idv.example.test', DATA_ENCRYPTION_KEY: firstKey });
        const document = new FakeScriptedDocumentEngine();
        const face = new FakeScriptedFaceEngine();
        const services = await createServices(config, store, { verification: { backgroundJobs: false } });
        services.setEngines({ document, face });
        const app = await buildApp(services);
        await app.ready();
        const tenant = await createTestTenant(store);
        await services.verification.webhooks.setEndpoint(tenant.tenant.id, 'https://hooks.example.com/idv', WEBHOOK_SECRET, Date.now());

        // A photo whose bytes are easy to find: a JPEG with a random comment-free body.
        const photo = await sharp(randomBytes(96 * 96 * 3), { raw: { width: 96, height: 96, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
        const crop = await sharp(randomBytes(40 * 40 * 3), { raw: { width: 40, height: 40, channels: 3 } }).jpeg().toBuffer();
        const [selfie, portrait] = embeddingPair(0.9);
        const page = passportPage(td3(NAME), { portraitEmbedding: portrait, portraitEmbeddingModel: FACE_MODEL });
        page.details = { ...page.details, portrait: { cropJpegBase64: crop.toString('base64') } };
        document.queue.push(page);
        face.queue.push(acceptedFace(selfie));
        const s = await openSession(app, tenant, { applicantForm: { firstName: 'Zelmira', lastName: 'Quintavalle', dateOfBirth: '1984-08-12' } });
        assert.equal((await postImage(app, s.accessToken, 'document', photo)).statusCode, 200);
        assert.equal((await postImage(app, s.accessToken, 'face', photo)).statusCode, 200);
        assert.equal((await complete(app, s.accessToken)).statusCode, 200);
        const jwtSecret = (await store.settings.get('jwt_secret_hs256'))!;
        // What the service reads back is the plaintext (the test can fail both ways).
        const view = (await app.inject({ method: 'GET', url: `/api/v1/sessions/${s.sessionId}`, headers: { authorization: tenant.basic } })).json();
        assert.equal(view.applicantForm.lastName, 'Quintavalle');
        const images = (await app.inject({ method: 'GET', url: `/api/v1/sessions/${s.sessionId}/images`, headers: { authorization: tenant.basic } })).json().images;
        const img = await app.inject({ method: 'GET', url: `/api/v1/sessions/${s.sessionId}/images/${images[0].imageId}`, headers: { authorization: tenant.basic } });
        assert.deepEqual(img.rawPayload, photo);
        assert.equal((await services.verification.webhooks.getEndpoint(tenant.tenant.id))!.secret, WEBHOOK_SECRET);
        await app.close();

        const markers: Array<[string, Buffer]> = [
          ['image bytes', photo.subarray(photo.length - 200, photo.length - 100)],
          ['image base64', Buffer.from(photo.toString('base64').slice(400, 480))],
          ['portrait crop base64', Buffer.from(crop.toString('base64').slice(200, 260))],
          ['surname (MRZ, form, factors)', Buffer.from('QUINTAVALLE')],
          ['surname as typed', Buffer.from('Quintavalle')],
          ['birth date', Buffer.from('1984-08-12')],
          ['JWT secret', Buffer.from(jwtSecret)],
          ['webhook secret', Buffer.from(WEBHOOK_SECRET)],
        ];
        const raw = postgres ? await rawRows(store) : [...(await rawRows(store)), ...filesUnder(dataDir).filter((f) => !f.path.includes(`${join(dataDir, 'keys')}`)).map((f) => ({ where: f.path, bytes: f.bytes }))];
        assert.ok(raw.some((r) => r.where.startsWith('captures.result')) && raw.some((r) => r.where.includes(postgres ? 'image_blobs' : 'images')), 'the raw storage was read');
        for (const [what, marker] of markers) {
          for (const r of raw) assert.equal(r.bytes.indexOf(marker), -1, `${what} readable in ${r.where}`);
        }

        // An earlier version's plain data (a capture result, a setting) still reads after the upgrade.
        await store.db.run(`INSERT INTO service_settings (key, value) VALUES (?, ?)`, ['legacy_plain', 'plain value of an earlier version']);
        assert.equal(await store.settings.get('legacy_plain'), 'plain value of an earlier version');

        // Rotation: a new current key, the old one kept for reading; `rotate` re-wraps everything.
        const secondKey = generateKeyText();
        await store.close();
        store = await openStore({ ...storeOpts, keyring: new Keyring(parseKeys(`${secondKey},${firstKey}`)) });
        const counts = await rotateDataKeys(store);
        assert.ok(counts.resealed >= 8, `re-wrapped ${JSON.stringify(counts)}`);
        assert.equal(counts.failed, 0);
        const again = await rotateDataKeys(store);
        assert.deepEqual([again.resealed, again.alreadyCurrent, again.failed], [0, counts.alreadyCurrent + counts.resealed, 0], 'a second pass has nothing to do');
        await store.close();
        // Without the old key everything still opens: nothing is left under it, and the plain row is sealed.
        store = await openStore({ ...storeOpts, keyring: new Keyring(parseKeys(secondKey)) });
        assert.equal(await store.settings.get('legacy_plain'), 'plain value of an earlier version');
        assert.ok(Keyring.isSealedText((await store.db.get<{ value: string }>(`SELECT value FROM service_settings WHERE key = 'legacy_plain'`))!.value));
        assert.equal((await store.sessions.get(s.sessionId))!.applicantForm!.lastName, 'Quintavalle');
        const face2 = (await store.sessions.listCaptures(s.sessionId)).find((c) => c.kind === 'FACE')!;
        assert.deepEqual(await store.images.get(s.sessionId, face2.imageId!), photo);
        // With only the old key, nothing opens.
        await store.close();
        store = await openStore({ ...storeOpts, keyring: new Keyring(parseKeys(firstKey)) });
        await assert.rejects(store.sessions.get(s.sessionId), /not in the keyring/);
      } finally {
        if (postgres) await store.db.run(`DROP SCHEMA ${schema} CASCADE`);
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}

test('an envelope opens only with its own context and untampered', () => {
  const k = new Keyring(parseKeys(generateKeyText()));
  const sealed = k.seal(Buffer.from('personal data'), 'captures.result:a');
  assert.equal(k.open(sealed, 'captures.result:a').toString(), 'personal data');
  assert.throws(() => k.open(sealed, 'captures.result:b'), /does not open/);
  const tampered = Buffer.from(sealed);
  tampered[tampered.length - 1]! ^= 1;
  assert.throws(() => k.open(tampered, 'captures.result:a'), /does not open/);
  // Plain input (an earlier version's bytes) passes through; a JPEG is never taken for an envelope.
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
  assert.equal(k.open(jpeg, 'image:x/y'), jpeg);
  assert.throws(() => parseKeys('not-a-key'), /32 bytes/);
});
