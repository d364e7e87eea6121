import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('README example', () => {
  it('is at most 15 lines and runs as written, against the sources', async () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    const code = /## Example\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    expect(code?.trim().split('\n').length).toBeLessThanOrEqual(15);
    // The package names resolve to dist/ for users; here they point at the sources. The root
    // entry is replaced by the three modules the example uses, which skips loading the engine's
    // wasm backend (the entry's exports are typechecked anyway).
    const shim = `${root}src/.readme-shim.ts`;
    writeFileSync(shim, [
      `export { createBackbone } from ${JSON.stringify(`${root}src/registry.ts`)};`,
      `export { r2genTinyConfig } from ${JSON.stringify(`${root}src/r2gen/tiny-config.ts`)};`,
      `export { toTrainBatch } from ${JSON.stringify(`${root}src/batch/to-train-batch.ts`)};`,
    ].join('\n'));
    const local = (code ?? '')
      .replace("'@came-grad/backbones/testing'", JSON.stringify(`${root}src/testing/index.ts`))
      .replace("'@came-grad/backbones'", JSON.stringify(shim));
    const file = `${root}src/.readme-example.ts`;
    writeFileSync(file, local);
    try {
      const { result } = (await import(/* @vite-ignore */ file)) as { result: { tasks: string[]; clsGrads: number; texts: string[]; loss: number } };
      expect(result.tasks).toEqual(['lm', 'cls']);
      // cls reaches the visual extractor (3 stages × 3 convs × 2) and its head (2).
      expect(result.clsGrads).toBe(20);
      expect(result.texts).toHaveLength(2);
      expect(Number.isFinite(result.loss)).toBe(true);
    } finally {
      rmSync(file, { force: true });
      rmSync(shim, { force: true });
    }
  });
});
