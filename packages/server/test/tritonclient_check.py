"""Drives trt-server with Triton's own HTTP client (tritonclient[http] from PyPI).

    python tritonclient_check.py HOST:PORT CASES.json

CASES.json holds the sample engine's inputs (data and shape of x [batch, 8], and a request id) and the values the
dtypes engine is fed. The script makes the calls a tritonclient user makes -
health, metadata, inference in JSON and in binary, concurrent async
inference, and calls that must fail - and prints one JSON report of what the
client returned: decoded arrays, response ids, and each
InferenceServerException's status and message. The Node test compares the
report with the engines' references, so the checks live in one place.
"""

import json
import sys

import ml_dtypes
import numpy as np
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

url, cases_path = sys.argv[1], sys.argv[2]
with open(cases_path, encoding="utf-8") as f:
    cases = json.load(f)

# The server runs on a busy 2-core machine next to this script: allow it time.
client = httpclient.InferenceServerClient(url=url, connection_timeout=60.0, network_timeout=60.0, concurrency=4)
report = {}

report["live"] = client.is_server_live()
report["ready"] = client.is_server_ready()
report["server_metadata"] = client.get_server_metadata()
report["model_ready"] = client.is_model_ready("sample")
report["model_ready_v1"] = client.is_model_ready("sample", model_version="1")
report["unknown_model_ready"] = client.is_model_ready("nope")
report["model_metadata"] = client.get_model_metadata("sample")
report["model_metadata_v1"] = client.get_model_metadata("sample", model_version="1")
report["dtypes_metadata"] = client.get_model_metadata("dtypes")


def sample_input(case, binary):
    x = np.array(case["data"], dtype=np.float32).reshape(case["shape"])
    tensor = httpclient.InferInput("x", list(x.shape), "FP32")
    tensor.set_data_from_numpy(x, binary_data=binary)
    return tensor


def decoded(result, name):
    array = result.as_numpy(name)
    output = result.get_output(name)
    return {
        "shape": list(array.shape),
        "dtype": str(array.dtype),
        "values": array.flatten().tolist(),
        "sent_as_binary": "binary_data_size" in (output.get("parameters") or {}),
    }


def infer_sample(case, binary):
    outputs = [httpclient.InferRequestedOutput("y", binary_data=binary)]
    result = client.infer("sample", [sample_input(case, binary)], outputs=outputs, request_id=case["id"])
    return {"id": result.get_response().get("id"), "y": decoded(result, "y")}


report["json_mode"] = [infer_sample(case, False) for case in cases["sample"]]
report["binary_mode"] = [infer_sample(case, True) for case in cases["sample"]]
# No outputs named: tritonclient asks for every output as binary data (binary_data_output).
default = client.infer("sample", [sample_input(cases["sample"][0], True)], model_version="1")
report["all_outputs"] = {name: decoded(default, name) for name in [o["name"] for o in default.get_response()["outputs"]]}

# Several requests in flight at once over the client's connection pool.
pending = [client.async_infer("sample", [sample_input(case, True)], request_id=case["id"]) for case in cases["sample"]]
report["async"] = [{"id": r.get_response().get("id"), "y": r.as_numpy("y").flatten().tolist()} for r in (p.get_result() for p in pending)]

# Every datatype the server carries, in numpy's own types (BF16 through ml_dtypes, as tritonclient requires).
values = cases["dtypes"]
arrays = {
    "f32": np.array(values["f32"], dtype=np.float32).reshape(-1, 2),
    "f16": np.array(values["f16"], dtype=np.float16),
    "bf16": np.array(values["bf16"], dtype=ml_dtypes.bfloat16),
    "i8": np.array(values["i8"], dtype=np.int8),
    "u8": np.array(values["u8"], dtype=np.uint8),
    "i32": np.array(values["i32"], dtype=np.int32),
    "i64": np.array([int(v) for v in values["i64"]], dtype=np.int64),
    "b": np.array(values["b"], dtype=np.bool_).reshape(2, 3),
}
datatypes = {"f32": "FP32", "f16": "FP16", "bf16": "BF16", "i8": "INT8", "u8": "UINT8", "i32": "INT32", "i64": "INT64", "b": "BOOL"}


def dtypes_round_trip(binary):
    inputs = []
    for name, array in arrays.items():
        tensor = httpclient.InferInput(name, list(array.shape), datatypes[name])
        # tritonclient sends BF16 only as binary data; INT64 beyond 2^53 has no exact form in the
        # server's JSON parser (the server says so, with a 400), so it goes as binary data too.
        tensor.set_data_from_numpy(array, binary_data=binary or name in ("bf16", "i64"))
        inputs.append(tensor)
    outputs = [httpclient.InferRequestedOutput(f"{name}_out", binary_data=binary) for name in arrays] + [httpclient.InferRequestedOutput("nz", binary_data=binary)]
    result = client.infer("dtypes", inputs, outputs=outputs)
    same = {}
    for name, array in arrays.items():
        back = result.as_numpy(f"{name}_out")
        # Bit for bit: the same dtype, shape and bytes (so -0.0 and NaN payloads count too).
        same[name] = back.dtype == array.dtype and back.shape == array.shape and back.tobytes() == array.tobytes()
    nz = result.as_numpy("nz")
    return {"same": same, "nz": {"shape": list(nz.shape), "values": nz.flatten().tolist()}, "i64": [str(v) for v in result.as_numpy("i64_out").flatten()]}


report["dtypes_binary"] = dtypes_round_trip(True)
report["dtypes_json"] = dtypes_round_trip(False)


def error_of(call):
    try:
        call()
    except InferenceServerException as e:
        return {"status": e.status(), "message": e.message()}
    return None


good = cases["sample"][0]


def with_input(name, datatype, array):
    tensor = httpclient.InferInput(name, list(array.shape), datatype)
    tensor.set_data_from_numpy(array)
    return [tensor]


report["errors"] = {
    "unknown_model": error_of(lambda: client.infer("nope", [sample_input(good, True)])),
    "unknown_version": error_of(lambda: client.infer("sample", [sample_input(good, True)], model_version="2")),
    "unknown_model_metadata": error_of(lambda: client.get_model_metadata("nope")),
    "bad_datatype": error_of(lambda: client.infer("sample", with_input("x", "INT32", np.zeros((1, 8), dtype=np.int32)))),
    "wrong_shape": error_of(lambda: client.infer("sample", with_input("x", "FP32", np.zeros((2, 7), dtype=np.float32)))),
    "outside_profile": error_of(lambda: client.infer("sample", with_input("x", "FP32", np.zeros((17, 8), dtype=np.float32)))),
    "unknown_input": error_of(lambda: client.infer("sample", with_input("z", "FP32", np.zeros((1, 8), dtype=np.float32)))),
    "unknown_output": error_of(lambda: client.infer("sample", [sample_input(good, True)], outputs=[httpclient.InferRequestedOutput("nope")])),
}

client.close()
print(json.dumps(report))
