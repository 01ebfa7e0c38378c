// A stand-in for TensorRTModule: just enough to observe what the helpers do.
import { RuntimeSettings, type RuntimeCapabilities, type SettingsTarget } from "../../src/index.js";
import { CacheOwner } from "../../src/advanced.js";

export interface FakeModuleOptions {
  settings?: RuntimeSettings;
  capabilities?: RuntimeCapabilities;
  /** Make the setter throw, to test rollback and restore paths. */
  failOnSet?: boolean;
}

export class FakeModule implements SettingsTarget {
  #settings: RuntimeSettings;
  /** Every call of the setter, changed value or not. */
  setterCalls = 0;
  /** How often the module rebuilt its execution context: only when the value really changed. */
  contextRecreations = 0;
  failOnSet: boolean;
  readonly runtimeCapabilities: RuntimeCapabilities | undefined;
  readonly cacheOwner = new CacheOwner();

  constructor(options: FakeModuleOptions = {}) {
    this.#settings = options.settings ?? RuntimeSettings.DEFAULT;
    this.runtimeCapabilities = options.capabilities;
    this.failOnSet = options.failOnSet ?? false;
    this.cacheOwner.adopt(this.#settings);
  }

  get runtimeSettings(): RuntimeSettings {
    return this.#settings;
  }

  set runtimeSettings(value: RuntimeSettings) {
    this.setterCalls++;
    if (this.failOnSet) throw new Error("setter failed");
    // The real module makes the same check; the helpers must not rely on it.
    if (value.equals(this.#settings)) return;
    this.#settings = value;
    this.cacheOwner.adopt(value);
    this.contextRecreations++;
  }

  /** What TensorRT-RTX does during inference: grow the runtime cache. */
  run(bytes: Uint8Array = Uint8Array.of(1, 2, 3)): void {
    this.cacheOwner.cache?.update(bytes);
  }

  release(): void {
    this.cacheOwner.release();
  }
}

export const RTX: RuntimeCapabilities = { kernelSpecialization: true, runtimeCache: true };
