/**
 * Generates the document specimens under test/fixtures/documents/ (see the README there):
 * fictional "Utopia" (ICAO's code UTO) passport page, ID card front and back, residence permit
 * back, and a fictional Californian driving licence front and back with an AAMVA PDF417; then
 * "photographs" them synthetically (rotation, tilt, shear, blur, glare, scale, backgrounds).
 *
 *   apt-get install -y fonts-ocr-b   # the MRZ typeface (ICAO 9303 part 3); DejaVu for the rest
 *   npx tsx scripts/make-specimens.ts
 *
 * Deterministic: same fonts → same files. The committed outputs mean tests need no fonts.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type OverlayOptions } from 'sharp';
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/full';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'test/fixtures/documents');
const FACES = join(root, 'node_modules/@vladmandic/face-api/demo');

/** ICAO 9303 part 3 check digit: weights 7, 3, 1; digits as is, A–Z = 10–35, `<` = 0. */
export function checkDigit(s: string): string {
  const w = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const v = c >= '0' && c <= '9' ? Number(c) : c >= 'A' && c <= 'Z' ? c.charCodeAt(0) - 55 : 0;
    sum += v * w[i % 3]!;
  }
  return String(sum % 10);
}

const pad = (s: string, n: number) => (s + '<'.repeat(n)).slice(0, n);

