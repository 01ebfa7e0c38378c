// @ts-check
// A fixed set of loaded modules shared by concurrent requests. Each
// TensorRTModule has its own execution context and stream, so N modules run
// N inferences at once; a request that finds them all busy waits in a FIFO
// queue of bounded length, and is turned away (PoolFullError -> HTTP 503)
// when the queue is full, so a burst cannot pile up unbounded memory.
// close() lets every accepted request finish before releasing the modules.
import { TensorRTModule } from "@trt/sdk";

/** The queue is full: the caller should retry later. */
export class PoolFullError extends Error {
  code = "POOL_FULL";
}

/** The pool is shutting down and takes no new work. */
export class PoolClosedError extends Error {
  code = "POOL_CLOSED";
}

/**
 * @typedef {object} Releasable
 * @property {() => void} release
 */

/** @template {Releasable} [M=TensorRTModule] */
export class ModulePool {
  /** @type {M[]} */
  #idle;
  /** @type {Array<(module: M) => void>} */
  #waiters = [];
  #size;
  #maxQueue;
  #busy = 0;
  #closed = false;
  /** @type {(() => void) | null} */
  #drained = null;

  /**
   * @param {M[]} modules the modules to share (the pool releases them on close)
   * @param {{ maxQueue: number }} options how many requests may wait for a module
   */
  constructor(modules, { maxQueue }) {
    this.#idle = [...modules];
    this.#size = modules.length;
    this.#maxQueue = maxQueue;
  }

  /**
   * Loads `size` modules from one engine file (each deserializes the engine: N copies of its weights).
   * @param {string} path
   * @param {{ size: number, maxQueue: number }} options
   * @returns {Promise<ModulePool<TensorRTModule>>}
   */
  static async load(path, { size, maxQueue }) {
    /** @type {TensorRTModule[]} */
    const modules = [];
    try {
      for (let i = 0; i < size; i++) modules.push(await TensorRTModule.load(path));
    } catch (error) {
      for (const m of modules) m.release();
      throw error;
    }
    return new ModulePool(modules, { maxQueue });
  }

  /** Modules, modules running a request, requests waiting. */
  get stats() {
    return { size: this.#size, busy: this.#busy, queued: this.#waiters.length };
  }

  /**
   * Runs `fn` with a module to itself; waits in line if none is free.
   * @template T
   * @param {(module: M) => Promise<T>} fn
   * @returns {Promise<T>}
   */
  async use(fn) {
    const module = await this.#acquire();
    try {
      return await fn(module);
    } finally {
      this.#release(module);
    }
  }

  /** @returns {Promise<M>} */
  #acquire() {
    if (this.#closed) return Promise.reject(new PoolClosedError("the server is shutting down"));
    const idle = this.#idle.pop();
    if (idle) {
      this.#busy++;
      return Promise.resolve(idle);
    }
    if (this.#waiters.length >= this.#maxQueue) {
      return Promise.reject(new PoolFullError(`all ${this.#size} modules are busy and ${this.#waiters.length} requests are waiting`));
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** @param {M} module */
  #release(module) {
    const next = this.#waiters.shift();
    // Handed straight to the next in line: it stays busy.
    if (next) return next(module);
    this.#busy--;
    this.#idle.push(module);
    if (this.#busy === 0) this.#drained?.();
  }

  /**
   * Takes no new work, waits for every running and queued request, then
   * releases the modules. Returns how many were released.
   * @returns {Promise<number>}
   */
  async close() {
    this.#closed = true;
    if (this.#busy > 0) await new Promise((resolve) => (this.#drained = () => resolve(undefined)));
    for (const module of this.#idle) module.release();
    const released = this.#idle.length;
    this.#idle = [];
    return released;
  }
}
