/**
 * A Cyrillic line reader, for the few text lines the PaddleOCR recogniser cannot read (its "ch"
 * dictionary has no Cyrillic alphabet). Tesseract 5 (tesseract.js, WebAssembly, LSTM engine) with
 * the Ukrainian model from the npm package `@tesseract.js-data/ukr` (MIT; tessdata Apache-2.0).
 *
 * Everything is local: the traineddata is read from node_modules (`langPath` is a folder, so
 * tesseract.js reads the file instead of fetching it from its CDN), the worker script and the
 * WebAssembly core are tesseract.js's own Node files (`tesseract.js-core` is required, never
 * fetched), and the traineddata is never cached to disk (`cacheMethod: 'none'`).
 *
 * The Ukrainian alphabet covers Russian, Belarusian and Bulgarian headers except Ы, Ъ, Э, Ё (and
 * Kazakh Қ, Serbian Ј). Measured on rendered headers (test/vision/ocr-cyrillic.test.ts): Ы comes
 * out as "ЬІ" (mapped back here: the pair never occurs in Ukrainian spelling), Ъ as Ь, Э as З,
 * Қ as К — single-letter slips that the header matcher's edit allowance absorbs.
 *
 * One tesseract worker per process (it runs in its own thread), loaded on first use and shared.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import { distance, warpQuad, type Quad, type RgbImage } from './image.js';

export interface CyrillicRead {
  /** As read (upper and lower case, Ы restored from "ЬІ"), trimmed. */
  text: string;
  /** Tesseract's mean word confidence, scaled to 0–1. */
  confidence: number;
}

export interface CyrillicReader {
  /** Read each quad (corners in reading order, as from the text detector) as one line of text. */
  readLines(image: RgbImage, quads: readonly Quad[]): Promise<CyrillicRead[]>;
  /** Stop the tesseract worker (tests; a later load starts a new one). */
  close(): Promise<void>;
}

/** Tunables of the reader; each is a size, not a decision threshold. */
export const CYRILLIC_DEFAULTS = {
  /** Height the line is resampled to before Tesseract, px: text ≈ 60 % of it (the detector's
   * box has margin), i.e. capitals ≈ 35–40 px, inside Tesseract's best range (20–50 px). */
  stripHeightPx: 64,
  /** Longest strip given to Tesseract, px (cost is linear in width). */
  stripMaxWidthPx: 1600,
  /** Background border added on each side, as a fraction of the strip height: Tesseract
   * misreads glyphs that touch the image edge. */
  borderFraction: 0.25,
} as const;

const LANG = 'ukr';
/** LSTM-only integer model: 2.1 MB, the variant tesseract.js itself uses for LSTM. */
const MODEL_DIR = '4.0.0_best_int';

/** Folder holding `ukr.traineddata.gz`; throws (naming the package) when it is not installed. */
export function cyrillicDataDir(): string {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve('@tesseract.js-data/ukr');
  } catch {
    throw new Error('Cyrillic OCR data missing: install the npm package @tesseract.js-data/ukr');
  }
  const dir = join(dirname(entry), MODEL_DIR);
  const file = join(dir, `${LANG}.traineddata.gz`);
  if (!existsSync(file)) throw new Error(`Cyrillic OCR data missing: ${file} (reinstall the npm package @tesseract.js-data/ukr)`);
  return dir;
}

let shared: Promise<CyrillicReader> | null = null;

/** The shared reader, created on first call; throws loudly if the data or the core is missing. */
export function loadCyrillicReader(): Promise<CyrillicReader> {
  if (!shared) {
    shared = createReader().catch((err: unknown) => {
      shared = null; // a later call may retry (e.g. after installing the package)
      throw err instanceof Error ? err : new Error(`Cyrillic OCR failed to start: ${String(err)}`);
    });
  }
  return shared;
}

async function createReader(): Promise<CyrillicReader> {
  const langPath = cyrillicDataDir();
  const worker = await createWorker(LANG, OEM.LSTM_ONLY, {
    langPath,
    gzip: true,
    cacheMethod: 'none',
    // Errors from the worker reject the job's promise; nothing is printed.
    logger: () => {},
    errorHandler: () => {},
  });
  // The strips carry no resolution (without one Tesseract guesses from the glyph size and warns);
  // Tesseract's debug prints (statistics dumped for blank strips) go nowhere instead of stderr.
  await worker.setParameters({ tessedit_pageseg_mode: PSM.SINGLE_LINE, preserve_interword_spaces: '1', user_defined_dpi: '300', debug_file: '/dev/null' });
  // The tesseract thread must not keep the process alive while idle (a CLI or a test that used
  // the reader would never exit): referenced only while a job runs.
  const thread = (worker as Worker & { worker?: { ref(): void; unref(): void } }).worker;
  if (!thread || typeof thread.unref !== 'function') {
    await worker.terminate();
    throw new Error('tesseract.js no longer exposes its worker thread (`worker.worker`): cannot unref it; check the tesseract.js version');
  }
  thread.unref();
  let busy = 0;
  const reader: CyrillicReader = {
    async readLines(image, quads) {
      const out: CyrillicRead[] = [];
      if (busy++ === 0) thread.ref();
      try {
        for (const quad of quads) {
          const png = await lineImage(image, quad);
          const { data } = await worker.recognize(png);
          out.push({ text: restoreYery(data.text.replace(/\s+/g, ' ').trim()), confidence: Math.max(0, Math.min(1, data.confidence / 100)) });
        }
      } finally {
        if (--busy === 0) thread.unref();
      }
      return out;
    },
    async close() {
      if (shared) shared = null;
      thread.ref();
      await worker.terminate();
    },
  };
  return reader;
}

/** "ЬІ" (the Ukrainian model's spelling of Ы, a letter it lacks) → Ы, any case. */
function restoreYery(text: string): string {
  return text.replace(/ЬІ/g, 'Ы').replace(/ьі/g, 'ы');
}

/** The line upright, grey, resampled to stripHeightPx high with a border, as PNG. */
async function lineImage(image: RgbImage, quad: Quad): Promise<Buffer> {
  const H = CYRILLIC_DEFAULTS.stripHeightPx;
  const len = (distance(quad[0], quad[1]) + distance(quad[3], quad[2])) / 2;
  const hgt = Math.max(1, (distance(quad[0], quad[3]) + distance(quad[1], quad[2])) / 2);
  const W = Math.max(16, Math.min(CYRILLIC_DEFAULTS.stripMaxWidthPx, Math.round((H * len) / hgt)));
  const strip = warpQuad(image, quad, W, H);
  const border = Math.round(H * CYRILLIC_DEFAULTS.borderFraction);
  return sharp(strip.rgb, { raw: { width: strip.width, height: strip.height, channels: 3 } })
    .greyscale()
    .extend({ top: border, bottom: border, left: border, right: border, extendWith: 'copy' })
    .png({ compressionLevel: 1 })
    .toBuffer();
}
