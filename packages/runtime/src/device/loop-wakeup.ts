/**
 * A way for any thread, CUDA's own host-function thread included, to wake
 * Node's event loop: a libuv async handle on the main loop, initialised
 * through koffi from the libuv symbols that the node executable exports for
 * addons. Its signal is `uv_async_send`, a plain C function of one pointer
 * argument that is safe to call from any thread, so its address can be given
 * to cudaLaunchHostFunc as the host function, with the handle as its user
 * data: CUDA calls it when the stream reaches that point, and libuv then runs
 * `onWake` on the main thread. No compiled code of ours is involved, so the
 * ffi engine gets the same wake-up as the native one.
 *
 * Signals sent before the loop runs the callback are merged into one call,
 * so the callback must find out for itself what finished (see
 * completion-waiter.ts).
 *
 * Only on the main thread: a worker thread has a loop of its own that these
 * symbols do not reach, so there `loopWakeup()` returns null and waits fall
 * back to polling.
 */
import koffi from "koffi";
import { debuglog } from "node:util";
import { isMainThread } from "node:worker_threads";

/** libuv's uv_handle_type for async handles (stable since libuv 1.0). */
const UV_ASYNC = 1;

export interface LoopWakeup {
  /** Address of `int uv_async_send(uv_async_t*)`, for cudaLaunchHostFunc. */
  readonly signalFunction: number;
  /** The async handle: `signalFunction`'s argument. */
  readonly handle: number;
  /** Keeps the process alive while something waits on a wake (uv_ref); calls nest. */
  hold(): void;
  /** Undoes one hold(); at zero the handle no longer keeps the process alive. */
  release(): void;
}

let created: LoopWakeup | null | undefined;
const listeners = new Set<() => void>();
/** NODE_DEBUG=trt says, once, why waits cannot use the wakeup. */
const debug = debuglog("trt");

/** Adds a function run on the main thread after each wake; the one process-wide wakeup, or null where there is none. */
export function loopWakeup(onWake: () => void): LoopWakeup | null {
  if (created === undefined) created = create();
  if (created) listeners.add(onWake);
  return created;
}

function create(): LoopWakeup | null {
  if (!isMainThread) {
    debug("stream waits poll instead of using a completion callback: not on the main thread (a worker's event loop cannot be reached by address)");
    return null;
  }
  try {
    const self = koffi.load(null as unknown as string);
    const handleSize = self.func("size_t uv_handle_size(int)") as (type: number) => number | bigint;
    const defaultLoop = self.func("void* uv_default_loop()") as () => unknown;
    const WakeCallback = koffi.proto("void TrtLoopWakeCallback(void* handle)");
    const asyncInit = self.func("int uv_async_init(void*, void*, TrtLoopWakeCallback*)") as (
      loop: unknown,
      handle: unknown,
      callback: unknown,
    ) => number;
    const ref = self.func("void uv_ref(void*)") as (handle: unknown) => void;
    const unref = self.func("void uv_unref(void*)") as (handle: unknown) => void;
    const dlsym = self.func("uintptr_t dlsym(uintptr_t, const char*)") as (lib: number, name: string) => number | bigint;

    const signalFunction = Number(dlsym(0, "uv_async_send")); // RTLD_DEFAULT
    if (!signalFunction) throw new Error("uv_async_send is not exported by this process");
    const size = Number(handleSize(UV_ASYNC));
    if (!(size > 0 && size < 4096)) throw new Error(`unexpected uv_async_t size ${size}`);
    // Lives as long as the process: libuv keeps the address in its handle queue.
    const memory = koffi.alloc("uint8_t", size);
    const callback = koffi.register(wake, koffi.pointer(WakeCallback));
    const status = asyncInit(defaultLoop(), memory, callback);
    if (status !== 0) throw new Error(`uv_async_init returned ${status}`);
    unref(memory);
    retained.push(memory, callback);

    let holds = 0;
    return {
      signalFunction,
      handle: Number(koffi.address(memory)),
      hold() {
        if (holds++ === 0) ref(memory);
      },
      release() {
        if (holds > 0 && --holds === 0) unref(memory);
      },
    };
  } catch (error) {
    debug(`stream waits poll instead of using a completion callback: libuv's async handle could not be set up: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

/** Keeps the handle's memory and the registered callback reachable for the life of the process. */
const retained: unknown[] = [];

function wake(): void {
  for (const listener of listeners) {
    try {
      listener();
    } catch (error) {
      // An exception must not unwind into libuv's C frames; report it the way Node reports unhandled errors.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}
