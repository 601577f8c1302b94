/**
 * `npm run --silent evaluate -- face-pairs <labels.tsv> [<more.tsv> …] [--seed N]`
 *
 * Measures selfie ↔ document-portrait matching with the service's own embedding and score
 * (vision/face/embedding.ts, verification/face-similarity.ts) on any TSV with the columns `file`
 * (relative to the TSV's folder) and `identity`: two rows with the same identity are a genuine
 * pair, two with different identities an impostor pair. No identity is written in the code.
 * Several TSVs are one set (their identities must not collide unless they are the same people).
 *
 * Every photo is embedded as a selfie (its largest face, the engine's embedding) and turned into
 * an identity-card portrait by a seeded generator (document-portrait.ts), embedded the way the
 * document engine embeds portraits. Pairs, one JSON line each:
 *  - kind "photo": every unordered pair of photos (photo vs photo);
 *  - kind "document": every ordered pair (selfie a, document portrait made from b), a ≠ b — the
 *    case the service decides;
 *  - kind "same-photo": a selfie against the portrait made from that same photo (not a genuine
 *    capture pair: the upper end of what a real document can score), and kind "portrait-reuse":
 *    the card's portrait cut out and enlarged to a selfie against the card (the replay attack).
 * Then one summary line: counts, EER, FNMR at FMR 1 % and 0.1 %, FNMR and FMR at the configured
 * thresholds, each with a 95 % person-level bootstrap interval. docs/face-verification.md.
 * Images are read by path and never written anywhere.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import sharp from 'sharp';
import { decodeImage } from '../server/vision/decode-image.js';
import { detectFaces, loadFaceModels, type FaceModels } from '../server/vision/face/index.js';
import { signatureCorrelation } from '../server/vision/face/signature.js';
import { faceMatchScore } from '../server/verification/face-similarity.js';
import { DEFAULT_VERIFICATION_THRESHOLDS, faceMatchLevel, type VerificationPolicy } from '../server/verification/thresholds.js';
import { documentPortrait } from './document-portrait.js';
import { bootstrap, equalErrorRate, fmrAt, fnmrAt, thresholdAtFmr, type Interval, type ScoredPair } from './face-pair-metrics.js';
import { seedOf } from './seeded.js';

interface Photo {
  /** Shown name: the TSV's folder name / the file as labelled. */
  name: string;
  path: string;
  identity: string;
}

/** Rows with a file and an identity, from a TSV with a header (columns read by name). */
export function parseIdentityLabels(tsv: string): Array<{ file: string; identity: string }> {
  const lines = tsv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split('\t').map((h) => h.trim());
  const fileCol = header.indexOf('file');
  const idCol = header.indexOf('identity');
  if (fileCol < 0 || idCol < 0) throw new Error('labels file needs the columns "file" and "identity"');
  return lines
    .map((l) => l.split('\t'))
    .map((c) => ({ file: (c[fileCol] ?? '').trim(), identity: (c[idCol] ?? '').trim() }))
    .filter((r) => r.file !== '' && r.identity !== '');
}

interface Side {
  embedding: number[] | null;
  signature: number[] | null;
}
interface Embedded {
  selfie: Side | null;
  document: Side | null;
  reuse: Side | null;
}

