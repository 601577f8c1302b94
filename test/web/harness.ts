/**
 * Harness for the web UI's browser tests: the real service (real SQLite file, real HTTP on
 * 127.0.0.1) with SCRIPTED TEST FAKES of the vision engines (the UI tests are about the UI, not
 * about vision accuracy; one test uses the real engines), a parent site on another origin
 * (http://localhost:<port>) that embeds the page and records the messages it receives, and
 * Debian's Chromium driven by playwright-core with a fake camera.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildApp, createServices, type Services } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import type { Engines } from '../../src/server/session/deps.js';
import type { DocumentEngine, DocumentResult, FaceCheckResult, FaceEngine, FaceErrorCode } from '../../src/server/vision/contract.js';
import { openStore, type Store } from '../../src/server/store/index.js';
import type { FastifyInstance } from 'fastify';
import { createTestTenant, type TestTenant } from '../helpers/service.js';
import { selfie } from '../helpers/face-images.js';
import { writeY4m, writeY4mFrames } from '../fixtures/camera/y4m.js';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** TEST FAKE: answers document pages from a script, in order (then accepts one-sided fronts). */
export class ScriptedDocumentEngine implements DocumentEngine {
  script: Partial<DocumentResult>[] = [];
  calls = 0;
  /** Pause before answering (to see the processing screen), ms. */
  delayMs = 0;
  /** The bytes of the last page it was given. */
  lastImage: Uint8Array | null = null;
  async analyzeDocument(image: Uint8Array): Promise<DocumentResult> {
    this.calls++;
    this.lastImage = image;
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const next = this.script.shift() ?? {};
    return {
      error: null, type: 'IDENTITY_CARD', country: 'SVK', pageSide: 'FRONT', isTwoSideDocument: false, mrz: null,
      portraitEmbedding: [0.1, 0.2], portraitEmbeddingModel: 'scripted-fake', details: { scripted: true }, ms: 1,
      ...next,
    };
  }
}

/** TEST FAKE: answers face photos from a script of codes, in order (then accepts). */
export class ScriptedFaceEngine implements FaceEngine {
  script: (FaceErrorCode | null)[] = [];
  calls = 0;
  delayMs = 0;
  async checkFace(): Promise<FaceCheckResult> {
    this.calls++;
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const code = this.script.shift() ?? null;
    return { code, problems: code ? [code] : [], embedding: code ? null : [0.3, 0.4], embeddingModel: code ? null : 'scripted-fake', measurements: {}, ms: 1 };
  }
}

export interface WebTestEnv {
  base: string;
  parentOrigin: string;
  app: FastifyInstance;
  services: Services;
  store: Store;
  tenant: TestTenant;
  doc: ScriptedDocumentEngine;
  face: ScriptedFaceEngine;
  /** Added to the real clock (ms): move it forward to expire tokens. */
  clock: { offsetMs: number };
  parent: ParentSite;
  browser: Browser;
  /** Opens a session for the test tenant (or `as`); returns the initialize body. */
  openSession(as?: TestTenant): Promise<{ accessToken: string; sessionId: string; webEnrolmentUrl: string }>;
  close(): Promise<void>;
}

export interface ParentSite {
  origin: string;
  server: Server;
}

/**
 * The integrator's page, on its own origin: `/embed?src=<url>&allow=camera` renders the spec's
 * example page (iframe + message listener that records every message with its origin);
 * `/return` is the returnUrl.
 */
function startParentSite(): Promise<ParentSite> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/embed') {
      const src = url.searchParams.get('src') ?? '';
      const allow = url.searchParams.get('allow') ?? 'camera';
      const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!DOCTYPE html><html><body>
<iframe id="f" src="${esc(src)}" style="width:420px;height:760px" ${allow ? `allow="${esc(allow)}"` : ''}></iframe>
<script>
  window.received = [];
  window.addEventListener('message', (event) => { window.received.push({ origin: event.origin, data: event.data }); }, false);
