/**
 * Turns a face photo into the portrait of an identity card, as the document engine would see it:
 * a seeded, documented generator for the selfie ↔ document-portrait evaluation
 * (`evaluate -- face-pairs`, docs/face-verification.md). Evaluation tooling, never used by the
 * service.
 *
 * Steps, each drawn from the seeded generator (the seed is a hash of the photo's name and a run
 * seed, so a photo always gives the same card):
 *  1. ICAO-style framing around the face: 35:45, the face box 62–72 % of the portrait's height,
 *     the eyes a little above the middle.
 *  2. Printed small: the portrait 170–270 px high on a 720-px-wide ID-1 card cut-out (the width the
 *     document engine gives its face detector; an ID-1 portrait is ≈ 32 mm of 85.6 mm).
 *  3. Colour: grey-scale (half of the cards) or faded colour (saturation × 0.35–0.75); contrast
 *     × 0.70–0.90 around a lifted mean (print on a pale substrate).
 *  4. Security print: guilloche lines over the portrait (opacity 0.10–0.22) and a fine dot screen.
 *  5. Print blur (Gaussian σ 0.4–1.0 px) and a pale card with guilloche, a title bar and text bars.
 *  6. Capture: the card photographed at 60–100 % of that size and brought back (a phone's
 *     softness), then JPEG at quality 45–75.
 */
import sharp from 'sharp';
import type { Box } from '../server/vision/contract.js';
import { seededRandom } from './seeded.js';

export const CARD_WIDTH_PX = 720;
const CARD_HEIGHT_PX = Math.round((CARD_WIDTH_PX * 53.98) / 85.6);

export interface DocumentPortraitOptions {
  /** Face box in the photo's upright pixels. */
  face: Box;
  seed: number;
}

export interface DocumentPortrait {
  /** The card cut-out (JPEG). */
  card: Buffer;
  /** What was drawn, for the record. */
  params: Record<string, number | string>;
}

