// Public API of @trt/server: build the server over loaded modules, and the pieces it is made of.
export { buildServer, DEFAULT_BODY_LIMIT, SERVER_METADATA } from "./app.js";
export type { InferenceServer, ServerOptions } from "./app.js";
export { ServedModel, ModelConfigError, DEFAULT_MAX_QUEUE, DEFAULT_VERSION } from "./models.js";
export type { ModelOptions } from "./models.js";
export { Admission, QueueFullError, ShuttingDownError } from "./admission.js";
export { addDrainHooks } from "./drain-hooks.js";
export type { AdmissionStats } from "./admission.js";
export { ServerMetrics, LATENCY_BUCKETS, METRICS_CONTENT_TYPE } from "./metrics.js";
export { ProtocolError } from "./protocol/errors.js";
export type { ErrorBody, ProtocolErrorStatus } from "./protocol/errors.js";
export { protocolDatatype, ELEMENT_BYTES } from "./protocol/datatypes.js";
export type { ProtocolDatatype } from "./protocol/datatypes.js";
export type { ModelMetadata, ServerMetadata, TensorMetadata } from "./protocol/metadata.js";
