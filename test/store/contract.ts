/**
 * The storage contract: one suite, run against every database (sqlite.test.ts, postgres.test.ts).
 * Anything the service relies on from the store is asserted here.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { migrate } from '../../src/server/store/migrate.js';
import { up as faceMatchScaleUp } from '../../src/server/store/migrations/0700_face_match_scale.js';
import type { Store } from '../../src/server/store/index.js';
import type { Capture, Session, Tenant } from '../../src/server/session/types.js';
import { DEFAULT_TENANT_SETTINGS } from '../../src/server/session/tenant-settings.js';

export interface OpenedStore {
  store: Store;
  drop(): Promise<void>;
}

const tenant = (over: Partial<Tenant> = {}): Tenant => ({
  id: randomUUID(),
  name: 'T',
  username: `u_${randomUUID()}`,
  passwordHash: 'scrypt$1$1$1$x$y',
  settings: { ...DEFAULT_TENANT_SETTINGS, allowedReturnOrigins: ['https://a.example'] },
  disabledAt: null,
  createdAt: 1,
  ...over,
});

const session = (tenantId: string, over: Partial<Session> = {}): Session => ({
  id: randomUUID(),
  tenantId,
  externalId: null,
  returnUrl: 'https://a.example/done',
  applicantForm: null,
  skipIntegrityCheck: false,
  steps: ['document', 'face'],
  status: 'CREATED',
  documentState: 'NONE',
  frontCaptureId: null,
  backCaptureId: null,
  faceCaptureId: null,
  version: 0,
  createdAt: 1_767_000_000_000,
  updatedAt: 1_767_000_000_000,
  completedAt: null,
  tokenGeneration: randomUUID(),
  webTheme: 'green',
  ...over,
});

const capture = (sessionId: string, over: Partial<Capture> = {}): Capture => ({
  id: randomUUID(),
  sessionId,
  kind: 'DOCUMENT',
  pageSide: 'FRONT',
  accepted: true,
  error: null,
  result: { type: 'PASSPORT', mrz: { fields: { surname: 'NOVÁKOVÁ' } }, embedding: [0.125, -0.5] },
  imageId: randomUUID(),
  contentType: 'image/jpeg',
  imageBytes: 3,
  createdAt: 1_767_000_000_001,
  ...over,
});

export function storeContract(name: string, open: () => Promise<OpenedStore>) {
  describe(`store contract: ${name}`, () => {
    let o: OpenedStore;
    let s: Store;
    before(async () => {
      o = await open();
      s = o.store;
    });
    after(() => o.drop());

    test('migrations ran once and are idempotent', async () => {
      assert.deepEqual(await migrate(s.db), []);
      const ids = (await s.db.all<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id')).map((r) => r.id);
      assert.ok(ids.includes('0001_init'));
    });

    test('migration 0700: face thresholds of the old score scale are removed from a policy, the rest kept', async () => {
      const old = tenant();
      const untouched = tenant();
      await s.tenants.insert(old);
      await s.tenants.insert(untouched);
      const put = (id: string, policy: unknown) => s.db.run('INSERT INTO verification_settings (tenant_id, policy, updated_at) VALUES (?, ?, ?)', [id, JSON.stringify(policy), 1]);
      await put(old.id, { faceMatchHigh: 0.75, faceMatchLow: 0.5, minAgeYears: 18 });
      await put(untouched.id, { minAgeYears: 21 });
      for (const sql of faceMatchScaleUp(s.db.dialect)) await s.db.run(sql);
      const policy = async (id: string) => JSON.parse((await s.db.get<{ policy: string }>('SELECT policy FROM verification_settings WHERE tenant_id = ?', [id]))!.policy) as unknown;
      assert.deepEqual(await policy(old.id), { minAgeYears: 18 });
      assert.deepEqual(await policy(untouched.id), { minAgeYears: 21 });
    });

    test('tenants: insert, read by id and username, list, rotate, settings, disable; usernames unique', async () => {
      const t = tenant({ name: 'Ünïcode ✓' });
      await s.tenants.insert(t);
      assert.deepEqual(await s.tenants.get(t.id), t);
      assert.deepEqual(await s.tenants.getByUsername(t.username), t);
      assert.equal(await s.tenants.getByUsername('nobody'), undefined);
      assert.ok((await s.tenants.list()).some((x) => x.id === t.id));
      assert.equal(await s.tenants.setPasswordHash(t.id, 'new'), true);
      const settings = { ...t.settings, steps: ['face' as const], tokenLifetimeS: 120 };
      assert.equal(await s.tenants.setSettings(t.id, settings), true);
      assert.equal(await s.tenants.disable(t.id, 5), true);
      assert.equal(await s.tenants.disable(t.id, 6), false, 'already disabled');
      assert.deepEqual(await s.tenants.get(t.id), { ...t, passwordHash: 'new', settings, disabledAt: 5 });
      await assert.rejects(s.tenants.insert(tenant({ username: t.username })));
    });

    test('sessions: insert once per id, read back exactly', async () => {
      const t = tenant();
      await s.tenants.insert(t);
      const x = session(t.id, { externalId: 'ext', applicantForm: { firstName: 'Ján', dateOfBirth: '1990-01-02' }, skipIntegrityCheck: true });
      assert.equal(await s.sessions.insert(x), true);
      assert.equal(await s.sessions.insert({ ...x, tenantId: t.id, externalId: 'other' }), false);
      assert.deepEqual(await s.sessions.get(x.id), x);
      assert.equal(await s.sessions.get(randomUUID()), undefined);
    });

    test('sessions: updates are conditional on version and on not being completed', async () => {
      const t = tenant();
      await s.tenants.insert(t);
      const x = session(t.id);
      await s.sessions.insert(x);
      const patch = { status: 'IN_PROGRESS' as const, documentState: 'AWAITING_BACK' as const, frontCaptureId: 'f', backCaptureId: null, faceCaptureId: null };
      assert.equal(await s.sessions.update(x.id, 0, patch, 10), true);
      assert.equal(await s.sessions.update(x.id, 0, patch, 11), false, 'stale version');
      const y = (await s.sessions.get(x.id))!;
      assert.equal(y.version, 1);
      assert.equal(y.updatedAt, 10);
      assert.equal(y.frontCaptureId, 'f');
      assert.equal(await s.sessions.complete(x.id, 0, 12), false, 'stale version');
      assert.equal(await s.sessions.complete(x.id, 1, 12), true);
      assert.equal(await s.sessions.complete(x.id, 2, 13), false, 'already completed');
      assert.equal(await s.sessions.update(x.id, 2, patch, 14), false, 'completed is final');
      const z = (await s.sessions.get(x.id))!;
      assert.equal(z.status, 'COMPLETED');
      assert.equal(z.completedAt, 12);
    });

    test('sessions: of 25 concurrent completes exactly one wins', async () => {
      const t = tenant();
      await s.tenants.insert(t);
      const x = session(t.id);
      await s.sessions.insert(x);
      const results = await Promise.all(Array.from({ length: 25 }, (_, i) => s.sessions.complete(x.id, 0, 100 + i)));
      assert.equal(results.filter(Boolean).length, 1);
    });

    test('sessions: list filters by tenant, status and externalId, newest first, with a stable cursor', async () => {
      const t = tenant();
      const other = tenant();
      await s.tenants.insert(t);
      await s.tenants.insert(other);
      const made: Session[] = [];
      for (let i = 0; i < 7; i++) {
        // Two share a timestamp: the id breaks the tie.
        const x = session(t.id, { createdAt: 1000 + Math.min(i, 5), externalId: i % 2 ? 'odd' : 'even', status: i === 3 ? 'COMPLETED' : 'CREATED' });
        await s.sessions.insert(x);
        made.push(x);
      }
      await s.sessions.insert(session(other.id, { externalId: 'odd' }));
      const expected = [...made].sort((a, b) => b.createdAt - a.createdAt || (b.id < a.id ? -1 : 1)).map((x) => x.id);
      const seen: string[] = [];
      let after: { createdAt: number; id: string } | undefined;
      for (;;) {
        const page = await s.sessions.list(t.id, { limit: 3, ...(after ? { after } : {}) });
        seen.push(...page.map((x) => x.id));
        if (page.length < 3) break;
        const last = page[page.length - 1]!;
        after = { createdAt: last.createdAt, id: last.id };
      }
      assert.deepEqual(seen, expected);
      assert.equal((await s.sessions.list(t.id, { limit: 100, externalId: 'odd' })).length, 3);
      assert.deepEqual((await s.sessions.list(t.id, { limit: 100, status: 'COMPLETED' })).map((x) => x.id), [made[3]!.id]);
    });

    test('captures: JSON results round-trip; clear image; reject; listed in order', async () => {
      const t = tenant();
      await s.tenants.insert(t);
      const x = session(t.id);
      await s.sessions.insert(x);
      const a = capture(x.id);
      const b = capture(x.id, { kind: 'FACE', pageSide: null, accepted: false, error: 'FACE_TOO_SMALL', imageId: null, contentType: null, imageBytes: null, createdAt: a.createdAt + 1 });
      await s.sessions.insertCapture(a);
      await s.sessions.insertCapture(b);
      assert.deepEqual(await s.sessions.getCapture(a.id), a);
      assert.deepEqual(await s.sessions.listCaptures(x.id), [a, b]);
      await s.sessions.clearCaptureImage(a.id);
      assert.deepEqual(await s.sessions.getCapture(a.id), { ...a, imageId: null, contentType: null, imageBytes: null });
      await s.sessions.rejectCapture(a.id, 'WRONG_SIDE');
      assert.deepEqual(await s.sessions.getCapture(a.id), { ...a, accepted: false, error: 'WRONG_SIDE', imageId: null, contentType: null, imageBytes: null });
      await s.sessions.setCapturePageSide(b.id, 'BACK');
      assert.equal((await s.sessions.getCapture(b.id))?.pageSide, 'BACK');
    });

    test("sessions: delete is tenant-scoped and takes the captures with it", async () => {
      const t = tenant();
      const other = tenant();
      await s.tenants.insert(t);
      await s.tenants.insert(other);
      const x = session(t.id);
      await s.sessions.insert(x);
      const c = capture(x.id);
      await s.sessions.insertCapture(c);
      assert.equal(await s.sessions.delete(other.id, x.id), false);
      assert.ok(await s.sessions.get(x.id));
      assert.equal(await s.sessions.delete(t.id, x.id), true);
      assert.equal(await s.sessions.get(x.id), undefined);
      assert.equal(await s.sessions.getCapture(c.id), undefined);
    });

    test('settings: first writer wins, also when racing', async () => {
      const key = `k_${randomUUID()}`;
      const values = await Promise.all(Array.from({ length: 10 }, (_, i) => s.settings.getOrInsert(key, `v${i}`)));
      assert.equal(new Set(values).size, 1);
      assert.equal(await s.settings.get(key), values[0]);
    });

    test('images: binary round-trip, delete one, delete a session\'s all', async () => {
      const sid = randomUUID();
      const a = randomUUID();
      const b = randomUUID();
      const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0xff));
      await s.images.put(sid, a, bytes);
      await s.images.put(sid, b, new Uint8Array([0, 255, 0]));
      assert.deepEqual(await s.images.get(sid, a), bytes);
      assert.equal(await s.images.get(randomUUID(), a), undefined, 'keyed by session too');
      await s.images.delete(sid, a);
      assert.equal(await s.images.get(sid, a), undefined);
      assert.deepEqual(await s.images.get(sid, b), Buffer.from([0, 255, 0]));
      await s.images.deleteSession(sid);
      assert.equal(await s.images.get(sid, b), undefined);
    });
  });
}
