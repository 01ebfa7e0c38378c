/**
 * Functions of the C library already in the process (glibc or musl), bound
 * through koffi once each: the server's few system calls that Node does not
 * offer (mallopt, dup, close).
 */
import koffi from "koffi";

let self: ReturnType<typeof koffi.load> | undefined;

/** The function `prototype` declares (`"int dup(int)"`), from the process's own C library; throws where it has none. */
export function cFunction<F extends (...args: never[]) => unknown>(prototype: string): F {
  self ??= koffi.load(null as unknown as string);
  return self.func(prototype) as unknown as F;
}
