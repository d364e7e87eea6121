/**
 * A greyscale float canvas in normalised coordinates (u = x / width, v = y / height, both in
 * [0, 1]) with the few primitives the radiograph renderer needs. Values are X-ray attenuation:
 * 0 is air (black on film), about 1 is metal (white).
 *
 * Every primitive loops over its bounding box only, which keeps a 2,000-study set at 64 px to a
 * few seconds: rendering cost scales with the area a finding covers, not with the image.
 */
export class Canvas {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.data = new Float32Array(width * height);
  }

  /** Pixel-index bounds [x0, x1) × [y0, y1) covering a normalised box, clipped to the canvas. */
  box(u0: number, v0: number, u1: number, v1: number): [number, number, number, number] {
    const x0 = Math.max(0, Math.floor(u0 * this.width));
    const y0 = Math.max(0, Math.floor(v0 * this.height));
    const x1 = Math.min(this.width, Math.ceil(u1 * this.width) + 1);
    const y1 = Math.min(this.height, Math.ceil(v1 * this.height) + 1);
    return [x0, y0, x1, y1];
  }

  /**
   * Adds `amount` inside an ellipse (optionally rotated by `angle` radians) with a soft edge.
   * `softness` is the width of the edge as a fraction of the radius; a small value draws a sharp
   * disc (nodule), a large one a haze (edema). `mask`, when given, scales the contribution per
   * pixel (e.g. to keep an opacity inside the lung).
   */
  ellipse(cx: number, cy: number, rx: number, ry: number, amount: number, softness: number, mask?: Float32Array, angle = 0): void {
    const reach = 1 + 2 * softness;
    const ext = Math.max(rx, ry) * reach;
    const [x0, y0, x1, y1] = this.box(cx - ext, cy - ext, cx + ext, cy + ext);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const w = this.width;
    const h = this.height;
    for (let y = y0; y < y1; y++) {
      const v = (y + 0.5) / h - cy;
      for (let x = x0; x < x1; x++) {
        const u = (x + 0.5) / w - cx;
        const a = (u * cos + v * sin) / rx;
        const b = (-u * sin + v * cos) / ry;
        const r = Math.sqrt(a * a + b * b);
        if (r >= reach) continue;
        const t = softness > 0 ? (r - 1) / softness : r < 1 ? -1 : 1;
        const profile = t <= -1 ? 1 : t >= 1 ? 0 : 0.5 - 0.5 * Math.sin((t * Math.PI) / 2);
        if (profile <= 0) continue;
        const i = y * w + x;
        this.data[i] = (this.data[i] as number) + amount * profile * (mask === undefined ? 1 : (mask[i] as number));
      }
    }
  }

  /** Adds a Gaussian blob of standard deviations (sx, sy). */
  gaussian(cx: number, cy: number, sx: number, sy: number, amount: number, mask?: Float32Array): void {
    const [x0, y0, x1, y1] = this.box(cx - 3 * sx, cy - 3 * sy, cx + 3 * sx, cy + 3 * sy);
    const w = this.width;
    const h = this.height;
    for (let y = y0; y < y1; y++) {
      const dv = ((y + 0.5) / h - cy) / sy;
      for (let x = x0; x < x1; x++) {
        const du = ((x + 0.5) / w - cx) / sx;
        const i = y * w + x;
        const g = Math.exp(-0.5 * (du * du + dv * dv));
        this.data[i] = (this.data[i] as number) + amount * g * (mask === undefined ? 1 : (mask[i] as number));
      }
    }
  }

  /**
   * Adds a stroke of half-width `halfWidth` along a polyline (flat points [u0, v0, u1, v1, …]).
   * The distance to the nearest segment decides the intensity, so joints do not double up.
   * Strokes thinner than a pixel are widened to half a pixel and dimmed to keep their total
   * attenuation, which keeps thin devices visible at 32 px.
   */
  stroke(points: readonly number[], halfWidth: number, amount: number, mask?: Float32Array): void {
    const minHalf = 0.5 / Math.min(this.width, this.height);
    const hw = Math.max(halfWidth, minHalf);
    const amp = amount * Math.min(1, halfWidth / hw + 0.35);
    let u0 = Infinity;
    let v0 = Infinity;
    let u1 = -Infinity;
    let v1 = -Infinity;
    for (let k = 0; k + 1 < points.length; k += 2) {
      u0 = Math.min(u0, points[k] as number);
      u1 = Math.max(u1, points[k] as number);
      v0 = Math.min(v0, points[k + 1] as number);
      v1 = Math.max(v1, points[k + 1] as number);
    }
    const pad = hw * 1.6;
    const [x0, y0, x1, y1] = this.box(u0 - pad, v0 - pad, u1 + pad, v1 + pad);
    const w = this.width;
    const h = this.height;
    for (let y = y0; y < y1; y++) {
      const pv = (y + 0.5) / h;
      for (let x = x0; x < x1; x++) {
        const pu = (x + 0.5) / w;
        let best = Infinity;
        for (let k = 0; k + 3 < points.length; k += 2) {
          const au = points[k] as number;
          const av = points[k + 1] as number;
          const du = (points[k + 2] as number) - au;
          const dv = (points[k + 3] as number) - av;
          const len2 = du * du + dv * dv;
          let t = len2 > 0 ? ((pu - au) * du + (pv - av) * dv) / len2 : 0;
          t = t < 0 ? 0 : t > 1 ? 1 : t;
          const eu = pu - au - t * du;
          const ev = pv - av - t * dv;
          const d2 = eu * eu + ev * ev;
          if (d2 < best) best = d2;
        }
        const d = Math.sqrt(best) / hw;
        if (d >= 1.6) continue;
        const profile = d <= 0.6 ? 1 : 1 - (d - 0.6);
        const i = y * w + x;
        this.data[i] = (this.data[i] as number) + amp * profile * (mask === undefined ? 1 : (mask[i] as number));
      }
    }
  }

  /** Moves every pixel of a mask towards `target` by the mask's weight (fluid replacing air). */
  fill(mask: Float32Array, target: number): void {
    const d = this.data;
    for (let i = 0; i < d.length; i++) {
      const m = mask[i] as number;
      if (m > 0) d[i] = (d[i] as number) * (1 - m) + target * m;
    }
  }

  /** A 3×3 binomial blur, standing in for the film's point-spread so edges are not aliased. */
  blur(): void {
    const { width: w, height: h, data } = this;
    const tmp = new Float32Array(data.length);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const l = data[y * w + Math.max(0, x - 1)] as number;
        const r = data[y * w + Math.min(w - 1, x + 1)] as number;
        tmp[y * w + x] = 0.25 * l + 0.5 * (data[y * w + x] as number) + 0.25 * r;
      }
    }
    for (let y = 0; y < h; y++) {
      const up = Math.max(0, y - 1) * w;
      const dn = Math.min(h - 1, y + 1) * w;
      for (let x = 0; x < w; x++) {
        data[y * w + x] = 0.25 * (tmp[up + x] as number) + 0.5 * (tmp[y * w + x] as number) + 0.25 * (tmp[dn + x] as number);
      }
    }
  }

  /** Film response: clamps, applies a gamma and quantises to 8 bits with additive noise. */
  toGrey8(noise: () => number, noiseSigma: number): Uint8Array {
    const out = new Uint8Array(this.data.length);
    for (let i = 0; i < out.length; i++) {
      let v = (this.data[i] as number) + noiseSigma * noise();
      v = v < 0 ? 0 : v > 1 ? 1 : v;
      out[i] = GAMMA[Math.round(v * (GAMMA.length - 1))] as number;
    }
    return out;
  }
}

/** The film's gamma (0.85) tabulated at 4,096 levels: finer than the 8-bit output, and no pow per pixel. */
const GAMMA = (() => {
  const t = new Uint8Array(4096);
  for (let i = 0; i < t.length; i++) t[i] = Math.round(255 * Math.pow(i / (t.length - 1), 0.85));
  return t;
})();
