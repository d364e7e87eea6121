import { join } from 'node:path';
import { createBackbone, selectBackend } from '@came-grad/backbones';
import type { BackboneAdapter, BackboneConfig, BackendRequest, BackendSelection } from '@came-grad/backbones';
import { loadR2GenDataset } from '@came-grad/datasets';
import type { DatasetKind, R2GenDataset } from '@came-grad/datasets';
import { WordTokenizer } from '@came-grad/metrics';
import { CliError } from '../cli-error';
import { MODEL_SIZES } from './model-sizes';
import type { ModelSize } from './model-sizes';

/** What a run is made of; stored in `run.json` so `eval`, `generate` and `--resume` rebuild it. */
export interface RunSpec {
  readonly backbone: string;
  /** Preset of the common size keys (`tiny` for tests, `small` for the bench). */
  readonly size: ModelSize;
  /** Extra backbone configuration (JSON), applied over the size preset. */
  readonly backboneOverrides: BackboneConfig;
  readonly dataDir: string;
  readonly dataset: DatasetKind;
  readonly seed: number;
}

/** The resolved pieces of a run. */
export interface Session {
  readonly backend: BackendSelection;
  readonly dataset: R2GenDataset;
  readonly adapter: BackboneAdapter;
  /** The complete backbone configuration (vocabulary included). */
  readonly backboneConfig: BackboneConfig;
  dispose(): void;
}

/**
 * Selects the backend, loads the dataset (vocabulary from its train split, or `tokens` when a
 * run is being resumed or evaluated) and builds the backbone with the dataset's input layout.
 */
export async function openSession(
  spec: RunSpec,
  options: { backend: BackendRequest; tokens?: readonly string[]; outDir?: string; onNotice?: (line: string) => void },
): Promise<Session> {
  const backend = await selectBackend(options.backend).catch((error: unknown) => {
    throw new CliError(`--backend ${options.backend}: ${(error as Error).message}`);
  });
  if (backend.skipped.length > 0) options.onNotice?.(`backend: ${backend.reason}`);
  const size = MODEL_SIZES[spec.size];
  const overrides = spec.backboneOverrides;
  const imageSize = numberKey(overrides, 'imageSize') ?? size.imageSize;
  const channels = (numberKey(overrides, 'channels') ?? size.channels) as 1 | 3;
  const maxSeqLength = numberKey(overrides, 'maxSeqLength');
  const dataset = await loadR2GenDataset({
    annotationPath: join(spec.dataDir, 'annotation.json'),
    imageDir: join(spec.dataDir, 'images'),
    kind: spec.dataset,
    imageSize,
    channels,
    ...(maxSeqLength === undefined ? {} : { maxSeqLength }),
    ...(options.outDir === undefined ? {} : { labelCacheDir: join(options.outDir, 'cache') }),
    ...(options.tokens === undefined ? {} : { tokenizer: WordTokenizer.fromTokens(options.tokens, cleanerOf(spec.dataset)) }),
  });
  const backboneConfig: BackboneConfig = {
    ...size.backbone,
    imageSize,
    channels,
    views: dataset.views,
    maxSeqLength: dataset.maxSeqLength,
    seed: spec.seed,
    ...overrides,
    vocab: [...dataset.tokenizer.tokens],
  };
  const adapter = createBackbone(spec.backbone, backboneConfig);
  const input = adapter.inputSpec;
  if (input.imageSize !== imageSize || input.channels !== channels || input.views > dataset.views) {
    adapter.dispose();
    throw new CliError(
      `backbone ${spec.backbone} expects ${input.views} view(s) of ${input.imageSize} px × ${input.channels} channel(s); ` +
        `the ${spec.dataset} data at ${spec.dataDir} gives ${dataset.views} view(s) of ${imageSize} px × ${channels}`,
    );
  }
  if (adapter.prepare !== undefined) {
    const labels = dataset.labels('train');
    adapter.prepare({
      train: dataset.records('train').map((record, i) => ({
        id: record.id,
        report: record.report,
        ...(labels === undefined ? {} : { labels14: labels.slice(i * 14, i * 14 + 14) }),
      })),
    });
  }
  return { backend, dataset, adapter, backboneConfig: adapter.getConfig(), dispose: () => adapter.dispose() };
}

function numberKey(config: BackboneConfig, key: string): number | undefined {
  const value = config[key];
  return typeof value === 'number' ? value : undefined;
}

function cleanerOf(kind: DatasetKind): 'iu_xray' | 'mimic_cxr' {
  return kind === 'mimic_cxr' ? 'mimic_cxr' : 'iu_xray';
}
