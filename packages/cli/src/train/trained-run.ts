import { existsSync } from 'node:fs';
import type { BackendRequest } from '@came-grad/backbones';
import { CliError } from '../cli-error';
import { readCheckpoint, readRunConfig, restoreModel, runPath } from './run-files';
import { openSession } from './session';
import type { Session } from './session';
import type { RunConfig } from './train';

/** Which weights of a run to load. */
export type WeightsChoice = 'best' | 'last';

/**
 * Reopens a trained run: the same backbone, vocabulary and data, with the weights of `best.bin`
 * (validation CE-F1 selection) or, when the run has none or `last` is asked for, `checkpoint.bin`.
 */
export async function openTrainedRun(
  runDir: string,
  options: { backend: BackendRequest; weights: WeightsChoice; dataDir?: string; onNotice?: (line: string) => void },
): Promise<{ session: Session; config: RunConfig; weightsFile: string }> {
  const config = readRunConfig<RunConfig>(runDir);
  const best = runPath(runDir, 'best');
  const last = runPath(runDir, 'checkpoint');
  const weightsFile = options.weights === 'best' && existsSync(best) ? best : last;
  if (!existsSync(weightsFile)) throw new CliError(`${runDir} has no weights yet (${weightsFile} is missing): the run has not reached its first checkpoint`);
  const spec = options.dataDir === undefined ? config.options : { ...config.options, dataDir: options.dataDir };
  const session = await openSession(spec, {
    backend: options.backend,
    tokens: config.tokens,
    outDir: runDir,
    ...(options.onNotice === undefined ? {} : { onNotice: options.onNotice }),
  });
  try {
    restoreModel(session.adapter, readCheckpoint(weightsFile).arrays, weightsFile);
  } catch (error) {
    session.dispose();
    throw error;
  }
  return { session, config, weightsFile };
}
