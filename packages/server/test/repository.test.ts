// The model repository: config.json checked field by field (file, field and
// what is allowed in every message), the layout (the newest version, one
// model file), the trust boundary (names, symlinks and ".." that lead out are
// refused), and the repository extension over REST on a live server: index,
// load while other models serve, batching from config.json, unload that
// drains a request in flight before the engine is released, model control
// off (403), a load that fails saying why, and control on its own listener.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TensorRTModule } from "@trt/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildControlApp, buildServer } from "../src/app.js";
import { checkModelConfig, ConfigError, readModelConfig } from "../src/repository/config.js";
import { loadModels } from "../src/cli/serve.js";
import { ModelRepository, RepositoryError } from "../src/repository/repository.js";
import { reference, sampleEngine, sampleInput, useEmulator } from "./support/fixtures.js";
import { holdRuns, infer, jsonRequest } from "./support/requests.js";
import { until } from "./support/until.js";

let restore: () => void;
const tmp = mkdtempSync(join(tmpdir(), "trt-repository-"));
const repo = join(tmp, "models");
const outside = join(tmp, "outside");

/** DIR/<name>/<version>/<file> holding the sample engine, and config.json when given. */
function addModel(name: string, config?: object | string, version = "1", file = "model.trtengine"): void {
  mkdirSync(join(repo, name, version), { recursive: true });
  copyFileSync(sampleEngine, join(repo, name, version, file));
  if (config !== undefined) writeFileSync(join(repo, name, "config.json"), typeof config === "string" ? config : JSON.stringify(config));
}

beforeAll(() => {
  restore = useEmulator();
  mkdirSync(repo, { recursive: true });
  mkdirSync(join(outside, "evil", "1"), { recursive: true });
  copyFileSync(sampleEngine, join(outside, "evil", "1", "model.plan"));
  copyFileSync(sampleEngine, join(outside, "lib.so"));
  addModel("plain");
  addModel("graphs", { cudaGraphs: true });
  addModel("batched", { dynamicBatching: { maxQueueDelayMicroseconds: 0, preferredBatchSizes: [4] }, maxBatchSize: 8, maxConcurrency: 2, maxQueue: 5 });
  addModel("versions", undefined, "2");
  addModel("versions", undefined, "10");
  addModel("versions", undefined, "9");
  addModel("twofiles", undefined, "1", "model.plan");
  copyFileSync(sampleEngine, join(repo, "twofiles", "1", "model.engine"));
  addModel("badconfig", { maxQueue: -1 });
  mkdirSync(join(repo, "noversion", "latest"), { recursive: true });
  // Symlinks that lead out of the repository: a whole model, a version's file, a plugin.
  symlinkSync(join(outside, "evil"), join(repo, "linked"));
  mkdirSync(join(repo, "linkedfile", "1"), { recursive: true });
  symlinkSync(join(outside, "evil", "1", "model.plan"), join(repo, "linkedfile", "1", "model.plan"));
  addModel("plugin", { plugins: ["../../outside/lib.so"] });
  // A plugin inside the repository, which is not a library at all.
  addModel("withplugin", { plugins: ["libs/not-a-plugin.so"] });
  mkdirSync(join(repo, "withplugin", "libs"));
  writeFileSync(join(repo, "withplugin", "libs", "not-a-plugin.so"), "not a shared library\n");
  // A symlink that stays inside is fine.
  symlinkSync(join(repo, "plain"), join(repo, "alias"));
});
afterAll(() => {
  restore();
  rmSync(tmp, { recursive: true, force: true });
});

