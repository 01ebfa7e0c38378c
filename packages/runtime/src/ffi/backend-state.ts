/**
 * What every object of one FfiBackend shares: the loaded library, its ABI
 * table and version, the logger, and the method bindings of each class.
 */
import type { AbiTable } from "../abi/tables.generated.js";
import { TensorRTCallError } from "../errors/index.js";
import type { LoadedTensorRT } from "./library.js";
import type { FfiLogger } from "./logger.js";
import { ClassBinding } from "./vtable.js";
import type { LibraryVersion } from "./version.js";

export class FfiBackendState {
  readonly table: AbiTable;
  readonly version: LibraryVersion;
  readonly runtime: ClassBinding<"VRuntime">;
  readonly engine: ClassBinding<"VCudaEngine">;
  readonly context: ClassBinding<"VExecutionContext">;
  readonly inspector: ClassBinding<"VEngineInspector">;
  readonly hostMemory: ClassBinding<"VHostMemory">;
  readonly runtimeConfig: ClassBinding<"VRuntimeConfig">;

  constructor(
    readonly lib: LoadedTensorRT,
    readonly logger: FfiLogger,
  ) {
    this.table = lib.table;
    this.version = lib.version;
    this.runtime = new ClassBinding(lib.table, lib.version, "VRuntime");
    this.engine = new ClassBinding(lib.table, lib.version, "VCudaEngine");
    this.context = new ClassBinding(lib.table, lib.version, "VExecutionContext");
    this.inspector = new ClassBinding(lib.table, lib.version, "VEngineInspector");
    this.hostMemory = new ClassBinding(lib.table, lib.version, "VHostMemory");
    this.runtimeConfig = new ClassBinding(lib.table, lib.version, "VRuntimeConfig");
  }

  /** The TensorRTCallError for a failed call, carrying the last error logged since `mark` (logger.errorCount before the call). */
  failure(method: string, mark: number, context?: string): TensorRTCallError {
    return new TensorRTCallError(method, this.logger.errorSince(mark), context, this.logger.errorsSince(mark));
  }

  /** For void methods, whose only failure signal is an error in the log: throws if one was logged since `mark`. */
  checkLog(method: string, mark: number, context?: string): void {
    if (this.logger.errorCount > mark) throw this.failure(method, mark, context);
  }
}
