import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodeGreyPng } from './encode-png.js';

describe('encodeGreyPng', () => {
  it('round-trips through an independent decoder (sharp/libspng)', async () => {
    const w = 37;
    const h = 23;
    const px = new Uint8Array(w * h);
    for (let i = 0; i < px.length; i++) px[i] = (i * 97 + (i >> 3) * 13) & 0xff;
    const png = encodeGreyPng(px, w, h);
    const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([w, h, 1]);
    expect(Array.from(data)).toEqual(Array.from(px));
  });

  it('writes the same bytes for the same pixels', () => {
    const px = new Uint8Array(64 * 64).fill(120);
    expect(encodeGreyPng(px, 64, 64).equals(encodeGreyPng(px, 64, 64))).toBe(true);
  });
});
