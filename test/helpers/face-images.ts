/**
 * Golden face images derived at test time from photos that ship inside installed npm packages
 * (MIT-licensed `@vladmandic/face-api` demo samples; see test/fixtures/faces/README.md). Nothing
 * is copied into the repository: each case is a crop, rescale, rotation, composite or drawn
 * occluder made with sharp from the package's file.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

const require = createRequire(import.meta.url);

export async function faceApiSample(n: 1 | 2 | 3 | 4 | 5 | 6): Promise<Buffer> {
  const dir = join(dirname(require.resolve('@vladmandic/face-api')), '..', 'demo');
  return readFile(join(dir, `sample${n}.jpg`));
}

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export async function crop(src: Buffer, r: Rect): Promise<Buffer> {
  return sharp(src).extract(r).jpeg({ quality: 92 }).toBuffer();
}

/**
 * The base selfie: the most frontal face of sample6 (woman second from right), with room
 * around it. Face (tight mesh box) is about 206 × 231 px at x≈1162, y≈349 of the 1920 × 1537 photo.
 */
export const SELFIE_FACE = { x: 1162, y: 349, width: 206, height: 231 };
export const SELFIE_RECT: Rect = { left: 1000, top: 180, width: 520, height: 640 };

export async function selfie(): Promise<Buffer> {
  return crop(await faceApiSample(6), SELFIE_RECT);
}

/** Scale an image and paste it on a plain canvas of the given size at (left, top). */
export async function pasteOnCanvas(img: Buffer, scale: number, canvas: { width: number; height: number }, at: { left: number; top: number }): Promise<Buffer> {
  const meta = await sharp(img).metadata();
  const small = await sharp(img).resize(Math.round(meta.width! * scale)).toBuffer();
  return sharp({ create: { width: canvas.width, height: canvas.height, channels: 3, background: { r: 96, g: 110, b: 120 } } })
    .composite([{ input: small, left: at.left, top: at.top }])
    .jpeg({ quality: 92 })
    .toBuffer();
}

/** Two images side by side (same height). */
export async function sideBySide(a: Buffer, b: Buffer): Promise<Buffer> {
  const ma = await sharp(a).metadata();
  const mb = await sharp(b).metadata();
  const h = Math.max(ma.height!, mb.height!);
  return sharp({ create: { width: ma.width! + mb.width!, height: h, channels: 3, background: { r: 96, g: 110, b: 120 } } })
    .composite([{ input: a, left: 0, top: 0 }, { input: b, left: ma.width!, top: 0 }])
    .jpeg({ quality: 92 })
    .toBuffer();
}

/** Draw an SVG (same pixel size as the image) over it. */
export async function drawOver(img: Buffer, svgBody: string): Promise<Buffer> {
  const meta = await sharp(img).metadata();
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${meta.width}" height="${meta.height}">${svgBody}</svg>`;
  return sharp(img).composite([{ input: Buffer.from(svg) }]).jpeg({ quality: 92 }).toBuffer();
}

type P = { x: number; y: number };
const pts = (ps: P[]) => ps.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');

/** A surgical mask (light blue unless told) from the nose bridge to below the chin, cheek to cheek. */
export function maskSvg(mesh: Array<[number, number]>, fill = 'rgb(150,190,225)'): string {
  const m = (i: number): P => ({ x: mesh[i]![0], y: mesh[i]![1] });
  // Face outline from cheek (234) down round the chin (152) to the other cheek (454), topped at the nose.
  const outline = [234, 93, 132, 58, 172, 136, 150, 149, 176, 148, 152, 377, 400, 378, 379, 365, 397, 288, 361, 323, 454].map(m);
  const top = [m(454), m(352), m(6), m(123), m(234)];
  const poly = [...outline, ...top.slice(1, -1)];
  return `<polygon points="${pts(poly)}" fill="${fill}" stroke="rgb(90,90,90)" stroke-opacity="0.4" stroke-width="3"/>`;
}

/** Dark sunglasses: two filled ellipses over the eyes joined by a bridge. */
export function sunglassesSvg(mesh: Array<[number, number]>, opacity = 0.95, fill = 'rgb(20,20,24)', frame = 'rgb(10,10,10)'): string {
  const m = (i: number): P => ({ x: mesh[i]![0], y: mesh[i]![1] });
  const eye = (outer: number, inner: number) => {
    const a = m(outer), b = m(inner);
    const w = Math.hypot(a.x - b.x, a.y - b.y);
    return { cx: (a.x + b.x) / 2, cy: (a.y + b.y) / 2 + 0.1 * w, rx: 0.85 * w, ry: 0.6 * w };
  };
  const l = eye(33, 133), r = eye(263, 362);
  const lens = (e: { cx: number; cy: number; rx: number; ry: number }) =>
    `<ellipse cx="${e.cx}" cy="${e.cy}" rx="${e.rx}" ry="${e.ry}" fill="${fill}" fill-opacity="${opacity}" stroke="${frame}" stroke-width="4"/>`;
  return `${lens(l)}${lens(r)}<line x1="${l.cx + l.rx}" y1="${l.cy - 0.3 * l.ry}" x2="${r.cx - r.rx}" y2="${r.cy - 0.3 * r.ry}" stroke="${frame}" stroke-width="4"/>`;
}

