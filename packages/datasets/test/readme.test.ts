import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('README example', () => {
  it('runs as written (against this package’s source)', async () => {
    const readme = await readFile(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    const block = /## Example\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const code = block as string;
    expect(code.trim().split('\n').length).toBeLessThanOrEqual(15);
    const dir = await mkdtemp(join(tmpdir(), 'readme-'));
    try {
      const src = fileURLToPath(new URL('../src/index.ts', import.meta.url));
      const file = join(dir, 'example.mts');
      const body = code.replaceAll("'@came-grad/datasets'", JSON.stringify(src));
      // Count the batches the loop sees, to check the example does what it says.
      await writeFile(file, `${body.replace('cursor = step.cursor;', 'cursor = step.cursor; (globalThis as Record<string, unknown>).__steps = ((globalThis as Record<string, number>).__steps ?? 0) + 1;')}\nexport const final = cursor;\n`);
      process.env['SYNTH_DIR'] = join(dir, 'synth');
      const mod = (await import(/* @vite-ignore */ file)) as { final: unknown };
      expect(mod.final).toEqual({ epoch: 2, position: 0 });
      expect((globalThis as Record<string, unknown>)['__steps']).toBeGreaterThanOrEqual(4);
    } finally {
      delete process.env['SYNTH_DIR'];
      await rm(dir, { recursive: true, force: true });
    }
  });
});
