"""Drives trt-server's gRPC listener with Triton's own gRPC client (tritonclient[grpc] from PyPI).

    python tritonclient_grpc_check.py HOST:PORT CASES.json

CASES.json holds the sample engine's inputs (data and shape of x [batch, 8],
and a request id). The server serves "sample" and "dtypes" from the command
line and, from a model repository in explicit model-control mode, "big" (an
identity over float32 [rows, 8], for tensors over 4 MB) and "slow" (batching
with a minute's queue delay, so a request with a timeout outlasts it). The
script makes the calls a tritonclient user makes and prints one JSON report
of what the client returned; the Node test compares it with the references.
"""

import json
import queue
import sys

import ml_dtypes
import numpy as np
import tritonclient.grpc as grpcclient
from tritonclient.utils import InferenceServerException

url, cases_path = sys.argv[1], sys.argv[2]
with open(cases_path, encoding="utf-8") as f:
    cases = json.load(f)

client = grpcclient.InferenceServerClient(url=url)
report = {}

report["live"] = client.is_server_live()
report["ready"] = client.is_server_ready()
report["server_metadata"] = client.get_server_metadata(as_json=True)
report["model_ready"] = client.is_model_ready("sample")
report["unknown_model_ready"] = client.is_model_ready("nope")
report["model_metadata"] = client.get_model_metadata("sample", as_json=True)


def sample_input(case):
    x = np.array(case["data"], dtype=np.float32).reshape(case["shape"])
    tensor = grpcclient.InferInput("x", list(x.shape), "FP32")
    tensor.set_data_from_numpy(x)
    return tensor


def infer_sample(case):
    result = client.infer("sample", [sample_input(case)], outputs=[grpcclient.InferRequestedOutput("y")], request_id=case["id"])
    y = result.as_numpy("y")
    return {"id": result.get_response().id, "shape": list(y.shape), "dtype": str(y.dtype), "values": y.flatten().tolist()}


report["infer"] = [infer_sample(case) for case in cases["sample"]]

# Several requests in flight at once, answered through callbacks.
done = queue.Queue()
for case in cases["sample"]:
    client.async_infer("sample", [sample_input(case)], callback=lambda result, error: done.put((result, error)), request_id=case["id"])
answers = {}
for _ in cases["sample"]:
    result, error = done.get(timeout=120)
    if error is not None:
        raise error
    answers[result.get_response().id] = result.as_numpy("y").flatten().tolist()
report["async"] = answers

# Every datatype through raw contents, bit for bit.
dtypes = {
    "f32": np.array([1.5, -2.25, 3.4e38, 1e-45], dtype=np.float32).reshape(-1, 2),
    "f16": np.array([0.5, -65504, 6e-8], dtype=np.float16),
    "bf16": np.array([1.5, -3.0e38], dtype=ml_dtypes.bfloat16),
    "i8": np.array([-128, 0, 127], dtype=np.int8),
    "u8": np.array([0, 200, 255], dtype=np.uint8),
    "i32": np.array([-2147483648, 2147483647], dtype=np.int32),
    "i64": np.array([9007199254740993, -9223372036854775808], dtype=np.int64),
    "b": np.array([True, False, False, True, True, False], dtype=np.bool_).reshape(2, 3),
}
names = {"f32": "FP32", "f16": "FP16", "bf16": "BF16", "i8": "INT8", "u8": "UINT8", "i32": "INT32", "i64": "INT64", "b": "BOOL"}
inputs = []
for name, array in dtypes.items():
    tensor = grpcclient.InferInput(name, list(array.shape), names[name])
    tensor.set_data_from_numpy(array)
    inputs.append(tensor)
result = client.infer("dtypes", inputs)
same = {}
for name, array in dtypes.items():
    back = result.as_numpy(f"{name}_out")
    same[name] = back.dtype == array.dtype and back.shape == array.shape and back.tobytes() == array.tobytes()
nz = result.as_numpy("nz")
report["dtypes"] = {"same": same, "nz": {"shape": list(nz.shape), "values": nz.flatten().tolist()}}

# A tensor of more than 4 MB each way (gRPC's usual default limit).
rows = 196608
big = (np.arange(rows * 8, dtype=np.float32) % 1021).reshape(rows, 8)
big_input = grpcclient.InferInput("x", list(big.shape), "FP32")
big_input.set_data_from_numpy(big)
big_back = client.infer("big", [big_input]).as_numpy("y")
report["big"] = {"bytes": int(big.nbytes), "same": bool(big_back.shape == big.shape and big_back.tobytes() == big.tobytes())}

stats = client.get_inference_statistics("sample", as_json=True)["model_stats"][0]
report["statistics"] = {"name": stats["name"], "version": stats["version"], "inference_count": int(stats["inference_count"]), "execution_count": int(stats["execution_count"]), "success": int(stats["inference_stats"]["success"]["count"])}


def index():
    return sorted((m["name"], m.get("state")) for m in client.get_model_repository_index(as_json=True).get("models", []))


report["index_before"] = index()
client.unload_model("big")
report["big_ready_after_unload"] = client.is_model_ready("big")
report["index_after_unload"] = index()
client.load_model("big")
report["big_ready_after_load"] = client.is_model_ready("big")


def error_of(call):
    try:
        call()
    except InferenceServerException as e:
        return {"status": e.status(), "message": e.message()}
    return None


def with_input(name, datatype, array):
    tensor = grpcclient.InferInput(name, list(array.shape), datatype)
    tensor.set_data_from_numpy(array)
    return [tensor]


good = cases["sample"][0]
report["errors"] = {
    "unknown_model": error_of(lambda: client.infer("nope", [sample_input(good)])),
    "unknown_version": error_of(lambda: client.infer("sample", [sample_input(good)], model_version="2")),
    "unknown_model_metadata": error_of(lambda: client.get_model_metadata("nope")),
    "bad_datatype": error_of(lambda: client.infer("sample", with_input("x", "INT32", np.zeros((1, 8), dtype=np.int32)))),
    "wrong_shape": error_of(lambda: client.infer("sample", with_input("x", "FP32", np.zeros((2, 7), dtype=np.float32)))),
    "outside_profile": error_of(lambda: client.infer("sample", with_input("x", "FP32", np.zeros((17, 8), dtype=np.float32)))),
    "unknown_output": error_of(lambda: client.infer("sample", [sample_input(good)], outputs=[grpcclient.InferRequestedOutput("nope")])),
    "timeout": error_of(lambda: client.infer("slow", with_input("x", "FP32", np.zeros((1, 8), dtype=np.float32)), timeout=2000)),
    "load_unknown": error_of(lambda: client.load_model("absent")),
    "unload_command_line_model": error_of(lambda: client.unload_model("sample")),
}

client.close()
print(json.dumps(report))
