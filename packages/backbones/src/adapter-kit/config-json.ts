import type { BackboneConfig, JsonValue } from '../contract';

/**
 * A resolved adapter configuration as a fresh JSON object: nothing is shared with the adapter's
 * own copy, so a caller may edit the result and hand it back to the factory.
 */
export function configToJson(config: object): BackboneConfig {
  return JSON.parse(JSON.stringify(config)) as { [key: string]: JsonValue };
}
