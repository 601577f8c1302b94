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

/** A patterned cloth mask: the surgical mask's outline filled with coloured triangles (SVG pattern). */
export function patternedMaskSvg(mesh: Array<[number, number]>, colours: [string, string, string] = ['rgb(92,40,110)', 'rgb(140,90,170)', 'rgb(200,170,90)']): string {
  const [a, b, c] = colours;
  const unit = Math.max(8, Math.round(Math.hypot(mesh[454]![0] - mesh[234]![0], mesh[454]![1] - mesh[234]![1]) / 8));
  return (
    `<defs><pattern id="tri" width="${unit}" height="${unit}" patternUnits="userSpaceOnUse">` +
    `<rect width="${unit}" height="${unit}" fill="${a}"/><polygon points="0,0 ${unit},0 0,${unit}" fill="${b}"/>` +
    `<line x1="0" y1="${unit}" x2="${unit}" y2="0" stroke="${c}" stroke-width="1.5"/></pattern></defs>` +
    maskSvg(mesh, 'url(#tri)')
  );
}

/** A ribbed black cloth mask: dark fabric with fine vertical ribs. */
export function ribbedMaskSvg(mesh: Array<[number, number]>): string {
  const unit = Math.max(3, Math.round(Math.hypot(mesh[454]![0] - mesh[234]![0], mesh[454]![1] - mesh[234]![1]) / 40));
  return (
    `<defs><pattern id="rib" width="${2 * unit}" height="${unit}" patternUnits="userSpaceOnUse">` +
    `<rect width="${2 * unit}" height="${unit}" fill="rgb(28,28,32)"/><rect width="${unit}" height="${unit}" fill="rgb(52,52,58)"/></pattern></defs>` +
    maskSvg(mesh, 'url(#rib)')
  );
}

/** A mask worn below the nose: mouth, chin and jaw covered, the nose left free. */
export function maskBelowNoseSvg(mesh: Array<[number, number]>, fill = 'rgb(235,238,240)'): string {
  const m = (i: number): P => ({ x: mesh[i]![0], y: mesh[i]![1] });
  const outline = [234, 93, 132, 58, 172, 136, 150, 149, 176, 148, 152, 377, 400, 378, 379, 365, 397, 288, 361, 323, 454].map(m);
  // Top edge just under the nose: the cheeks at nostril height and the subnasale (2) raised a little.
  const top = [m(454), m(411), m(2), m(187), m(234)];
  const poly = [...outline, ...top.slice(1, -1)];
  return `<polygon points="${pts(poly)}" fill="${fill}" stroke="rgb(120,120,120)" stroke-opacity="0.5" stroke-width="2"/>`;
}

/**
 * Wrap-around sports sunglasses: one dark band across both eyes, temple to temple, with a
 * mirrored gradient and a bright reflection streak (the kind a bright sky gives).
 */
export function sportGlassesSvg(mesh: Array<[number, number]>): string {
  const m = (i: number): P => ({ x: mesh[i]![0], y: mesh[i]![1] });
  const l = m(33), r = m(263), browL = m(105), browR = m(334), cheekL = m(117), cheekR = m(346);
  const w = Math.hypot(r.x - l.x, r.y - l.y);
  const up = Math.min(browL.y, browR.y) + 0.02 * w;
  const down = Math.max(cheekL.y, cheekR.y) - 0.02 * w;
  const x0 = l.x - 0.28 * w, x1 = r.x + 0.28 * w;
  const poly = [{ x: x0, y: up }, { x: x1, y: up }, { x: x1 - 0.05 * w, y: down }, { x: (x0 + x1) / 2 + 0.08 * w, y: down }, { x: (x0 + x1) / 2, y: (up + down) / 2 + 0.1 * w }, { x: (x0 + x1) / 2 - 0.08 * w, y: down }, { x: x0 + 0.05 * w, y: down }];
  return (
    `<defs><linearGradient id="lens" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="rgb(30,40,70)"/><stop offset="0.55" stop-color="rgb(70,60,110)"/><stop offset="1" stop-color="rgb(20,20,30)"/></linearGradient></defs>` +
    `<polygon points="${pts(poly)}" fill="url(#lens)" stroke="rgb(15,15,15)" stroke-width="3"/>` +
    `<line x1="${x0 + 0.25 * w}" y1="${up + 0.1 * w}" x2="${x0 + 0.55 * w}" y2="${down - 0.05 * w}" stroke="rgb(230,235,255)" stroke-opacity="0.7" stroke-width="${(0.05 * w).toFixed(1)}"/>`
  );
}

