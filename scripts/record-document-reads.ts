/**
 * `npx tsx scripts/record-document-reads.ts <out.json> <labels.tsv>…` (run under
 * `flock /tmp/heavy.lock`): runs the document engine on every row with an `mrz_text` and keeps,
 * per row, the label, the engine's zone and every read of the zone it chose (the recogniser's
 * per-step output, src/server/vision/mrz/recorded.ts), so that decoding alternatives can be
 * replayed on the same evidence without the models (scripts/replay-mrz-reads.ts;
 * docs/vision-mrz.md "Fifth pass").
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseLabels } from '../src/cli/evaluate-documents.js';
import { printedMrz } from '../src/cli/label-corrections.js';
import { createDocumentEngine, loadDocumentModels } from '../src/server/vision/document/index.js';
import { recordFrames, type RecordedRead } from '../src/server/vision/mrz/recorded.js';

export interface RecordedRow {
  file: string;
  /** What the image prints (the label, corrected where label-corrections.ts says so). */
  printed: string;
  /** The engine's zone, after the printed names; null when it reported none. */
  engine: string | null;
  /** Per line of the zone chosen, every read; null when no zone was read. */
  reads: RecordedRead[][] | null;
}

const [out, ...tsvs] = process.argv.slice(2);
if (!out || tsvs.length === 0) {
  console.error('usage: npx tsx scripts/record-document-reads.ts <out.json> <labels.tsv>…');
  process.exit(2);
}
const engine = createDocumentEngine(await loadDocumentModels(), { keepMrzReads: true });
const rows: RecordedRow[] = [];
for (const tsv of tsvs) {
  const base = dirname(resolve(tsv));
  for (const row of parseLabels(await readFile(tsv, 'utf8'))) {
    if (!row.mrzText) continue;
    const file = resolve(base, row.file);
    const r = await engine.analyze(await readFile(file));
    const reads = r.mrzReading?.reads;
    rows.push({ file, printed: printedMrz(row.mrzText), engine: r.mrz ? r.mrz.lines.join('|') : null, reads: reads ? reads.map((line) => line.map((x) => recordFrames(x.text, x.frames))) : null });
  }
}
await writeFile(out, JSON.stringify(rows));
console.log(`${rows.length} rows recorded`);
process.exit(0);
