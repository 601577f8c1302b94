/**
 * `npx tsx scripts/replay-mrz-reads.ts <recorded.json>…`: the MRZ decoder alone on reads recorded
 * by scripts/record-document-reads.ts — per file, zones exact against the print, reported valid,
 * and reported valid although misread; `--misses` lists the zones that differ. The decoder's
 * lines before the printed-name check (the engine's `engine` column is after it). A change to
 * the decoder (mrz/decode.ts, lattice.ts, read.ts decodeReads) is measured here in seconds.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeReads } from '../src/server/vision/mrz/read.js';
import { replayFrames } from '../src/server/vision/mrz/recorded.js';
import type { RecordedRow } from './record-document-reads.js';

const args = process.argv.slice(2);
const misses = args.includes('--misses');
for (const f of args.filter((a) => !a.startsWith('--'))) {
  const rows = JSON.parse(readFileSync(f, 'utf8')) as RecordedRow[];
  let exact = 0;
  let valid = 0;
  let misreadValid = 0;
  let engineExact = 0;
  for (const r of rows) {
    if (r.engine === r.printed) engineExact++;
    const d = r.reads ? decodeReads(r.reads.map((line) => line.map((x) => ({ text: x.text, frames: replayFrames(x) })))) : null;
    const got = d ? d.lines.join('|') : null;
    if (got === r.printed) exact++;
    else if (misses) console.log(`  ${basename(r.file)}: ${got} (doubtful: ${d?.doubtfulFields.join(', ') ?? '-'})`);
    if (d?.valid) {
      valid++;
      if (got !== r.printed) misreadValid++;
    }
  }
  console.log(JSON.stringify({ file: f, rows: rows.length, exact, reportedValid: valid, validButMisread: misreadValid, engineExact }));
}
