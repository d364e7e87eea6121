import { backend_util } from '@tensorflow/tfjs-core';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';

/**
 * The convolution geometry of a conv-gradient kernel call (NHWC only, the layout every model here
 * uses), with the batch and channel counts under short names.
 */
export function convGeometry(
  inputShape: readonly number[],
  filterShape: [number, number, number, number],
  attrs: NamedAttrMap,
  kernel: string,
): backend_util.Conv2DInfo & { batch: number } {
  const dataFormat = (attrs['dataFormat'] as string | undefined) ?? 'NHWC';
  if (dataFormat !== 'NHWC') {
    throw new Error(`\`${kernel}.dataFormat\` should be 'NHWC' on the wasm kernel pack. Found '${dataFormat}'.`);
  }
  const info = backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filterShape,
    attrs['strides'] as number | [number, number],
    1,
    attrs['pad'] as Parameters<typeof backend_util.computeConv2DInfo>[4],
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
    false,
    'channelsLast',
  );
  return Object.assign(info, { batch: info.batchSize });
}
