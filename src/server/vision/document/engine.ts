/**
 * The document engine: one photo of one side of an identity document in, its type, issuing
 * country, side, MRZ, barcode data and portrait out (contract.ts DocumentEngine).
 *
 * One pass per stage, sized for speed (docs/vision-documents.md "Speed"):
 *   decode once to the working size → one OCR pass (detector on a ≤ 960-px copy) whose lines the
 *   MRZ reader and the header matcher share → face detection on the upright working image →
 *   PDF417 only when there is no MRZ → classification from data tables (classify.ts).
 */
import type { Box, DocumentEngine, DocumentResult, MrzResult } from '../contract.js';
import { decodeImage, type DecodedImage } from '../decode-image.js';
import { loadOcr, type DetectOptions, type Ocr, type TextLine } from '../ocr/index.js';
import { doubtfulOf, MRZ_ALPHABET, parseMrz, readMrz, type MrzReading } from '../mrz/index.js';
import { crossCheckNames, namesConfidenceAfterViz, type NameCheck } from './viz-names.js';
import { loadFaceModels, type DetectedFace, type FaceModels } from '../face/index.js';
import { cropPortrait, findPortraits, type PortraitSearch } from './portrait.js';
import { detectDocumentText, readTextLines, type DocumentText } from './read-text.js';
import { loadZxing, readDocumentBarcodes, type BarcodeReading } from '../barcode/index.js';
import { classify, mrzIdentity, mrzRuleFor, type Classification, type Evidence } from './classify.js';
import { DEFAULT_DOCUMENT_CONFIG, type DocumentConfig } from './config.js';
import { cyrillicFallback, type CyrillicFallbackResult } from './cyrillic-fallback.js';
import { cyrillicDataDir } from '../ocr/cyrillic.js';
import { judgeCapture } from './capture-advice.js';

export interface DocumentDeps {
  ocr: Ocr;
  faceModels: FaceModels;
}

/** Load OCR, face models and the barcode reader once; throws (loudly) if any is missing. */
export async function loadDocumentModels(): Promise<DocumentDeps> {
  cyrillicDataDir(); // the Cyrillic reader starts on first use; its data must be there now
  const [ocr, faceModels] = await Promise.all([loadOcr(), loadFaceModels(), loadZxing()]);
  return { ocr, faceModels };
}

/** Everything the engine found, for the evaluation tool and the stored result. */
export interface DocumentAnalysis extends DocumentResult {
  mrzReading: MrzReading | null;
  classification: Classification;
}

export function createDocumentEngine(deps: DocumentDeps, config: Partial<DocumentConfig> = {}): DocumentEngine & {
  analyze(image: Uint8Array): Promise<DocumentAnalysis>;
} {
  const cfg: DocumentConfig = { ...DEFAULT_DOCUMENT_CONFIG, ...config };
  const analyze = (image: Uint8Array) => analyzeDocument(deps, cfg, image);
  return {
    analyze,
    // The service gets the contract's result only (it is stored whole): not the MRZ reader's
    // working data nor the classifier's internals, which `analyze` keeps for evaluation.
    async analyzeDocument(image: Uint8Array): Promise<DocumentResult> {
      const { mrzReading: _mrzReading, classification: _classification, ...result } = await analyze(image);
      return result;
    },
  };
}

const round = (v: number) => Math.round(v * 10) / 10;
const scaleBox = (b: Box, k: number): Box => ({ x: round(b.x * k), y: round(b.y * k), width: round(b.width * k), height: round(b.height * k) });

