// The KServe deployment in deploy/kserve: the ServingRuntime and the
// InferenceService validated against KServe's CRD schemas kept in the
// repository (deploy/kserve/schemas, KServe v0.20.0), strictly (an unknown
// field is an error, as kubeconform -strict has it) and against Kubernetes'
// rules for object names; the parts that must agree with each other and with
// the Containerfile (ports, probes, metrics, the drain within the grace
// period, the arguments); and the server started with exactly the
// container's arguments on a folder laid out as KServe's storage initializer
// lays out /mnt/models.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import type { ValidateFunction } from "ajv";
import { parseAllDocuments } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { reference, repo, sampleEngine, sampleInput } from "./support/fixtures.js";
import { startServer } from "./support/process.js";

const deploy = join(repo, "deploy", "kserve");
const tmp = mkdtempSync(join(tmpdir(), "trt-kserve-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Json = Record<string, unknown>;

/** A CRD's openAPIV3Schema made strict: every object that lists its properties allows no others (kubeconform -strict). */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (typeof schema !== "object" || schema === null) return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) out[k] = strict(v);
  if (out.properties !== undefined && out.additionalProperties === undefined && out["x-kubernetes-preserve-unknown-fields"] !== true) out.additionalProperties = false;
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const validators = new Map<string, ValidateFunction>();
for (const file of ["servingruntime-serving-v1alpha1.json", "inferenceservice-serving-v1beta1.json"]) {
  const crd = JSON.parse(readFileSync(join(deploy, "schemas", file), "utf8")) as { group: string; version: string; kind: string; openAPIV3Schema: unknown };
  validators.set(`${crd.group}/${crd.version} ${crd.kind}`, ajv.compile(strict(crd.openAPIV3Schema) as object));
}

/** Kubernetes' rule for most object names (a DNS-1123 subdomain). */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Every problem with one manifest: its schema's errors, and ObjectMeta's rules. */
function problems(doc: Json): string[] {
  const key = `${String(doc.apiVersion)} ${String(doc.kind)}`;
  const validate = validators.get(key);
  if (!validate) return [`no schema for ${key}`];
  const found: string[] = [];
  if (!validate(doc)) for (const e of validate.errors ?? []) found.push(`${e.instancePath || "/"} ${e.message ?? ""}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`);
  const meta = doc.metadata as { name?: unknown; labels?: Json; annotations?: Json } | undefined;
  if (typeof meta?.name !== "string" || !DNS_SUBDOMAIN.test(meta.name)) found.push(`/metadata/name ${JSON.stringify(meta?.name)} is not a DNS-1123 subdomain`);
  for (const map of [meta?.labels, meta?.annotations]) for (const [k, v] of Object.entries(map ?? {})) if (typeof v !== "string") found.push(`/metadata ${k}: values must be strings`);
  return found;
}

const load = (file: string): Json[] => parseAllDocuments(readFileSync(join(deploy, file), "utf8")).map((d) => d.toJS() as Json);
const [runtime] = load("servingruntime.yaml") as [Json];
const [service] = load("inferenceservice.yaml") as [Json];
const container = (runtime.spec as { containers: Json[] }).containers[0]! as {
  args: string[];
  ports: { name: string; containerPort: number }[];
  readinessProbe: { httpGet: { path: string; port: number } };
  livenessProbe: { httpGet: { path: string; port: number } };
};
const flag = (name: string) => container.args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];

