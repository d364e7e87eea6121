import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint, writeCheckpoint } from './checkpoint-file';
import { weightsDigest } from './weights-digest';

function sample(step: number) {
  return {
    state: { step, cursor: { epoch: 1, position: 7 }, rng: [1, 2, 3] },
    arrays: [
      { name: 'b', shape: [2], dtype: 'int32' as const, data: new Int32Array([step, -5]) },
      { name: 'a', shape: [2, 3], dtype: 'float32' as const, data: new Float32Array([0.1, -2, 3e-8, Math.PI, step, 1e30]) },
    ],
  };
}

describe('checkpoint file', () => {
  it('round-trips state and arrays bit for bit', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ckpt-')), 'checkpoint.bin');
    writeCheckpoint(path, sample(3));
    const back = readCheckpoint<ReturnType<typeof sample>['state']>(path);
    expect(back.state).toEqual(sample(3).state);
    expect(back.arrays.map((a) => a.name)).toEqual(['b', 'a']);
    expect(Array.from(back.arrays[1]!.data)).toEqual(Array.from(sample(3).arrays[1]!.data));
    expect(back.arrays[0]!.data).toBeInstanceOf(Int32Array);
    expect(existsSync(`${path}.tmp`)).toBe(false);
  });

  it('rejects a truncated or altered file with a message naming it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ckpt-')), 'checkpoint.bin');
    writeCheckpoint(path, sample(1));
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 3));
    expect(() => readCheckpoint(path)).toThrow(/checkpoint .*checkpoint\.bin is corrupt: the weights do not match/);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 0xff;
    writeFileSync(path, flipped);
    expect(() => readCheckpoint(path)).toThrow(/corrupt/);
    writeFileSync(path, 'not a checkpoint');
    expect(() => readCheckpoint(path)).toThrow(/does not start with the came-grad checkpoint header/);
  });

  it('keeps the previous checkpoint when the writer is killed mid-write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const path = join(dir, 'checkpoint.bin');
    writeCheckpoint(path, sample(1));
    const before = readFileSync(path);
    // A child process runs writeCheckpoint itself on a large checkpoint and is SIGKILLed
    // while its temporary file is being written.
    const script = `import { writeCheckpoint } from ${JSON.stringify(join(import.meta.dirname, 'checkpoint-file.ts'))};
      const big = new Float32Array(16 * 1024 * 1024).fill(7);
      writeCheckpoint(${JSON.stringify(path)}, { state: { step: 99 }, arrays: [{ name: 'w', shape: [big.length], dtype: 'float32', data: big }] });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'ignore' });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(`${path}.tmp`)) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 1);
    });
    await new Promise((resolve) => child.on('exit', resolve));
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readCheckpoint(path).state).toEqual(sample(1).state);
    writeCheckpoint(path, sample(2));
    expect(readCheckpoint<{ step: number }>(path).state.step).toBe(2);
  });
});

describe('weightsDigest', () => {
  it('depends on values and names but not on enumeration order', () => {
    const a = { name: 'a', data: new Float32Array([1, 2]) };
    const b = { name: 'b', data: new Float32Array([3]) };
    expect(weightsDigest([a, b])).toBe(weightsDigest([b, a]));
    expect(weightsDigest([a, b])).not.toBe(weightsDigest([a, { name: 'b', data: new Float32Array([3.0000002]) }]));
    expect(weightsDigest([a, b])).not.toBe(weightsDigest([{ ...a, name: 'c' }, b]));
    expect(weightsDigest([a, b])).toMatch(/^[0-9a-f]{64}$/);
  });
});
