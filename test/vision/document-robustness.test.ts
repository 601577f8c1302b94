/**
 * The document engine on photographed variants of the committed generated specimens
 * (test/fixtures/documents), made with scripts/augment-documents.ts as the robustness evaluation
 * makes them (docs/vision-documents.md "Robustness on photographed variants"). Real models.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { createDocumentEngine, loadDocumentModels } from '../../src/server/vision/document/index.js';
import { makeVariant, type Variant } from '../../scripts/augment-documents.js';
import { td1 } from '../../scripts/make-specimens.js';

let engine: ReturnType<typeof createDocumentEngine>;
before(async () => {
  engine = createDocumentEngine(await loadDocumentModels());
});

/** A committed specimen scaled to `width` px (dev-set scans are 300–700 px wide), then one variant. */
async function variant(file: string, width: number, v: Variant, seed: number): Promise<Buffer> {
  const src = await readFile(new URL(`../fixtures/documents/${file}`, import.meta.url));
  const small = await sharp(src).resize({ width, kernel: 'lanczos3' }).png().toBuffer();
  return (await makeVariant(small, v, seed)).bytes;
}

const RP_MRZ = td1('IR', 'UTO', 'RP1234567', '850214', 'M', '310722', 'XXA', 'DOE<<JOHN');

test('a small residence-permit back in perspective: MRZ lines whose filler runs the detector missed are lengthened to TD1 and read', async () => {
  // At 360 px and an 18 % keystone the detector finds only the left half of each MRZ line
  // ("IRUTORP12345672<<<<", 19 of 30 characters); before the rule no MRZ was read and the side
  // was taken for a front.
  const r = await engine.analyze(await variant('uto_residence_permit_back_scan.jpg', 360, 'persp_top', 42));
  assert.deepEqual(r.mrz?.lines, RP_MRZ);
  assert.equal(r.mrz?.valid, true);
  assert.deepEqual([r.type, r.country, r.pageSide], ['RESIDENCE_PERMIT', 'UTO', 'BACK']);
});
