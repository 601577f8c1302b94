/**
 * `npm run --silent evaluate -- documents <labels.tsv>`: runs the document engine on every row
 * with a non-empty `doc_type` and prints one JSON line per image, then one summary line.
 * Columns are read by name (file, doc_type, country, side, two_sided, mrz_text); `file` is
 * relative to the TSV's folder. Label side SINGLE (a passport page) expects FRONT, one-sided.
 * An MRZ label known to differ from the print (label-corrections.ts) is measured against the
 * print; `mrzExactAsLabelledPct` gives the figure against the labels as they are.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CodedError } from '../shared/errors.js';
import { createDocumentEngine, loadDocumentModels } from '../server/vision/document/index.js';
import { parseMrz } from '../server/vision/mrz/index.js';
import { printedMrz } from './label-corrections.js';

interface Row {
  file: string;
  docType: string;
  country: string;
  side: string;
  twoSided: string;
  mrzText: string;
}

export function parseLabels(tsv: string): Row[] {
  const lines = tsv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split('\t');
  const col = (name: string) => header.indexOf(name);
  const need = ['file', 'doc_type'];
  for (const n of need) if (col(n) < 0) throw new Error(`labels: missing column "${n}"`);
  const get = (cells: string[], name: string) => (col(name) >= 0 ? (cells[col(name)] ?? '').trim() : '');
  return lines
    .map((l) => l.split('\t'))
    .filter((cells) => get(cells, 'doc_type') !== '')
    .map((cells) => ({
      file: get(cells, 'file'),
      docType: get(cells, 'doc_type'),
      country: get(cells, 'country'),
      side: get(cells, 'side'),
      twoSided: get(cells, 'two_sided'),
      mrzText: get(cells, 'mrz_text'),
    }));
}

/** Whether the MRZ as printed (label text) verifies every check digit. */
function printedIsValid(mrzText: string): boolean {
  try {
    return parseMrz(mrzText.split('|')).valid;
  } catch {
    return false;
  }
}

