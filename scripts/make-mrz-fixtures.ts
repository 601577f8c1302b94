/**
 * Generates the MRZ golden images under test/fixtures/mrz/ (see the README there): fictional
 * documents of ICAO's "Utopia" in every MRZ format (TD1, TD2, TD3, MRV-A, MRV-B), one printing a
 * wrong check digit on purpose, and one page without an MRZ; then distorts them (rotation 90°/180°/
 * 270°, small tilts, perspective, blur, downscaling, JPEG).
 *
 *   apt-get install -y fonts-ocr-b    # the MRZ typeface; DejaVu Sans for the rest
 *   npx tsx scripts/make-mrz-fixtures.ts
 *
 * Check digits are computed here independently of src/ (so the tests do not grade the parser with
 * its own arithmetic). Deterministic for a given set of fonts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'test/fixtures/mrz');

function cd(s: string): string {
  const w = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : 0;
    sum += v * w[i % 3]!;
  }
  return String(sum % 10);
}
const pad = (s: string, n: number) => (s + '<'.repeat(n)).slice(0, n);

function td3(code: string, state: string, name: string, doc: string, nat: string, birth: string, sex: string, expiry: string, personal: string): string[] {
  const l1 = pad(code, 2) + state + pad(name, 39);
  const d = pad(doc, 9);
  const p = pad(personal, 14);
  const pcd = /^<+$/.test(p) ? '<' : cd(p);
  const body = d + cd(d) + nat + birth + cd(birth) + sex + expiry + cd(expiry) + p + pcd;
  const comp = cd(body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43));
  return [l1, body + comp];
}

function td2(code: string, state: string, name: string, doc: string, nat: string, birth: string, sex: string, expiry: string, optional: string): string[] {
  const l1 = pad(code, 2) + state + pad(name, 31);
  const d = pad(doc, 9);
  const body = d + cd(d) + nat + birth + cd(birth) + sex + expiry + cd(expiry) + pad(optional, 7);
  const comp = cd(body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 35));
  return [l1, body + comp];
}

function td1(code: string, state: string, doc: string, birth: string, sex: string, expiry: string, nat: string, name: string): string[] {
  const d = pad(doc, 9);
  const l1 = pad(code, 2) + state + d + cd(d) + '<'.repeat(15);
  const l2 = birth + cd(birth) + sex + expiry + cd(expiry) + nat + '<'.repeat(11);
  const comp = cd(l1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29));
  return [l1, l2 + comp, pad(name, 30)];
}

function mrv(length: 36 | 44, state: string, name: string, doc: string, nat: string, birth: string, sex: string, expiry: string, optional: string): string[] {
  const l1 = 'V<' + state + pad(name, length - 5);
  const d = pad(doc, 9);
  const l2 = d + cd(d) + nat + birth + cd(birth) + sex + expiry + cd(expiry) + pad(optional, length - 28);
  return [l1, l2];
}

const TD1_SPECIMEN = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (x: number, y: number, size: number, s: string, weight = 'normal') =>
  `<text x="${x}" y="${y}" font-family="DejaVu Sans" font-size="${size}" font-weight="${weight}" fill="#1d2433">${esc(s)}</text>`;

/** A document page: pale background with wavy lines, a header, a few fields, the MRZ at the
 * bottom in OCR-B at ICAO's pitch (2.54 mm per character; `pxPerMm` sets the scale). */
