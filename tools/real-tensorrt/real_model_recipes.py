"""The five networks of the real-model suite: for each, its PyTorch model, its seeded
cases, PyTorch's reference outputs, and how TensorRT builds it.

| name | what | how TensorRT gets it | why it is in the suite |
| --- | --- | --- | --- |
| resnet50_fp16 | torchvision ResNet-50 | ONNX, fp16 flag, batch 1..64 | a CNN whose GPU time is longer than its host time |
| bert_base | transformers BertModel, BERT-base size | ONNX, fp16 flag, two profiles | int64 inputs, dynamic batch and sequence, profile selection |
| detector_nms | a small detector + EfficientNMS_TRT | ONNX with a plugin node, fp32 (TF32 off) | a standard plugin from libnvinfer_plugin |
| resnet18_int8_qdq | ResNet-18 with Q/DQ on every conv | ONNX Q/DQ, INT8 + fp16 flags | explicit quantization (INT8 kernels) |
| mlp_big_ws | 18 x 8192^2 fp16 MLP, 2.42 GB | network API, strongly typed, weight streaming | an engine over 2 GB, run below its size |

Weights are random and seeded (tools/bench/torch/real_model_zoo.py), so the builder,
the anchors and any rebuild agree. The model objects are imported lazily: torch,
onnx and tensorrt are only needed when a recipe runs.
"""

import hashlib

import real_model_zoo as zoo

OPSET = 17
TRT_EXACT = {"atol": 0, "rtol": 0}