/** TD1 (3 × 30) with correct check digits. */
export function td1(code: string, state: string, docNo: string, birth: string, sex: string, expiry: string, nat: string, name: string): string[] {
  const doc = pad(docNo, 9);
  const l1 = pad(code, 2) + state + doc + checkDigit(doc) + '<'.repeat(15);
  const l2a = birth + checkDigit(birth) + sex + expiry + checkDigit(expiry) + pad(nat, 3) + '<'.repeat(11);
  const composite = checkDigit(l1.slice(5, 30) + l2a.slice(0, 7) + l2a.slice(8, 15) + l2a.slice(18, 29));
  return [l1, l2a + composite, pad(name, 30)];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function text(x: number, y: number, size: number, s: string, opts: { weight?: string; fill?: string; family?: string; anchor?: string } = {}) {
  return `<text x="${x}" y="${y}" font-family="${opts.family ?? 'DejaVu Sans'}" font-size="${size}" font-weight="${opts.weight ?? 'normal'}" fill="${opts.fill ?? '#1a1a2e'}" text-anchor="${opts.anchor ?? 'start'}">${esc(s)}</text>`;
}

/** MRZ lines at ICAO pitch: 2.54 mm per character (10 px/mm here), OCR-B. */
function mrzText(x: number, y: number, lines: string[], size: number, lineGap: number) {
  return lines
    .map((l, i) => `<text x="${x}" y="${y + i * lineGap}" font-family="OCR B" font-size="${size}" fill="#111" textLength="${(l.length * 25.4).toFixed(1)}" lengthAdjust="spacing">${esc(l)}</text>`)
    .join('');
}

/** A guilloche-like security background: fine sine lines in a pale colour. */
function guilloche(w: number, h: number, hue: string) {
  let paths = '';
  for (let k = 0; k < 14; k++) {
    let d = '';
    for (let x = 0; x <= w; x += 8) {
      const y = h * (k / 14) + 18 * Math.sin(x / 37 + k) + 10 * Math.sin(x / 13 + 2 * k);
      d += `${x === 0 ? 'M' : 'L'}${x},${y.toFixed(1)} `;
    }
    paths += `<path d="${d}" stroke="${hue}" stroke-width="1.2" fill="none" opacity="0.35"/>`;
  }
  return paths;
}

async function portrait(sample: string, crop: { left: number; top: number; width: number; height: number }, w: number, h: number, grey = false) {
  let img = sharp(join(FACES, sample)).extract(crop).resize(w, h, { fit: 'cover' });
  if (grey) img = img.greyscale().linear(0.6, 100);
  return img.png().toBuffer();
}

const FACE_A = { sample: 'sample1.jpg', crop: { left: 800, top: 320, width: 380, height: 480 } };
const FACE_B = { sample: 'sample1.jpg', crop: { left: 1300, top: 170, width: 440, height: 560 } };

async function card(w: number, h: number, svgBody: string, bg: string, layers: OverlayOptions[] = []) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
    <rect width="${w}" height="${h}" rx="${Math.round(w * 0.04)}" fill="${bg}"/>${guilloche(w, h, '#6a8caf')}${svgBody}</svg>`;
  const base = await sharp(Buffer.from(svg)).png().toBuffer();
  return sharp(base).composite(layers).png().toBuffer();
}

/** TD3 passport data page, 125 × 88 mm at 10 px/mm. */
export async function passportPage(): Promise<Buffer> {
  const mrz = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
  const body = [
    text(625, 70, 44, 'UTOPIA', { weight: 'bold', anchor: 'middle' }),
    text(625, 112, 28, 'PASSPORT  PASSEPORT', { anchor: 'middle' }),
    text(400, 170, 18, 'Type / Type'), text(400, 196, 24, 'P', { weight: 'bold' }),
    text(560, 170, 18, 'Code / Code'), text(560, 196, 24, 'UTO', { weight: 'bold' }),
    text(880, 170, 18, 'Passport No. / No. du passeport'), text(880, 196, 24, 'L898902C3', { weight: 'bold' }),
    text(400, 240, 18, 'Surname / Nom'), text(400, 268, 26, 'ERIKSSON', { weight: 'bold' }),
    text(400, 306, 18, 'Given names / Prénoms'), text(400, 334, 26, 'ANNA MARIA', { weight: 'bold' }),
    text(400, 372, 18, 'Nationality / Nationalité'), text(400, 400, 24, 'UTOPIAN', { weight: 'bold' }),
    text(400, 438, 18, 'Date of birth / Date de naissance'), text(400, 466, 24, '12 AUG / AOUT 74', { weight: 'bold' }),
    text(820, 438, 18, 'Sex / Sexe'), text(820, 466, 24, 'F', { weight: 'bold' }),
    text(400, 504, 18, 'Place of birth / Lieu de naissance'), text(400, 532, 24, 'ZENITH', { weight: 'bold' }),
    text(400, 570, 18, 'Date of expiry / Date d\u2019expiration'), text(400, 598, 24, '15 APR / AVR 12', { weight: 'bold' }),
    text(820, 570, 18, 'Authority / Autorité'), text(820, 598, 24, 'PASSPORT OFFICE', { weight: 'bold' }),
    mrzText(66, 780, mrz, 36, 56),
  ].join('');
  const face = await portrait(FACE_A.sample, FACE_A.crop, 300, 385);
  return card(1250, 880, body, '#f3efe4', [{ input: face, left: 55, top: 150 }]);
}

/** TD1 ID card front (no MRZ), 85.6 × 54 mm at 10 px/mm. */
export async function idFront(): Promise<Buffer> {
  const body = [
    text(300, 58, 40, 'UTOPIA', { weight: 'bold' }),
    text(300, 98, 26, 'IDENTITY CARD', { weight: 'bold' }),
    text(300, 150, 17, 'Surname'), text(300, 178, 26, 'ERIKSSON', { weight: 'bold' }),
    text(300, 214, 17, 'Given names'), text(300, 242, 26, 'ANNA MARIA', { weight: 'bold' }),
    text(300, 278, 17, 'Sex'), text(300, 306, 24, 'F', { weight: 'bold' }),
    text(420, 278, 17, 'Nationality'), text(420, 306, 24, 'UTO', { weight: 'bold' }),
    text(300, 342, 17, 'Date of birth'), text(300, 370, 24, '12 08 1974', { weight: 'bold' }),
    text(300, 406, 17, 'Document number'), text(300, 434, 24, 'D23145890', { weight: 'bold' }),
    text(560, 406, 17, 'Date of expiry'), text(560, 434, 24, '15 04 2032', { weight: 'bold' }),
    text(300, 490, 30, 'Anna Eriksson', { family: 'DejaVu Serif', fill: '#223' }),
  ].join('');
  const face = await portrait(FACE_A.sample, FACE_A.crop, 240, 310);
  return card(856, 540, body, '#e6eef5', [{ input: face, left: 36, top: 120 }]);
}

/** TD1 card back with an MRZ (and a small ghost portrait, as many cards print). */
async function td1Back(mrz: string[], header: string, lines: Array<[string, string]>, bg: string): Promise<Buffer> {
  const body = [
    text(40, 50, 22, header, { weight: 'bold' }),
    ...lines.flatMap(([label, value], i) => [text(40, 92 + i * 58, 16, label), text(40, 116 + i * 58, 22, value, { weight: 'bold' })]),
    `<rect x="0" y="330" width="856" height="210" fill="#fbfbf7"/>`,
    mrzText(47, 400, mrz, 36, 50),
  ].join('');
  const ghost = await portrait(FACE_A.sample, FACE_A.crop, 90, 116, true);
  return card(856, 540, body, bg, [{ input: ghost, left: 720, top: 40 }]);
}

export async function idBack(): Promise<Buffer> {
  const mrz = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];
  return td1Back(mrz, 'UTOPIA', [['Address', '1 MAIN STREET, ZENITH'], ['Height', '175 cm'], ['Date of issue', '16 04 2022'], ['Authority', 'CITY OF ZENITH']], '#e6eef5');
}

export async function residencePermitBack(): Promise<Buffer> {
  const lines = td1('IR', 'UTO', 'RP1234567', '850214', 'M', '310722', 'XXA', 'DOE<<JOHN');
  return td1Back(lines, 'RESIDENCE PERMIT', [['Remarks', 'EMPLOYMENT PERMITTED'], ['Place of issue', 'ZENITH'], ['Date of issue', '23 07 2021'], ['Type of permit', 'PERMANENT']], '#f2e9f3');
}

/**
 * German electronic residence permit (eAT, EU uniform format) front: the title AUFENTHALTSTITEL and
 * the state only as the letter D in the EU emblem — no country name the engine could read, so the
 * front is read without a country (its back's MRZ gives DEU). Fictional holder.
 */
export async function deuResidencePermitFront(): Promise<Buffer> {
  const body = [
    `<rect x="36" y="30" width="64" height="44" fill="#1f3f99"/>`,
    text(68, 64, 30, 'D', { weight: 'bold', fill: '#f5d76e', anchor: 'middle' }),
    text(120, 64, 36, 'AUFENTHALTSTITEL', { weight: 'bold' }),
    text(300, 122, 16, 'Name / Surname'), text(300, 150, 26, 'MÜLLER', { weight: 'bold' }),
    text(300, 186, 16, 'Vornamen / Given names'), text(300, 214, 26, 'JÖRG', { weight: 'bold' }),
    text(300, 250, 16, 'Art des Titels / Type of permit'), text(300, 278, 22, 'NIEDERLASSUNGSERLAUBNIS', { weight: 'bold' }),
    text(300, 314, 16, 'Gültig bis / Valid until'), text(300, 342, 22, '30.06.2030', { weight: 'bold' }),
    text(560, 314, 16, 'Dokumentennummer'), text(560, 342, 22, 'Y00013456', { weight: 'bold' }),
    text(300, 378, 16, 'Anmerkungen / Remarks'), text(300, 406, 20, 'ERWERBSTÄTIGKEIT GESTATTET'),
    text(300, 490, 30, 'J. Müller', { family: 'DejaVu Serif', fill: '#223' }),
  ].join('');
  const face = await portrait(FACE_A.sample, FACE_A.crop, 240, 305);
  return card(856, 540, body, '#eef0e4', [{ input: face, left: 36, top: 110 }]);
}

/** Its back: address and the TD1 MRZ with document code AR and Germany's one-letter code D. */
export async function deuResidencePermitBack(): Promise<Buffer> {
  const lines = td1('AR', 'D<<', 'Y00013456', '830812', 'M', '300630', 'TUR', 'MUELLER<<JOERG');
  return td1Back(lines, 'ANSCHRIFT / ADDRESS', [['Straße', 'MUSTERWEG 12'], ['Ort', '12345 MUSTERSTADT'], ['Geburtsort', 'IZMIR'], ['Ausstellende Behörde', 'STADT MUSTERSTADT']], '#eef0e4');
}

/**
 * French national ID card (1994–2021 design) front: its 2 × 36 MRZ is printed on the FRONT,
 * beside the portrait (the French layout, not ICAO TD2: name on line 1, card number, given names,
 * birth date, sex on line 2; check digits computed here). Fictional holder.
 */
export function fraIdMrz(): string[] {
  const l1 = pad('IDFRA' + 'DUPONT', 30) + '750123';
  const number = '880692310285';
  const given = pad('MARIE<<CLAIRE', 14);
  const birth = '800605';
  const l2a = number + checkDigit(number) + given + birth + checkDigit(birth) + 'F';
  return [l1, l2a + checkDigit(l1 + l2a)];
}

export async function fraIdFront(): Promise<Buffer> {
  const body = [
    text(300, 50, 28, 'RÉPUBLIQUE FRANÇAISE', { weight: 'bold' }),
    text(300, 84, 20, "CARTE NATIONALE D'IDENTITÉ N° : 880692310285"),
    text(300, 128, 16, 'Nom :'), text(360, 128, 24, 'DUPONT', { weight: 'bold' }),
    text(300, 164, 16, 'Prénom(s) :'), text(400, 164, 22, 'MARIE, CLAIRE', { weight: 'bold' }),
    text(300, 200, 16, 'Sexe : F'), text(420, 200, 16, 'Né(e) le : 05.06.1980'),
    text(300, 236, 16, 'à : PARIS 12E (75)'),
    text(300, 272, 16, 'Taille : 1,68 m'), text(480, 272, 16, 'Signature du titulaire :'),
    `<rect x="0" y="400" width="856" height="140" fill="#fbfbf7"/>`,
    `<text x="40" y="450" font-family="OCR B" font-size="30" fill="#111" textLength="${(36 * 21.2).toFixed(1)}" lengthAdjust="spacing">${esc(fraIdMrz()[0]!)}</text>`,
    `<text x="40" y="500" font-family="OCR B" font-size="30" fill="#111" textLength="${(36 * 21.2).toFixed(1)}" lengthAdjust="spacing">${esc(fraIdMrz()[1]!)}</text>`,
  ].join('');
  const face = await portrait(FACE_A.sample, FACE_A.crop, 230, 290);
  return card(856, 540, body, '#e9eef2', [{ input: face, left: 40, top: 40 }]);
}

/** Its back: address, validity, issuing office; no MRZ, no barcode. */
export async function fraIdBack(): Promise<Buffer> {
  const body = [
    text(40, 70, 18, 'Adresse : 12 RUE DES EXEMPLES'), text(40, 100, 18, '75012 PARIS'),
    text(40, 160, 18, "Carte valable jusqu'au : 14.06.2033"),
    text(40, 200, 18, 'délivrée le : 15.06.2018'),
    text(40, 240, 18, 'par : PRÉFECTURE DE POLICE DE PARIS'),
    text(40, 300, 18, 'Signature de l’autorité :'),
  ].join('');
  return card(856, 540, body, '#e9eef2');
}

/** AAMVA 2016 (version 08) text for a fictional Californian licence. */
export function aamvaText(): string {
  const elements = [
    'DCAC', 'DCBNONE', 'DCDNONE', 'DBA08312030', 'DCSSAMPLE', 'DACJANE', 'DADQ', 'DBD08312022', 'DBB08311977',
    'DBC2', 'DAYBRO', 'DAU064 IN', 'DAG2570 24TH STREET', 'DAISACRAMENTO', 'DAJCA', 'DAK958180000',
    'DAQI1234568', 'DCF08/31/2022123AB/CDFD/30', 'DCGUSA', 'DDEN', 'DDFN', 'DDGN',
  ];
  const sub = 'DL' + elements.join('\n') + '\r';
  const header = '@\n\x1e\rANSI 636014080001';
  const offset = header.length + 10;
  return header + 'DL' + String(offset).padStart(4, '0') + String(sub.length).padStart(4, '0') + sub;
}

export async function dlFront(): Promise<Buffer> {
  const body = [
    `<rect x="0" y="0" width="856" height="110" fill="#2c4f7c" opacity="0.9"/>`,
    text(40, 62, 44, 'CALIFORNIA', { weight: 'bold', fill: '#fff' }),
    text(520, 62, 30, 'DRIVER LICENSE', { weight: 'bold', fill: '#f5d76e' }),
    text(300, 160, 18, 'DL'), text(340, 160, 26, 'I1234568', { weight: 'bold', fill: '#a01010' }),
    text(300, 200, 18, 'EXP'), text(360, 200, 24, '08/31/2030', { weight: 'bold' }),
    text(300, 240, 18, 'LN'), text(350, 240, 26, 'SAMPLE', { weight: 'bold' }),
    text(300, 276, 18, 'FN'), text(350, 276, 26, 'JANE', { weight: 'bold' }),
    text(300, 312, 20, '2570 24TH STREET'), text(300, 340, 20, 'SACRAMENTO, CA 95818'),
    text(300, 380, 18, 'DOB'), text(360, 380, 24, '08/31/1977', { weight: 'bold', fill: '#a01010' }),
    text(300, 416, 18, 'SEX F   HAIR BRN   EYES BRO'), text(300, 446, 18, 'HGT 5-04   WGT 125 lb'),
    text(300, 486, 18, 'CLASS C   END NONE   RSTR NONE'),
  ].join('');
  const face = await portrait(FACE_B.sample, FACE_B.crop, 240, 305);
  return card(856, 540, body, '#eef2e6', [{ input: face, left: 36, top: 140 }]);
}

export async function dlBack(): Promise<Buffer> {
  const require = createRequire(import.meta.url);
  const wasm = await readFile(require.resolve('zxing-wasm/full/zxing_full.wasm'));
  await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) }, fireImmediately: true });
  const out = await writeBarcode(aamvaText(), { format: 'PDF417', scale: 2, ecLevel: '5' });
  if (!out.image) throw new Error(`PDF417 writer failed: ${out.error}`);
  const code = await sharp(Buffer.from(await out.image.arrayBuffer())).resize({ width: 760 }).flatten({ background: '#ffffff' }).png().toBuffer();
  const meta = await sharp(code).metadata();
  const body = [
    text(40, 50, 20, 'Any alteration of this license is a crime.'),
    text(40, 500, 18, 'DONOR  VETERAN'),
  ].join('');
  return card(856, 540, body, '#f4f4f0', [{ input: code, left: 48, top: Math.round((540 - (meta.height ?? 300)) / 2) }]);
}

/** A background texture (desk / fabric): smooth colour noise, deterministic. */
export async function background(w: number, h: number, seed: number): Promise<Buffer> {
  const cw = 64;
  const ch = Math.max(2, Math.round((64 * h) / w));
  const raw = Buffer.alloc(cw * ch * 3);
  let s = seed >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const base = [90 + 60 * rand(), 70 + 50 * rand(), 50 + 40 * rand()];
  for (let i = 0; i < cw * ch; i++) for (let c = 0; c < 3; c++) raw[i * 3 + c] = Math.max(0, Math.min(255, base[c]! + 50 * (rand() - 0.5)));
  return sharp(raw, { raw: { width: cw, height: ch, channels: 3 } }).resize(w, h, { kernel: 'cubic' }).blur(2).png().toBuffer();
}

export interface PhotoOptions {
  /** Rotation, degrees clockwise. */
  rotateDeg?: number;
  /** Horizontal shear (a cheap stand-in for perspective), as the affine x-shear factor. */
  shear?: number;
  blurSigma?: number;
  glare?: boolean;
  /** Output long side, px. */
  outLongSidePx: number;
  /** Fraction of the output's long side the document covers. */
  docFraction?: number;
  seed?: number;
  quality?: number;
}

/** Put a document on a background, then rotate, shear, blur, add glare, and scale. */
export async function photograph(doc: Buffer, o: PhotoOptions): Promise<Buffer> {
  let img = sharp(doc);
  if (o.shear) img = sharp(await img.affine([1, o.shear, 0, 1], { background: { r: 0, g: 0, b: 0, alpha: 0 } }).png().toBuffer());
  if (o.rotateDeg) img = sharp(await img.rotate(o.rotateDeg, { background: { r: 0, g: 0, b: 0, alpha: 0 } }).png().toBuffer());
  let layer = await img.png().toBuffer();
  const meta = await sharp(layer).metadata();
  const fraction = o.docFraction ?? 0.8;
  const long = Math.round(Math.max(meta.width!, meta.height!) / fraction);
  const bw = meta.width! >= meta.height! ? long : Math.round(long * 0.75);
  const bh = meta.width! >= meta.height! ? Math.round(long * 0.75) : long;
  const W = Math.max(bw, meta.width! + 20);
  const H = Math.max(bh, meta.height! + 20);
  const layers: OverlayOptions[] = [{ input: layer, left: Math.round((W - meta.width!) / 2), top: Math.round((H - meta.height!) / 2) }];
  if (o.glare) {
    const g = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><defs><radialGradient id="g"><stop offset="0" stop-color="#fff" stop-opacity="0.85"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient></defs><ellipse cx="${W * 0.62}" cy="${H * 0.35}" rx="${W * 0.16}" ry="${H * 0.12}" fill="url(#g)"/></svg>`;
    layers.push({ input: Buffer.from(g), blend: 'over' });
  }
  layer = await sharp(await background(W, H, o.seed ?? 1)).composite(layers).png().toBuffer();
  let out = sharp(layer);
  if (o.blurSigma) out = sharp(await out.blur(o.blurSigma).png().toBuffer());
  return out.resize({ width: o.outLongSidePx, height: o.outLongSidePx, fit: 'inside' }).jpeg({ quality: o.quality ?? 85, mozjpeg: true }).toBuffer();
}