function page(
  width: number,
  height: number,
  header: string[],
  fields: [string, string][],
  mrz: string[] | null,
  pxPerMm: number,
  hue: string,
  fontMm = 3.3,
  lineGapMm = 4.3,
): string {
  const waves: string[] = [];
  for (let k = 0; k < height; k += 22) {
    let d = `M0 ${k}`;
    for (let x = 0; x <= width; x += 20) d += ` L${x} ${(k + 6 * Math.sin(x / 37 + k / 50)).toFixed(1)}`;
    waves.push(`<path d="${d}" stroke="${hue}" stroke-width="1" fill="none" opacity="0.5"/>`);
  }
  const parts = [
    `<rect width="${width}" height="${height}" fill="#f4f1ea"/>`,
    ...waves,
    ...header.map((h, i) => text(30, 44 + i * 34, i === 0 ? 28 : 22, h, 'bold')),
    ...fields.flatMap(([label, value], i) => [text(240, 120 + i * 52, 14, label), text(240, 140 + i * 52, 20, value, 'bold')]),
    `<rect x="30" y="100" width="180" height="230" fill="#c9ced6"/>`,
  ];
  if (mrz) {
    const pitch = 2.54 * pxPerMm;
    const lineGap = lineGapMm * pxPerMm;
    const size = fontMm * pxPerMm;
    const x0 = (width - mrz[0]!.length * pitch) / 2;
    const y0 = height - 0.6 * pxPerMm - (mrz.length - 1) * lineGap - 5 * pxPerMm;
    parts.push(`<rect x="0" y="${(y0 - 7 * pxPerMm).toFixed(0)}" width="${width}" height="${height}" fill="#fbfaf6"/>`);
    mrz.forEach((l, i) =>
      parts.push(
        `<text x="${x0.toFixed(1)}" y="${(y0 + i * lineGap).toFixed(1)}" font-family="OCR B" font-size="${size.toFixed(1)}" fill="#151515" textLength="${(l.length * pitch).toFixed(1)}" lengthAdjust="spacing">${esc(l)}</text>`,
      ),
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
}

async function render(svg: string): Promise<{ rgb: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { rgb: data, width: info.width, height: info.height };
}

/** Perspective: the page seen from below-left (each corner moved by a fraction of the size). */
function perspective(img: { rgb: Buffer; width: number; height: number }, k: number) {
  const { width: w, height: h, rgb } = img;
  const W = w + 80;
  const H = h + 80;
  const out = Buffer.alloc(W * H * 3, 90);
  // Destination corners of the page in the output image.
  const dst = [
    [40 + k * w, 40],
    [40 + w - k * w * 0.3, 40 + k * h * 0.4],
    [40 + w, 40 + h],
    [40, 40 + h - k * h * 0.2],
  ] as const;
  // Inverse mapping by bilinear interpolation of the destination quad (good enough for a test
  // image): solve (u, v) per output pixel with a few Newton steps.
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let u = 0.5;
      let v = 0.5;
      for (let it = 0; it < 8; it++) {
        const px = (1 - u) * (1 - v) * dst[0][0] + u * (1 - v) * dst[1][0] + u * v * dst[2][0] + (1 - u) * v * dst[3][0];
        const py = (1 - u) * (1 - v) * dst[0][1] + u * (1 - v) * dst[1][1] + u * v * dst[2][1] + (1 - u) * v * dst[3][1];
        const dxu = (1 - v) * (dst[1][0] - dst[0][0]) + v * (dst[2][0] - dst[3][0]);
        const dxv = (1 - u) * (dst[3][0] - dst[0][0]) + u * (dst[2][0] - dst[1][0]);
        const dyu = (1 - v) * (dst[1][1] - dst[0][1]) + v * (dst[2][1] - dst[3][1]);
        const dyv = (1 - u) * (dst[3][1] - dst[0][1]) + u * (dst[2][1] - dst[1][1]);
        const det = dxu * dyv - dxv * dyu;
        const ex = x - px;
        const ey = y - py;
        u += (ex * dyv - ey * dxv) / det;
        v += (ey * dxu - ex * dyu) / det;
      }
      if (u < 0 || u > 1 || v < 0 || v > 1) continue;
      const sx = Math.min(w - 1, Math.round(u * (w - 1)));
      const sy = Math.min(h - 1, Math.round(v * (h - 1)));
      const o = (y * W + x) * 3;
      const s = (sy * w + sx) * 3;
      out[o] = rgb[s]!;
      out[o + 1] = rgb[s + 1]!;
      out[o + 2] = rgb[s + 2]!;
    }
  }
  return { rgb: out, width: W, height: H };
}

interface Expected {
  format: string;
  lines: string[] | null;
  valid: boolean;
  /** Reading direction of the MRZ in the image, degrees (±5). */
  rotation: number | null;
  what: string;
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const expected: Record<string, Expected> = {};
  const raw = (img: { rgb: Buffer; width: number; height: number }) => sharp(img.rgb, { raw: { width: img.width, height: img.height, channels: 3 } });
  const bg = { r: 96, g: 104, b: 112 };

  const passport = td3('P', 'UTO', 'ERIKSSON<<ANNA<MARIA', 'L898902C3', 'UTO', '740812', 'F', '120415', 'ZE184226B');
  const ppPage = await render(
    page(900, 620, ['PASSPORT', 'UTOPIA'], [['Surname', 'ERIKSSON'], ['Given names', 'ANNA MARIA'], ['Date of birth', '12 AUG 1974']], passport, 7, '#9fb4c9'),
  );
  await raw(ppPage).jpeg({ quality: 88 }).toFile(join(OUT, 'td3_scan.jpg'));
  expected['td3_scan.jpg'] = { format: 'TD3', lines: passport, valid: true, rotation: 0, what: 'TD3 passport page, Doc 9303 specimen MRZ, 900 px scan' };
  await raw(ppPage).rotate(90, { background: bg }).blur(0.6).jpeg({ quality: 85 }).toFile(join(OUT, 'td3_rot90_blur.jpg'));
  expected['td3_rot90_blur.jpg'] = { format: 'TD3', lines: passport, valid: true, rotation: 90, what: 'same page turned 90° clockwise, blur σ 0.6' };
  await raw(ppPage).rotate(183, { background: bg }).jpeg({ quality: 85 }).toFile(join(OUT, 'td3_rot183.jpg'));
  expected['td3_rot183.jpg'] = { format: 'TD3', lines: passport, valid: true, rotation: -177, what: 'same page upside down, 3° off' };