def rng(np, label):
    digest = hashlib.sha256(f"{zoo.ZOO_SEED}:{label}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


class Case:
    def __init__(self, name, profile, bench, inputs):
        self.name = name
        self.profile = profile
        self.bench = bench
        self.inputs = inputs  # tensor name -> NumPy array


class Recipe:
    """What every model provides; real_models.py runs the steps in this order, recording
    the stage that fails."""

    name = ""
    description = ""
    tolerance = {"trt": TRT_EXACT, "torch": {"atol": 1e-3, "rtol": 1e-3}}
    plugins = ()
    weight_streaming = False
    notes = None

    def make_torch(self, torch):
        """The fp32 PyTorch model on the GPU (references are computed with it)."""
        raise NotImplementedError

    def cases(self, np):
        raise NotImplementedError

    def torch_outputs(self, torch, model, case):
        """PyTorch's outputs for `case`, as NumPy arrays keyed by the engine's output names."""
        raise NotImplementedError

    def extra_references(self, torch, model, case):
        """Other references beside the engine's outputs: {label: {tensor: array}}."""
        return {}

    def export(self, ctx):
        """Writes the model's ONNX file into ctx's folder and returns its path (None for a model
        TensorRT's network API builds). Needs torch and onnx only, not TensorRT."""
        return None

    def onnxruntime_model(self, ctx, onnx_path):
        """The ONNX file ONNX Runtime can check against PyTorch (None: nothing to check)."""
        return onnx_path

    def network(self, ctx, onnx_path):
        """(network, keep_alive) for TensorRT; ctx has trt, builder, log, torch, model, file(), note()."""
        return parse(ctx, onnx_path)

    def configure(self, trt, builder, config):
        """Builder flags and optimization profiles."""


def torch_inputs(torch, case):
    return [torch.from_numpy(v).cuda() for v in case.inputs.values()]


def to_numpy(tensors):
    return [t.detach().float().cpu().numpy() if t.is_floating_point() else t.detach().cpu().numpy() for t in tensors]


def export_onnx(torch, model, args, path, input_names, output_names, dynamic_axes):
    """PyTorch's TorchScript-based ONNX exporter (dynamo=False), as the issue's trials used."""
    with torch.no_grad():
        torch.onnx.export(
            model, tuple(args), path,
            input_names=list(input_names), output_names=list(output_names),
            dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=True, dynamo=False,
        )
    return path


def parse(ctx, path, strongly_typed=False):
    from real_trt_build import parse_onnx

    return parse_onnx(ctx.trt, ctx.builder, ctx.log, path, strongly_typed)


def image_cases(np, name, batches, bench, size=224):
    return [
        Case(f"b{b}", 0, b in bench, {"x": rng(np, f"{name}.b{b}").standard_normal((b, 3, size, size)).astype(np.float32)})
        for b in batches
    ]


class ResNet50Fp16(Recipe):
    name = "resnet50_fp16"
    description = "torchvision ResNet-50 (random weights, BatchNorm statistics settled), fp16 builder flag, x [B,3,224,224] float32 for B 1..64 (opt 32), y [B,1000]"
    # fp16 against fp32 PyTorch, logits |y| <= 2. First H100 run: max |diff| 0.106, mean 0.018;
    # PyTorch's own fp16 differs from its fp32 by max 0.069, mean 0.014 on the same inputs.
    tolerance = {"trt": TRT_EXACT, "torch": {"atol": 1.5e-1, "rtol": 5e-2}}
    profiles = [{"x": ((1, 3, 224, 224), (32, 3, 224, 224), (64, 3, 224, 224))}]

    def make_torch(self, torch):
        return zoo.resnet50().cuda()

    def cases(self, np):
        return image_cases(np, self.name, (1, 8, 32, 64), bench=(1, 8, 32))

    def torch_outputs(self, torch, model, case):
        with torch.no_grad():
            (y,) = to_numpy([model(*torch_inputs(torch, case))])
        return {"y": y}

    def export(self, ctx):
        torch = ctx.torch
        return export_onnx(torch, ctx.model, [torch.zeros(2, 3, 224, 224, device="cuda")], ctx.file("model.onnx"),
                           ["x"], ["y"], {"x": {0: "batch"}, "y": {0: "batch"}})

    def configure(self, trt, builder, config):
        from real_trt_build import add_profiles

        config.set_flag(trt.BuilderFlag.FP16)
        add_profiles(builder, config, self.profiles)


class BertBase(Recipe):
    name = "bert_base"
    description = ("transformers BertModel (BertConfig() defaults: 12 layers, hidden 768; random weights, eager attention), "
                   "int64 input_ids / attention_mask / token_type_ids [B,S], outputs last_hidden_state [B,S,768] and "
                   "pooler_output [B,768]; fp16 flag; profile 0: B 1..8, S 16..128; profile 1: B 8..32, S 16..128")
    # fp16 through 12 layers against fp32 PyTorch; hidden states are LayerNorm outputs (std 1,
    # |x| <= 5). First H100 run: max |diff| 0.017 (b32), mean 0.0025.
    tolerance = {"trt": TRT_EXACT, "torch": {"atol": 5e-2, "rtol": 2e-2}}
    inputs = ("input_ids", "attention_mask", "token_type_ids")
    profiles = [
        {n: ((1, 16), (8, 128), (8, 128)) for n in ("input_ids", "attention_mask", "token_type_ids")},
        {n: ((8, 16), (32, 128), (32, 128)) for n in ("input_ids", "attention_mask", "token_type_ids")},
    ]

    def make_torch(self, torch):
        return zoo.bert_base("eager").cuda()

    def tokens(self, np, label, batch, seq, pad):
        """Seeded ids (101 = [CLS] first), a mask with padding at the end of some rows when `pad`,
        and two segments (0 then 1) over each row's valid part."""
        g = rng(np, f"{self.name}.{label}")
        ids = g.integers(1000, 30000, size=(batch, seq), dtype=np.int64)
        ids[:, 0] = 101
        lengths = g.integers(seq // 2, seq + 1, size=batch) if pad else np.full(batch, seq)
        mask = (np.arange(seq)[None, :] < lengths[:, None]).astype(np.int64)
        types = ((np.arange(seq)[None, :] >= (lengths[:, None] // 2)) & (mask == 1)).astype(np.int64)
        ids = np.where(mask == 1, ids, 0)
        return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}

    def cases(self, np):
        spec = [("b1", 1, 128, 0, True, False), ("b8", 8, 128, 0, True, True), ("b32", 32, 128, 1, True, True),
                ("b4_s64", 4, 64, 0, False, True), ("b16_s96", 16, 96, 1, False, True)]
        return [Case(name, profile, bench, self.tokens(np, name, b, s, pad)) for name, b, s, profile, bench, pad in spec]

    def torch_outputs(self, torch, model, case):
        with torch.no_grad():
            hidden, pooled = to_numpy(model(*torch_inputs(torch, case)))
        return {"last_hidden_state": hidden, "pooler_output": pooled}

    def export(self, ctx):
        import numpy as np

        torch = ctx.torch
        # Padding in the example mask, so no branch for "no padding" can be traced in.
        example = self.tokens(np, "export", 2, 32, pad=True)
        example["attention_mask"][0, -5:] = 0
        args = [torch.from_numpy(example[n]).cuda() for n in self.inputs]
        axes = {n: {0: "batch", 1: "sequence"} for n in self.inputs}
        axes["last_hidden_state"] = {0: "batch", 1: "sequence"}
        axes["pooler_output"] = {0: "batch"}
        return export_onnx(torch, ctx.model, args, ctx.file("model.onnx"), self.inputs, ["last_hidden_state", "pooler_output"], axes)

    def configure(self, trt, builder, config):
        from real_trt_build import add_profiles

        config.set_flag(trt.BuilderFlag.FP16)
        add_profiles(builder, config, self.profiles)


class DetectorNms(Recipe):
    name = "detector_nms"
    spec = zoo.DETECTOR
    description = ("a small conv detector (5 stride-2 stages, 3 anchors on a 10x10 grid, 20 classes; random weights) "
                   "producing boxes [B,300,4] and scores [B,300,20], then TensorRT's EfficientNMS_TRT plugin "
                   "(score > 0.5, IoU 0.5, at most 100 boxes): num_detections [B,1] int32, detection_boxes [B,100,4], "
                   "detection_scores [B,100], detection_classes [B,100] int32; x [B,3,320,320] for B 1..32; fp32 with TF32 off")
    # Strict fp32 (TF32 off) against fp32 PyTorch; boxes are in pixels (up to ~600), scores in 0..1.
    # First H100 run: boxes max |diff| 3.6e-4, scores 7e-7.
    tolerance = {"trt": TRT_EXACT, "torch": {"atol": 1e-3, "rtol": 1e-3}}
    plugins = ("EfficientNMS_TRT",)
    profiles = [{"x": ((1, 3, 320, 320), (8, 3, 320, 320), (32, 3, 320, 320))}]
    nms_outputs = ("num_detections", "detection_boxes", "detection_scores", "detection_classes")
    notes = ("torch holds the network's outputs before NMS (boxes, scores), which the engine also outputs; "
             "torchNms holds torchvision's batched_nms on PyTorch's boxes and scores in the plugin's output layout, "
             "compared in observed.nms (ties and boxes near the thresholds may order or select differently)")

    def make_torch(self, torch):
        return zoo.detector().cuda()

    def cases(self, np):
        return image_cases(np, self.name, (1, 8, 32), bench=(1, 8, 32), size=self.spec["image"])

    def torch_outputs(self, torch, model, case):
        with torch.no_grad():
            boxes, scores = to_numpy(model(*torch_inputs(torch, case)))
        return {"boxes": boxes, "scores": scores}

    def extra_references(self, torch, model, case):
        with torch.no_grad():
            boxes, scores = model(*torch_inputs(torch, case))
            outs = to_numpy(zoo.torch_nms(torch, boxes, scores, self.spec))
        return {"torchNms": dict(zip(self.nms_outputs, outs))}

    def nms_attributes(self):
        # The plugin's creator fields, as the ONNX parser's plugin fallback passes node attributes.
        return {
            "plugin_version": "1",
            "background_class": -1,
            "max_output_boxes": self.spec["maxOutputBoxes"],
            "score_threshold": float(self.spec["scoreThreshold"]),
            "iou_threshold": float(self.spec["iouThreshold"]),
            "score_activation": 0,
            "class_agnostic": 0,
            "box_coding": 0,
        }

    def add_nms_node(self, backbone_path, out_path):
        """The exported backbone plus an EfficientNMS_TRT node: TensorRT's ONNX parser has no
        importer for it, so it asks the plugin registry for a creator of that name."""
        import onnx
        from onnx import TensorProto, helper

        model = onnx.load(backbone_path)
        graph = model.graph
        graph.node.append(helper.make_node("EfficientNMS_TRT", ["boxes", "scores"], list(self.nms_outputs), name="efficient_nms", **self.nms_attributes()))
        k = self.spec["maxOutputBoxes"]
        graph.output.extend([
            helper.make_tensor_value_info("num_detections", TensorProto.INT32, ["batch", 1]),
            helper.make_tensor_value_info("detection_boxes", TensorProto.FLOAT, ["batch", k, 4]),
            helper.make_tensor_value_info("detection_scores", TensorProto.FLOAT, ["batch", k]),
            helper.make_tensor_value_info("detection_classes", TensorProto.INT32, ["batch", k]),
        ])
        onnx.save(model, out_path)
        return out_path

    def export(self, ctx):
        torch = ctx.torch
        backbone = export_onnx(torch, ctx.model, [torch.zeros(2, 3, self.spec["image"], self.spec["image"], device="cuda")],
                               ctx.file("backbone.onnx"), ["x"], ["boxes", "scores"],
                               {"x": {0: "batch"}, "boxes": {0: "batch"}, "scores": {0: "batch"}})
        return self.add_nms_node(backbone, ctx.file("model.onnx"))

    def onnxruntime_model(self, ctx, onnx_path):
        return ctx.file("backbone.onnx")  # ONNX Runtime has no EfficientNMS_TRT

    def network(self, ctx, onnx_path):
        from real_trt_build import BuildError

        try:
            return parse(ctx, onnx_path)
        except BuildError as e:
            # The same plugin through the network API: the engine is what matters to the suite.
            ctx.note(f"the ONNX parser refused the EfficientNMS_TRT node ({e}); the plugin was added with the network API")
            return self.network_api_nms(ctx, ctx.file("backbone.onnx"))

    def network_api_nms(self, ctx, backbone_path):
        import numpy as np

        trt = ctx.trt
        network, parser = parse(ctx, backbone_path)
        creator = trt.get_plugin_registry().get_plugin_creator("EfficientNMS_TRT", "1", "")
        if creator is None:
            raise RuntimeError("no EfficientNMS_TRT creator in the plugin registry (libnvinfer_plugin not loaded?)")
        fields = []
        for key, value in self.nms_attributes().items():
            if key == "plugin_version":
                continue
            if isinstance(value, float):
                fields.append(trt.PluginField(key, np.array([value], dtype=np.float32), trt.PluginFieldType.FLOAT32))
            else:
                fields.append(trt.PluginField(key, np.array([value], dtype=np.int32), trt.PluginFieldType.INT32))
        plugin = creator.create_plugin("efficient_nms", trt.PluginFieldCollection(fields))
        outputs = {network.get_output(i).name: network.get_output(i) for i in range(network.num_outputs)}
        layer = network.add_plugin_v2([outputs["boxes"], outputs["scores"]], plugin)
        layer.name = "efficient_nms"
        for i, name in enumerate(self.nms_outputs):
            t = layer.get_output(i)
            t.name = name
            network.mark_output(t)
        return network, (parser, fields)

    def configure(self, trt, builder, config):
        from real_trt_build import add_profiles

        config.clear_flag(trt.BuilderFlag.TF32)
        add_profiles(builder, config, self.profiles)


class ResNet18Int8Qdq(Recipe):
    name = "resnet18_int8_qdq"
    description = ("torchvision ResNet-18 (random weights, BatchNorm folded) with explicit quantization: per-tensor "
                   "symmetric INT8 Q/DQ on every convolution's input, per-channel on its weights (scales from one "
                   "seeded calibration batch), INT8 + fp16 flags; x [B,3,224,224] float32 for B 1..64 (opt 32), y [B,1000]")
    # INT8 kernels against PyTorch's fp32 fake quantization (a value on a rounding edge moves one
    # step), logits |y| <= 2. First H100 run: max |diff| 0.062, mean 0.011.
    tolerance = {"trt": TRT_EXACT, "torch": {"atol": 1e-1, "rtol": 1e-1}}
    profiles = [{"x": ((1, 3, 224, 224), (32, 3, 224, 224), (64, 3, 224, 224))}]
    notes = "torch holds the fake-quantized network's fp32 outputs (torch.fake_quantize_* on the same scales)"

    def make_torch(self, torch):
        return zoo.resnet18_qdq(quantize=True).cuda()

    def cases(self, np):
        return image_cases(np, self.name, (1, 8, 32), bench=(1, 8, 32))

    def torch_outputs(self, torch, model, case):
        with torch.no_grad():
            (y,) = to_numpy([model(*torch_inputs(torch, case))])
        return {"y": y}

    def export(self, ctx):
        import onnx

        torch = ctx.torch
        path = export_onnx(torch, ctx.model, [torch.zeros(2, 3, 224, 224, device="cuda")], ctx.file("model.onnx"),
                           ["x"], ["y"], {"x": {0: "batch"}, "y": {0: "batch"}})

        ops = [n.op_type for n in onnx.load(path, load_external_data=False).graph.node]
        count = ops.count("QuantizeLinear")
        if count == 0:
            raise RuntimeError("the exported ONNX has no QuantizeLinear node: the fake quantization was not exported")
        ctx.note(f"ONNX: {count} QuantizeLinear and {ops.count('DequantizeLinear')} DequantizeLinear nodes")
        return path

    def configure(self, trt, builder, config):
        from real_trt_build import add_profiles

        config.set_flag(trt.BuilderFlag.INT8)
        config.set_flag(trt.BuilderFlag.FP16)
        add_profiles(builder, config, self.profiles)


class MlpBigWeightStreaming(Recipe):
    name = "mlp_big_ws"
    spec = zoo.BIG_MLP
    description = ("an MLP of 18 fp16 layers 8192x8192 with bias and ReLU (2.42 GB of weights, random), built from "
                   "TensorRT's network API as a strongly typed network with the WEIGHT_STREAMING flag; "
                   "x [B,8192] float16 for B 1..8, y [B,8192] float16; run with a budget of half its streamable weights")
    # fp16 TensorRT against fp32 PyTorch on the same fp16 weights, |y| <= 7. First H100 run: max
    # |diff| 0.098, mean 0.016, where PyTorch's own fp16 differs from its fp32 by max 0.006, mean
    # 0.001: TensorRT's fp16 matrix products here are less precise than cuBLAS's.
    tolerance = {"trt": TRT_EXACT, "torch": {"atol": 1.5e-1, "rtol": 5e-2}}
    weight_streaming = True
    profiles = [{"x": ((1, 8192), (8, 8192), (8, 8192))}]
    notes = "torch holds PyTorch's fp32 outputs on the same fp16 weights, stored as float16 like the engine's output"

    def __init__(self):
        self.layers = None

    def make_torch(self, torch):
        self.layers = zoo.big_mlp_weights(torch, self.spec)
        return zoo.big_mlp("float32", "cuda", self.layers)

    def cases(self, np):
        w = self.spec["width"]
        return [Case(f"b{b}", 0, True, {"x": rng(np, f"{self.name}.b{b}").standard_normal((b, w)).astype(np.float16)}) for b in (1, 8)]

    def torch_outputs(self, torch, model, case):
        with torch.no_grad():
            y = model(*torch_inputs(torch, case))
        return {"y": y.to(torch.float16).cpu().numpy()}

    def network(self, ctx, onnx_path):
        trt = ctx.trt
        from real_trt_build import network_flags

        network = ctx.builder.create_network(network_flags(trt, strongly_typed=True))
        width = self.spec["width"]
        h = network.add_input("x", trt.float16, (-1, width))
        keep = []
        last = len(self.layers) - 1
        for i, (w, b) in enumerate(self.layers):
            wn = w.numpy()  # [out, in] fp16, shares the tensor's memory
            bn = b.numpy().reshape(1, width)
            keep += [wn, bn]
            weight = network.add_constant((width, width), trt.Weights(wn))
            weight.name = f"fc{i}.weight"
            mm = network.add_matrix_multiply(h, trt.MatrixOperation.NONE, weight.get_output(0), trt.MatrixOperation.TRANSPOSE)
            mm.name = f"fc{i}.matmul"
            bias = network.add_constant((1, width), trt.Weights(bn))
            bias.name = f"fc{i}.bias"
            add = network.add_elementwise(mm.get_output(0), bias.get_output(0), trt.ElementWiseOperation.SUM)
            add.name = f"fc{i}.bias_add"
            h = add.get_output(0)
            if i < last:
                relu = network.add_activation(h, trt.ActivationType.RELU)
                relu.name = f"fc{i}.relu"
                h = relu.get_output(0)
        h.name = "y"
        network.mark_output(h)
        return network, keep

    def configure(self, trt, builder, config):
        from real_trt_build import add_profiles

        config.set_flag(trt.BuilderFlag.WEIGHT_STREAMING)
        add_profiles(builder, config, self.profiles)


RECIPES = [ResNet50Fp16, BertBase, DetectorNms, ResNet18Int8Qdq, MlpBigWeightStreaming]
NAMES = [r.name for r in RECIPES]
