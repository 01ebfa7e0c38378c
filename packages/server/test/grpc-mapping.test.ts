// gRPC's side of the shared inference path, without a network: each error
// becomes the status code a gRPC client expects (a full queue
// RESOURCE_EXHAUSTED, a shutdown UNAVAILABLE, ...), and a ModelInferRequest's
// typed contents become the engine's bytes, checked against the datatype.
import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { DeadlineExceededError, ProtocolError, QueueFullError, ShuttingDownError } from "../src/index.js";
import { prepareGrpcRequest } from "../src/grpc/infer-request.js";
import type { GrpcInferRequest } from "../src/grpc/infer-request.js";
import { grpcError } from "../src/grpc/server.js";

describe("gRPC status codes", () => {
  it.each([
    [new QueueFullError("full"), status.RESOURCE_EXHAUSTED],
    [new ShuttingDownError("bye"), status.UNAVAILABLE],
    [new DeadlineExceededError("late"), status.DEADLINE_EXCEEDED],
    [new ProtocolError(400, "bad"), status.INVALID_ARGUMENT],
    [new ProtocolError(403, "no"), status.PERMISSION_DENIED],
    [new ProtocolError(404, "who"), status.NOT_FOUND],
  ])("%s -> %s", (error, code) => {
    const logged: unknown[] = [];
    const mapped = grpcError(error, 1024, (e) => logged.push(e));
    expect([mapped.code, mapped.details]).toEqual([code, error.message]);
    expect(logged).toEqual([]);
  });

  it("anything else is INTERNAL, with the details in the log and not in the answer", () => {
    const logged: unknown[] = [];
    const error = new Error("secret detail");
    const mapped = grpcError(error, 1024, (e) => logged.push(e));
    expect([mapped.code, mapped.details]).toEqual([status.INTERNAL, "the inference failed; the server's log has the details"]);
    expect(logged).toEqual([error]);
  });
});

const request = (input: Partial<GrpcInferRequest["inputs"][number]>, raw: Buffer[] = []): GrpcInferRequest => ({
  model_name: "m",
  model_version: "",
  id: "",
  inputs: [{ name: "x", datatype: "FP32", shape: ["2"], ...input }],
  outputs: [],
  raw_input_contents: raw,
});

describe("gRPC request contents", () => {
  it("lays typed contents out as the datatype's bytes", () => {
    const prepared = prepareGrpcRequest(request({ datatype: "INT64", shape: ["2"], contents: { int64_contents: ["-9223372036854775808", "9007199254740993"] } }));
    expect(Array.from(new BigInt64Array(Uint8Array.from(prepared.bytes[0]!).buffer))).toEqual([-9223372036854775808n, 9007199254740993n]);
    const bools = prepareGrpcRequest(request({ datatype: "BOOL", shape: ["3"], contents: { bool_contents: [true, false, true] } }));
    expect([...bools.bytes[0]!]).toEqual([1, 0, 1]);
    const floats = prepareGrpcRequest(request({ contents: { fp32_contents: [1.5, -2] } }));
    expect(Array.from(new Float32Array(Uint8Array.from(floats.bytes[0]!).buffer))).toEqual([1.5, -2]);
    expect(prepareGrpcRequest(request({}, [Buffer.alloc(8)])).request).toMatchObject({ id: null, outputs: null, timeoutMicroseconds: null });
  });

  it.each([
    ["an INT8 beyond its range", request({ datatype: "INT8", shape: ["2"], contents: { int_contents: [1, 300] } }), 'input "x": contents.int_contents[1] is 300, which is not in -128..127 (INT8)'],
    ["a count that does not fill the shape", request({ contents: { fp32_contents: [1] } }), 'input "x": contents.fp32_contents has 1 values, but shape [2] holds 2'],
    ["FP16 as typed contents", request({ datatype: "FP16", contents: {} }), 'input "x": FP16 values have no typed contents field in the protocol; send them as raw_input_contents'],
    ["raw contents for some inputs only", { ...request({}), inputs: [{ name: "x", datatype: "FP32", shape: ["2"] }, { name: "z", datatype: "FP32", shape: ["2"] }], raw_input_contents: [Buffer.alloc(8)] }, "raw_input_contents has 1 entries for 2 inputs; give one per input, in input order, or none"],
    ["a timeout that is not a number of microseconds", { ...request({}, [Buffer.alloc(8)]), parameters: { timeout: { parameter_choice: "string_param", string_param: "soon" } } }, 'parameters.timeout must be a number of microseconds (a non-negative integer); got "soon"'],
  ])("refuses %s", (_what, message, error) => {
    expect(() => prepareGrpcRequest(message)).toThrow(error);
  });
});
