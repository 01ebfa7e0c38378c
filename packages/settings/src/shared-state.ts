/**
 * Process-wide state, shared by every copy of this package loaded in the
 * process.
 *
 * An application can easily load this package twice (the ESM build through one
 * dependency, the CJS build through another). "Warn once per process", "one
 * exit hook", "one in-memory cache per implicit cache file" and "scopes on one
 * module nest" must still hold then, so the state lives on `globalThis` under a
 * registered symbol instead of in module variables. It is created on first use,
 * so merely importing the package changes nothing.
 * @module
 */
/**
 * The fields of the process-wide record (layout v1). Every copy of the package
 * creates all of them, so an older copy that finds the record made by a newer
 * one finds every field it reads. Each field is typed by the module that owns
 * it, which reads the record through {@link sharedFields}: this module depends
 * on none of them.
 */
const V1_FIELDS = (): Record<string, unknown> => ({
  warned: new Set<string>(), // warnings.ts
  warningHandler: null, // warnings.ts
  scopeStacks: new WeakMap<object, unknown[]>(), // scope-stack.ts
  implicitCaches: new Map<string, unknown>(), // implicit-caches.ts
  exitHookInstalled: false, // implicit-caches.ts
  asyncSaves: new Map<string, number>(), // file-lock.ts
  // tempWriter (temp-files.ts) is made on first use: copies from before it existed do not create it.
});

// Versioned so that a future, incompatible layout never reads this one.
const STATE_KEY = Symbol.for("@trt/settings:shared-state:v1");

/** The process-wide record, created on first call. */
function sharedRecord(): Record<string, unknown> {
  const holder = globalThis as unknown as Record<symbol, Record<string, unknown> | undefined>;
  let state = holder[STATE_KEY];
  if (state === undefined) {
    state = V1_FIELDS();
    Object.defineProperty(globalThis, STATE_KEY, { value: state, enumerable: false, configurable: false, writable: false });
  }
  return state;
}

/**
 * The process-wide record seen through the fields `Fields` that the calling
 * module owns and declares (each module names only its own fields).
 */
export function sharedFields<Fields extends object>(): Fields {
  return sharedRecord() as unknown as Fields;
}
