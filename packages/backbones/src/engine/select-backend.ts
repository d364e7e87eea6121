import { backend, engine, findBackend, getBackend, ready, setBackend } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { installCpuKernelPack } from './cpu-kernel-pack.js';
import { installWasmKernelPack } from './kernel-pack.js';
import type { InstalledWasmKernelPack } from './kernel-pack.js';

/** What the user asks for: a named backend, or `auto` for the fastest one that loads. */
export type BackendRequest = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** The candidates `auto` tries, fastest first. */
export type BackendCandidate = Exclude<BackendRequest, 'auto'>;

/** Imports the package behind a candidate (which registers its backend with tfjs as a side effect). */
export type BackendLoader = () => Promise<unknown>;

/** Options of `selectBackend`. */
export interface SelectBackendOptions {
  /** Replace the package imports (tests inject failing or fake loaders here). */
  readonly loaders?: Partial<Record<BackendCandidate, BackendLoader>>;
  /** Receives one line per candidate that was skipped, e.g. to print it. Default: ignore. */
  readonly onNotice?: (line: string) => void;
  /**
   * Install the kernel pack of the chosen backend: `installWasmKernelPack` on wasm, `installCpuKernelPack`
   * (fast convolution gradients) on cpu. Default `true`.
   */
  readonly kernelPack?: boolean;
}

/** The outcome of `selectBackend`. */
export interface BackendSelection {
  readonly requested: BackendRequest;
  /** The candidate that is active. */
  readonly candidate: BackendCandidate;
  /** The tfjs backend name now active (`tensorflow`, `wasm` or `cpu`). */
  readonly backend: string;
  /** The npm package that provides it. */
  readonly packageName: string;
  /** One sentence: why this backend is active. */
  readonly reason: string;
  /** One line per candidate tried before it, with the reason it was skipped. */
  readonly skipped: readonly string[];
  /** The wasm or cpu kernel pack, when one was installed. */
  readonly kernelPack?: InstalledWasmKernelPack;
}

/** The npm package and tfjs backend name of each candidate. */
export const BACKEND_CANDIDATES: Readonly<Record<BackendCandidate, { packageName: string; backendName: string }>> =
  Object.freeze({
    'tensorflow-gpu': { packageName: '@tensorflow/tfjs-node-gpu', backendName: 'tensorflow' },
    tensorflow: { packageName: '@tensorflow/tfjs-node', backendName: 'tensorflow' },
    wasm: { packageName: '@tensorflow/tfjs-backend-wasm', backendName: 'wasm' },
    cpu: { packageName: '@tensorflow/tfjs-backend-cpu', backendName: 'cpu' },
  });

const AUTO_ORDER: readonly BackendCandidate[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
const REQUESTS: readonly BackendRequest[] = ['auto', ...AUTO_ORDER];

// A computed specifier keeps bundlers and TypeScript from resolving packages that are absent by design
// (the native bindings are not dependencies: their install scripts download libtensorflow).
const importByName = (name: string): Promise<unknown> => import(/* @vite-ignore */ name);

/**
 * Makes a TensorFlow.js backend active and says which one and why. `auto` tries
 * `@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node` (used only if the user installed them),
 * then `@tensorflow/tfjs-backend-wasm` with the kernel pack, then `cpu`; each failure is reported
 * through `onNotice` as one line. A named backend that fails to load throws, naming the package.
 */
export async function selectBackend(
  request: BackendRequest = 'auto',
  options: SelectBackendOptions = {},
): Promise<BackendSelection> {
  if (!REQUESTS.includes(request)) {
    throw new Error(`\`backend\` should be one of ${REQUESTS.join(', ')}. Found '${String(request)}'.`);
  }
  const order = request === 'auto' ? AUTO_ORDER : [request];
  const skipped: string[] = [];
  for (const candidate of order) {
    const { packageName, backendName } = BACKEND_CANDIDATES[candidate];
    const failure = await tryActivate(candidate, options.loaders?.[candidate]);
    if (failure !== undefined) {
      const line = `backend ${candidate}: ${packageName} unavailable (${failure}); trying the next one`;
      if (request !== 'auto') {
        throw new Error(`\`backend\` '${candidate}' should load from ${packageName}. It did not: ${failure}.`);
      }
      skipped.push(line);
      options.onNotice?.(line);
      continue;
    }
    const pack = options.kernelPack !== false;
    const kernelPack = backendName === 'wasm' && pack ? installWasmKernelPack() : backendName === 'cpu' && pack ? installCpuKernelPack() : undefined;
    if (backendName === 'cpu') quietCpuBanner();
    const reason =
      request === 'auto'
        ? `auto: ${packageName} is the first candidate that loaded${skipped.length > 0 ? ` (${skipped.length} skipped)` : ''}`
        : `requested explicitly (${packageName})`;
    return {
      requested: request,
      candidate,
      backend: getBackend(),
      packageName,
      reason,
      skipped,
      ...(kernelPack === undefined ? {} : { kernelPack }),
    };
  }
  throw new Error('`backend` auto should find at least the cpu backend. None loaded.');
}

/** Loads and activates one candidate; returns why it failed, or undefined when it is active. */
async function tryActivate(candidate: BackendCandidate, loader: BackendLoader | undefined): Promise<string | undefined> {
  const { packageName, backendName } = BACKEND_CANDIDATES[candidate];
  try {
    await (loader ?? (() => importByName(packageName)))();
  } catch (error) {
    return firstLine(error);
  }
  if (engine().registryFactory[backendName] === undefined && findBackend(backendName) === null) {
    return `loading it registered no '${backendName}' backend`;
  }
  try {
    const ok = await setBackend(backendName);
    if (!ok) return `the '${backendName}' backend failed to initialise`;
    await ready();
  } catch (error) {
    return firstLine(error);
  }
  return undefined;
}

/**
 * tfjs-backend-cpu prints a multi-line "install our node backend" banner on its first tensor in
 * Node. Here the cpu backend is a choice already explained (requested, or `auto`'s notices say why
 * the faster ones were skipped), so the banner only pollutes the output: its one-shot flag is
 * cleared before any tensor is written.
 */
function quietCpuBanner(): void {
  const active = backend() as { firstUse?: unknown };
  if (typeof active.firstUse === 'boolean') active.firstUse = false;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