</script></body></html>`);
      return;
    }
    if (url.pathname === '/return') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!DOCTYPE html><html><body><h1 id="returned">returned</h1></body></html>`);
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const port = (server.address() as AddressInfo).port;
    resolve({ origin: `http://localhost:${port}`, server });
  }));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

let y4mPath: string | null = null;
/** The fake camera file (a face photo, 1280×720), written once per process. */
export async function cameraFile(dir: string): Promise<string> {
  if (y4mPath) return y4mPath;
  const path = join(dir, 'camera.y4m');
  await writeY4m(path, await selfie(), 1280, 720, 2);
  y4mPath = path;
  return path;
}

/** A fake camera file showing `image`, in the test's own folder. */
async function customCameraFile(dir: string, image: Buffer): Promise<string> {
  const path = join(dir, 'camera-custom.y4m');
  await writeY4m(path, image, 1280, 720, 2);
  return path;
}

async function framesCameraFile(dir: string, frames: Buffer[]): Promise<string> {
  const path = join(dir, 'camera-frames.y4m');
  await writeY4mFrames(path, frames);
  return path;
}

export interface WebTestOptions {
  engines?: Engines;
  /** What the fake camera shows (an image, letterboxed to 1280×720); default: a face photo. */
  camera?: Buffer;
  /** A moving fake camera: these frames in a loop at 30 fps (640×360). */
  cameraFrames?: Buffer[];
}

export async function startWebTest(opts: WebTestOptions = {}): Promise<WebTestEnv> {
  const dataDir = mkdtempSync(join(tmpdir(), 'idv-web-'));
  const store = await openStore({ databaseUrl: `sqlite:${join(dataDir, 'test.sqlite')}`, dataDir });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_BASE_URL: base, PORT: String(port), WEB_DEMO: 'true', LOG_LEVEL: 'silent' });
  const clock = { offsetMs: 0 };
  const services = await createServices(config, store, { now: () => Date.now() + clock.offsetMs });
  const doc = new ScriptedDocumentEngine();
  const face = new ScriptedFaceEngine();
  services.setEngines(opts.engines ?? { face, document: doc });
  const app = await buildApp(services);
  await app.listen({ port, host: '127.0.0.1' });
  const parent = await startParentSite();
  const tenant = await createTestTenant(store, {
    allowedReturnOrigins: [parent.origin],
    allowedFrameOrigins: [parent.origin],
  });
  // A browser that fails to start must not leave the server and the store open: the test file's
  // process would never exit.
  const launched = chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${opts.cameraFrames ? await framesCameraFile(dataDir, opts.cameraFrames) : opts.camera ? await customCameraFile(dataDir, opts.camera) : await cameraFile(dataDir)}`,
    ],
  });
  const browser = await launched.catch(async (err: unknown) => {
    await new Promise<void>((r) => parent.server.close(() => r()));
    await app.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  return {
    base,
    parentOrigin: parent.origin,
    app,
    services,
    store,
    tenant,
    doc,
    face,
    clock,
    parent,
    browser,
    async openSession(as = tenant) {
      const res = await fetch(`${base}/api/v1/enrolment/initialize`, {
        method: 'POST',
        headers: { authorization: as.basic, 'content-type': 'application/json' },
        body: JSON.stringify({ returnUrl: `${parent.origin}/return?from=enrolment` }),
      });
      if (res.status !== 200) throw new Error(`initialize ${res.status}: ${await res.text()}`);
      return (await res.json()) as { accessToken: string; sessionId: string; webEnrolmentUrl: string };
    },
    async close() {
      await browser.close();
      await new Promise<void>((r) => parent.server.close(() => r()));
      await app.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
      y4mPath = null;
    },
  };
}

/** A phone-like browser context (mobile UA and viewport: no handoff screen). */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
  isMobile: true,
  hasTouch: true,
};
export const DESKTOP = { viewport: { width: 1280, height: 900 } };
