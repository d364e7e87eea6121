/**
 * The image side of a batch: R2Gen's transforms scaled to a configurable size S (spec
 * backbones.md §0: train Resize(256) → RandomCrop(224) → RandomHorizontalFlip, test
 * Resize(224, 224), ImageNet normalisation), applied to greyscale radiographs.
 *
 * - train: the shorter side is resized to round(S·256/224), a random S×S window is cut, and the
 *   result is mirrored with probability ½;
 * - eval: the image is resized to S×S (aspect not kept, as R2Gen's `Resize((224, 224))`).
 *
 * Pixels are scaled to [0, 1] and normalised per channel with ImageNet's mean and std. With one
 * channel the means of the three are used (0.449, 0.226).
 */
import { DatasetOptionError } from '../errors.js';

/** ImageNet channel means (RGB). */
export const IMAGENET_MEAN = Object.freeze([0.485, 0.456, 0.406] as const);
/** ImageNet channel standard deviations (RGB). */
export const IMAGENET_STD = Object.freeze([0.229, 0.224, 0.225] as const);

/** Resolved image options. */
export interface ImageTransform {
  /** Output side S in pixels. */
  readonly size: number;
  /** 3 (greyscale replicated, as ImageNet CNNs expect) or 1. */
  readonly channels: 1 | 3;
  /** Per-channel mean and std applied after scaling to [0, 1]. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** Validates and resolves the image options. */
export function resolveImageTransform(size: unknown, channels: unknown): ImageTransform {
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 32 || size > 224) {
    throw new DatasetOptionError('imageSize', 'an integer in [32, 224]', size);
  }
  if (channels !== 1 && channels !== 3) throw new DatasetOptionError('channels', '1 or 3', channels);
  const mean = channels === 3 ? [...IMAGENET_MEAN] : [(IMAGENET_MEAN[0] + IMAGENET_MEAN[1] + IMAGENET_MEAN[2]) / 3];
  const std = channels === 3 ? [...IMAGENET_STD] : [(IMAGENET_STD[0] + IMAGENET_STD[1] + IMAGENET_STD[2]) / 3];
  return { size, channels, mean, std };
}

/** The training resize: shorter side to round(S·256/224), as Resize(256) before RandomCrop(224). */
export function trainResizeSide(size: number): number {
  return Math.round((size * 256) / 224);
}

/**
 * Cuts an S×S window at (left, top) out of a greyscale image (w × h, 8-bit), optionally mirrors
 * it, normalises it, and writes it as HWC floats into `out` at `offset`.
 */
export function cropNormalise(
  pixels: Uint8Array,
  w: number,
  left: number,
  top: number,
  flip: boolean,
  t: ImageTransform,
  out: Float32Array,
  offset: number,
): void {
  const { size, channels, mean, std } = t;
  const scale = channels === 3 ? [1 / (255 * (std[0] as number)), 1 / (255 * (std[1] as number)), 1 / (255 * (std[2] as number))] : [1 / (255 * (std[0] as number))];
  const shift = channels === 3 ? [(mean[0] as number) / (std[0] as number), (mean[1] as number) / (std[1] as number), (mean[2] as number) / (std[2] as number)] : [(mean[0] as number) / (std[0] as number)];
  let o = offset;
  for (let y = 0; y < size; y++) {
    const row = (top + y) * w + left;
    for (let x = 0; x < size; x++) {
      const p = pixels[row + (flip ? size - 1 - x : x)] as number;
      for (let c = 0; c < channels; c++) out[o++] = p * (scale[c] as number) - (shift[c] as number);
    }
  }
}
