/**
 * OCR thresholds and sizes, each with what it measures, its unit and which way is stricter.
 * Defaults follow PaddleOCR's own inference defaults unless a comment says why not.
 */
export const OCR_DEFAULTS = {
  /** Long side of the image copy given to the text detector, px. Lower = faster, misses small
   * text. PaddleOCR's default limit. */
  detMaxSidePx: 960,
  /** Small images are upscaled to this long side before detection, px: text only ~10 px high
   * (a 300-px ID card scan) is found far more reliably after upscaling. Higher = slower. */
  detMinSidePx: 640,
  /** Per-pixel text probability above which a pixel counts as text, 0–1. Higher = fewer, thinner
   * regions. */
  detBinaryThreshold: 0.3,
  /** Mean text probability a region needs to be kept, 0–1. Higher = stricter (fewer boxes). */
  detBoxThreshold: 0.6,
  /** How much a detected kernel is grown back (DB "unclip ratio", unitless). Higher = looser
   * boxes. */
  detUnclipRatio: 1.5,
  /** Regions whose short side (on the detector's copy) is under this are dropped, px. */
  detMinBoxSidePx: 3,
  /** Most text regions kept per image (largest first); bounds the work of a pathological image
   * (dense texture). Lower = stricter. A document side has 20–60 lines. */
  detMaxBoxes: 300,
  /** Height of the strip the recogniser reads, px (fixed by the model). */
  recHeightPx: 48,
  /** Longest strip the recogniser is given, px; longer lines are squeezed. Bounds memory/time. */
  recMaxWidthPx: 2400,
  /** Lines recognised per model call. On CPU a batch costs as much as its lines one by one plus
   * the padding to the widest, so 1 is fastest. */
  recBatchSize: 1,
  /** Probability from the 0°/180° line classifier above which a line is read as upside down,
   * 0–1 (averaged over the longest lines). Higher = fewer flips. */
  clsFlipThreshold: 0.5,
  /** Rewrite the models' graphs at load time into the same function with fewer element-wise
   * passes (fuse-graph.ts): the detector −21 %, recogniser −17 %, classifier −35 % CPU time,
   * outputs equal to ~1e-6. Off only to compare. */
  fuseGraphs: true,
  /** Let each model's idle intra-op threads spin (onnxruntime's default) instead of sleeping.
   * Off: the three models' pools run in turn on the same cores, and a spinning pool slows the
   * next model and the face pass (models.ts); the 1600-px scan bench went from ≈ 405 to ≈ 350 ms. */
  spinIdleThreads: false,
  /** How many of the longest lines vote on whether the page is upside down. */
  clsVoteLines: 6,
  /** A box at least this many times longer than high that runs across the page's dominant
   * direction (more than 45° off it) is a line of its own direction — the other page of an open
   * booklet, a card on a form, a vertical caption — and is read along its own length, with its
   * own upside-down vote (ocr/index.ts orientForReading). Shorter boxes follow the page. Higher =
   * fewer boxes read their own way. */
  crossLineMinAspect: 3,
} as const;
