"""The real networks of the real-model suite, in PyTorch: one definition each.

tools/real-tensorrt/real_models.py exports them to ONNX (or reads their weights
into TensorRT's network API) and takes their fp32 outputs as references;
bench_real_models.py times them in fp16 as the PyTorch anchors. Every model is
rebuilt from its own seed with random weights (nothing is downloaded), so the
two scripts agree on the network without sharing files.

torch, torchvision and transformers are imported inside the functions so that
the scripts' --help works on a machine without them.
"""

import contextlib
import hashlib

ZOO_SEED = 20261207

# Detector head: a 320x320 image, five stride-2 stages (a 10x10 grid, stride 32),
# three anchors per cell, 20 classes. EfficientNMS_TRT keeps at most 100 boxes.
DETECTOR = {
    "image": 320,
    "stride": 32,
    "anchors": ((48.0, 48.0), (96.0, 64.0), (64.0, 96.0)),
    "classes": 20,
    "scoreThreshold": 0.5,
    "iouThreshold": 0.5,
    "maxOutputBoxes": 100,
}

# The weight-streaming MLP: 18 fp16 layers of 8192x8192 (+ bias): 2.42 GB of weights,
# past what one ONNX protobuf holds (2 GiB), so TensorRT's network API builds it.
BIG_MLP = {"width": 8192, "layers": 18}


def seed_for(name):
    """A 63-bit seed per model name: a rebuild anywhere gives the same weights."""
    digest = hashlib.sha256(f"{ZOO_SEED}:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "little") >> 1


@contextlib.contextmanager
def seeded(torch, name):
    """Runs the block under the model's seed without disturbing the caller's RNG state."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed_for(name))
        yield


def settle_batchnorm(torch, model, batch):
    """Gives BatchNorm layers running statistics from one seeded batch (cumulative average),
    as a trained network has: with init-time statistics (mean 0, variance 1) activations
    grow through a deep residual stack and fp16 engines would overflow."""
    norms = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None
    model.train()
    with torch.no_grad():
        model(batch)
    model.eval()
    return model


def image_batch(torch, name, batch, size=224):
    g = torch.Generator().manual_seed(seed_for(name + ".settle"))
    return torch.randn(batch, 3, size, size, generator=g)


def resnet50():
    """torchvision's ResNet-50, random weights, BatchNorm statistics settled on CPU. Input x [B,3,224,224]."""
    import torch
    import torchvision

    with seeded(torch, "resnet50"):
        model = torchvision.models.resnet50(weights=None)
    return settle_batchnorm(torch, model, image_batch(torch, "resnet50", 16))


def fuse_conv_bn(torch, model):
    """Folds every BatchNorm into the convolution before it (what a deployed QAT network
    has), so the Q/DQ pairs sit on the convolutions' real weights."""
    from torch.nn.utils.fusion import fuse_conv_bn_eval

    def fuse(parent, conv_name, bn_name):
        conv, bn = getattr(parent, conv_name), getattr(parent, bn_name)
        setattr(parent, conv_name, fuse_conv_bn_eval(conv, bn))
        setattr(parent, bn_name, torch.nn.Identity())

    fuse(model, "conv1", "bn1")
    for layer in (model.layer1, model.layer2, model.layer3, model.layer4):
        for block in layer:
            fuse(block, "conv1", "bn1")
            fuse(block, "conv2", "bn2")
            if block.downsample is not None:
                conv = fuse_conv_bn_eval(block.downsample[0], block.downsample[1])
                block.downsample = torch.nn.Sequential(conv)
    return model


def fake_quant_conv_class(torch):
    class FakeQuantConv2d(torch.nn.Module):
        """A convolution with explicit INT8 quantization: per-tensor symmetric on its input,
        per-output-channel symmetric on its weights. Exported to ONNX (opset >= 13) as
        QuantizeLinear/DequantizeLinear pairs, which TensorRT runs as INT8 kernels."""

        def __init__(self, conv, input_amax):
            super().__init__()
            self.conv = conv
            self.input_scale = max(float(input_amax), 1e-6) / 127.0
            w_amax = conv.weight.detach().abs().amax(dim=(1, 2, 3)).clamp(min=1e-8)
            self.register_buffer("weight_scale", (w_amax / 127.0).float())
            self.register_buffer("weight_zero", torch.zeros(conv.out_channels, dtype=torch.int32))
            self.quantize = True

        def forward(self, x):
            if not self.quantize:
                return self.conv(x)
            x = torch.fake_quantize_per_tensor_affine(x, self.input_scale, 0, -128, 127)
            w = torch.fake_quantize_per_channel_affine(self.conv.weight, self.weight_scale, self.weight_zero, 0, -128, 127)
            return self.conv._conv_forward(x, w, self.conv.bias)

    return FakeQuantConv2d


def resnet18_qdq(quantize=True):
    """torchvision's ResNet-18 with BatchNorm folded and every convolution fake-quantized
    (scales calibrated on one seeded batch: max |input| per convolution). quantize=False
    gives the same float network (PyTorch has no INT8 convolution on CUDA)."""
    import torch
    import torchvision

    with seeded(torch, "resnet18"):
        model = torchvision.models.resnet18(weights=None)
    calib = image_batch(torch, "resnet18", 16)
    settle_batchnorm(torch, model, calib)
    fuse_conv_bn(torch, model)
    FakeQuantConv2d = fake_quant_conv_class(torch)
    convs = [(name, m) for name, m in model.named_modules() if isinstance(m, torch.nn.Conv2d)]
    amax = {}
    hooks = [m.register_forward_pre_hook(lambda mod, args, n=name: amax.__setitem__(n, float(args[0].detach().abs().max())))
             for name, m in convs]
    with torch.no_grad():
        model(calib)
    for h in hooks:
        h.remove()
    for name, conv in convs:
        parent = model.get_submodule(name.rpartition(".")[0]) if "." in name else model
        setattr(parent, name.rpartition(".")[2], FakeQuantConv2d(conv, amax[name]))
    for m in model.modules():
        if isinstance(m, FakeQuantConv2d):
            m.quantize = quantize
    return model.eval()


def bert_module_class(torch):
    class BertOutputs(torch.nn.Module):
        """BertModel with positional inputs and a tuple out, as ONNX export and TensorRT name them."""

        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids, return_dict=True)
            return out.last_hidden_state, out.pooler_output

    return BertOutputs