/** Clear glasses: thin dark frames, transparent lenses. */
export function clearGlassesSvg(mesh: Array<[number, number]>): string {
  return sunglassesSvg(mesh, 0, 'none', 'rgb(30,30,30)');
}

/** Bytes that are not an image, or are a broken/hostile one. */
export async function badInputs(): Promise<Record<string, Buffer>> {
  const good = await selfie();
  // A valid PNG signature + IHDR claiming 50 000 × 50 000 px, then nothing.
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(50_000, 0);
  ihdr.writeUInt32BE(50_000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const { crc32 } = await import('node:zlib');
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const bomb = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.alloc(64)), chunk('IEND', Buffer.alloc(0))]);
  return {
    empty: Buffer.alloc(0),
    text: Buffer.from('this is not an image, it is a sentence.\n'),
    truncatedJpeg: good.subarray(0, Math.floor(good.length / 2)),
    pngBomb: bomb,
  };
}

/**
 * A real hand (cut from face-api's sample2.jpg, the hand resting on a knee), its colour scaled to
 * the selfie's cheek, pasted over the mouth: fingers lit like the face, which the hand detector
 * does not find (so only the pixel evidence can catch it).
 */
export async function skinTonedHandOverMouth(img: Buffer, mesh: Array<[number, number]>): Promise<Buffer> {
  const m = (i: number) => ({ x: mesh[i]![0], y: mesh[i]![1] });
  const cheek = m(117);
  const skin = await sharp(img).extract({ left: Math.round(cheek.x - 10), top: Math.round(cheek.y - 6), width: 20, height: 12 }).stats();
  const hand = await sharp(await faceApiSample(2)).extract({ left: 790, top: 1010, width: 175, height: 240 }).toBuffer();
  const back = await sharp(hand).extract({ left: 40, top: 60, width: 90, height: 90 }).stats();
  const gain = [0, 1, 2].map((c) => skin.channels[c]!.mean / back.channels[c]!.mean);
  const ipd = Math.hypot(m(468).x - m(473).x, m(468).y - m(473).y);
  const mouth = { x: (m(13).x + m(14).x) / 2, y: (m(13).y + m(14).y) / 2 };
  const w = Math.round(1.6 * ipd);
  const h = Math.round((w * 240) / 175);
  const patch = await sharp(hand).linear(gain, [0, 0, 0]).resize(w, h).toBuffer();
  return sharp(img)
    .composite([{ input: patch, left: Math.round(mouth.x - w / 2), top: Math.round(mouth.y - 0.35 * h) }])
    .jpeg({ quality: 92 })
    .toBuffer();
}

/**
 * A full dark beard with a moustache over both lips, textured like hair (SVG fractal noise):
 * the hardest beard case, since the lips are hidden. Must not count as an occlusion.
 */
export function beardSvg(mesh: Array<[number, number]>): string {
  const m = (i: number): P => ({ x: mesh[i]![0], y: mesh[i]![1] });
  // Jaw line from cheek to cheek under the chin, closed across the upper lip below the nose.
  const jaw = [234, 93, 132, 58, 172, 136, 150, 149, 176, 148, 152, 377, 400, 378, 379, 365, 397, 288, 361, 323, 454].map(m);
  const top = [m(454), m(436), m(410), m(164), m(186), m(216), m(234)];
  const poly = [...jaw, ...top.slice(1, -1)];
  return (
    `<defs><filter id="hair" x="0" y="0" width="100%" height="100%">` +
    `<feTurbulence type="fractalNoise" baseFrequency="0.9 0.08" numOctaves="3" seed="7" result="n"/>` +
    `<feColorMatrix in="n" type="matrix" values="0 0 0 0 0.16  0 0 0 0 0.10  0 0 0 0 0.06  0 0 0 -2.2 1.6" result="strands"/>` +
    `<feComposite in="strands" in2="SourceGraphic" operator="in"/></filter></defs>` +
    `<polygon points="${pts(poly)}" fill="rgb(40,26,16)"/>` +
    `<polygon points="${pts(poly)}" fill="white" filter="url(#hair)"/>`
  );
}
