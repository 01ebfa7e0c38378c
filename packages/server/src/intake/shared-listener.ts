/**
 * One listening TCP socket that several threads accept on.
 *
 * Node 20 has no SO_REUSEPORT, and worker threads cannot be handed a server.
 * What they can do is listen on a descriptor: `server.listen({ fd })`. Each
 * thread gets a descriptor of its own, duplicated from one socket (dup(2)
 * through koffi): the kernel then gives each new connection to whichever
 * thread accepts first, and a thread that closes its server closes only its
 * own copy. Sharing one descriptor number instead would be unsafe: the first
 * close frees the number, accept() hands it to the next connection, and the
 * other threads' closes would then close that connection.
 *
 * The socket is bound here, on the calling thread, so a port in use or a bad
 * host fails `openSharedListener` as `listen` would. This thread's own server
 * is closed in its 'listening' callback, before its event loop turns again,
 * so it never accepts a connection: they wait in the kernel's queue for the
 * threads.
 */
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { cFunction } from "../c-library.js";

/** The bound socket's descriptors (one per thread, each to be closed by its owner) and address. */
export interface SharedListener {
  readonly fds: readonly number[];
  readonly host: string;
  readonly port: number;
}

let dup: ((fd: number) => number) | undefined;

function duplicate(fd: number): number {
  dup ??= cFunction<(fd: number) => number>("int dup(int)");
  const copy = dup(fd);
  if (copy < 0) throw new Error(`dup(${fd}) failed: the process may be out of file descriptors`);
  return copy;
}

/** Binds `host:port` (0 picks a free port) and returns `copies` descriptors of the listening socket. */
export function openSharedListener(host: string, port: number, copies: number): Promise<SharedListener> {
  if (process.platform === "win32") return Promise.reject(new Error("intake threads need a POSIX system: Windows cannot listen on a socket descriptor"));
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen({ host, port, exclusive: true }, () => {
      const fds: number[] = [];
      try {
        const fd = (probe as unknown as { _handle?: { fd?: number } })._handle?.fd;
        if (typeof fd !== "number" || fd < 0) throw new Error("this Node.js does not expose the listening socket's descriptor");
        for (let i = 0; i < copies; i++) fds.push(duplicate(fd));
        const address = probe.address() as AddressInfo;
        resolve({ fds, host: address.address, port: address.port });
      } catch (error) {
        for (const fd of fds) closeDescriptor(fd);
        reject(error);
      } finally {
        // Synchronous in libuv: the original descriptor is closed before the event loop could accept on it.
        probe.close();
      }
    });
  });
}

let close: ((fd: number) => number) | undefined;

/** Closes a descriptor that no thread took (a failed start). */
export function closeDescriptor(fd: number): void {
  close ??= cFunction<(fd: number) => number>("int close(int)");
  close(fd);
}