async function analyzeDocument(deps: DocumentDeps, cfg: DocumentConfig, bytes: Uint8Array): Promise<DocumentAnalysis> {
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const lap = (name: string, since: number) => (timings[name] = Math.round(performance.now() - since));

  let t = performance.now();
  const image = await decodeImage(bytes, cfg.workingMaxSidePx);
  lap('decodeMs', t);
  const toOriginal = 1 / image.scale;

  let { text, lines, mrz, nameCheck } = await lookAtText(deps, cfg, image, {}, lap);

  let rotation = pageRotation(mrz, lines);
  const evidence: Evidence = { mrz: mrzEvidence(mrz), aamva: null, text: textEvidence(lines), portraits: [], textToOriginalPx: toOriginal };
  let classification = classify(evidence, cfg);

  // The portrait: on the page cut out around the MRZ, else on the image turned upright by its text.
  let search: PortraitSearch | null = null;
  const lookForPortrait = async () => {
    const t1 = performance.now();
    search = await findPortraits(deps.faceModels, image, mrz, rotation);
    lap('faceMs', t1);
    const s = search;
    evidence.portraits = s.faces.map((f) => ({ box: scaleBox(f.box, s.toOriginalPx), score: f.score }));
    if (evidence.mrz && s.mrzLineFramePx !== null) evidence.mrz.lineLengthPx = s.mrzLineFramePx * s.toOriginalPx;
    classification = classify(evidence, cfg);
  };
  // Barcodes are on backs: look for one unless an MRZ was read or the side is a front (a type
  // header and a usable portrait): saves the scan on passports and card fronts.
  let barcodes: BarcodeReading[] = [];
  if (!mrz) {
    const headerFront = classification.recognized && classification.pageSide === 'FRONT' && classification.headers.length > 0;
    if (headerFront) await lookForPortrait();
    if (!headerFront || !classification.portrait) {
      t = performance.now();
      barcodes = await readDocumentBarcodes(image);
      lap('barcodeMs', t);
      const aamva = barcodes.find((b) => b.aamva)?.aamva ?? null;
      if (aamva) {
        evidence.aamva = aamva;
        classification = classify(evidence, cfg);
      }
    }
  }
  const nothingRead = () => !mrz && !evidence.aamva && !classification.recognized && classification.headers.length === 0 && classification.countryNames.length === 0;
  // A closer look (cfg.closerLook): nothing was read on a small image (a low-resolution scan or
  // crop) → detect again on a larger upscaled copy, where small print is found more often; its
  // reading is kept only if it finds an MRZ, a header or a national name.
  if (nothingRead() && text && Math.max(image.width, image.height) < cfg.closerLook.maxImageSidePx) {
    t = performance.now();
    const closer = await lookAtText(deps, cfg, image, { minSidePx: cfg.closerLook.detMinSidePx }, () => 0);
    const closerEvidence: Evidence = { ...evidence, mrz: mrzEvidence(closer.mrz), text: textEvidence(closer.lines) };
    const c = classify(closerEvidence, cfg);
    if (closer.mrz || c.headers.length > 0 || c.countryNames.length > 0) {
      ({ text, lines, mrz, nameCheck } = closer);
      Object.assign(evidence, { mrz: closerEvidence.mrz, text: closerEvidence.text });
      rotation = pageRotation(mrz, lines);
      classification = c;
    }
    lap('closerLookMs', t);
  }
  // Cyrillic fallback (cyrillic-fallback.ts): nothing classified the side (no MRZ, no barcode, no
  // Latin header or name) → the tallest lines are read again with the Cyrillic reader.
  let cyrillic: CyrillicFallbackResult | null = null;
  if (nothingRead()) {
    t = performance.now();
    cyrillic = await cyrillicFallback(image, lines, evidence.text);
    evidence.text = cyrillic.text;
    classification = classify(evidence, cfg);
    lap('cyrillicMs', t);
  }
  // Faces are looked for only when they can change the answer: an MRZ side (portrait required,
  // or the portrait tells front from back), a side that must carry one, or a national name that
  // needs a portrait to count (classify.ts rule 3). An AAMVA back or an image with no document
  // evidence at all skips the detector.
  const needPortrait = !!mrz || classification.portraitRequired || classification.sideByPortrait === true || (!classification.recognized && classification.countryNames.length > 0);
  if (!search && needPortrait) await lookForPortrait();
  const found = search as PortraitSearch | null;
  const faces = found?.faces ?? [];
  const portraits = evidence.portraits;
  const face = classification.portrait ? faces[portraits.indexOf(classification.portrait)] ?? null : null;

  // A side recognised from printed text alone (no MRZ, no barcode) with no face anywhere is no
  // document side — a screen or a page of text that names a document — rather than a card front
  // with a poor portrait: FACE_QUALITY_LOW says a face was there to judge.
  const textOnly = !mrz && !evidence.aamva;
  const noFaceAtAll = !!found && faces.length === 0;
  if (classification.recognized && classification.portraitRequired && !face && textOnly && noFaceAtAll) {
    classification = { ...classification, recognized: false, type: null, country: null, pageSide: null, isTwoSideDocument: null, portraitRequired: false, evidence: [...classification.evidence, 'a printed title, but no MRZ, no barcode and no face anywhere: not a document side (a screen or a page of text)'] };
  }
  const error = !classification.recognized
    ? 'DOCUMENT_NOT_RECOGNIZED'
    : classification.portraitRequired && !face
      ? 'FACE_QUALITY_LOW'
      : null;
  // A refused side: what the applicant can change (light, reflection, focus, distance, framing).
  const capture = error ? judgeCapture(image, lines) : null;
  const mrzResult: MrzResult | null = mrz
    ? { format: mrz.format, lines: mrz.lines, valid: mrz.valid, fields: nameCheck ? { ...mrz.fields, nameCrossCheck: { fixes: nameCheck.fixes, confirmed: nameCheck.confirmed } } : mrz.fields }
    : null;

  return {
    error,
    type: classification.type,
    country: classification.country,
    pageSide: classification.pageSide,
    isTwoSideDocument: classification.isTwoSideDocument,
    mrz: mrzResult,
    portraitEmbedding: face?.embedding ?? null,
    portraitEmbeddingModel: face?.embedding ? face.embeddingModel : null,
    portraitSignature: face?.signature ?? null,
    details: {
      evidence: [
        ...classification.evidence,
        ...(nameCheck?.fixes ?? []).map(
          (f) =>
            `MRZ name ${f.mrzToken} → ${f.corrected}: printed "${f.vizToken}" read ${f.changes.map((c) => `${c.to} at p ${c.vizP}`).join(', ')} where the MRZ read ${f.changes.map((c) => `${c.from} at p ${c.mrzP}`).join(', ')} (names have no check digit)`,
        ),
      ],
      headers: classification.headers,
      countryNames: classification.countryNames,
      rotationDeg: rotation,
      portrait: face && found ? { ...portraitDetails(face, found.toOriginalPx, found.frame), cropJpegBase64: (await cropPortrait(found.frameImage, face.box)).toString('base64') } : null,
      // null when the detector was not run (it could not change the answer).
      facesFound: found ? faces.length : null,
      portraitRequired: classification.portraitRequired,
      mrzLocation: mrz ? { box: scaleBox(mrz.box, toOriginal), rotationDeg: mrz.rotation, confidence: round(mrz.confidence * 100) / 100 } : null,
      barcodes: barcodes.map((b) => ({ format: b.format, box: scaleBox(b.box, toOriginal), aamva: b.aamva })),
      // Lines read by the Cyrillic fallback (null when it did not run); `accepted` ones replaced the Latin read.
      cyrillicLines: cyrillic ? cyrillic.reads : null,
      viz: lines
        .filter((l) => l.text !== '')
        .filter((l) => l.confidence >= cfg.textMinConfidence)
        .map((l) => ({ text: l.text, confidence: Math.round(l.confidence * 100) / 100, box: scaleBox(l.box, toOriginal) })),
      image: { width: image.originalWidth, height: image.originalHeight, workingScale: round(image.scale * 1000) / 1000 },
      textLines: { detected: text ? text.detected : lines.length, recognised: text ? text.recognised : lines.length },
      // Refused sides only (capture-advice.ts); null otherwise.
      captureAdvice: capture?.advice ?? null,
      imageQuality: capture?.quality ?? null,
      timings,
    },
    ms: Math.round(performance.now() - t0),
    mrzReading: mrz,
    classification,
  };
}