  const bad = [passport[0]!, passport[1]!.slice(0, 19) + '7' + passport[1]!.slice(20)];
  const badPage = await render(page(900, 620, ['PASSPORT', 'UTOPIA'], [['Surname', 'ERIKSSON']], bad, 7, '#c9b49f'));
  await raw(badPage).jpeg({ quality: 88 }).toFile(join(OUT, 'td3_wrong_check_digit.jpg'));
  expected['td3_wrong_check_digit.jpg'] = { format: 'TD3', lines: bad, valid: false, rotation: 0, what: 'TD3 printing a wrong birth-date check digit (7 for 2) on purpose' };

  const card = td1('I', 'UTO', 'X98765432', '881130', 'M', '300101', 'UTO', 'SMITH<<JOHN<PAUL');
  const cardPage = await render(page(856, 540, ['IDENTITY CARD', 'UTOPIA'], [['Height', '182 cm']], card, 7.5, '#a8c9a0'));
  await raw(cardPage).rotate(-6, { background: bg }).resize({ width: 560 }).jpeg({ quality: 82 }).toFile(join(OUT, 'td1_tilt_small.jpg'));
  expected['td1_tilt_small.jpg'] = { format: 'TD1', lines: card, valid: true, rotation: -6, what: 'TD1 ID card back tilted −6°, downscaled to 560 px, JPEG q82' };

  // Lossless render at 10 px/mm with a larger OCR-B: the recogniser drops digits here at the first
  // pitch and reads it right only at a narrower one (guards the multi-pitch reading).
  const renderPage = await render(page(856, 540, ['IDENTITY CARD', 'UTOPIA'], [['Height', '175 cm']], TD1_SPECIMEN, 10, '#a0b8d0', 3.6, 5));
  await raw(renderPage).png().toFile(join(OUT, 'td1_render.png'));
  expected['td1_render.png'] = { format: 'TD1', lines: TD1_SPECIMEN, valid: true, rotation: 0, what: 'TD1 Doc 9303 specimen, lossless render at 10 px/mm, 3.6-mm OCR-B' };

  const td2lines = td2('I', 'UTO', 'NGUYEN<<THI<MAI', 'AB1234567', 'UTO', '950305', 'F', '290917', '');
  const td2Page = await render(page(1050, 740, ['RESIDENCE PERMIT', 'UTOPIA'], [['Name', 'NGUYEN THI MAI']], td2lines, 8, '#c0a8c9'));
  await raw(td2Page).rotate(270, { background: bg }).jpeg({ quality: 85 }).toFile(join(OUT, 'td2_rot270.jpg'));
  expected['td2_rot270.jpg'] = { format: 'TD2', lines: td2lines, valid: true, rotation: -90, what: 'TD2 card turned 90° counter-clockwise' };

  const visaA = mrv(44, 'UTO', 'ERIKSSON<<ANNA<MARIA', 'L8988901C', 'XXX', '400907', 'F', '961210', '6ZE184226B');
  const visaPage = await render(page(900, 620, ['VISA', 'UTOPIA'], [['Type', 'TOURIST']], visaA, 7, '#d0c090'));
  const persp = perspective(visaPage, 0.08);
  await raw(persp).jpeg({ quality: 85 }).toFile(join(OUT, 'mrva_perspective.jpg'));
  expected['mrva_perspective.jpg'] = { format: 'MRV-A', lines: visaA, valid: true, rotation: 0, what: 'MRV-A visa (Doc 9303 part 7 specimen data) under a perspective warp' };

  const visaB = mrv(36, 'UTO', 'MUELLER<<KARL', 'C01X00T47', 'D<<', '640812', 'M', '280101', '');
  const visaBPage = await render(page(800, 560, ['VISA', 'UTOPIA'], [['Type', 'BUSINESS']], visaB, 7, '#90b0d0'));
  await raw(visaBPage).rotate(2, { background: bg }).jpeg({ quality: 85 }).toFile(join(OUT, 'mrvb_tilt2.jpg'));
  expected['mrvb_tilt2.jpg'] = { format: 'MRV-B', lines: visaB, valid: true, rotation: 2, what: 'MRV-B visa, Germany as nationality (D<<), tilted 2°' };

  const plain = await render(page(900, 620, ['DRIVER LICENSE', 'UTOPIA'], [['Name', 'JANE DOE'], ['Class', 'C']], null, 7, '#b0b0b0'));
  await raw(plain).jpeg({ quality: 85 }).toFile(join(OUT, 'no_mrz.jpg'));
  expected['no_mrz.jpg'] = { format: '', lines: null, valid: false, rotation: null, what: 'a card without an MRZ' };

  await writeFile(join(OUT, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
}

await main();