/** A plain "scan": the document alone, scaled, as JPEG. */
async function scan(doc: Buffer, widthPx: number, quality = 88): Promise<Buffer> {
  return sharp(doc).flatten({ background: '#ffffff' }).resize({ width: widthPx }).jpeg({ quality, mozjpeg: true }).toBuffer();
}

/** Not a document: a generated landscape (sky, hills, sun). */
export async function landscape(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800">
    <defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#5b8fd6"/><stop offset="1" stop-color="#cfe3f7"/></linearGradient></defs>
    <rect width="1200" height="800" fill="url(#s)"/><circle cx="900" cy="180" r="70" fill="#ffe680"/>
    <path d="M0,520 C200,400 400,460 600,420 C800,380 1000,470 1200,430 L1200,800 L0,800 Z" fill="#4e7d3a"/>
    <path d="M0,620 C300,560 500,640 800,590 C1000,560 1100,600 1200,580 L1200,800 L0,800 Z" fill="#3b6229"/></svg>`;
  const base = await sharp(Buffer.from(svg)).png().toBuffer();
  const noise = await background(1200, 800, 7);
  return sharp(base).composite([{ input: noise, blend: 'soft-light' }]).jpeg({ quality: 85 }).toBuffer();
}

async function main() {
  await mkdir(OUT, { recursive: true });
  const passport = await passportPage();
  const front = await idFront();
  const back = await idBack();
  const rp = await residencePermitBack();
  const dlF = await dlFront();
  const dlB = await dlBack();
  const deuF = await deuResidencePermitFront();
  const deuB = await deuResidencePermitBack();
  const fraF = await fraIdFront();
  const fraB = await fraIdBack();
  const files: Array<[string, Promise<Buffer>]> = [
    ['uto_passport_scan.jpg', scan(passport, 1000)],
    ['uto_passport_photo_rot90.jpg', photograph(passport, { rotateDeg: 93, blurSigma: 0.8, outLongSidePx: 1400, seed: 2 })],
    ['uto_passport_photo_rot180_glare.jpg', photograph(passport, { rotateDeg: 178, glare: true, outLongSidePx: 1400, seed: 3 })],
    ['uto_id_front_photo_tilt.jpg', photograph(front, { rotateDeg: -8, blurSigma: 0.7, outLongSidePx: 1200, docFraction: 0.75, seed: 4 })],
    ['uto_id_back_photo_shear.jpg', photograph(back, { shear: 0.12, rotateDeg: 4, glare: true, outLongSidePx: 1200, seed: 5 })],
    ['uto_id_back_small_scan.jpg', scan(back, 520, 80)],
    ['uto_residence_permit_back_scan.jpg', scan(rp, 860)],
    ['usa_dl_front_photo.jpg', photograph(dlF, { rotateDeg: 3, outLongSidePx: 1200, seed: 6 })],
    ['usa_dl_back_photo.jpg', photograph(dlB, { rotateDeg: -2, outLongSidePx: 1400, docFraction: 0.85, seed: 8 })],
    ['not_document_landscape.jpg', landscape()],
    ['deu_residence_permit_front_photo.jpg', photograph(deuF, { rotateDeg: 2, outLongSidePx: 1200, seed: 9 })],
    ['deu_residence_permit_back_photo.jpg', photograph(deuB, { rotateDeg: -3, outLongSidePx: 1200, seed: 10 })],
    ['fra_id_front_scan.jpg', scan(fraF, 1000)],
    ['fra_id_back_scan.jpg', scan(fraB, 1000)],
  ];
  for (const [name, p] of files) {
    const buf = await p;
    await writeFile(join(OUT, name), buf);
    console.log(`${name}\t${buf.length} bytes`);
  }
  // Full-resolution, lossless renders for the benchmark to composite at bench time.
  await writeFile(join(OUT, 'uto_id_back_render.png'), await sharp(back).png({ compressionLevel: 9, palette: true }).toBuffer());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
