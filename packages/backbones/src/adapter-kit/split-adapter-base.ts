import * as tf from '@tensorflow/tfjs-core';
import type { ForwardResult, StepContext, TrainBatch } from '../contract';
import { AdapterBase, type StoredModel } from './adapter-base';

/**
 * An {@link AdapterBase} whose tasks all branch from one shared representation h: it implements
 * `encodeShared` and `lossesFromShared`, and `forward` is their composition, so the fast path and
 * the full pass cannot drift apart.
 */
export abstract class SplitAdapterBase<C extends { readonly vocab: readonly string[] }, M extends StoredModel> extends AdapterBase<C, M> {
  abstract encodeShared(batch: TrainBatch, ctx: StepContext): tf.Tensor;

  abstract lossesFromShared(h: tf.Tensor, batch: TrainBatch, ctx: StepContext, only?: readonly string[]): Record<string, tf.Scalar>;

  // `only` is checked before any tensor work, as every adapter's forward does.
  forward(batch: TrainBatch, ctx: StepContext, only?: readonly string[]): ForwardResult {
    this.selected(only);
    return { losses: tf.tidy(() => this.lossesFromShared(this.encodeShared(batch, ctx), batch, ctx, only)) };
  }
}
