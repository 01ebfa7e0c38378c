/**
 * Calling TensorRT's C++ objects through their vtables.
 *
 * Every pointer TensorRT returns is a wrapper: offset 0 its own vptr (slot 1:
 * deleting destructor), offset 8 the implementation object whose vtable the
 * ABI table's slots index. A method call reads the implementation's vptr,
 * takes the function pointer at `slot`, and calls it with the implementation
 * pointer as `this`.
 *
 * Costs are paid once: a koffi prototype per (table, class, method), and a
 * decoded function per (vtable address, method). Keying functions by the
 * vtable address rather than the object is exact (the slot contents are a
 * property of the vtable) and shares them between all objects of a class.
 */
import koffi from "koffi";
import type { TypeObject } from "koffi";
import type { AbiMethod, AbiTable } from "../abi/tables.generated.js";
import { RuntimeUnavailableError } from "../errors/index.js";
import { readPointer } from "../device/native-memory.js";
import { callPrototype, POINTER } from "./koffi-types.js";
import { formatVersion, hasSince } from "./version.js";
import type { LibraryVersion } from "./version.js";

/** Implementation classes the runtime calls. */
export type ImplClassName = keyof AbiTable["implClasses"];
/** Method names of one implementation class (the union over every supported major). */
export type MethodName<C extends ImplClassName> = keyof AbiTable["implClasses"][C]["methods"] & string;

/** A decoded native function: `this` first, then the method's parameters. */
export type NativeFunction = ((...args: unknown[]) => unknown) & {
  async: (...args: unknown[]) => void;
};

const prototypes = new Map<string, TypeObject>();
const functions = new Map<number, Map<string, NativeFunction>>();
const destructorPrototype = koffi.proto("void", [POINTER]);

/** The implementation object behind a wrapper pointer TensorRT returned. */
export function implOf(table: AbiTable, wrapper: number): number {
  return readPointer(wrapper + table.implPointerOffset);
}

/** Frees a wrapper TensorRT returned by calling its own deleting destructor (which frees the implementation too). */
export function destroyWrapper(table: AbiTable, wrapper: number): void {
  if (wrapper === 0) return;
  const vptr = readPointer(wrapper);
  const fn = readPointer(vptr + 8 * table.deletingDestructorSlot);
  koffi.call(fn, destructorPrototype, wrapper);
}

/** Resolves the methods of one class for one loaded library (one table, one version). */
export class ClassBinding<C extends ImplClassName> {
  readonly className: C;
  private readonly table: AbiTable;
  private readonly version: LibraryVersion;

  constructor(table: AbiTable, version: LibraryVersion, className: C) {
    this.table = table;
    this.version = version;
    this.className = className;
  }

  /** The ABI entry of a method, or undefined when this major has no such method. */
  describe(name: MethodName<C>): AbiMethod | undefined {
    const methods = this.table.implClasses[this.className].methods as Record<string, AbiMethod | undefined>;
    return methods[name];
  }

  /** True when the loaded library has the method (it is in the table and `since` is not newer than the library). */
  has(name: MethodName<C>): boolean {
    const m = this.describe(name);
    return m !== undefined && hasSince(this.version, m.since);
  }

  /**
   * The native function for `name` on the object `impl` (an implementation
   * pointer, see implOf). Throws RuntimeUnavailableError when the loaded
   * TensorRT is too old for the method: calling a slot past the end of an
   * older vtable would jump to garbage.
   */
  method(impl: number, name: MethodName<C>): NativeFunction {
    const m = this.describe(name);
    if (m === undefined || !hasSince(this.version, m.since)) throw this.missing(name, m);
    const vtable = readPointer(impl);
    let byName = functions.get(vtable);
    if (!byName) functions.set(vtable, (byName = new Map()));
    const key = `${this.table.major}:${this.className}.${name}`;
    let fn = byName.get(key);
    if (!fn) {
      let proto = prototypes.get(key);
      if (!proto) prototypes.set(key, (proto = callPrototype(m)));
      fn = koffi.decode(readPointer(vtable + 8 * m.slot), proto) as NativeFunction;
      byName.set(key, fn);
    }
    return fn;
  }

  private missing(name: string, m: AbiMethod | undefined): RuntimeUnavailableError {
    const lib = `TensorRT ${formatVersion(this.version)}`;
    return new RuntimeUnavailableError({
      component: "tensorrt",
      expected: m ? `TensorRT ${m.since} or newer for ${this.className}::${name}` : `${this.className}::${name}`,
      reason: m ? `the loaded library is ${lib}` : `${lib}'s ABI has no ${this.className}::${name}`,
      fix: "Upgrade TensorRT, or avoid the feature that needs this method.",
    });
  }
}
