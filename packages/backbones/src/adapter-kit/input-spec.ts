import type { AuxName, InputSpec } from '../contract';

/** The image and sequence sizes every adapter configuration carries. */
export interface InputSizes {
  readonly views: number;
  readonly imageSize: number;
  readonly channels: number;
  readonly maxSeqLength: number;
}

/** An adapter's {@link InputSpec}: its configuration's sizes and the auxiliary inputs it reads. */
export function inputSpecOf(sizes: InputSizes, aux: readonly AuxName[], inferAux: readonly AuxName[] = []): InputSpec {
  return { views: sizes.views, imageSize: sizes.imageSize, channels: sizes.channels, maxSeqLength: sizes.maxSeqLength, aux, inferAux };
}