const mrzEvidence = (mrz: MrzReading | null): Evidence['mrz'] => (mrz ? { format: mrz.format, lines: mrz.lines, valid: mrz.valid, lineLengthPx: null } : null);
const textEvidence = (lines: readonly TextLine[]): Evidence['text'] => lines.map((l) => ({ text: l.text, confidence: l.confidence, box: l.box }));
/** The page's upright rotation: the MRZ's, else the dominant direction of the text lines. */
const pageRotation = (mrz: MrzReading | null, lines: readonly TextLine[]) => snapRotation(mrz ? mrz.rotation : dominantTextAngle(lines));

interface TextLook {
  text: DocumentText | null;
  lines: TextLine[];
  mrz: MrzReading | null;
  nameCheck: NameCheck | null;
}

/**
 * Text: find every line, read the long ones (MRZ candidates) before the MRZ reader, and the tall
 * ones (headers, names) only when the answer may depend on them — not when a known MRZ family
 * whose type no header refines (a passport page) gives type, state and side by itself. Then the
 * MRZ names are cross-checked with the printed names.
 */
async function lookAtText(deps: DocumentDeps, cfg: DocumentConfig, image: DecodedImage, detect: DetectOptions, lap: (name: string, since: number) => unknown): Promise<TextLook> {
  let t = performance.now();
  const text = cfg.textBudget.readAllLines ? null : await detectDocumentText(deps.ocr, image, detect);
  // The long lines' reads keep their per-step output over the MRZ alphabet: a clean MRZ is
  // decoded from them without reading its lines again (mrz/read.ts).
  if (text) await readTextLines(deps.ocr, image, text, 'long', cfg.textBudget, { framesFor: MRZ_ALPHABET });
  const lines = text ? text.lines : await deps.ocr.readLines(image, detect);
  lap('ocrMs', t);
  t = performance.now();
  const mrz = await readMrz(deps.ocr, image, { lines, keepReads: cfg.keepMrzReads === true });
  lap('mrzMs', t);
  const rule = mrz ? mrzRuleFor(mrz.format, mrz.lines) : null;
  const mrzSuffices = !!mrz && !!rule && !rule.refinedByHeader && mrzIdentity(mrz.lines).state !== null;
  if (text && !mrzSuffices) {
    t = performance.now();
    await readTextLines(deps.ocr, image, text, 'tall', cfg.textBudget);
    lap('headersMs', t);
  }

  // MRZ names have no check digit: cross-check them with the printed names (viz-names.ts).
  let nameCheck: NameCheck | null = null;
  if (mrz && text && cfg.nameCheck.enabled) {
    const doubtfulName = mrz.doubtfulFields.some((f) => f === 'lastName' || f === 'firstName');
    if (doubtfulName && mrzSuffices) {
      t = performance.now();
      await readTextLines(deps.ocr, image, text, 'tall', cfg.textBudget);
      lap('vizNamesMs', t);
    }
    // Lines with a filler are MRZ lines (or pieces): not the printed zone.
    const vizOf = () => lines.filter((l) => l.text !== '' && !l.text.includes('<') && l.confidence >= cfg.textMinConfidence);
    nameCheck = crossCheckNames(mrz.format, mrz.lines, mrz.charP, vizOf(), cfg.nameCheck);
    // A name still doubtful after the tallest lines: the printed name may be in smaller type than
    // the budget's tallest lines (a signature, a portrait's fragments, field labels take it): the
    // next `maxTallLines` lines are read once, and the names cross-checked again with them.
    if (text && cfg.nameCheck.secondTallRead && namesStillDoubtful(mrz, nameCheck, cfg)) {
      t = performance.now();
      const before = text.recognised;
      await readTextLines(deps.ocr, image, text, 'tall', cfg.textBudget);
      lap('vizNamesMs', t);
      if (text.recognised > before) nameCheck = crossCheckNames(mrz.format, mrz.lines, mrz.charP, vizOf(), cfg.nameCheck);
    }
    applyNameCheck(mrz, nameCheck, cfg);
  }
  return { text, lines, mrz, nameCheck };
}

