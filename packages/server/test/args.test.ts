// trt-server's command line: repeated --model with per-model settings taken
// from the end of the value, global defaults, and a UsageError naming the
// argument for everything it cannot serve.
import { describe, expect, it } from "vitest";
import { parseServerArgs, UsageError } from "../src/cli/args.js";

const serve = (argv: string[]) => {
  const command = parseServerArgs(argv);
  if (command.kind !== "serve") throw new Error(`expected serve, got ${command.kind}`);
  return command.args;
};

describe("trt-server arguments", () => {
  it("takes several models, each with the global bounds unless it sets its own", () => {
    const args = serve(["--model", "a=a.engine", "--model", "b=dir/b.ep,max-concurrency=2,max-queue=0,version=3,engine=1,device=cuda:1", "--max-queue", "8", "--port", "0"]);
    expect(args.models).toEqual([
      { name: "a", path: "a.engine", maxConcurrency: 4, maxQueue: 8 },
      { name: "b", path: "dir/b.ep", maxConcurrency: 2, maxQueue: 0, version: "3", engine: "1", device: "cuda:1" },
    ]);
    expect(args).toMatchObject({ host: "127.0.0.1", port: 0, bodyLimit: 64 * 1024 * 1024, drainTimeoutMs: 30000, logRequests: false });
  });

  it("turns CUDA graphs on for a model that asks, and leaves them off otherwise", () => {
    const models = serve(["--model", "a=a.engine,cuda-graphs=on", "--model", "b=b.engine,cuda-graphs=off", "--model", "c=c.engine"]).models;
    expect(models.map((m) => m.cudaGraphs)).toEqual([true, undefined, undefined]);
  });

  it("keeps commas that are not settings in the path", () => {
    expect(serve(["--model", "m=models/a,b.engine,max-queue=1"]).models[0]).toMatchObject({ path: "models/a,b.engine", maxQueue: 1 });
    expect(serve(["--model", "m=x,unknown=1"]).models[0]).toMatchObject({ path: "x,unknown=1" });
  });

  it("passes the runtime options through, and answers --help and --version", () => {
    expect(serve(["--model", "m=x", "--runtime", "ffi", "--nvinfer", "lib.so", "--log-requests"])).toMatchObject({ runtime: "ffi", nvinfer: "lib.so", logRequests: true });
    expect(serve(["--model", "m=x", "--plugin", "/p/liba.so", "--plugin", "libb.so"]).plugins).toEqual(["/p/liba.so", "libb.so"]);
    expect(serve(["--model", "m=x"]).plugins).toBeUndefined();
    expect(parseServerArgs(["--help"])).toEqual({ kind: "help" });
    expect(parseServerArgs(["--version"])).toEqual({ kind: "version" });
  });

  it.each([
    [[], /give at least one --model NAME=PATH/],
    [["--model", "nopath"], /--model must be NAME=PATH.*got "nopath"/],
    [["--model", "=x"], /--model must be NAME=PATH/],
    [["--model", "m=x,max-queue=1,max-queue=2"], /--model m: max-queue is given twice/],
    [["--model", "m=x,max-concurrency=0"], /--model m: max-concurrency must be an integer of at least 1; got "0"/],
    [["--model", "m=x,cuda-graphs=yes"], /--model m: cuda-graphs must be on or off; got "yes"/],
    [["--model", "m=x", "--max-queue=-1"], /--max-queue must be an integer of at least 0; got "-1"/],
    [["--model", "m=x", "--port", "70000"], /--port must be at most 65535/],
    [["--model", "m=x", "--runtime", "gpu"], /--runtime must be native, ffi or auto; got "gpu"/],
    [["--model", "m=x", "--bogus"], /Unknown option '--bogus'/],
    [["--model", "m=x", "extra"], /positional/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseServerArgs(argv)).toThrow(UsageError);
    expect(() => parseServerArgs(argv)).toThrow(message);
  });
});