describe("config.json", () => {
  it.each([
    ["not an object", [1], /config\.json: must hold a JSON object; got \[1\]$/],
    ["an unknown field", { maxBatch: 8 }, /config\.json: "maxBatch": is not a setting; the settings are maxBatchSize, dynamicBatching, maxConcurrency, maxQueue, engine, inputOrder, outputOrder, plugins, cudaGraphs$/],
    ["a negative maxQueue", { maxQueue: -1 }, /"maxQueue": must be an integer from 0 up; got -1$/],
    ["maxConcurrency past 64", { maxConcurrency: 65 }, /"maxConcurrency": must be an integer from 1 to 64; got 65$/],
    ["maxBatchSize without batching", { maxBatchSize: 4 }, /"maxBatchSize": is the most rows dynamic batching stacks into one run; add "dynamicBatching": \{\}/],
    ["batching that is not an object", { dynamicBatching: true }, /"dynamicBatching": must be an object \(it may be empty: \{\}\); got true$/],
    ["an unknown batching field", { dynamicBatching: { delay: 5 } }, /"dynamicBatching.delay": is not a setting; the settings are maxQueueDelayMicroseconds, preferredBatchSizes$/],
    ["a fractional delay", { dynamicBatching: { maxQueueDelayMicroseconds: 1.5 } }, /"dynamicBatching.maxQueueDelayMicroseconds": must be an integer from 0 to 60000000; got 1.5$/],
    ["repeated preferred sizes", { dynamicBatching: { preferredBatchSizes: [4, 4] } }, /"dynamicBatching.preferredBatchSizes": must be a list of distinct integers of at least 1; got \[4,4\]$/],
    ["a negative engine index", { engine: -1 }, /"engine": must be an engine's index/],
    ["an empty inputOrder", { inputOrder: [] }, /"inputOrder": must be a non-empty list of distinct, non-empty strings; got \[\]$/],
    ["plugins that are not paths", { plugins: [3] }, /"plugins": must be a list of plugin library paths, relative to the model's folder; got \[3\]$/],
    ["cudaGraphs that is not a boolean", { cudaGraphs: "on" }, /"cudaGraphs": must be true or false; got "on"$/],
  ])("refuses %s, naming the file and the field", (_what, value, message) => {
    const attempt = () => checkModelConfig(value, "m/config.json");
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  it("takes every field, and a file that is not JSON says so", async () => {
    const full = { maxBatchSize: 8, dynamicBatching: { maxQueueDelayMicroseconds: 100, preferredBatchSizes: [4, 8] }, maxConcurrency: 2, maxQueue: 0, engine: "0", inputOrder: ["x"], outputOrder: ["y"], plugins: ["p.so"], cudaGraphs: true };
    expect(checkModelConfig(full, "c")).toEqual(full);
    const bad = join(tmp, "bad.json");
    writeFileSync(bad, "{ maxQueue: 1 }");
    await expect(readModelConfig(bad)).rejects.toThrow(/bad\.json: is not valid JSON \(/);
    expect(await readModelConfig(join(tmp, "absent.json"))).toEqual({});
  });
});

describe("the repository on disk", () => {
  it("finds a model's newest version and its one model file, with its config", async () => {
    const repository = await ModelRepository.open(repo);
    expect(await repository.names()).toEqual(["alias", "badconfig", "batched", "graphs", "linkedfile", "noversion", "plain", "plugin", "twofiles", "versions", "withplugin"]);
    expect(await repository.find("versions")).toMatchObject({ name: "versions", version: "10", file: join(repository.root, "versions", "10", "model.trtengine") });
    expect(await repository.find("batched")).toMatchObject({ version: "1", config: { maxBatchSize: 8, maxConcurrency: 2 } });
    // A symlink that stays inside the repository is followed.
    expect((await repository.find("alias")).file).toBe(join(repository.root, "plain", "1", "model.trtengine"));
  });

  it.each([
    ["../outside", "BAD_MODEL_NAME", /^"\.\.\/outside" is not a model name/],
    ["a/b", "BAD_MODEL_NAME", /is not a model name/],
    [".hidden", "BAD_MODEL_NAME", /is not a model name/],
    ["absent", "MODEL_NOT_FOUND", /^the model repository has no model "absent"$/],
    ["linked", "OUTSIDE_REPOSITORY", /^model "linked" leads out of the model repository .*refused$/],
    ["linkedfile", "OUTSIDE_REPOSITORY", /^model "linkedfile" version 1's model\.plan leads out of the model repository/],
    ["plugin", "OUTSIDE_REPOSITORY", /^model "plugin"'s plugin \.\.\/\.\.\/outside\/lib\.so leads out of the model repository/],
    ["noversion", "NO_VERSION", /^model "noversion" has no version folder/],
    ["twofiles", "SEVERAL_MODEL_FILES", /^model "twofiles" version 1 holds model\.(plan|engine) and model\.(plan|engine); keep one model file per version$/],
  ])("refuses %s (%s)", async (name, code, message) => {
    const repository = await ModelRepository.open(repo);
    const error = await repository.find(name).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RepositoryError);
    expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
  });
});

const request = (i: number) => {
  const { data, shape } = sampleInput(i);
  return jsonRequest({ inputs: [{ name: "x", shape, datatype: "FP32", data }] });
};

describe("the repository extension over REST", () => {
  it("lists, loads while another model serves, unloads after draining, and says why a load failed", async () => {
    await using fixed = await TensorRTModule.load(sampleEngine);
    const repository = await ModelRepository.open(repo);
    const server = buildServer({ models: [{ name: "fixed", module: fixed }], repository, modelControl: "explicit" });
    const { app, models } = server;
    const post = (url: string, payload?: object) => app.inject({ method: "POST", url, ...(payload ? { payload: JSON.stringify(payload) } : {}) });

    const index = await post("/v2/repository/index");
    expect(index.json()).toContainEqual({ name: "fixed", version: "1", state: "READY", reason: "" });
    expect(index.json()).toContainEqual({ name: "batched", state: "UNAVAILABLE", reason: "" });
    expect((await post("/v2/repository/index", { ready: true })).json()).toEqual([{ name: "fixed", version: "1", state: "READY", reason: "" }]);

    const loaded = await post("/v2/repository/models/batched/load");
    expect(loaded.statusCode).toBe(200);
    const batched = models.get("batched")!;
    expect(batched.batching).toEqual({ maxBatchSize: 8, maxQueueDelayMicroseconds: 0, preferredBatchSizes: [4] });
    expect(batched.module.stats.concurrency.limit).toBe(2);
    expect(batched.admission.stats.capacity).toBe(2 * 8 + 5);
    const answer = await infer(app, "batched", request(3));
    expect(answer.json().outputs[0].data).toEqual(reference(sampleInput(3).data, 4));
    expect((await infer(app, "fixed", request(2))).statusCode).toBe(200);

    // Unload with a request in flight: the model leaves the table at once, the request is answered, then the engine goes.
    const hold = holdRuns(batched.module);
    const inFlight = infer(app, "batched", request(5));
    await hold.until(1);
    const unloading = post("/v2/repository/models/batched/unload");
    await until(() => !models.has("batched"));
    expect((await infer(app, "batched", request(1))).statusCode).toBe(404);
    expect((await post("/v2/repository/index")).json()).toContainEqual({ name: "batched", state: "UNLOADING", reason: "" });
    expect(batched.module.released).toBe(false);
    hold.open();
    expect((await inFlight).json().outputs[0].data).toEqual(reference(sampleInput(5).data, 6));
    expect((await unloading).statusCode).toBe(200);
    expect(batched.module.released).toBe(true);
    expect((await post("/v2/repository/index")).json()).toContainEqual({ name: "batched", state: "UNAVAILABLE", reason: "unloaded" });

    // Loading a name, never a path; failures say why, and the index keeps the reason.
    expect((await post("/v2/repository/models/..%2Foutside/load")).json()).toEqual({ error: expect.stringMatching(/is not a model name/) });
    const bad = await post("/v2/repository/models/badconfig/load");
    expect([bad.statusCode, bad.json().error]).toEqual([400, expect.stringMatching(/badconfig\/config\.json: "maxQueue": must be an integer from 0 up; got -1$/)]);
    expect((await post("/v2/repository/index")).json()).toContainEqual({ name: "badconfig", state: "UNAVAILABLE", reason: expect.stringContaining('"maxQueue"') });
    expect((await post("/v2/repository/models/linked/load")).statusCode).toBe(403);
    expect((await post("/v2/repository/models/absent/load")).statusCode).toBe(404);
    expect((await post("/v2/repository/models/fixed/unload")).json()).toEqual({ error: 'model "fixed" is given on the command line (--model), not by the repository; it cannot be unloaded' });

    // Reloading a served model swaps in a fresh engine and releases the old one.
    await post("/v2/repository/models/plain/load");
    const first = models.get("plain")!;
    await post("/v2/repository/models/plain/load");
    expect(models.get("plain")).not.toBe(first);
    expect(first.module.released).toBe(true);

    // Statistics for one model and for all.
    const stats = await app.inject({ method: "GET", url: "/v2/models/fixed/stats" });
    expect(stats.json().model_stats).toEqual([expect.objectContaining({ name: "fixed", version: "1", inference_count: 1, execution_count: 1 })]);
    const all = await app.inject({ method: "GET", url: "/v2/models/stats" });
    expect(all.json().model_stats.map((s: { name: string }) => s.name).sort()).toEqual(["fixed", "plain"]);

    const plain = models.get("plain")!;
    await app.close();
    // The server released what the repository loaded; the command line's model is its owner's.
    expect([plain.module.released, fixed.released]).toEqual([true, false]);
  });

  it("loads a model whose config.json asks for CUDA graphs with the whole-graph strategy, and others without it", async () => {
    const repository = await ModelRepository.open(repo);
    const server = buildServer({ repository, modelControl: "explicit" });
    for (const name of ["graphs", "plain"]) expect((await server.app.inject({ method: "POST", url: `/v2/repository/models/${name}/load` })).statusCode).toBe(200);
    expect(server.models.get("graphs")!.module.runtimeSettings.cudaGraphStrategy).toBe("whole_graph_capture");
    expect(server.models.get("plain")!.module.runtimeSettings.cudaGraphStrategy).not.toBe("whole_graph_capture");
    await server.app.close();
    // The same through --model's cuda-graphs=on.
    const [on, off] = await loadModels([
      { name: "on", path: sampleEngine, maxConcurrency: 1, maxQueue: 1, cudaGraphs: true },
      { name: "off", path: sampleEngine, maxConcurrency: 1, maxQueue: 1 },
    ]);
    expect([on!.runtimeSettings.cudaGraphStrategy === "whole_graph_capture", off!.runtimeSettings.cudaGraphStrategy === "whole_graph_capture"]).toEqual([true, false]);
    on!.release();
    off!.release();
  });

  it("passes config.json's plugins to the module's load, resolved inside the repository, and a library that is not one fails the load", async () => {
    const repository = await ModelRepository.open(repo);
    const seen: unknown[] = [];
    const server = buildServer({
      repository,
      modelControl: "explicit",
      moduleLoader: (model, options) => {
        seen.push(options.plugins);
        return TensorRTModule.load(model.file, options);
      },
    });
    const res = await server.app.inject({ method: "POST", url: "/v2/repository/models/withplugin/load" });
    expect(seen).toEqual([[join(repository.root, "withplugin", "libs", "not-a-plugin.so")]]);
    expect(res.statusCode).not.toBe(200);
    expect(res.json().error).toMatch(/not-a-plugin\.so/);
    expect(server.models.has("withplugin")).toBe(false);
    await server.app.close();
  });

  it("refuses load and unload with model control off, and serves them on a listener of their own when asked", async () => {
    const repository = await ModelRepository.open(repo);
    const off = buildServer({ repository, modelControl: "none" });
    const refused = await off.app.inject({ method: "POST", url: "/v2/repository/models/plain/load" });
    expect([refused.statusCode, refused.json().error]).toEqual([403, expect.stringMatching(/^model control is off: this server was started with --model-control-mode none/)]);
    await off.app.close();

    const server = buildServer({ repository, modelControl: "explicit", controlRoutes: false });
    expect((await server.app.inject({ method: "POST", url: "/v2/repository/models/plain/load" })).statusCode).toBe(404);
    const control = buildControlApp(server);
    expect((await control.inject({ method: "POST", url: "/v2/repository/models/plain/load" })).statusCode).toBe(200);
    expect((await infer(server.app, "plain", request(0))).statusCode).toBe(200);
    expect((await control.inject({ method: "POST", url: "/v2/models/plain/infer" })).statusCode).toBe(404);
    await control.close();
    await server.app.close();
  });
});
