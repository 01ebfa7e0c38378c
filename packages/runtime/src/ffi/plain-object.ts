/**
 * Calling objects TensorRT hands out as they are, without the wrapper /
 * implementation split of ./vtable.ts: the plugin registry (and the creators
 * in it). Their vtables are the complete layouts of the ABI table's
 * `pluginInterfaces`; a call reads the object's own vptr and calls the slot
 * with the object as `this`.
 */
import koffi from "koffi";
import type { TypeObject } from "koffi";
import type { AbiMethod, AbiTable } from "../abi/tables.generated.js";
import { readPointer } from "../device/native-memory.js";
import { callPrototype } from "./koffi-types.js";
import { hasSince } from "./version.js";
import type { LibraryVersion } from "./version.js";
import type { NativeFunction } from "./vtable.js";

export type PluginInterfaceName = keyof AbiTable["pluginInterfaces"];

const prototypes = new Map<string, TypeObject>();

/** The methods of one plugin interface, for one loaded library. */
export class PlainBinding {
  constructor(
    private readonly table: AbiTable,
    private readonly version: LibraryVersion,
    readonly interfaceName: PluginInterfaceName,
  ) {}

  /** The native function for `name` on `object`; TypeError when this major or release lacks it. */
  method(object: number, name: string): NativeFunction {
    const methods = this.table.pluginInterfaces[this.interfaceName].methods as Record<string, AbiMethod | undefined>;
    const m = methods[name];
    if (m === undefined || !hasSince(this.version, m.since)) {
      throw new TypeError(`${this.interfaceName}::${name} is not in TensorRT ${this.table.major}'s ABI table for this release`);
    }
    const key = `${this.table.major}:${this.interfaceName}.${name}`;
    let proto = prototypes.get(key);
    if (!proto) prototypes.set(key, (proto = callPrototype(m)));
    return koffi.decode(readPointer(readPointer(object) + 8 * m.slot), proto) as NativeFunction;
  }
}