const out = (v: unknown) => process.stdout.write(`${JSON.stringify(v)}\n`);
const r4 = (v: number | null) => (v === null || !Number.isFinite(v) ? v : Math.round(v * 10_000) / 10_000);
const median = (v: number[]) => (v.length === 0 ? null : [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!);

/** The largest face of a photo, embedded by the engine's own function. */
async function selfieEmbedding(models: FaceModels, bytes: Buffer) {
  const image = await decodeImage(bytes, 1280);
  const face = (await detectFaces(models, image))[0];
  if (!face) return null;
  const s = image.scale;
  return { embedding: face.embedding, signature: face.signature, box: { x: face.box.x / s, y: face.box.y / s, width: face.box.width / s, height: face.box.height / s } };
}

/** The portrait on a card, found and embedded as the document engine does. */
async function portraitOnCard(models: FaceModels, card: Buffer) {
  const image = await decodeImage(card, 1280);
  const face = (await detectFaces(models, image))[0];
  return face ? { embedding: face.embedding, signature: face.signature, box: face.box, image } : null;
}

/** The replay attack: the card's portrait cut out and enlarged to a 960-px-high selfie. */
async function reusedPortrait(card: Buffer, box: { x: number; y: number; width: number; height: number }, w: number, h: number): Promise<Buffer> {
  const left = Math.max(0, Math.round(box.x - box.width * 0.3));
  const top = Math.max(0, Math.round(box.y - box.height * 0.45));
  const width = Math.min(w - left, Math.round(box.width * 1.6));
  const height = Math.min(h - top, Math.round(box.height * 1.8));
  return sharp(card).extract({ left, top, width, height }).resize({ height: 960, kernel: 'cubic' }).jpeg({ quality: 90 }).toBuffer();
}

function summarise(pairs: ScoredPair[], policy: VerificationPolicy): Record<string, unknown> {
  const genuine = pairs.filter((p) => p.idA === p.idB).map((p) => p.score);
  const impostor = pairs.filter((p) => p.idA !== p.idB).map((p) => p.score);
  const withCi = (stat: (g: number[], i: number[]) => number | null): Interval => {
    const v = bootstrap(pairs, stat);
    return { value: r4(v.value), ci95: v.ci95 ? [r4(v.ci95[0])!, r4(v.ci95[1])!] : null };
  };
  const atFmr = (fmr: number) => ({
    threshold: withCi((_g, i) => thresholdAtFmr(i, fmr)),
    fnmr: withCi((g, i) => {
      const t = thresholdAtFmr(i, fmr);
      return t === null ? null : fnmrAt(g, t);
    }),
  });
  const sortedG = [...genuine].sort((a, b) => a - b);
  const sortedI = [...impostor].sort((a, b) => a - b);
  return {
    genuinePairs: genuine.length,
    impostorPairs: impostor.length,
    identities: new Set(pairs.flatMap((p) => [p.idA, p.idB])).size,
    genuineScore: genuine.length ? { min: r4(sortedG[0]!), median: r4(median(genuine)), max: r4(sortedG[sortedG.length - 1]!) } : null,
    impostorScore: impostor.length ? { min: r4(sortedI[0]!), median: r4(median(impostor)), max: r4(sortedI[sortedI.length - 1]!) } : null,
    eer: withCi((g, i) => equalErrorRate(g, i)?.eer ?? null),
    eerThreshold: r4(equalErrorRate(genuine, impostor)?.threshold ?? null),
    atFmr1pc: atFmr(0.01),
    atFmr0_1pc: atFmr(0.001),
    atHigh: { threshold: policy.faceMatchHigh, fnmr: withCi((g) => fnmrAt(g, policy.faceMatchHigh)), fmr: withCi((_g, i) => fmrAt(i, policy.faceMatchHigh)) },
    atLow: { threshold: policy.faceMatchLow, fnmr: withCi((g) => fnmrAt(g, policy.faceMatchLow)), fmr: withCi((_g, i) => fmrAt(i, policy.faceMatchLow)) },
  };
}

export async function evaluate(...args: string[]): Promise<void> {
  let runSeed = 1;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--seed') runSeed = Number(args[++i]);
    else files.push(args[i]!);
  }
  if (files.length === 0 || !Number.isInteger(runSeed)) {
    process.stderr.write('usage: npm run --silent evaluate -- face-pairs <labels.tsv> [<more.tsv> …] [--seed N]\n');
    process.exitCode = 2;
    return;
  }
  const photos: Photo[] = [];
  for (const f of files) {
    let rows;
    try {
      rows = parseIdentityLabels(await readFile(f, 'utf8'));
    } catch (err) {
      process.stderr.write(`cannot read labels "${f}": ${(err as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    const dir = dirname(resolve(f));
    for (const r of rows) photos.push({ name: `${basename(dir)}/${r.file}`, path: resolve(dir, r.file), identity: r.identity });
  }
  const policy = DEFAULT_VERIFICATION_THRESHOLDS;
  const models = await loadFaceModels();
  const embedded: Embedded[] = [];
  const failures: Array<{ file: string; reason: string }> = [];
  const ms: number[] = [];
  for (const p of photos) {
    const e: Embedded = { selfie: null, document: null, reuse: null };
    embedded.push(e);
    try {
      const bytes = await readFile(p.path);
      const t0 = performance.now();
      const selfie = await selfieEmbedding(models, bytes);
      ms.push(performance.now() - t0);
      if (!selfie?.embedding) {
        failures.push({ file: p.name, reason: 'no face found' });
        continue;
      }
      e.selfie = selfie;
      const { card } = await documentPortrait(bytes, { face: selfie.box, seed: seedOf(p.name, runSeed) });
      const portrait = await portraitOnCard(models, card);
      if (!portrait?.embedding) {
        failures.push({ file: p.name, reason: 'no portrait found on its generated card' });
        continue;
      }
      e.document = portrait;
      const replay = await selfieEmbedding(models, await reusedPortrait(card, portrait.box, portrait.image.width, portrait.image.height));
      e.reuse = replay;
    } catch (err) {
      failures.push({ file: p.name, reason: (err as Error).message });
    }
  }
  const kinds: Record<string, ScoredPair[]> = { photo: [], document: [], 'same-photo': [], 'portrait-reuse': [] };
  const correlations: Record<string, Array<{ genuine: boolean; correlation: number }>> = { document: [], 'same-photo': [], 'portrait-reuse': [] };
  /** Pairs the service would take for a replay (verification/portrait-reuse.ts), by kind. */
  const flagged: Record<string, { reuse: number; of: number }> = { document: { reuse: 0, of: 0 }, 'same-photo': { reuse: 0, of: 0 }, 'portrait-reuse': { reuse: 0, of: 0 } };
  const emit = (kind: string, a: number, b: number, x: Side | null, y: Side | null) => {
    if (!x?.embedding || !y?.embedding) return;
    const score = faceMatchScore(x.embedding, y.embedding);
    if (score === null) return;
    const A = photos[a]!, B = photos[b]!;
    // Same-photo and reuse pairs are one person by construction.
    const genuine = A.identity === B.identity;
    kinds[kind]!.push({ idA: A.identity, idB: B.identity, score });
    const correlation = kind === 'photo' || !x.signature || !y.signature ? null : signatureCorrelation(x.signature, y.signature);
    if (correlation !== null) correlations[kind]!.push({ genuine, correlation });
    const reused = kind !== 'photo' && (score > policy.faceReuseAbove || (correlation !== null && correlation > policy.faceReuseSignatureAbove));
    if (kind !== 'photo' && (kind !== 'document' || genuine)) {
      flagged[kind]!.of++;
      if (reused) flagged[kind]!.reuse++;
    }
    out({ a: A.name, b: B.name, kind, genuine, score: r4(score), level: faceMatchLevel(score, policy), ...(correlation === null ? {} : { signatureCorrelation: r4(correlation), reuse: reused }) });
  };
  for (let a = 0; a < photos.length; a++) {
    for (let b = a + 1; b < photos.length; b++) emit('photo', a, b, embedded[a]!.selfie, embedded[b]!.selfie);
  }
  for (let a = 0; a < photos.length; a++) {
    for (let b = 0; b < photos.length; b++) if (a !== b) emit('document', a, b, embedded[a]!.selfie, embedded[b]!.document);
  }
  for (let a = 0; a < photos.length; a++) {
    emit('same-photo', a, a, embedded[a]!.selfie, embedded[a]!.document);
    emit('portrait-reuse', a, a, embedded[a]!.reuse, embedded[a]!.document);
  }
  const scores = (k: string) => kinds[k]!.map((p) => p.score).sort((x, y) => x - y);
  const spread = (k: string) => {
    const s = scores(k);
    return s.length ? { n: s.length, min: r4(s[0]!), median: r4(s[Math.floor(s.length / 2)]!), max: r4(s[s.length - 1]!) } : { n: 0 };
  };
  out({
    summary: true,
    photos: photos.length,
    identities: new Set(photos.map((p) => p.identity)).size,
    embedded: embedded.filter((e) => e.selfie).length,
    notEmbedded: failures,
    model: models.recognizer.model,
    score: '1 - Euclidean distance of the embeddings',
    seed: runSeed,
    thresholds: { high: policy.faceMatchHigh, low: policy.faceMatchLow, reuseAbove: policy.faceReuseAbove, reuseSignatureAbove: policy.faceReuseSignatureAbove },
    photoVsPhoto: summarise(kinds.photo!, policy),
    selfieVsDocument: summarise(kinds.document!, policy),
    samePhoto: spread('same-photo'),
    portraitReuse: spread('portrait-reuse'),
    // Genuine selfie-vs-document pairs taken for a replay (false alarms), and replays caught.
    takenForReplay: flagged,
    signatureCorrelation: Object.fromEntries(
      Object.entries(correlations).map(([k, v]) => {
        const c = (g: boolean) => v.filter((x) => x.genuine === g).map((x) => x.correlation).sort((p, q) => p - q);
        const d = (s: number[]) => (s.length ? { n: s.length, min: r4(s[0]!), p99: r4(s[Math.floor(0.99 * (s.length - 1))]!), max: r4(s[s.length - 1]!) } : { n: 0 });
        return [k, { genuine: d(c(true)), impostor: d(c(false)) }];
      }),
    ),
    medianSelfieMs: r4(median(ms)),
  });
}
