/**
 * The cost of encryption at rest, in one process:
 *  1. seal and open (AES-256-GCM envelope, store/encryption.ts) of a 5 MB image and of a 60 KB
 *     engine result: median ms and MB/s;
 *  2. reading (SQLite + files): one 5 MB image from the image store, the same over HTTP (loopback,
 *     one keep-alive connection), and GET the session (an engine result with a portrait crop), each for a session
 *     stored sealed and one stored plain as an earlier version wrote it (the read-through path: the
 *     same code minus the decryption) — medians and the ratio sealed / plain.
 * `npm run bench -- encryption`.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { generateKeyText, Keyring, parseKeys } from '../src/server/store/encryption.js';
import { createTestTenant, openSession, startTestService } from '../test/helpers/service.js';
import { median, timeRuns } from './stats.js';

const RUNS = 30;

export async function run(): Promise<void> {
  const k = new Keyring(parseKeys(generateKeyText()));
  const image = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(5 * 1024 * 1024)]);
  const result = JSON.stringify({ details: { portrait: { cropJpegBase64: randomBytes(45_000).toString('base64') }, ocr: 'x'.repeat(1000) } });
  let sealed = k.seal(image, 'image:a/b');
  const sealMs = median(await timeRuns(async () => (sealed = k.seal(image, 'image:a/b')), RUNS));
  const openMs = median(await timeRuns(async () => k.open(sealed, 'image:a/b'), RUNS));
  let text = k.sealText(result, 'captures.result:x');
  const sealTextMs = median(await timeRuns(async () => (text = k.sealText(result, 'captures.result:x')), RUNS * 10));
  const openTextMs = median(await timeRuns(async () => k.openText(text, 'captures.result:x'), RUNS * 10));
  const mbps = (ms: number, bytes: number) => (bytes / 1e6 / (ms / 1000)).toFixed(0);
  console.log(`5 MB image: seal ${sealMs.toFixed(2)} ms (${mbps(sealMs, image.length)} MB/s), open ${openMs.toFixed(2)} ms (${mbps(openMs, image.length)} MB/s); envelope +${sealed.length - image.length} bytes`);
  console.log(`${(result.length / 1000).toFixed(0)} KB engine result: seal ${sealTextMs.toFixed(3)} ms, open ${openTextMs.toFixed(3)} ms (text form +${text.length - result.length} bytes, base64)`);

  const svc = await startTestService({ env: { LOG_LEVEL: 'silent' } });
  try {
    const t = await createTestTenant(svc.store);
    // Two sessions alike: one stored sealed (as the service writes), one plain (as an earlier version wrote).
    const made = { sealed: { session: '', image: '' }, plain: { session: '', image: '' } };
    for (const which of ['sealed', 'plain'] as const) {
      const s = await openSession(svc.app, t);
      const captureId = crypto.randomUUID();
      const imageId = crypto.randomUUID();
      if (which === 'sealed') await svc.store.images.put(s.sessionId, imageId, image);
      else {
        await svc.store.images.put(s.sessionId, crypto.randomUUID(), image); // creates the directory
        writeFileSync(join(svc.config.dataDir, 'images', s.sessionId, imageId), image);
      }
      await svc.store.sessions.insertCapture({
        id: captureId,
        sessionId: s.sessionId,
        kind: 'FACE',
        pageSide: null,
        accepted: true,
        error: null,
        result: JSON.parse(result) as unknown,
        imageId,
        contentType: 'image/jpeg',
        imageBytes: image.length,
        createdAt: Date.now(),
      });
      if (which === 'plain') await svc.store.db.run(`UPDATE captures SET result = ? WHERE id = ?`, [result, captureId]);
      made[which] = { session: s.sessionId, image: imageId };
    }
    await svc.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (svc.app.server.address() as AddressInfo).port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (url: string) => () =>
      new Promise<void>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path: url, agent, headers: { authorization: t.basic } }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${url}: ${res.statusCode}`))));
        }).on('error', reject);
      });
    const cases = {
      'image from the store (5 MB)': (w: 'sealed' | 'plain') => async () => svc.store.images.get(made[w].session, made[w].image),
      'GET /api/v1/sessions/{id}/images/{imageId} (5 MB)': (w: 'sealed' | 'plain') => get(`/api/v1/sessions/${made[w].session}/images/${made[w].image}`),
      'GET /api/v1/sessions/{id} (one capture, 61 KB result)': (w: 'sealed' | 'plain') => get(`/api/v1/sessions/${made[w].session}`),
    };
    for (const [name, fn] of Object.entries(cases)) {
      // Alternate the two so that machine noise hits both alike.
      const times = { sealed: [] as number[], plain: [] as number[] };
      for (let i = 0; i < 5; i++) for (const w of ['sealed', 'plain'] as const) times[w].push(...(await timeRuns(fn(w), 6, 1)));
      console.log(
        `${name}: sealed median ${median(times.sealed).toFixed(2)} ms, plain (earlier version) ${median(times.plain).toFixed(2)} ms · ratio ${(median(times.sealed) / median(times.plain)).toFixed(2)}`,
      );
    }
    agent.destroy();
  } finally {
    await svc.close();
  }
}
