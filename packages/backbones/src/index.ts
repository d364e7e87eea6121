export type {
  TaskKind, TaskSpec, StepContext, AuxInputs, AuxName, TrainBatch, InferBatch, ForwardResult, GenerateOptions, Corpus, CorpusStudy,
  GenerateResult, ValStats, ParamGroup, NamedParameter, Tokenizer, InputSpec, JsonValue, BackboneConfig,
  BackboneAdapter, BackboneFactory,
} from './contract';
export type { PlainTensor, PlainAuxInputs, PlainBatch, ToTrainBatchOptions } from './batch/plain-batch';
export { toTrainBatch, toInferBatch, disposeBatch } from './batch/to-train-batch';
export { BACKBONE_DEFAULTS, BACKBONE_IDS, createBackbone, createBackboneRegistry, type BackboneRegistry } from './registry';
export { createR2Gen, R2GEN_DEFAULTS, R2GEN_ID, type R2GenConfig } from './r2gen/adapter';
export { r2genTinyConfig } from './r2gen/tiny-config';
export { createDDaTR, DDATR_DEFAULTS, DDATR_ID, type DDaTRConfig } from './ddatr/adapter';
export { ddatrTinyConfig } from './ddatr/tiny-config';
export { createRevtaf, REVTAF_DEFAULTS, REVTAF_ID, type RevtafConfig } from './revtaf/adapter';
export { revtafTinyConfig } from './revtaf/tiny-config';
export { createWcl, WCL_DEFAULTS, WCL_ID, type WclConfig } from './wcl/adapter';
export { wclTinyConfig } from './wcl/tiny-config';
export { createXProNet, XPRONET_DEFAULTS, XPRONET_ID, type XProNetConfig } from './xpronet/adapter';
export { xpronetTinyConfig } from './xpronet/tiny-config';
export { createCamanet, CAMANET_DEFAULTS, CAMANET_ID, type CamanetConfig } from './camanet/adapter';
export { camanetTinyConfig } from './camanet/tiny-config';
export { createTgrg, TGRG_DEFAULTS, TGRG_ID, type TgrgConfig } from './tgrg/adapter';
export { tgrgTinyConfig } from './tgrg/tiny-config';
export { createPromptMRG, PROMPTMRG_DEFAULTS, PROMPTMRG_ID, type PromptMRGConfig } from './promptmrg/adapter';
export { promptmrgTinyConfig } from './promptmrg/tiny-config';
export { createDcl, DCL_DEFAULTS, DCL_ID, type DclConfig } from './dcl/adapter';
export { dclTinyConfig } from './dcl/tiny-config';
export { WordTokenizer, UNK } from './tokenizer/word-tokenizer';

// Shared building blocks.
export { ParameterStore } from './params/parameter-store';
export { dropout, INFERENCE_SCOPE, type ForwardScope } from './params/forward-scope';
export { deriveSeed, createUniform, createNormal } from './random/seed';
export { initialValues, type Initializer } from './random/initializers';
export { gelu } from './blocks/gelu';
export { layerNormalize, LayerNorm, LAYER_NORM_EPS } from './blocks/layer-norm';
export { maskedSoftmaxCrossEntropy } from './blocks/softmax-cross-entropy';
export { languageModelLoss } from './blocks/language-model-loss';
export { multiLabelBceLoss } from './blocks/multi-label-bce';
export { stopGradient } from './blocks/stop-gradient';
export { Linear, type LinearOptions } from './blocks/linear';
export { MultiHeadAttention, causalMask, keyPaddingMask, MASKED } from './blocks/multi-head-attention';
export { FeedForward, type Activation } from './blocks/feed-forward';
export { WordEmbedding, sinusoidalPositions } from './blocks/word-embedding';
export { TransformerEncoder, type TransformerEncoderOptions } from './blocks/transformer-encoder';
export { TransformerDecoder, type TransformerDecoderOptions } from './blocks/transformer-decoder';
export { RelationalMemory, type RelationalMemoryOptions } from './blocks/relational-memory';
export { ConditionalLayerNorm } from './blocks/conditional-layer-norm';
export { CrossModalMemory, topkMask, type CrossModalMemoryOptions } from './blocks/cross-modal-memory';
export type { VisualExtractor, VisualFeatures } from './blocks/visual-extractor';
export { ResNetExtractor, type ResNetExtractorOptions } from './blocks/resnet-extractor';
export { DenseNetExtractor, type DenseNetExtractorOptions } from './blocks/densenet-extractor';
export { ViTEncoder, type ViTEncoderOptions } from './blocks/vit-encoder';
export { createVisualExtractor, type VisualConfig } from './blocks/create-visual-extractor';
export { beamSearch, type BeamScorer, type BeamSearchOptions, type BeamHypothesis } from './beam/beam-search';
export { blockedByTrigram } from './beam/trigram-block';

// Engine: backend selection and the wasm kernel pack.
export {
  selectBackend,
  BACKEND_CANDIDATES,
  type BackendRequest,
  type BackendCandidate,
  type BackendLoader,
  type BackendSelection,
  type SelectBackendOptions,
} from './engine/select-backend.js';
export {
  installWasmKernelPack,
  WASM_MISSING_KERNELS,
  WASM_REPLACED_KERNELS,
  type WasmKernelPackOptions,
  type InstalledWasmKernelPack,
} from './engine/kernel-pack.js';
export { startReplicaGroup, type ReplicaGroup, type ReplicaGroupOptions, type ReplicaMessage } from './engine/data-parallel/group.js';
export { joinReplicaGroup, type Replica, type ReplicaSpec } from './engine/data-parallel/replica.js';
export { serveReplicaSteps } from './engine/data-parallel/serve.js';
export { ADAM_DEFAULTS, type AdamHyper } from './engine/data-parallel/shared-adam.js';
export { installCpuKernelPack, CPU_REPLACED_KERNELS } from './engine/cpu-kernel-pack.js';
export { startTaskReplica, type TaskReplica, type TaskReplicaOptions } from './engine/task-parallel/task-replica.js';
export { serveTaskReplica } from './engine/task-parallel/serve-task-replica.js';
