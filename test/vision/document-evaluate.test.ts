/**
 * The evaluation CLI reads any TSV of the LABELS.tsv shape by column name (order and extra
 * columns do not matter) and prints one JSON line per document row, then a summary line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseLabels } from '../../src/cli/evaluate-documents.js';

const fixture = (name: string) => new URL(`../fixtures/documents/${name}`, import.meta.url).pathname;

test('labels are read by column name; rows without doc_type are skipped', () => {
  const rows = parseLabels('notes\tdoc_type\tfile\tside\n\tPASSPORT\ta.jpg\tSINGLE\nface only\t\tb.jpg\t\n');
  assert.deepEqual(rows.map((r) => [r.file, r.docType, r.side]), [['a.jpg', 'PASSPORT', 'SINGLE']]);
  assert.throws(() => parseLabels('name\tdoc_type\nx\tPASSPORT\n'), /missing column "file"/);
});

test('evaluate prints per-image JSON (got, expected, ok, ms) and a summary', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'doc-eval-'));
  try {
    await copyFile(fixture('uto_id_back_small_scan.jpg'), join(dir, 'back.jpg'));
    await copyFile(fixture('not_document_landscape.jpg'), join(dir, 'hills.jpg'));
    const mrz = 'I<UTOD231458907<<<<<<<<<<<<<<<|7408122F1204159UTO<<<<<<<<<<<6|ERIKSSON<<ANNA<MARIA<<<<<<<<<<';
    await writeFile(
      join(dir, 'labels.tsv'),
      ['extra\tmrz_text\tside\tcountry\tdoc_type\tfile\ttwo_sided', `x\t${mrz}\tBACK\tUTO\tIDENTITY_CARD\tback.jpg\ttrue`, 'y\t\t\t\t\thills.jpg\t'].join('\n'),
    );
    const out: string[] = [];
    const log = console.log;
    console.log = (s: string) => out.push(s);
    try {
      await evaluate(join(dir, 'labels.tsv'));
    } finally {
      console.log = log;
    }
    assert.equal(out.length, 2, out.join('\n'));
    const row = JSON.parse(out[0]!);
    assert.equal(row.file, 'back.jpg');
    assert.deepEqual(
      [row.got.error, row.got.type, row.got.country, row.got.pageSide, row.got.isTwoSideDocument],
      [null, 'IDENTITY_CARD', 'UTO', 'BACK', true],
    );
    assert.equal(row.got.mrz, mrz);
    assert.deepEqual(row.ok, { type: true, country: true, pageSide: true, isTwoSideDocument: true, mrz: true });
    assert.equal(typeof row.ms, 'number');
    const summary = JSON.parse(out[1]!);
    assert.equal(summary.summary, true);
    assert.equal(summary.rows, 1);
    assert.equal(summary.typeCountrySideAccuracyPct, 100);
    assert.equal(summary.mrzExactPct, 100);
    assert.equal(summary.mrzReportedValidButNotValidAsPrinted, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('label corrections: measured against the print, each a whole zone of the same shape with its evidence', async () => {
  const { MRZ_LABEL_CORRECTIONS, printedMrz } = await import('../../src/cli/label-corrections.js');
  assert.ok(MRZ_LABEL_CORRECTIONS.length > 0);
  for (const c of MRZ_LABEL_CORRECTIONS) {
    assert.equal(printedMrz(c.labelled), c.printed);
    assert.notEqual(c.printed, c.labelled);
    const [a, b] = [c.labelled.split('|'), c.printed.split('|')];
    assert.deepEqual(b.map((l) => l.length), a.map((l) => l.length), 'same lines and line lengths');
    assert.ok(b.every((l) => /^[A-Z0-9<]+$/.test(l)));
    assert.ok(c.why.length > 20);
  }
  assert.equal(printedMrz('P<UTOERIKSSON<<ANNA'), 'P<UTOERIKSSON<<ANNA', 'other labels are kept');
});