/**
 * A real hand with its own outline: the back of a hand and fingers cut from face-api's
 * sample2.jpg (x 180, y 312, 185 × 158: the hand raised to a woman's lips, against a dark sofa),
 * its alpha from the skin colour rule, softened at the edge. PNG with alpha.
 */
export async function handCutout(): Promise<Buffer> {
  const { data, info } = await sharp(await faceApiSample(2)).extract({ left: 180, top: 312, width: 185, height: 158 }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const rgba = Buffer.alloc(info.width * info.height * 4);
  for (let i = 0; i < info.width * info.height; i++) {
    const r = data[3 * i]!, g = data[3 * i + 1]!, b = data[3 * i + 2]!;
    const cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
    const cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
    const skin = cb >= 77 && cb <= 127 && cr >= 136 && cr <= 173 && r > 90;
    rgba.set([r, g, b, skin ? 255 : 0], 4 * i);
  }
  const mask = Buffer.alloc(info.width * info.height);
  for (let i = 0; i < mask.length; i++) mask[i] = rgba[4 * i + 3]!;
  // Close small holes (white nails fail the skin rule), then soften the edge.
  const raw1 = { raw: { width: info.width, height: info.height, channels: 1 as const } };
  const closed = await sharp(mask, raw1).blur(3).extractChannel(0).threshold(70).raw().toBuffer();
  const soft = await sharp(closed, raw1).blur(1.2).extractChannel(0).raw().toBuffer();
  for (let i = 0; i < soft.length; i++) rgba[4 * i + 3] = soft[i]!;
  return sharp(rgba, { raw: { width: info.width, height: info.height, channels: 4 } }).png().toBuffer();
}

/** Where a composited hand goes, relative to the face (mesh points). */
export type HandPlacement = 'mouth' | 'eye' | 'chin';

/**
 * The hand cut-out, its colour scaled to the face's cheek, pasted over the mouth, over one eye
 * (the image-left one) or under the chin (a fist or hand propping the chin, covering the jaw).
 */
export async function handOverFace(img: Buffer, mesh: Array<[number, number]>, where: HandPlacement): Promise<Buffer> {
  const m = (i: number) => ({ x: mesh[i]![0], y: mesh[i]![1] });
  const meta = await sharp(img).metadata();
  const cheek = m(117);
  const ipd = Math.hypot(m(468).x - m(473).x, m(468).y - m(473).y) || Math.hypot(m(33).x - m(263).x, m(33).y - m(263).y) * 0.7;
  const probe = Math.max(4, Math.round(0.15 * ipd));
  const skin = await sharp(img)
    .extract({ left: Math.max(0, Math.round(cheek.x - probe)), top: Math.max(0, Math.round(cheek.y - probe / 2)), width: 2 * probe, height: probe })
    .stats();
  const hand = await handCutout();
  const handStats = await sharp(hand).removeAlpha().extract({ left: 40, top: 60, width: 60, height: 50 }).stats();
  const gain = [0, 1, 2].map((c) => Math.min(1.6, skin.channels[c]!.mean / handStats.channels[c]!.mean));
  const raw = await sharp(hand).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  for (let i = 0; i < raw.data.length; i += 4) for (let c = 0; c < 3; c++) raw.data[i + c] = Math.min(255, Math.round(raw.data[i + c]! * gain[c]!));
  const w = Math.round(2.2 * ipd);
  const h = Math.round((w * 158) / 185);
  let patch = sharp(raw.data, { raw: { width: raw.info.width, height: raw.info.height, channels: 4 } }).resize(w, h);
  let at: { x: number; y: number };
  if (where === 'mouth') at = { x: (m(13).x + m(14).x) / 2 - 0.55 * w, y: (m(13).y + m(14).y) / 2 - 0.45 * h };
  else if (where === 'eye') at = { x: m(33).x - 0.5 * w, y: m(33).y - 0.55 * h };
  else {
    patch = patch.flop();
    at = { x: m(152).x - 0.5 * w, y: m(152).y - 0.3 * h };
  }
  const left = Math.round(Math.max(0, Math.min(meta.width! - 1, at.x)));
  const top = Math.round(Math.max(0, Math.min(meta.height! - 1, at.y)));
  const buf = await patch.png().toBuffer();
  const clipped = await sharp(buf).extract({ left: 0, top: 0, width: Math.min(w, meta.width! - left), height: Math.min(h, meta.height! - top) }).png().toBuffer();
  return sharp(img).composite([{ input: clipped, left, top }]).jpeg({ quality: 92 }).toBuffer();
}
