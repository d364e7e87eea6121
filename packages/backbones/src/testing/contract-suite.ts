import { afterAll, beforeAll, describe, it } from 'vitest';
import type { PlainBatch } from '../batch/plain-batch';
import { disposeBatch, toTrainBatch } from '../batch/to-train-batch';
import type { BackboneAdapter, BackboneConfig, Corpus, CorpusStudy, TrainBatch } from '../contract';
import { CONTRACT_CHECKS } from './contract-checks';
import { syntheticBatch } from './synthetic-batch';

/** Options of {@link describeBackboneContract}. */
export interface BackboneContractOptions {
  /** Suite title; default the adapter's name. */
  readonly name?: string;
  /** Builds a plain batch for an adapter; default {@link syntheticBatch}. */
  readonly makeBatch?: (adapter: BackboneAdapter, batchSize: number, seed: number) => PlainBatch;
  /** Studies per batch (default 2; batch-level losses need at least 2). */
  readonly batchSize?: number;
  /** Measured optimizer steps of the leak test after one warm-up step (default 1: the tensor count must not move at all, so one step shows a per-step leak). */
  readonly steps?: number;
  /** `maxLen` of the generation checks (default 6). */
  readonly maxLen?: number;
  /**
   * Training corpus handed to `prepare` of every adapter the suite builds; default the studies of
   * the suite's batch (reports decoded from its ids).
   */
  readonly corpus?: Corpus;
}

/** The studies of a plain batch as the host sees them: decoded reports and label codes. */
export function studiesOf(adapter: BackboneAdapter, plain: PlainBatch): CorpusStudy[] {
  const ids = plain.reportIds;
  if (ids === undefined) return [];
  const [b = 0, t = 0] = ids.shape;
  const labels = plain.aux?.labels14?.data;
  return Array.from({ length: b }, (_, i) => {
    const row = Array.from(ids.data.subarray(i * t + 1, (i + 1) * t));
    const study = { id: `study-${i}`, report: adapter.tokenizer.decode(row) };
    return labels instanceof Int8Array ? { ...study, labels14: labels.slice(i * 14, (i + 1) * 14) } : study;
  });
}

/**
 * Builds an adapter; called with no argument for a default one and with a configuration returned
 * by `getConfig()` to rebuild it. The factory must honour the configuration it is given.
 */
export type ContractFactory = (config?: BackboneConfig) => BackboneAdapter;

/**
 * The backbone contract suite (`specs/backbones.md` §6) as vitest tests. Every adapter, in this
 * repository or outside it, calls it from its test file:
 *
 * ```ts
 * describeBackboneContract((config) => createBackbone('r2gen', config ?? tiny));
 * ```
 *
 * It checks: metadata (v1, `lm` first, disjoint variable sets covering every variable, param
 * groups); one finite scalar loss per task; `only` equals the full pass; gradients reach only the
 * declared variables; the same seed gives the same losses; only `commitState` mutates; no tensor
 * leaks over optimizer steps; `generate` returns one string per study within `maxLen`; the
 * configuration round-trips; the representation split (when present) equals `forward`. Adapters
 * with `prepare` are prepared on `options.corpus` (default: the batch's studies) and `hostAux`
 * is merged into the batch, as the CLI does.
 */
export function describeBackboneContract(factory: ContractFactory, options: BackboneContractOptions = {}): void {
  const batchSize = options.batchSize ?? 2;
  const maxLen = options.maxLen ?? 6;
  const makeBatch = options.makeBatch ?? syntheticBatch;
  const steps = options.steps ?? 1;

  describe(`backbone contract: ${options.name ?? 'adapter'}`, () => {
    let adapter: BackboneAdapter;
    let batch: TrainBatch;

    let corpus: Corpus | undefined = options.corpus;
    // Every adapter the checks build is prepared on the same corpus, as the host would.
    const prepared: ContractFactory = (config) => {
      const made = factory(config);
      if (corpus !== undefined) made.prepare?.(corpus);
      return made;
    };

    beforeAll(() => {
      adapter = factory();
      const plain = makeBatch(adapter, batchSize, 17);
      const studies = studiesOf(adapter, plain);
      corpus ??= { train: studies };
      adapter.prepare?.(corpus);
      const hostAux = adapter.hostAux?.(studies);
      batch = toTrainBatch(hostAux === undefined ? plain : { ...plain, aux: { ...plain.aux, ...hostAux } });
    });
    afterAll(() => {
      disposeBatch(batch);
      adapter.dispose();
    });

    for (const check of CONTRACT_CHECKS) {
      it(check.title, () => check.run({ adapter, batch, factory: prepared, batchSize, maxLen, steps }));
    }
  });
}
