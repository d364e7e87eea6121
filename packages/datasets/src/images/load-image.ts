/**
 * Decodes one radiograph (PNG or JPEG, any bit depth, grey or colour) with sharp (libvips, run
 * on libuv's thread pool, so decoding overlaps the training step), converts it to 8-bit
 * greyscale and resizes it for the train or eval transform. Only the few images of the batches
 * in flight are ever decoded.
 */
import sharp from 'sharp';
import type { OutputInfo } from 'sharp';
import { ImageError } from '../errors.js';
import type { EntryLocation } from '../errors.js';
import type { SeededRandom } from '../random/seeded-random.js';
import { cropNormalise, trainResizeSide } from './image-transform.js';
import type { ImageTransform } from './image-transform.js';

/**
 * Decodes `file` and writes the transformed S×S×C floats into `out` at `offset`. `rng` present
 * means training (random crop and flip); absent means evaluation (plain resize).
 */
export async function loadImageInto(
  file: string,
  loc: EntryLocation,
  t: ImageTransform,
  rng: SeededRandom | undefined,
  out: Float32Array,
  offset: number,
): Promise<void> {
  let data: Buffer;
  let info: OutputInfo;
  try {
    const side = rng === undefined ? t.size : trainResizeSide(t.size);
    const resized = sharp(file, { failOn: 'error' })
      .greyscale()
      .resize(rng === undefined ? { width: side, height: side, fit: 'fill' } : { width: side, height: side, fit: 'outside' });
    ({ data, info } = await resized.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true }));
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const msg = (cause as Error).message ?? String(cause);
    const found = code === 'ENOENT' || /no such file|missing/i.test(msg) ? `no file at ${file}` : `${file}, which fails to decode (${msg})`;
    throw new ImageError(loc, found, { cause });
  }
  // greyscale() may still emit an alpha channel; keep the first (luminance) band only.
  const grey = info.channels === 1 ? new Uint8Array(data.buffer, data.byteOffset, data.length) : firstBand(data, info.channels);
  const left = rng === undefined ? 0 : rng.int(info.width - t.size + 1);
  const top = rng === undefined ? 0 : rng.int(info.height - t.size + 1);
  const flip = rng !== undefined && rng.next() < 0.5;
  cropNormalise(grey, info.width, left, top, flip, t, out, offset);
}

function firstBand(data: Buffer, channels: number): Uint8Array {
  const out = new Uint8Array(data.length / channels);
  for (let i = 0; i < out.length; i++) out[i] = data[i * channels] as number;
  return out;
}
