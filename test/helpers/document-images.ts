/** Synthetic photographing conditions for document images, shared by the engine and browser tests. */
import sharp from 'sharp';

/** A soft white reflection (an ellipse, opaque to 60 % of its radius) over the left-centre of the image. */
export async function withGlare(bytes: Buffer): Promise<Buffer> {
  const { width: W = 0, height: H = 0 } = await sharp(bytes).metadata();
  const svg =
    `<svg width="${W}" height="${H}"><defs><radialGradient id="g"><stop offset="0%" stop-color="white" stop-opacity="1"/>` +
    `<stop offset="60%" stop-color="white" stop-opacity="1"/><stop offset="100%" stop-color="white" stop-opacity="0"/></radialGradient></defs>` +
    `<ellipse cx="${W * 0.35}" cy="${H * 0.4}" rx="${W * 0.16}" ry="${H * 0.2}" fill="url(#g)"/></svg>`;
  return sharp(bytes).composite([{ input: Buffer.from(svg) }]).jpeg().toBuffer();
}

/** The image at `factor` of its brightness (0.12: a room with the light off). */
export async function darkened(bytes: Buffer, factor = 0.12): Promise<Buffer> {
  return sharp(bytes).linear(factor, 0).jpeg().toBuffer();
}
