/**
 * MRZ reader thresholds: what each measures, its unit, and which way is stricter.
 * docs/vision-mrz.md explains the rules they serve.
 */
export const MRZ_DEFAULTS = {
  /** Two text boxes are pieces of one line when their directions differ by less than this,
   * degrees. Lower = stricter (fewer merges). */
  mergeMaxAngleDeg: 6,
  /** …and the perpendicular offset of their centres is below this fraction of the line height.
   * Lower = stricter. */
  mergeMaxOffsetRatio: 0.5,
  /** …and the gap between them along the line is below this many line heights. Lower = stricter. */
  mergeMaxGapRatio: 4,
  /** …and their heights differ by less than this factor. Lower = stricter. */
  mergeMaxHeightRatio: 1.6,
  /** An unread piece is not merged with a line read as MRZ text when the two together would span
   * more than 44 characters plus this many at the read's pitch (locate.ts beyondLongestLine: a
   * caption beside the MRZ, not its missing filler run). Higher = more pieces merged. */
  maxLineCharsBeyond: 6,
  /** A line may belong to an MRZ when at least this fraction of its characters is in the MRZ
   * alphabet (A–Z 0–9 <), 0–1. Higher = stricter. */
  minMrzCharRatio: 0.8,
  /** …and it has at least this many characters as first read. Higher = stricter. */
  minMrzLineChars: 20,
  /** Without a usable first read, a box this elongated (length / height) may be an MRZ line. The
   * detector's boxes of TD1 lines measure 10–14 (its unclip adds ≈ 1.5 line heights to both the
   * length and the height; more when blurred or small: 10.3–12.4 on a 12 MP table photo), TD3
   * lines 20–32. Such lines are probed with one read before their block is read as an MRZ (read.ts).
   * Lower = more boxes tried (slower). */
  minMrzAspect: 10,
  /** Called without text lines, readMrz reads only lines at least this many times longer than
   * high in its first pass (MRZ pieces; field labels are skipped). Lower = slower. */
  firstPassMinAspect: 6,
  /** Lines of one MRZ: centre spacing at most this many line heights (ICAO: ~1.5–2). Lower =
   * stricter. */
  maxLineSpacingRatio: 2.6,
  /** Among blocks whose lines were not read, evenly spaced ones at most this many line heights
   * apart are read first (ICAO spacing ≈ 1.5–2). */
  maxEvenSpacingRatio: 2.2,
  /** Lines of one MRZ start and end together: each end may differ by at most this many line
   * heights. Lower = stricter. */
  maxEndGapRatio: 2,
  /** When only one end matches (the detector missed part of a filler run), the shorter line must
   * still be at least this fraction of the longer. Higher = stricter. */
  minPartialLengthRatio: 0.4,
  /** A row of pieces that are not candidates themselves joins a block when it spans at least this
   * fraction of the block's seed line: what the detector finds of a TD3 line 1 whose filler run it
   * missed is its code, state and names — 11 of 44 characters (25 %) for a short name. Higher =
   * stricter (fewer text lines pulled into blocks). */
  minPieceRowRatio: 0.25,
  /** Each MRZ line box is lengthened at both ends by this many line heights before it is read
   * (the detector often clips the first/last character). */
  readPadEndsRatio: 0.35,
  /** …and made taller by this fraction of its height on each side. */
  readPadSidesRatio: 0.08,
  /** Character pitch in the strip given to the recogniser, px per character (the model steps every
   * 8 px; ≥ 4 steps per character keep long filler runs apart). The first is tried first; the
   * others only when the MRZ does not verify yet, alternating far from the ones already tried
   * (the recogniser's errors repeat at nearby pitches). */
  readPitchesPx: [36, 24, 44, 28] as const,
  /** Pitch of the one extra, wider read of the name line when a name is still doubtful (names have
   * no check digit), px per character. */
  nameExtraPitchPx: 52,
  /** A field whose posterior (decode.ts: probability that it is as reported, given every read
   * and the format) is below this is doubtful: listed in `fields.doubtfulFields`, and the zone is
   * not `valid` (0–1). Per kind, from the measured reliability of the reported confidences on the
   * tuning data (docs/vision-mrz.md "Calibration": real/, the real2 tuning part and the 12
   * photographed variants of real/): no wrong name at or above 0.62 in 362 name fields (0 of 292
   * at ≥ 0.8), while other fields in [0.9, 0.95) were wrong 1 time in 31 (a document code's
   * second character) and 0 of 1,305 at ≥ 0.99. Higher = stricter (more zones reported with
   * doubt). */
  doubtBelow: { names: 0.8, other: 0.95 },
  /** The TD1 long-document-number layout (Doc 9303 part 5 note j) is decoded too when position 14
   * holds `<` with at least this probability (0–1). Lower = slower. */
  longNumberMinFillerP: 0.3,
  /** A two-line block whose every line was read with at least this many characters (greedy
   * path) is decoded as 44-character lines only (read.ts lengthsOf): a 36-character zone would
   * need 5 or more characters read where none is printed, in every line. Lower = faster, more
   * risk of missing a TD2 read with junk at both ends. */
  longLineMinGreedyChars: 41,
  /** A line length whose evidence (log probability that the reads hold that many characters,
   * lattice.ts) is this many nats below another's is not decoded. Higher = slower. */
  lengthEvidenceMargin: 10,
  /** A block decoded with at least this much evidence (nats over a uniform string of its length:
   * e^50 times likelier) is the MRZ even when no check digit verifies (a specimen printed with
   * wrong ones): no other block is read. Higher = more blocks read. */
  settledEvidence: 50,
  /** A visa layout is decoded only when the first character is V with at least this probability,
   * the French national layout only when line 1 starts IDFRA with it (0–1). Lower = slower. */
  formatMinPrefixP: 1e-5,
  /** Lines of the chosen blocks that nobody read get one whole-dictionary read (natural width,
   * ≈ 30 ms for a TD1 line) before the blocks are read as MRZs, so that a block of text lines is
   * dropped cheaply; at most this many lines per image. Higher = slower on pages with many long
   * unread lines. */
  maxProbeLines: 12,
  /** A block whose longest read is at least this many characters short of its format's line
   * (30, 36, 44) is lengthened to it at the end (the detector missed the line ends). Higher =
   * stricter (fewer blocks lengthened). */
  shortBlockMinMissingChars: 4,
  /** …by this many characters more than are missing: the pitch is measured on the part read, and
   * in perspective the missing end may be the nearer, larger one (an 18 % keystone makes the far
   * end's characters ≈ 10 % larger). Reading past the line's end costs nothing but blank strip. */
  shortBlockExtraChars: 3,
  /** Candidate MRZ blocks read at most (best-looking first). Higher = slower on pages with many
   * long lines. */
  maxBlocksRead: 3,
  /** A zone whose check digits all fail is still an MRZ (reported, invalid) when at most this
   * fraction of its characters stand where they are not allowed (letters in dates…); above it, it
   * is not an MRZ and no further pitch is tried (0–1). Lower = stricter. */
  maxBadCharRatio: 0.1,
} as const;

/** Characters of the MRZ alphabet (ICAO 9303 part 3: A–Z, 0–9 and the filler <). */
export const MRZ_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';
