import { InvalidOptionError, UnknownIdError } from '@came-grad/optim-core';
import type { BackboneAdapter, BackboneConfig, BackboneFactory } from './contract';
import { createR2Gen, R2GEN_DEFAULTS, type R2GenConfig } from './r2gen/adapter';
import { createWcl, WCL_DEFAULTS, type WclConfig } from './wcl/adapter';
import { createXProNet, XPRONET_DEFAULTS, type XProNetConfig } from './xpronet/adapter';
import { createDcl, DCL_DEFAULTS, type DclConfig } from './dcl/adapter';
import { createPromptMRG, PROMPTMRG_DEFAULTS, type PromptMRGConfig } from './promptmrg/adapter';
import { createCamanet, CAMANET_DEFAULTS, type CamanetConfig } from './camanet/adapter';
import { createDDaTR, DDATR_DEFAULTS, type DDaTRConfig } from './ddatr/adapter';
import { createTgrg, TGRG_DEFAULTS, type TgrgConfig } from './tgrg/adapter';
import { createRevtaf, REVTAF_DEFAULTS, type RevtafConfig } from './revtaf/adapter';

// One line per backbone, R2Gen first and then the paper's order. Configurations are validated by each factory.
const BUILT_IN: Readonly<Record<string, BackboneFactory>> = Object.freeze({
  r2gen: (config: BackboneConfig) => createR2Gen(config as unknown as Partial<R2GenConfig> & { vocab: readonly string[] }),
  wcl: (config: BackboneConfig) => createWcl(config as unknown as Partial<WclConfig> & { vocab: readonly string[] }),
  xpronet: (config: BackboneConfig) => createXProNet(config as unknown as Partial<XProNetConfig> & { vocab: readonly string[] }),
  dcl: (config: BackboneConfig) => createDcl(config as unknown as Partial<DclConfig> & { vocab: readonly string[] }),
  promptmrg: (config: BackboneConfig) => createPromptMRG(config as unknown as Partial<PromptMRGConfig> & { vocab: readonly string[] }),
  camanet: (config: BackboneConfig) => createCamanet(config as unknown as Partial<CamanetConfig> & { vocab: readonly string[] }),
  ddatr: (config: BackboneConfig) => createDDaTR(config as unknown as Partial<DDaTRConfig> & { vocab: readonly string[] }),
  tgrg: (config: BackboneConfig) => createTgrg(config as unknown as Partial<TgrgConfig> & { vocab: readonly string[] }),
  revtaf: (config: BackboneConfig) => createRevtaf(config as unknown as Partial<RevtafConfig> & { vocab: readonly string[] }),
});

/**
 * The default configuration of each built-in backbone (every key but `vocab`). The bench hashes it
 * into its run ids, so that results made before a default changed are not taken for current ones.
 */
export const BACKBONE_DEFAULTS: Readonly<Record<string, Readonly<object>>> = Object.freeze({
  r2gen: R2GEN_DEFAULTS,
  wcl: WCL_DEFAULTS,
  xpronet: XPRONET_DEFAULTS,
  dcl: DCL_DEFAULTS,
  promptmrg: PROMPTMRG_DEFAULTS,
  camanet: CAMANET_DEFAULTS,
  ddatr: DDATR_DEFAULTS,
  tgrg: TGRG_DEFAULTS,
  revtaf: REVTAF_DEFAULTS,
});

/** Ids of the built-in backbones, in registry order. */
export const BACKBONE_IDS: readonly string[] = Object.freeze(Object.keys(BUILT_IN));

/** A set of backbone factories by id. */
export interface BackboneRegistry {
  /** Registered ids, built-ins first. */
  readonly ids: readonly string[];
  /** Builds the backbone `id` from a JSON configuration object. @throws UnknownIdError for an unknown id */
  create(id: string, config: object): BackboneAdapter;
}

/**
 * A registry of the built-in backbones plus `extra` ones (adapters outside this package, the
 * example adapter of the tests). It is a value, not global state: nothing is registered on import.
 *
 * @throws InvalidOptionError when an `extra` id is a built-in id or not lower-kebab-case
 */
export function createBackboneRegistry(extra: Readonly<Record<string, BackboneFactory>> = {}): BackboneRegistry {
  for (const id of Object.keys(extra)) {
    if (Object.hasOwn(BUILT_IN, id)) throw new InvalidOptionError(`extra.${id}`, `an id other than the built-in ones (${BACKBONE_IDS.join(', ')})`, id);
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) throw new InvalidOptionError(`extra.${id}`, 'a lower-kebab-case id', id);
  }
  const factories: Readonly<Record<string, BackboneFactory>> = Object.freeze({ ...BUILT_IN, ...extra });
  const ids = Object.freeze(Object.keys(factories));
  return {
    ids,
    create(id: string, config: object): BackboneAdapter {
      const factory = Object.hasOwn(factories, id) ? factories[id] : undefined;
      if (factory === undefined) throw new UnknownIdError('backbone', id, ids);
      // Each factory validates its options; the object is read as JSON.
      return factory(config as BackboneConfig);
    },
  };
}

/**
 * Builds a built-in backbone by id (`'r2gen'`) from a JSON configuration; `adapter.getConfig()`
 * of the result rebuilds the same adapter.
 *
 * @throws UnknownIdError for an id not in {@link BACKBONE_IDS}
 */
export function createBackbone(id: string, config: object): BackboneAdapter {
  return createBackboneRegistry().create(id, config);
}