function guillocheSvg(width: number, height: number, rnd: () => number, colour: string, opacity: number, lines: number): string {
  const paths: string[] = [];
  const f1 = 2 + rnd() * 4, f2 = 5 + rnd() * 9, amp = height * (0.04 + rnd() * 0.05);
  for (let k = 0; k < lines; k++) {
    const y0 = (height * (k + 0.5)) / lines;
    const phase = rnd() * Math.PI * 2;
    let d = '';
    for (let x = 0; x <= width; x += 4) {
      const t = x / width;
      const y = y0 + amp * Math.sin(2 * Math.PI * f1 * t + phase) + amp * 0.4 * Math.sin(2 * Math.PI * f2 * t + k);
      d += `${x === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
    }
    paths.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="0.8"/>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><g opacity="${opacity.toFixed(3)}">${paths.join('')}</g></svg>`;
}

function dotScreenSvg(width: number, height: number, pitch: number, opacity: number): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<defs><pattern id="d" width="${pitch}" height="${pitch}" patternUnits="userSpaceOnUse"><circle cx="${pitch / 2}" cy="${pitch / 2}" r="${pitch / 4}" fill="#000"/></pattern></defs>` +
    `<rect width="100%" height="100%" fill="url(#d)" opacity="${opacity.toFixed(3)}"/></svg>`
  );
}

/** The card: a document portrait made from one face photo (see the module comment). */
export async function documentPortrait(photo: Buffer, opts: DocumentPortraitOptions): Promise<DocumentPortrait> {
  const rnd = seededRandom(opts.seed);
  const between = (a: number, b: number) => a + (b - a) * rnd();
  const upright = await sharp(photo).rotate().toBuffer({ resolveWithObject: true });
  const W = upright.info.width, H = upright.info.height;
  // 1. Framing.
  const faceShare = between(0.62, 0.72);
  const ph = opts.face.height / faceShare;
  const pw = (ph * 35) / 45;
  const cx = opts.face.x + opts.face.width / 2;
  const top = opts.face.y - (ph - opts.face.height) * between(0.45, 0.6);
  const region = { left: Math.round(cx - pw / 2), top: Math.round(top), width: Math.round(pw), height: Math.round(ph) };
  // Pad with the photo's own edge colour where the framing leaves the photo.
  const padL = Math.max(0, -region.left), padT = Math.max(0, -region.top);
  const padR = Math.max(0, region.left + region.width - W), padB = Math.max(0, region.top + region.height - H);
  // (Two pipelines: sharp would extract before it extends.)
  const extended = await sharp(upright.data).extend({ left: padL, top: padT, right: padR, bottom: padB, extendWith: 'copy' }).png().toBuffer();
  const framed = await sharp(extended)
    .extract({ left: region.left + padL, top: region.top + padT, width: region.width, height: region.height })
    .toBuffer();
  // 2. Size on the card.
  const outH = Math.round(between(170, 270));
  const outW = Math.round((outH * 35) / 45);
  // 3. Colour.
  const grey = rnd() < 0.5;
  const saturation = grey ? 0 : between(0.35, 0.75);
  const contrast = between(0.7, 0.9);
  const lift = between(20, 45);
  let portrait = sharp(framed).resize(outW, outH, { fit: 'fill' }).modulate({ saturation: grey ? 1 : saturation });
  if (grey) portrait = portrait.grayscale();
  const portraitPx = await portrait.linear(contrast, lift).toColourspace('srgb').png().toBuffer();
  // 4. Security print over the portrait, then 5. print blur.
  const guillocheOpacity = between(0.1, 0.22);
  const dotPitch = Math.round(between(3, 5));
  const printed = await sharp(portraitPx)
    .composite([
      { input: Buffer.from(guillocheSvg(outW, outH, rnd, '#6a4b8c', guillocheOpacity, 14)) },
      { input: Buffer.from(dotScreenSvg(outW, outH, dotPitch, 0.06)) },
    ])
    .blur(between(0.4, 1.0))
    .png()
    .toBuffer();
  // The card.
  const bg = { r: Math.round(between(225, 240)), g: Math.round(between(225, 238)), b: Math.round(between(210, 235)) };
  const px = Math.round(CARD_WIDTH_PX * 0.05), py = Math.round((CARD_HEIGHT_PX - outH) * between(0.55, 0.8));
  const bars: string[] = [];
  for (let i = 0; i < 6; i++) {
    const y = 110 + i * 40;
    bars.push(`<rect x="${px + outW + 30}" y="${y}" width="${Math.round(between(120, 300))}" height="12" fill="#2a2a3a" opacity="0.75"/>`);
  }
  const cardSvg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_WIDTH_PX}" height="${CARD_HEIGHT_PX}">` +
    `<rect x="0" y="20" width="${CARD_WIDTH_PX}" height="50" fill="#1f3f7a" opacity="0.85"/>${bars.join('')}</svg>`;
  const card = await sharp({ create: { width: CARD_WIDTH_PX, height: CARD_HEIGHT_PX, channels: 3, background: bg } })
    .composite([
      { input: Buffer.from(guillocheSvg(CARD_WIDTH_PX, CARD_HEIGHT_PX, rnd, '#8a7fa8', 0.35, 30)) },
      { input: Buffer.from(cardSvg) },
      { input: printed, left: px, top: py },
    ])
    .png()
    .toBuffer();
  // 6. Capture.
  const captureScale = between(0.6, 1.0);
  const quality = Math.round(between(45, 75));
  const soft = await sharp(card).resize(Math.round(CARD_WIDTH_PX * captureScale)).png().toBuffer();
  const captured = await sharp(soft).resize(CARD_WIDTH_PX, CARD_HEIGHT_PX, { fit: 'fill' }).jpeg({ quality }).toBuffer();
  return {
    card: captured,
    params: {
      portraitHeightPx: outH,
      colour: grey ? 'grey' : `faded ${saturation.toFixed(2)}`,
      contrast: Number(contrast.toFixed(2)),
      guillocheOpacity: Number(guillocheOpacity.toFixed(2)),
      captureScale: Number(captureScale.toFixed(2)),
      jpegQuality: quality,
    },
  };
}
