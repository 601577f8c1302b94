/**
 * The capture page's scripts and styles, compressed once at start-up (brotli at its best quality,
 * gzip at level 9, node:zlib) and served by the request's Accept-Encoding: brotli when accepted,
 * else gzip, else the plain bytes. Every answer says `Vary: Accept-Encoding` so a shared cache
 * keeps the variants apart. The names carry a content hash (src/web/build.ts), so the answers are
 * cached for a year (`immutable`); the HTML pages that name them are never cached.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Asset } from '../../web/build.js';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

export type ContentCoding = 'br' | 'gzip' | 'identity';

export interface EncodedAsset {
  asset: Asset;
  /** Only the codings that are smaller than the plain bytes. */
  encoded: Partial<Record<'br' | 'gzip', Buffer>>;
}

const cache = new WeakMap<Asset, Promise<EncodedAsset>>();

async function encode(asset: Asset): Promise<EncodedAsset> {
  const [br, gzipped] = await Promise.all([
    brotli(asset.body, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: asset.body.length,
      },
    }),
    gz(asset.body, { level: 9 }),
  ]);
  const encoded: EncodedAsset['encoded'] = {};
  if (br.length < asset.body.length) encoded.br = br;
  if (gzipped.length < asset.body.length) encoded.gzip = gzipped;
  return { asset, encoded };
}

/** Each asset compressed once per process (apps built in tests share the work). */
export function encodeAssets(assets: readonly Asset[]): Promise<EncodedAsset[]> {
  return Promise.all(
    assets.map((a) => {
      let p = cache.get(a);
      if (!p) {
        p = encode(a);
        cache.set(a, p);
      }
      return p;
    }),
  );
}

/** The q-value the Accept-Encoding header gives `coding` (an explicit entry, else `*`, else 0). */
function qOf(header: string, coding: string): number {
  let star: number | null = null;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
    const value = q === undefined ? 1 : Number(q);
    const n = name.trim().toLowerCase();
    if (n === coding) return Number.isFinite(value) ? value : 0;
    if (n === '*') star = Number.isFinite(value) ? value : 0;
  }
  return star ?? 0;
}

/** Which stored coding to send: brotli, then gzip (whichever the client accepts with q > 0), else identity. */
export function negotiate(acceptEncoding: string | string[] | undefined, available: EncodedAsset['encoded']): ContentCoding {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : (acceptEncoding ?? '');
  if (!header.trim()) return 'identity';
  const br = available.br ? qOf(header, 'br') : 0;
  const gzipQ = available.gzip ? qOf(header, 'gzip') : 0;
  if (br > 0 && br >= gzipQ) return 'br';
  if (gzipQ > 0) return 'gzip';
  return 'identity';
}
