"""Unit tests of the real-model suite's manifest helpers and recipe declarations, without a GPU:
python3 -m unittest discover -s tools/real-tensorrt -p 'test_*.py'"""

import json
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "bench", "torch"))

import real_models_manifest as mf  # noqa: E402

try:
    import numpy as np
except ImportError:  # CI machines may lack NumPy: the recipe-case checks are skipped there
    np = None


def ok_entry(out_dir, name="resnet50_fp16", engine_bytes=b"ftrt-not-a-real-plan"):
    engine = f"{name}.engine"
    with open(os.path.join(out_dir, engine), "wb") as f:
        f.write(engine_bytes)
    files = {
        "in": mf.input_file(name, "b1", "x"),
        "trt": mf.output_file(name, "b1", "trt", "y"),
        "torch": mf.output_file(name, "b1", "torch", "y"),
    }
    for rel in files.values():
        os.makedirs(os.path.join(out_dir, os.path.dirname(rel)), exist_ok=True)
        with open(os.path.join(out_dir, rel), "wb") as f:
            f.write(b"npy")
    return {
        "name": name,
        "status": mf.STATUS_OK,
        "engine": engine,
        "bytes": len(engine_bytes),
        "sha256": mf.sha256_file(os.path.join(out_dir, engine)),
        "buildSeconds": 1.5,
        "tolerance": {"trt": {"atol": 0, "rtol": 0}, "torch": {"atol": 0.05, "rtol": 0.05}},
        "cases": [{
            "name": "b1", "profile": 0, "bench": True,
            "inputs": {"x": {"file": files["in"], "dtype": "float32", "shape": [1, 3, 224, 224]}},
            "trt": {"y": files["trt"]},
            "torch": {"y": files["torch"]},
        }],
    }


def manifest_with(*entries):
    m = mf.new_manifest("10.6.0", "NVIDIA H100 80GB HBM3", "580.159.04", "13.0", "2.11.0", 2)
    for e in entries:
        mf.merge_model(m, e)
    return m


class PathsTest(unittest.TestCase):
    def test_layout(self):
        self.assertEqual(mf.input_file("bert_base", "b32", "input_ids"), "bert_base/b32/in.input_ids.npy")
        self.assertEqual(mf.output_file("resnet50_fp16", "b1", "trt", "y"), "resnet50_fp16/b1/trt.y.npy")
        self.assertEqual(mf.output_file("detector_nms", "b8", "torchNms", "num_detections"), "detector_nms/b8/torchNms.num_detections.npy")


class ManifestTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def test_a_complete_manifest_has_no_problems_and_round_trips(self):
        m = manifest_with(ok_entry(self.dir), mf.failed_entry("bert_base", "tensorrt build", RuntimeError("out of memory")))
        self.assertEqual(mf.manifest_problems(m, self.dir), [])
        mf.write_manifest(self.dir, m)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "manifest.json.tmp")))
        back = mf.read_manifest(self.dir)
        self.assertEqual(back, json.loads(json.dumps(m)))
        self.assertEqual(back["builderOptimizationLevel"], 2)
        self.assertEqual([x["name"] for x in back["models"]], ["resnet50_fp16", "bert_base"])

    def test_failed_entry_names_the_stage_and_the_exception(self):
        e = mf.failed_entry("detector_nms", "tensorrt network", ValueError("no creator"), {"cases": [], "tolerance": {}})
        self.assertEqual(e["status"], "failed")
        self.assertEqual(e["reason"], "tensorrt network: ValueError: no creator")
        self.assertEqual(e["cases"], [])  # what was done before the failure is kept

    def test_a_wrong_engine_is_reported(self):
        entry = ok_entry(self.dir)
        entry["sha256"] = "0" * 64
        self.assertIn("model resnet50_fp16: engine sha256 differs from the manifest", mf.manifest_problems(manifest_with(entry), self.dir))
        entry = ok_entry(self.dir)
        entry["bytes"] += 1
        self.assertTrue(any("bytes, manifest says" in p for p in mf.manifest_problems(manifest_with(entry), self.dir)))
        os.remove(os.path.join(self.dir, "resnet50_fp16.engine"))
        self.assertIn("model resnet50_fp16: engine file resnet50_fp16.engine is missing", mf.manifest_problems(manifest_with(entry), self.dir))

    def test_missing_files_and_fields_are_reported(self):
        entry = ok_entry(self.dir)
        os.remove(os.path.join(self.dir, entry["cases"][0]["trt"]["y"]))
        del entry["cases"][0]["inputs"]["x"]["dtype"]
        entry["cases"][0]["bench"] = False
        entry["tolerance"]["torch"] = {"atol": "0.1"}
        problems = mf.manifest_problems(manifest_with(entry), self.dir)
        self.assertIn("model resnet50_fp16 case b1: trt file resnet50_fp16/b1/trt.y.npy is missing", problems)
        self.assertIn("model resnet50_fp16 case b1: input x needs file, dtype and shape", problems)
        self.assertIn("model resnet50_fp16: no case is marked bench", problems)
        self.assertIn("model resnet50_fp16: tolerance.torch needs numeric atol and rtol", problems)

    def test_status_and_reason_rules(self):
        bad = {"name": "x", "status": "broken"}
        no_reason = {"name": "y", "status": "failed"}
        problems = mf.manifest_problems(manifest_with(bad, no_reason))
        self.assertIn("model x: status 'broken' is neither 'ok' nor 'failed'", problems)
        self.assertIn("model y: failed without a reason", problems)
        m = manifest_with()
        del m["driver"]
        self.assertIn("manifest: no 'driver'", mf.manifest_problems(m))

    def test_weight_streaming_budget_must_be_below_the_engine(self):
        entry = ok_entry(self.dir, "mlp_big_ws")
        entry["weightStreaming"] = {"engineBytes": 100, "budgetBytes": 50}
        self.assertEqual(mf.manifest_problems(manifest_with(entry), self.dir), [])
        entry["weightStreaming"] = {"engineBytes": 100, "budgetBytes": 100}
        self.assertIn("model mlp_big_ws: the weight-streaming budget is not below the engine's size", mf.manifest_problems(manifest_with(entry), self.dir))

    def test_merge_replaces_by_name_in_suite_order(self):
        order = ["resnet50_fp16", "bert_base", "detector_nms"]
        m = manifest_with()
        mf.merge_model(m, {"name": "detector_nms", "status": "ok", "v": 1}, order)
        mf.merge_model(m, {"name": "resnet50_fp16", "status": "ok"}, order)
        mf.merge_model(m, {"name": "detector_nms", "status": "failed", "reason": "r"}, order)
        self.assertEqual([(x["name"], x["status"]) for x in m["models"]], [("resnet50_fp16", "ok"), ("detector_nms", "failed")])


