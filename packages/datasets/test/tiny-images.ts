/**
 * Test fixtures: small radiograph stand-ins written in an annotation's image layout, and
 * annotation files built in memory. Used by the loader tests only.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { encodeGreyPng } from '../src/synth-cxr/encode-png.js';

/** A constant-valued greyscale PNG (constant images make normalised values exactly predictable). */
export function constantPng(value: number, width: number, height: number): Buffer {
  return encodeGreyPng(new Uint8Array(width * height).fill(value), width, height);
}

/** A PNG whose pixels encode their position, so crops and flips are observable. */
export function gradientPng(width: number, height: number): Buffer {
  const px = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) px[y * width + x] = (x * 5 + y * 3) & 0xff;
  return encodeGreyPng(px, width, height);
}

/** Writes `body` at every image path of every entry (paths relative to `imageDir`). */
export async function writeImages(imageDir: string, paths: readonly string[], body: (path: string, view: number) => Buffer): Promise<void> {
  const dirs = new Set(paths.map((p) => dirname(join(imageDir, p))));
  await Promise.all([...dirs].map((d) => mkdir(d, { recursive: true })));
  let i = 0;
  const worker = async (): Promise<void> => {
    while (i < paths.length) {
      const p = paths[i++] as string;
      await writeFile(join(imageDir, p), body(p, p.endsWith('1.png') ? 1 : 0));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

/** Writes an annotation object as JSON and returns its path. */
export async function writeAnnotation(dir: string, ann: unknown, name = 'annotation.json'): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, typeof ann === 'string' ? ann : JSON.stringify(ann));
  return path;
}
