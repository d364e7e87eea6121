import { createHash } from 'node:crypto';

/**
 * SHA-256 over named arrays in the order of their names, so the digest is independent of
 * how a model happens to enumerate its variables. Two runs that end with bit-identical
 * weights print the same digest.
 */
export function weightsDigest(arrays: readonly { name: string; data: Float32Array | Int32Array }[]): string {
  const hash = createHash('sha256');
  const sorted = [...arrays].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const array of sorted) {
    hash.update(array.name);
    hash.update(Buffer.from(array.data.buffer, array.data.byteOffset, array.data.byteLength));
  }
  return hash.digest('hex');
}
