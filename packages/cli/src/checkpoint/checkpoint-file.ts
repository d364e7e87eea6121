import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { CliError } from '../cli-error';

/**
 * One named array of a checkpoint (a variable, an optimizer moment). Stored as raw
 * little-endian float32 or int32, so a restored run continues bit-for-bit.
 */
export interface CheckpointArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32';
  readonly data: Float32Array | Int32Array;
}

export interface CheckpointContents<State> {
  /** JSON-serialisable run state: step, data cursor, RNG state, config, best score. */
  readonly state: State;
  readonly arrays: readonly CheckpointArray[];
}

const MAGIC = 'CAMEGRAD-CKPT-1\n';

interface Header<State> {
  readonly state: State;
  readonly arrays: { name: string; shape: number[]; dtype: 'float32' | 'int32'; offset: number; length: number }[];
  readonly payloadSha256: string;
}

/**
 * Writes a checkpoint atomically: the bytes go to `<path>.tmp`, are fsynced, and the file is
 * renamed over `path`, then the directory is fsynced. A process killed at any point leaves
 * either the previous checkpoint or the new one, never a torn file.
 */
export function writeCheckpoint<State>(path: string, contents: CheckpointContents<State>): void {
  const arrays: Header<State>['arrays'] = [];
  let offset = 0;
  for (const array of contents.arrays) {
    arrays.push({ name: array.name, shape: [...array.shape], dtype: array.dtype, offset, length: array.data.length });
    offset += array.data.byteLength;
  }
  const payload = Buffer.alloc(offset);
  for (const [i, array] of contents.arrays.entries()) {
    const bytes = Buffer.from(array.data.buffer, array.data.byteOffset, array.data.byteLength);
    bytes.copy(payload, arrays[i]!.offset);
  }
  const header: Header<State> = {
    state: contents.state,
    arrays,
    payloadSha256: createHash('sha256').update(payload).digest('hex'),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const lengthBytes = Buffer.alloc(8);
  lengthBytes.writeBigUInt64LE(BigInt(headerBytes.length));

  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    for (const part of [Buffer.from(MAGIC, 'utf8'), lengthBytes, headerBytes, payload]) {
      let written = 0;
      while (written < part.length) written += writeSync(fd, part, written, part.length - written);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  syncDirectory(dirname(path));
}

/** Reads and verifies a checkpoint; a truncated or altered file is a CliError naming it. */
export function readCheckpoint<State>(path: string): CheckpointContents<State> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new CliError(`checkpoint ${path} could not be read: ${(error as Error).message}`);
  }
  const corrupt = (why: string) => new CliError(`checkpoint ${path} is corrupt: ${why}. Delete it or restart without --resume.`);
  const magicLength = Buffer.byteLength(MAGIC);
  if (bytes.length < magicLength + 8 || bytes.subarray(0, magicLength).toString('utf8') !== MAGIC) {
    throw corrupt('it does not start with the came-grad checkpoint header');
  }
  const headerLength = Number(bytes.readBigUInt64LE(magicLength));
  const headerStart = magicLength + 8;
  if (headerStart + headerLength > bytes.length) throw corrupt('the header is truncated');
  let header: Header<State>;
  try {
    header = JSON.parse(bytes.subarray(headerStart, headerStart + headerLength).toString('utf8')) as Header<State>;
  } catch {
    throw corrupt('the header is not valid JSON');
  }
  const payload = bytes.subarray(headerStart + headerLength);
  if (createHash('sha256').update(payload).digest('hex') !== header.payloadSha256) {
    throw corrupt('the weights do not match their checksum');
  }
  const arrays = header.arrays.map((entry): CheckpointArray => {
    const byteLength = entry.length * 4;
    // Copy into a fresh, aligned buffer: typed arrays need 4-byte alignment.
    const slice = new Uint8Array(payload.subarray(entry.offset, entry.offset + byteLength)).buffer;
    const data = entry.dtype === 'int32' ? new Int32Array(slice) : new Float32Array(slice);
    return { name: entry.name, shape: entry.shape, dtype: entry.dtype, data };
  });
  return { state: header.state, arrays };
}

/** Removes a stale temporary file left by a run killed during a write. */
export function removeStaleTemporary(path: string): void {
  rmSync(`${path}.tmp`, { force: true });
}

function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