describe("deploy/kserve", () => {
  it("validates against KServe's CRD schemas, strictly", () => {
    expect(problems(runtime)).toEqual([]);
    expect(problems(service)).toEqual([]);
  });

  it("refuses what the schemas refuse: an unknown field, a wrong type, a bad name", () => {
    const typo = structuredClone(runtime);
    (typo.spec as Json).protocolVersion = ["v2"];
    expect(problems(typo)).toContainEqual("/spec must NOT have additional properties (protocolVersion)");
    const port = structuredClone(runtime);
    ((port.spec as { containers: { ports: Json[] }[] }).containers[0]!.ports[0]!).containerPort = "8080";
    expect(problems(port)).toContainEqual("/spec/containers/0/ports/0/containerPort must be integer");
    const named = structuredClone(service);
    (named.metadata as Json).name = "ResNet_50";
    expect(problems(named)).toEqual(['/metadata/name "ResNet_50" is not a DNS-1123 subdomain']);
  });

  it("agrees with itself and with the Containerfile: ports, probes, metrics, protocols, formats, the drain within the grace period", () => {
    expect(container.ports.map((p) => [p.name, p.containerPort])).toEqual([["http1", Number(flag("port"))], ["h2c", Number(flag("grpc-port"))]]);
    expect([flag("port"), flag("grpc-port"), flag("host"), flag("model-repository")]).toEqual(["8080", "8081", "0.0.0.0", "/mnt/models"]);
    expect(container.readinessProbe.httpGet).toEqual({ path: "/v2/health/ready", port: 8080 });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/v2/health/live", port: 8080 });
    const spec = runtime.spec as { annotations: Json; protocolVersions: string[]; supportedModelFormats: { name: string }[] };
    expect(spec.annotations).toEqual({ "prometheus.kserve.io/port": "8080", "prometheus.kserve.io/path": "/metrics" });
    expect(spec.protocolVersions).toEqual(["v2", "grpc-v2"]);
    const predictor = (service.spec as { predictor: { terminationGracePeriodSeconds: number; model: { runtime: string; modelFormat: { name: string }; protocolVersion: string } } }).predictor;
    expect(predictor.model.runtime).toBe((runtime.metadata as Json).name);
    expect(spec.supportedModelFormats.map((f) => f.name)).toContain(predictor.model.modelFormat.name);
    expect(predictor.terminationGracePeriodSeconds * 1000).toBeGreaterThan(Number(flag("drain-timeout")));

    const containerfile = readFileSync(join(deploy, "Containerfile"), "utf8");
    expect(containerfile).toMatch(/^FROM node:20-slim$/m);
    expect(/^EXPOSE (.*)$/m.exec(containerfile)![1]!.split(" ").map(Number)).toEqual(container.ports.map((p) => p.containerPort));
    expect(JSON.parse(/^CMD (.*)$/m.exec(containerfile)![1]!)).toEqual(container.args);
    expect(JSON.parse(/^ENTRYPOINT (.*)$/m.exec(containerfile)![1]!)).toEqual(["/usr/local/bin/tensorrt-env.sh", "trt-server"]);
    expect(containerfile).toContain("COPY tensorrt-env.sh /usr/local/bin/tensorrt-env.sh");
  });

  it("serves a /mnt/models-style folder with exactly the container's arguments", async () => {
    // What the storage initializer leaves in /mnt/models for a storageUri holding a model repository.
    const mnt = join(tmp, "mnt", "models");
    mkdirSync(join(mnt, "resnet", "1"), { recursive: true });
    copyFileSync(sampleEngine, join(mnt, "resnet", "1", "model.plan"));
    writeFileSync(join(mnt, "resnet", "config.json"), JSON.stringify({ dynamicBatching: { maxQueueDelayMicroseconds: 200 } }));
    // The container's arguments, but for where this test may put files and listen: the folder, loopback, free ports.
    const args = container.args.map((a) =>
      a === "--model-repository=/mnt/models" ? `--model-repository=${mnt}` : a === "--host=0.0.0.0" ? "--host=127.0.0.1" : /^--(grpc-)?port=/.test(a) ? a.replace(/=\d+$/, "=0") : a,
    );
    expect(args.map((a) => a.split("=")[0])).toEqual(container.args.map((a) => a.split("=")[0]));
    const server = startServer(args);
    const url = await server.url();
    await server.grpcAddress();
    expect((await fetch(`${url}/v2/health/ready`)).status).toBe(200);
    expect((await fetch(`${url}/v2/health/live`)).status).toBe(200);
    const { data, shape } = sampleInput(2);
    const answer = await fetch(`${url}/v2/models/resnet/infer`, { method: "POST", body: JSON.stringify({ inputs: [{ name: "x", shape, datatype: "FP32", data }] }) });
    expect(((await answer.json()) as { outputs: { data: number[] }[] }).outputs[0]!.data).toEqual(reference(data, 3));
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('trt_batch_size_count{model="resnet"} 1');
    server.child.kill("SIGTERM");
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });
});