/** Whether a name field would stay doubtful with this cross-check's verdict. */
function namesStillDoubtful(mrz: MrzReading, check: NameCheck, cfg: DocumentConfig): boolean {
  const fieldConfidence = namesConfidenceAfterViz(mrz.format, check.lines, mrz.fieldConfidence, check, cfg.nameCheck);
  return doubtfulOf(fieldConfidence).some((f) => f === 'lastName' || f === 'firstName');
}

/**
 * The printed names' verdict into the reading: fixed letters into the lines and name fields, the
 * names' confidences (two reads agreeing), then doubt and `valid` again.
 */
function applyNameCheck(mrz: MrzReading, check: NameCheck, cfg: DocumentConfig): void {
  const parsed = parseMrz(check.lines, mrz.format);
  const fieldConfidence = namesConfidenceAfterViz(mrz.format, check.lines, mrz.fieldConfidence, check, cfg.nameCheck);
  const doubtfulFields = doubtfulOf(fieldConfidence);
  mrz.lines = check.lines;
  mrz.fieldConfidence = fieldConfidence;
  mrz.doubtfulFields = doubtfulFields;
  mrz.valid = parsed.valid && doubtfulFields.length === 0;
  mrz.fields = { ...mrz.fields, lastName: parsed.fields.lastName, firstName: parsed.fields.firstName, fieldConfidence, doubtfulFields };
}

function portraitDetails(face: DetectedFace, toOriginalPx: number, frame: string) {
  return {
    /** Box in the search frame's pixels ('mrz-page': the upright page cut-out; 'upright-image'). */
    frame,
    box: face.box,
    score: round(face.score * 100) / 100,
    /** Forehead-to-chin height in original-image pixels. */
    faceHeightPx: round(face.box.height * toOriginalPx),
  };
}

/** Reading direction of the page from its text lines, degrees (weighted by line length). */
function dominantTextAngle(lines: readonly TextLine[]): number {
  const votes = new Map<number, number>();
  for (const l of lines) {
    if (l.angle === undefined) continue;
    const q = snapRotation(l.angle);
    votes.set(q, (votes.get(q) ?? 0) + Math.max(l.box.width, l.box.height) * l.confidence);
  }
  let best = 0;
  let bestW = 0;
  for (const [q, w] of votes) if (w > bestW) [best, bestW] = [q, w];
  return best;
}

/** Nearest multiple of 90°, in {0, 90, 180, -90}. */
function snapRotation(deg: number): number {
  const q = ((Math.round(deg / 90) % 4) + 4) % 4;
  return [0, 90, 180, -90][q]!;
}
