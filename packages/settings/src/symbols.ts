/**
 * `Symbol.dispose` and `Symbol.asyncDispose`, guaranteed to exist.
 *
 * Node 20.4+ already defines both as `Symbol.for("nodejs.dispose")` and
 * `Symbol.for("nodejs.asyncDispose")`. Older runtimes (and some embedders) do
 * not, and then `using` compiled by TypeScript or esbuild would look for a
 * method under a symbol nothing defines. Defining the same registered symbols
 * Node uses keeps every copy of this package, Node itself and user code in
 * agreement; where they already exist nothing is touched.
 *
 * The symbols are exported (rather than installed by a bare side-effect import)
 * so that bundlers honouring `"sideEffects": false` keep this module whenever a
 * disposable is used.
 * @module
 */

function ensureSymbol(name: "dispose" | "asyncDispose"): symbol {
  const holder = Symbol as unknown as Record<string, symbol | undefined>;
  const existing = holder[name];
  if (typeof existing === "symbol") return existing;
  const created = Symbol.for(`nodejs.${name}`);
  // Same attributes as Node's own definition: a well-known symbol never changes.
  Object.defineProperty(Symbol, name, { value: created, writable: false, enumerable: false, configurable: false });
  return created;
}

/** `Symbol.dispose`, defined if the runtime lacks it. Key of a scope's synchronous cleanup. */
export const disposeSymbol: typeof Symbol.dispose = ensureSymbol("dispose") as typeof Symbol.dispose;

/** `Symbol.asyncDispose`, defined if the runtime lacks it. Key of a scope's asynchronous cleanup. */
export const asyncDisposeSymbol: typeof Symbol.asyncDispose = ensureSymbol("asyncDispose") as typeof Symbol.asyncDispose;