def bert_base(attention="eager"):
    """transformers' BertModel at BERT-base size (BertConfig() defaults: 12 layers, hidden
    768), random weights. attention="eager" for export (the mask is always applied as a
    tensor, so tracing cannot bake in a padding-free shortcut); "sdpa" is what PyTorch
    users get by default, used for the timing anchors."""
    import torch
    from transformers import BertConfig, BertModel

    config = BertConfig()
    try:
        config._attn_implementation = attention
    except Exception:  # noqa: BLE001 - older transformers: the default implementation is used
        pass
    with seeded(torch, "bert_base"):
        bert = BertModel(config, add_pooling_layer=True)
    return bert_module_class(torch)(bert).eval()


def detector_module_class(torch):
    class TinyDetector(torch.nn.Module):
        """A small single-scale detector: five conv stages to a stride-32 grid, a head
        predicting per anchor four box offsets and class logits, decoded to corner boxes
        [B,N,4] in pixels and sigmoid scores [B,N,C] (N = cells x anchors): the inputs
        EfficientNMS_TRT takes (box_coding 0, corners)."""

        def __init__(self, spec):
            super().__init__()
            widths = (3, 32, 64, 96, 128, 160)
            layers = []
            for cin, cout in zip(widths[:-1], widths[1:]):
                layers += [torch.nn.Conv2d(cin, cout, 3, stride=2, padding=1, bias=False), torch.nn.BatchNorm2d(cout), torch.nn.ReLU(inplace=True)]
            self.backbone = torch.nn.Sequential(*layers)
            self.anchors_per_cell = len(spec["anchors"])
            self.classes = spec["classes"]
            self.stride = spec["stride"]
            self.head = torch.nn.Conv2d(widths[-1], self.anchors_per_cell * (4 + self.classes), 1)
            grid = spec["image"] // spec["stride"]
            ys, xs = torch.meshgrid(torch.arange(grid, dtype=torch.float32), torch.arange(grid, dtype=torch.float32), indexing="ij")
            centers = torch.stack([(xs + 0.5) * self.stride, (ys + 0.5) * self.stride], dim=-1).reshape(grid * grid, 1, 2)
            sizes = torch.tensor(spec["anchors"], dtype=torch.float32).reshape(1, self.anchors_per_cell, 2)
            # [N,2] each, cell-major then anchor, the order the head's output is flattened in.
            self.register_buffer("anchor_centers", centers.expand(-1, self.anchors_per_cell, -1).reshape(-1, 2).contiguous())
            self.register_buffer("anchor_sizes", sizes.expand(grid * grid, -1, -1).reshape(-1, 2).contiguous())

        def forward(self, x):
            p = self.head(self.backbone(x))  # [B, A*(4+C), H, W]
            b = p.shape[0]
            p = p.permute(0, 2, 3, 1).reshape(b, -1, 4 + self.classes)  # [B, H*W*A, 4+C]
            offsets, logits = p[..., :4], p[..., 4:]
            centers = self.anchor_centers + torch.tanh(offsets[..., :2]) * self.stride
            sizes = self.anchor_sizes * torch.exp(offsets[..., 2:].clamp(-2.0, 2.0))
            boxes = torch.cat([centers - 0.5 * sizes, centers + 0.5 * sizes], dim=-1)
            return boxes, torch.sigmoid(logits)

    return TinyDetector


