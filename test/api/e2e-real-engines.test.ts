/**
 * End to end with the real service process (`src/server/main.ts`), the real face and document
 * engines and real images, over HTTP on loopback: readiness after model load, tenant made with
 * the CLI, initialize → document back first (WRONG_SIDE) → front → back → face → complete →
 * read the result with the normalised document → images; a German residence permit whose front
 * names no state completed by its back; a French ID front (MRZ on the front) accepted as FRONT;
 * graceful shutdown with a request in flight.
 *
 * Images: generated document specimens (test/fixtures/documents, see its README) and a selfie derived from the MIT-licensed face-api demo photo
 * (test/helpers/face-images.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { freePort } from '../helpers/free-port.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { selfie } from '../helpers/face-images.js';

const root = new URL('../..', import.meta.url).pathname;
const fixture = (name: string) => readFileSync(join(root, 'test/fixtures/documents', name));
let dataDir: string;
let proc: ChildProcess;
let base: string;
let output = '';
let exitCode: Promise<number | null>;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'idv-e2e-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', PUBLIC_BASE_URL: base, LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn', JWT_SECRET: '' };
  proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  exitCode = new Promise((r) => proc.on('exit', (code) => r(code)));
  // Listening first (health 200, ready 503), ready once the models are loaded.
  const deadline = Date.now() + 180_000;
  let sawNotReady = false;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`service not ready in time:\n${output}`);
    try {
      const r = await fetch(`${base}/ready`);
      if (r.status === 200) break;
      if (r.status === 503) sawNotReady = (await r.json()).error === 'SERVICE_NOT_READY' || sawNotReady;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(sawNotReady, '/ready answered 503 SERVICE_NOT_READY while the models loaded');
});

after(async () => {
  if (process.env.E2E_DEBUG) process.stderr.write(output);
  if (proc.exitCode === null) proc.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

test('the whole flow with the real engines on real images, then a graceful shutdown', { timeout: 600_000 }, async () => {
  assert.match(output, /npm run --silent tenant -- create/, 'start-up prints the next steps');
  const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'tenant', '--', 'create', '--name', 'e2e', '--return-origin', 'https://shop.example.com'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
  });
  const creds = JSON.parse(stdout.trim().split('\n').pop()!) as { username: string; password: string };
  const basic = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;

  const init = await fetch(`${base}/api/v1/enrolment/initialize`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/json' },
    body: JSON.stringify({ returnUrl: 'https://shop.example.com/done?order=7', externalId: 'e2e-1' }),
  });
  assert.equal(init.status, 200);
  const { accessToken, sessionId, webEnrolmentUrl } = (await init.json()) as { accessToken: string; sessionId: string; webEnrolmentUrl: string };
  assert.equal(webEnrolmentUrl, `${base}/web-enrolment/?token=${accessToken}`);

  const openAs = async (auth: string) => {
    const r = await fetch(`${base}/api/v1/enrolment/initialize`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ returnUrl: 'https://shop.example.com/' }),
    });
    return (await r.json()) as { accessToken: string; sessionId: string };
  };
  const postAs = async (token: string, path: string, image: Buffer) => {
    const r = await fetch(`${base}/api/v1/enrolment/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ imageBase: image.toString('base64') }),
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const post = async (path: string, image: Buffer, asDataUrl = false) => {
    const b64 = image.toString('base64');
    const r = await fetch(`${base}/api/v1/enrolment/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ imageBase: asDataUrl ? `data:image/jpeg;base64,${b64}` : b64 }),
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  const backFirst = await post('document', fixture('uto_id_back_photo_shear.jpg'));
  assert.equal(backFirst.status, 422);
  assert.equal(backFirst.body.error, 'WRONG_SIDE');

  const front = await post('document', fixture('uto_id_front_photo_tilt.jpg'), true);
  assert.equal(front.status, 200, JSON.stringify(front.body));
  assert.deepEqual(front.body, { hasError: false, isTwoSideDocument: true, pageSide: 'FRONT', country: 'UTO', type: 'IDENTITY_CARD' });

  const passportPage = await post('document', fixture('uto_passport_scan.jpg'));
  // A one-sided passport replaces the ID card: accepted as a new document.
  assert.equal(passportPage.status, 200);
  assert.equal(passportPage.body.type, 'PASSPORT');
  const frontAgain = await post('document', fixture('uto_id_front_photo_tilt.jpg'));
  assert.equal(frontAgain.status, 200);

  const tooEarly = await fetch(`${base}/api/v1/enrolment/complete`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
  assert.equal(tooEarly.status, 409);
  assert.equal(((await tooEarly.json()) as { error: string }).error, 'MISSING_DOCUMENT_AND_FACE');

  const back = await post('document', fixture('uto_id_back_photo_shear.jpg'));
  assert.equal(back.status, 200, JSON.stringify(back.body));
  assert.deepEqual(back.body, { hasError: false, isTwoSideDocument: true, pageSide: 'BACK', country: 'UTO', type: 'IDENTITY_CARD' });

  const face = await post('face', await selfie());
  assert.equal(face.status, 200, JSON.stringify(face.body));
  assert.deepEqual(face.body, { hasError: false });

  const done = await fetch(`${base}/api/v1/enrolment/complete`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
  assert.equal(done.status, 200);
  assert.deepEqual(await done.json(), { hasError: false, customerReturnUrl: 'https://shop.example.com/done?order=7' });

  const again = await post('face', await selfie());
  assert.equal(again.status, 409);
  assert.equal(again.body.error, 'SESSION_ALREADY_COMPLETED');

  type View = {
    status: string;
    stepsRemaining: string[];
    document: { type: string; country: string; number: { value: string }; machineReadable: Array<{ valid: boolean }>; front: { result?: Record<string, unknown> } };
    face: { problems: unknown[]; result?: { embedding: unknown; problems: unknown[] } };
    attempts: unknown[];
  };
  const view = (await (await fetch(`${base}/api/v1/sessions/${sessionId}`, { headers: { authorization: basic } })).json()) as View;
  assert.equal(view.status, 'COMPLETED');
  assert.deepEqual(view.stepsRemaining, []);
  assert.equal(view.document.type, 'IDENTITY_CARD');
  assert.equal(view.document.country, 'UTO');
  assert.equal(view.document.machineReadable[0]!.valid, true);
  assert.equal(view.document.number.value, 'D23145890');
  assert.deepEqual(view.face.problems, []);
  assert.equal(view.face.result, undefined);
  assert.equal(view.attempts.length, 6);
  const full = (await (await fetch(`${base}/api/v1/sessions/${sessionId}?detail=full`, { headers: { authorization: basic } })).json()) as View;
  assert.equal((full.face.result!.embedding as { redacted: boolean }).redacted, true);

  const images = (await (await fetch(`${base}/api/v1/sessions/${sessionId}/images`, { headers: { authorization: basic } })).json()) as { images: Array<{ imageId: string; kind: string; accepted: boolean }> };
  assert.deepEqual(images.images.filter((i) => i.accepted).map((i) => i.kind).sort(), ['DOCUMENT', 'DOCUMENT', 'FACE']);
  assert.equal(images.images.filter((i) => !i.accepted).length, 1, 'the refused back-first page is kept for review');

  // One document from its pages (generated specimens): a German residence permit front names no
  // state; its back's MRZ (AR, D) completes it — no WRONG_SIDE dead end.
  const s1 = await openAs(basic);
  const rpFront = await postAs(s1.accessToken, 'document', fixture('deu_residence_permit_front_photo.jpg'));
  assert.deepEqual(rpFront.body, { hasError: false, isTwoSideDocument: true, pageSide: 'FRONT', country: null, type: 'RESIDENCE_PERMIT' });
  const rpBack = await postAs(s1.accessToken, 'document', fixture('deu_residence_permit_back_photo.jpg'));
  assert.deepEqual(rpBack.body, { hasError: false, isTwoSideDocument: true, pageSide: 'BACK', country: 'DEU', type: 'RESIDENCE_PERMIT' });
  assert.equal((await postAs(s1.accessToken, 'face', await selfie())).status, 200);
  assert.equal((await fetch(`${base}/api/v1/enrolment/complete`, { method: 'POST', headers: { authorization: `Bearer ${s1.accessToken}` } })).status, 200);
  const rp = (await (await fetch(`${base}/api/v1/sessions/${s1.sessionId}`, { headers: { authorization: basic } })).json()) as {
    document: Record<string, { value: string; icao?: string; source: string; page: string } | string | null>;
  };
  assert.equal(rp.document.country, 'DEU');
  assert.deepEqual(
    Object.fromEntries(['number', 'issuingState', 'nationality', 'dateOfBirth', 'dateOfExpiry', 'sex'].map((k) => [k, (rp.document[k] as { value: string }).value])),
    { number: 'Y00013456', issuingState: 'DEU', nationality: 'TUR', dateOfBirth: '1983-08-12', dateOfExpiry: '2030-06-30', sex: 'M' },
  );
  assert.equal((rp.document.surname as { icao: string }).icao, 'MUELLER');

  // A French ID card (1994 design) prints its MRZ on the front, beside the portrait: accepted as
  // the FRONT on the first call, whatever side the engine calls it.
  const s3 = await openAs(basic);
  const fra = await postAs(s3.accessToken, 'document', fixture('fra_id_front_scan.jpg'));
  assert.equal(fra.status, 200, JSON.stringify(fra.body));
  assert.deepEqual(fra.body, { hasError: false, isTwoSideDocument: true, pageSide: 'FRONT', country: 'FRA', type: 'IDENTITY_CARD' });

  // Graceful shutdown: a capture in flight when SIGTERM arrives still gets its answer.
  const s2 = await fetch(`${base}/api/v1/enrolment/initialize`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/json' },
    body: JSON.stringify({ returnUrl: 'https://shop.example.com/' }),
  });
  const t2 = ((await s2.json()) as { accessToken: string }).accessToken;
  const inflight = fetch(`${base}/api/v1/enrolment/face`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t2}`, 'content-type': 'application/json' },
    body: JSON.stringify({ imageBase: (await selfie()).toString('base64') }),
  });
  await new Promise((r) => setTimeout(r, 100));
  proc.kill('SIGTERM');
  const late = await inflight;
  assert.equal(late.status, 200);
  assert.equal(await exitCode, 0, output);
});
