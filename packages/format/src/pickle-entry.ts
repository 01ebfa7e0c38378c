/**
 * @trt/format/pickle: the pickle machine under the tuple reader and writer:
 * a restricted unpickler (no classes are ever constructed), the values it
 * yields, their JSON view, and the chunked writer of a pickled tuple. The
 * same objects as the root entry's, not copies.
 * @packageDocumentation
 */
export { unpickle, type UnpickleOptions, type UnpickleResult } from "./pickle/reader.js";
export { PyDict, PyGlobal, PyObject, PySet, PyTuple } from "./pickle/values.js";
export { MAX_VIEW_NODES, pyValueToJson } from "./metadata.js";
export { pickledTupleChunks, readPickledTupleWithInfo } from "./pickled-tuple.js";