def detector():
    """The detector's network before NMS: boxes [B,N,4] and scores [B,N,C] for x [B,3,320,320]."""
    import torch

    with seeded(torch, "detector"):
        model = detector_module_class(torch)(DETECTOR)
    return settle_batchnorm(torch, model, image_batch(torch, "detector", 8, DETECTOR["image"]))


def torch_nms(torch, boxes, scores, spec=DETECTOR):
    """What EfficientNMS_TRT computes, with torchvision's batched_nms (per class, per image):
    num_detections [B,1] int32, detection_boxes [B,K,4], detection_scores [B,K],
    detection_classes [B,K] int32, padded with zeros past each image's count."""
    import torchvision

    b, n, c = scores.shape
    k = spec["maxOutputBoxes"]
    out_boxes = torch.zeros(b, k, 4, dtype=boxes.dtype, device=boxes.device)
    out_scores = torch.zeros(b, k, dtype=scores.dtype, device=scores.device)
    out_classes = torch.zeros(b, k, dtype=torch.int32, device=scores.device)
    counts = torch.zeros(b, 1, dtype=torch.int32, device=scores.device)
    for i in range(b):
        keep_box, keep_class = (scores[i] > spec["scoreThreshold"]).nonzero(as_tuple=True)
        cand_boxes = boxes[i][keep_box]
        cand_scores = scores[i][keep_box, keep_class]
        kept = torchvision.ops.batched_nms(cand_boxes.float(), cand_scores.float(), keep_class, spec["iouThreshold"])[:k]
        m = kept.numel()
        counts[i, 0] = m
        out_boxes[i, :m] = cand_boxes[kept]
        out_scores[i, :m] = cand_scores[kept]
        out_classes[i, :m] = keep_class[kept].to(torch.int32)
    return counts, out_boxes, out_scores, out_classes


def big_mlp_weights(torch, spec=BIG_MLP):
    """The weight-streaming MLP's layers as (weight [out,in] fp16, bias [out] fp16) on the CPU,
    He-scaled so activations keep their size through the ReLUs. Generated layer by layer
    (2.42 GB in all, fp16 only)."""
    g = torch.Generator().manual_seed(seed_for("mlp_big_ws"))
    width = spec["width"]
    layers = []
    for _ in range(spec["layers"]):
        w = (torch.randn(width, width, generator=g) * (2.0 / width) ** 0.5).to(torch.float16)
        b = (torch.randn(width, generator=g) * 0.01).to(torch.float16)
        layers.append((w, b))
    return layers


def big_mlp_module_class(torch):
    F = torch.nn.functional

    class BigMlp(torch.nn.Module):
        """relu(x W1^T + b1) ... W18^T + b18, computed in `dtype` (weights kept in fp16)."""

        def __init__(self, layers, dtype, device):
            super().__init__()
            self.dtype = dtype
            self.weights = [(w.to(device=device, dtype=dtype), b.to(device=device, dtype=dtype)) for w, b in layers]

        def forward(self, x):
            h = x.to(self.dtype)
            for i, (w, b) in enumerate(self.weights):
                h = F.linear(h, w, b)
                if i < len(self.weights) - 1:
                    h = torch.relu(h)
            return h

    return BigMlp


def big_mlp(dtype_name="float16", device="cuda", layers=None):
    """The weight-streaming MLP in PyTorch: every weight resident on the device."""
    import torch

    layers = layers if layers is not None else big_mlp_weights(torch)
    return big_mlp_module_class(torch)(layers, getattr(torch, dtype_name), device)


# What each model of the suite is in PyTorch, for the fp16 timing anchors: (constructor,
# note). The detector's NMS is torchvision's (eager only: its output size depends on the data).
TORCH_ANCHORS = {
    "resnet50_fp16": (lambda: resnet50(), "torchvision resnet50 in fp16"),
    "bert_base": (lambda: bert_base("sdpa"), "BertModel (sdpa attention) in fp16"),
    "detector_nms": (lambda: detector(), "the detector in fp16, then torchvision batched_nms per image"),
    "resnet18_int8_qdq": (lambda: resnet18_qdq(quantize=False), "the float ResNet-18 in fp16 (PyTorch has no INT8 convolution on CUDA)"),
    "mlp_big_ws": (None, "the MLP in fp16 with every weight on the device (no streaming)"),
}
