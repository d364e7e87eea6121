import type { ParameterStore } from '../params/parameter-store';
import { DenseNetExtractor } from './densenet-extractor';
import { ResNetExtractor } from './resnet-extractor';
import type { VisualExtractor } from './visual-extractor';
import { ViTEncoder } from './vit-encoder';

/** JSON description of a visual extractor (the §5 stand-ins for ResNet-101, DenseNet-121, ViT/Swin). */
export type VisualConfig =
  | { readonly kind: 'resnet'; readonly channels: readonly number[] }
  | { readonly kind: 'densenet'; readonly stem: number; readonly blocks: readonly number[]; readonly growth: number }
  | { readonly kind: 'vit'; readonly patch: number; readonly d: number; readonly heads: number; readonly layers: number; readonly dFF: number };

/** Builds the extractor a {@link VisualConfig} describes, under `prefix`. */
export function createVisualExtractor(
  store: ParameterStore,
  prefix: string,
  config: VisualConfig,
  input: { readonly channels: number; readonly imageSize: number; readonly dropout: number },
): VisualExtractor {
  switch (config.kind) {
    case 'resnet':
      return new ResNetExtractor(store, prefix, { inChannels: input.channels, channels: config.channels });
    case 'densenet':
      return new DenseNetExtractor(store, prefix, { inChannels: input.channels, stem: config.stem, blocks: config.blocks, growth: config.growth });
    case 'vit':
      return new ViTEncoder(store, prefix, {
        inChannels: input.channels, imageSize: input.imageSize, patch: config.patch, d: config.d,
        heads: config.heads, layers: config.layers, dFF: config.dFF, dropout: input.dropout,
      });
  }
}