const median = (v: number[]) => {
  if (v.length === 0) return null;
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const pct = (n: number, d: number) => (d === 0 ? null : Math.round((1000 * n) / d) / 10);

export async function evaluate(labelsPath: string): Promise<void> {
  const rows = parseLabels(await readFile(labelsPath, 'utf8'));
  const base = dirname(resolve(labelsPath));
  const engine = createDocumentEngine(await loadDocumentModels());
  const tally = { n: 0, type: 0, country: 0, side: 0, two: 0, all: 0, mrzRows: 0, mrzExact: 0, mrzExactAsLabelled: 0, corrected: 0, falseValid: 0, validMisread: 0, errors: 0 };
  const times: number[] = [];
  const confidences: { field: string; confidence: number; right: boolean }[] = [];
  for (const row of rows) {
    const expSide = row.side === 'SINGLE' ? 'FRONT' : row.side || null;
    const expTwo = row.side === 'SINGLE' ? false : row.twoSided === '' ? null : row.twoSided === 'true';
    const printed = row.mrzText ? printedMrz(row.mrzText) : null;
    const expected = { type: row.docType, country: row.country || null, pageSide: expSide, isTwoSideDocument: expTwo, mrz: printed, ...(printed !== (row.mrzText || null) ? { labelledMrz: row.mrzText } : {}) };
    let got: Record<string, unknown>;
    let ms = 0;
    let validButMisread = false;
    let validButInvalidAsPrinted = false;
    const t0 = performance.now();
    try {
      const bytes = await readFile(resolve(base, row.file));
      const r = await engine.analyze(bytes);
      ms = r.ms;
      const mrz = r.mrz ? r.mrz.lines.join('|') : null;
      // A reported-valid MRZ must verify as printed (the labels keep invalid specimens as printed)
      // and should equal the printed text (names have no check digit: a misread can verify).
      validButInvalidAsPrinted = !!r.mrz?.valid && (expected.mrz === null || !printedIsValid(expected.mrz));
      validButMisread = !!r.mrz?.valid && mrz !== expected.mrz;
      const fieldConfidence = (r.mrz?.fields.fieldConfidence ?? null) as Record<string, number> | null;
      got = { error: r.error, type: r.type, country: r.country, pageSide: r.pageSide, isTwoSideDocument: r.isTwoSideDocument, mrz, mrzValid: r.mrz?.valid ?? null, fieldConfidence, doubtfulFields: r.mrz?.fields.doubtfulFields ?? null };
      if (r.mrz && fieldConfidence && expected.mrz) tallyConfidences(confidences, r.mrz.format, r.mrz.lines, expected.mrz, fieldConfidence);
    } catch (err) {
      ms = Math.round(performance.now() - t0);
      const code = err instanceof CodedError ? err.code : 'INTERNAL_ERROR';
      got = { error: code, type: null, country: null, pageSide: null, isTwoSideDocument: null, mrz: null, mrzValid: null };
      if (!(err instanceof CodedError)) process.stderr.write(`${row.file}: ${String(err)}\n`);
    }
    const ok = {
      type: got.type === expected.type,
      country: got.country === expected.country,
      pageSide: got.pageSide === expected.pageSide,
      isTwoSideDocument: expected.isTwoSideDocument === null || got.isTwoSideDocument === expected.isTwoSideDocument,
      mrz: expected.mrz === null ? got.mrz === null : got.mrz === expected.mrz,
    };
    tally.n++;
    if (ok.type) tally.type++;
    if (ok.country) tally.country++;
    if (ok.pageSide) tally.side++;
    if (ok.isTwoSideDocument) tally.two++;
    if (ok.type && ok.country && ok.pageSide) tally.all++;
    if (expected.mrz) {
      tally.mrzRows++;
      if (ok.mrz) tally.mrzExact++;
      if (got.mrz === row.mrzText) tally.mrzExactAsLabelled++;
      if (printed !== row.mrzText) tally.corrected++;
    }
    if (validButInvalidAsPrinted) tally.falseValid++;
    if (validButMisread) tally.validMisread++;
    if (got.error) tally.errors++;
    times.push(ms);
    console.log(JSON.stringify({ file: row.file, got, expected, ok, ms }));
  }
  console.log(
    JSON.stringify({
      summary: true,
      rows: tally.n,
      typeAccuracyPct: pct(tally.type, tally.n),
      countryAccuracyPct: pct(tally.country, tally.n),
      sideAccuracyPct: pct(tally.side, tally.n),
      twoSidedAccuracyPct: pct(tally.two, tally.n),
      typeCountrySideAccuracyPct: pct(tally.all, tally.n),
      mrzRows: tally.mrzRows,
      mrzExactPct: pct(tally.mrzExact, tally.mrzRows),
      mrzExactAsLabelledPct: pct(tally.mrzExactAsLabelled, tally.mrzRows),
      mrzLabelsCorrected: tally.corrected,
      mrzReportedValidButNotValidAsPrinted: tally.falseValid,
      mrzReportedValidButMisread: tally.validMisread,
      rowsWithError: tally.errors,
      medianMs: median(times),
      fieldConfidence: confidenceTable(confidences),
    }),
  );
}

/**
 * Each reported MRZ field against the label, with its confidence: what the doubt threshold
 * (MRZ_DEFAULTS.doubtBelow) is chosen from. Only where the format read is the printed one.
 */
function tallyConfidences(out: { field: string; confidence: number; right: boolean }[], format: string, lines: string[], printed: string, confidence: Record<string, number>): void {
  let truth: ReturnType<typeof parseMrz>;
  let read: ReturnType<typeof parseMrz>;
  try {
    truth = parseMrz(printed.split('|'));
    read = parseMrz(lines, truth.format);
  } catch {
    return;
  }
  if (truth.format !== format) return;
  const value = (p: ReturnType<typeof parseMrz>, f: string) => (f in p.fields.optional ? p.fields.optional[f] : (p.fields as unknown as Record<string, unknown>)[f]);
  for (const [field, c] of Object.entries(confidence)) out.push({ field, confidence: c, right: JSON.stringify(value(read, field)) === JSON.stringify(value(truth, field)) });
}

/** Per kind of field (names, the rest): right and wrong fields at or above each threshold. */
function confidenceTable(rows: { field: string; confidence: number; right: boolean }[]) {
  const kinds: Record<string, (f: string) => boolean> = { names: (f) => f === 'lastName' || f === 'firstName', other: (f) => f !== 'lastName' && f !== 'firstName' };
  const out: Record<string, unknown> = {};
  for (const [kind, is] of Object.entries(kinds)) {
    const rs = rows.filter((r) => is(r.field));
    out[kind] = {
      right: rs.filter((r) => r.right).length,
      wrong: rs.filter((r) => !r.right).length,
      atOrAbove: Object.fromEntries([0.5, 0.8, 0.9, 0.95, 0.99].map((t) => [t, { right: rs.filter((r) => r.right && r.confidence >= t).length, wrong: rs.filter((r) => !r.right && r.confidence >= t).length }])),
    };
  }
  return out;
}