class RecipesTest(unittest.TestCase):
    """The recipes' declarations (no torch, no TensorRT): what the manifest will carry."""

    def setUp(self):
        from real_model_recipes import NAMES, RECIPES

        self.recipes = [r() for r in RECIPES]
        self.names = NAMES

    def test_the_suite_has_the_five_models(self):
        self.assertEqual(self.names, ["resnet50_fp16", "bert_base", "detector_nms", "resnet18_int8_qdq", "mlp_big_ws"])

    def test_tolerances_are_exact_against_tensorrt_and_numeric_against_pytorch(self):
        for r in self.recipes:
            self.assertEqual(r.tolerance["trt"], {"atol": 0, "rtol": 0}, r.name)
            self.assertGreater(r.tolerance["torch"]["atol"], 0, r.name)

    def test_profiles_are_ordered_min_opt_max(self):
        for r in self.recipes:
            for shapes in r.profiles:
                for tensor, (lo, opt, hi) in shapes.items():
                    self.assertTrue(all(a <= b <= c for a, b, c in zip(lo, opt, hi)), f"{r.name} {tensor}")

    def test_bert_has_two_profiles_over_every_input(self):
        bert = next(r for r in self.recipes if r.name == "bert_base")
        self.assertEqual(len(bert.profiles), 2)
        for shapes in bert.profiles:
            self.assertEqual(set(shapes), {"input_ids", "attention_mask", "token_type_ids"})

    @unittest.skipIf(np is None, "NumPy is not installed")
    def test_every_case_fits_its_profile_and_benches_cover_1_8_and_32(self):
        for r in self.recipes:
            cases = r.cases(np)
            self.assertEqual(len({c.name for c in cases}), len(cases), r.name)
            for c in cases:
                shapes = r.profiles[c.profile]
                self.assertEqual(set(c.inputs), set(shapes), f"{r.name} {c.name}")
                for tensor, array in c.inputs.items():
                    lo, _, hi = shapes[tensor]
                    self.assertTrue(all(a <= d <= b for a, d, b in zip(lo, array.shape, hi)), f"{r.name} {c.name} {tensor} {array.shape}")
            batches = {c.inputs[next(iter(c.inputs))].shape[0] for c in cases if c.bench}
            want = {1, 8} if r.name == "mlp_big_ws" else {1, 8, 32}
            self.assertEqual(batches, want, r.name)

    @unittest.skipIf(np is None, "NumPy is not installed")
    def test_inputs_are_seeded(self):
        for r in self.recipes:
            first, second = r.cases(np), r.cases(np)
            for a, b in zip(first, second):
                for tensor in a.inputs:
                    self.assertTrue(np.array_equal(a.inputs[tensor], b.inputs[tensor]), f"{r.name} {a.name} {tensor}")

    @unittest.skipIf(np is None, "NumPy is not installed")
    def test_bert_masks_pad_at_the_end_and_ids_are_zero_there(self):
        bert = next(r for r in self.recipes if r.name == "bert_base")
        for c in bert.cases(np):
            mask, ids = c.inputs["attention_mask"], c.inputs["input_ids"]
            self.assertEqual(ids.dtype, np.int64)
            for row in range(mask.shape[0]):
                n = int(mask[row].sum())
                self.assertTrue(np.all(mask[row, :n] == 1) and np.all(mask[row, n:] == 0))
                self.assertTrue(np.all(ids[row, n:] == 0))
                self.assertEqual(ids[row, 0], 101)


@unittest.skipIf(np is None, "NumPy is not installed")
class ComparisonTest(unittest.TestCase):
    """How real_models.py records TensorRT against PyTorch in `observed`."""

    def test_difference_uses_atol_plus_rtol_of_the_reference(self):
        from real_models import difference

        want = np.array([1.0, -2.0, 100.0], dtype=np.float32)
        tol = {"atol": 0.1, "rtol": 0.01}
        inside = difference(np, want + np.array([0.1, -0.12, 1.05], dtype=np.float32), want, tol)
        self.assertTrue(inside["withinTolerance"])
        self.assertAlmostEqual(inside["maxAbsDiff"], 1.05, places=4)
        self.assertAlmostEqual(inside["maxAbsReference"], 100.0)
        outside = difference(np, want + np.array([0.0, 0.0, 1.2], dtype=np.float32), want, tol)
        self.assertFalse(outside["withinTolerance"])
        self.assertEqual(difference(np, np.zeros((2, 3)), np.zeros((3, 2)), tol), {"shape": [[2, 3], [3, 2]], "withinTolerance": False})

    def test_nms_agreement_counts_equal_detections_position_by_position(self):
        from real_models import nms_agreement

        ref = {
            "num_detections": np.array([[2], [1]], dtype=np.int32),
            "detection_classes": np.array([[3, 4, 0], [1, 0, 0]], dtype=np.int32),
            "detection_scores": np.array([[0.9, 0.8, 0], [0.7, 0, 0]], dtype=np.float32),
            "detection_boxes": np.zeros((2, 3, 4), dtype=np.float32),
        }
        got = {k: v.copy() for k, v in ref.items()}
        got["num_detections"][1, 0] = 2  # one extra box in image 1
        got["detection_classes"][0, 1] = 5  # a different class in image 0
        self.assertEqual(nms_agreement(np, got, ref), {"imagesWithEqualCounts": 1, "images": 2, "detectionsEqual": 2, "detections": 4})


if __name__ == "__main__":
    unittest.main()
