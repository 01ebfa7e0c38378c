/**
 * C++ objects implemented in JS: the logger, profiler and output allocator
 * TensorRT calls back into. Each is a block of native memory whose first word
 * points at a vtable built right after it; every slot holds a koffi-registered
 * callback with the prototype the ABI table gives for that major, including
 * the versioned-interface slots (getAPILanguage -> kCPP, getInterfaceInfo ->
 * {kind, major, minor} by value) and destructors, which do nothing: the
 * memory belongs to JS and is freed by release().
 *
 * Registered callbacks stay valid (and are kept from the garbage collector by
 * koffi) until unregistered, so the object is usable for as long as TensorRT
 * holds it; release() must only be called once TensorRT no longer does.
 */
import koffi from "koffi";
import type { TypeObject } from "koffi";
import type { AbiMethod, AbiTable } from "../abi/tables.generated.js";
import { allocCString, allocNative, freeNative } from "../device/native-memory.js";
import { callbackPrototype } from "./koffi-types.js";

export type CallerInterfaceName = keyof AbiTable["callerInterfaces"];

/** JS implementations of an interface's own methods, by slot name; `this` is dropped. */
export type CallerHandlers = Readonly<Record<string, (...args: never[]) => unknown>>;

/** A live JS-implemented C++ object. */
export interface CallerObject {
  /** The address to hand TensorRT (an ILogger*, IProfiler*, IOutputAllocator*). */
  readonly address: number;
  /** Unregisters the callbacks and frees the memory. Idempotent. */
  release(): void;
}

const API_LANGUAGE_CPP = 0;
const prototypes = new Map<string, TypeObject>();
/** Interface kind strings live for the whole process: TensorRT may keep the pointer getInterfaceInfo returns. */
const kindStrings = new Map<string, number>();

function kindString(kind: string): number {
  let address = kindStrings.get(kind);
  if (address === undefined) kindStrings.set(kind, (address = allocCString(kind)));
  return address;
}

/** Builds a C++ object implementing `name` of `table` with the given handlers. */
export function createCallerObject(table: AbiTable, name: CallerInterfaceName, handlers: CallerHandlers): CallerObject {
  const iface = table.callerInterfaces[name];
  const slots = iface.vtableSize;
  // Word 0: vptr -> word 1, words 1..slots: the vtable.
  const block = allocNative(8 * (slots + 1), 8);
  const words = new BigUint64Array(koffi.view(block, 8 * (slots + 1)));
  words[0] = BigInt(block + 8);
  const registered: bigint[] = [];
  for (const [methodName, method] of Object.entries(iface.methods) as [string, AbiMethod][]) {
    const impl = slotImplementation(iface.interfaceInfo, methodName, handlers, name);
    const key = `${table.major}:${name}.${methodName}`;
    let proto = prototypes.get(key);
    if (!proto) prototypes.set(key, (proto = callbackPrototype(method)));
    const callback = koffi.register(impl, koffi.pointer(proto));
    registered.push(callback);
    words[1 + method.slot] = callback;
  }
  let released = false;
  return {
    address: block,
    release() {
      if (released) return;
      released = true;
      for (const cb of registered) koffi.unregister(cb);
      freeNative(block);
    },
  };
}

function slotImplementation(
  info: readonly [string, number, number] | null,
  methodName: string,
  handlers: CallerHandlers,
  interfaceName: string,
): (...args: unknown[]) => unknown {
  if (methodName === "getAPILanguage") return () => API_LANGUAGE_CPP;
  if (methodName === "getInterfaceInfo") {
    if (!info) throw new TypeError(`${interfaceName} has getInterfaceInfo but no interfaceInfo in the ABI table`);
    const value = { kind: kindString(info[0]), major: info[1], minor: info[2] };
    return () => value;
  }
  if (methodName.startsWith("destructor")) return () => undefined;
  const handler = handlers[methodName] as ((...args: unknown[]) => unknown) | undefined;
  if (!handler) throw new TypeError(`no JS implementation given for ${interfaceName}::${methodName}`);
  // Drop `this`: each object gets its own closures, so they already know which object they serve.
  return (_self: unknown, ...args: unknown[]) => handler(...args);
}
