// IEngineInspector output in both formats and both verbosities.
#include <algorithm>

#include "caller.h"

using namespace t;

namespace {
bool contains(const char* s, const std::string& part) { return s && std::string(s).find(part) != std::string::npos; }
}  // namespace

TEST(inspector, detailed_engine_information_as_json) {
  Loaded<V> f("mlp3");  // built with kDETAILED
  Owned inspector(call<ENG(createEngineInspector)>(f.engine.get()));
  REQUIRE(inspector);
  const auto kJSON = static_cast<int32_t>(V::LayerInformationFormat::kJSON);
  const char* info = call<INS(getEngineInformation)>(inspector.get(), kJSON);
  REQUIRE(info);
  CHECK(contains(info, "{\"Layers\":[{\"Name\":\"fc1\",\"LayerType\":\"MatMul\""));
  CHECK(contains(info, "\"Bindings\":[\"x\",\"y\"]}"));
  CHECK(contains(info, "\"Dimensions\":[-1,16]"));
  CHECK(contains(info, "\"Weights\":{\"Type\":\"Float\",\"Count\":512}"));
  CHECK(contains(info, "\"Name\":\"relu3\",\"LayerType\":\"Relu\""));
  CHECK(contains(info, "\"Format/Datatype\":\"Row major linear FP32\""));
}

TEST(inspector, context_shapes_fill_in_dynamic_dims) {
  Loaded<V> f("mlp3");
  Owned inspector(call<ENG(createEngineInspector)>(f.engine.get()));
  Owned ctx(f.context());
  REQUIRE(inspector && ctx);
  CHECK(call<INS(getExecutionContext)>(inspector.get()) == nullptr);
  CHECK(call<INS(setExecutionContext)>(inspector.get(), ctx.get()));
  CHECK_EQ(call<INS(getExecutionContext)>(inspector.get()), ctx.get());
  const Dims64 d = dims({5, 16});
  CHECK(call<CTX(setInputShape)>(ctx.get(), "x", &d));
  const auto kJSON = static_cast<int32_t>(V::LayerInformationFormat::kJSON);
  const auto kONELINE = static_cast<int32_t>(V::LayerInformationFormat::kONELINE);
  const char* fc2 = call<INS(getLayerInformation)>(inspector.get(), 2, kJSON);
  CHECK(contains(fc2, "\"Name\":\"fc2\""));
  CHECK(contains(fc2, "\"Dimensions\":[5,32]"));
  CHECK_STR(call<INS(getLayerInformation)>(inspector.get(), 0, kONELINE), "fc1: MatMul (x f32[5,16]) -> fc1_out f32[5,32]");
  const char* all = call<INS(getEngineInformation)>(inspector.get(), kONELINE);
  REQUIRE(all);
  const std::string lines(all);
  CHECK_EQ(static_cast<int>(std::count(lines.begin(), lines.end(), '\n')), 6);
  CHECK(contains(all, "relu3: Relu (fc3_out f32[5,8]) -> y f32[5,8]\n"));
  // Releasing the context detaches it.
  ctx.reset();
  CHECK(call<INS(getExecutionContext)>(inspector.get()) == nullptr);
  CHECK_STR(call<INS(getLayerInformation)>(inspector.get(), 0, kONELINE),
            "fc1: MatMul (x f32[-1,16]) -> fc1_out f32[-1,32]");
}

TEST(inspector, layer_names_only) {
  Loaded<V> f("busywait");  // default verbosity: kLAYER_NAMES_ONLY
  CHECK_EQ(call<ENG(getProfilingVerbosity)>(f.engine.get()),
           static_cast<int32_t>(V::ProfilingVerbosity::kLAYER_NAMES_ONLY));
  Owned inspector(call<ENG(createEngineInspector)>(f.engine.get()));
  REQUIRE(inspector);
  const auto kJSON = static_cast<int32_t>(V::LayerInformationFormat::kJSON);
  const auto kONELINE = static_cast<int32_t>(V::LayerInformationFormat::kONELINE);
  CHECK_STR(call<INS(getLayerInformation)>(inspector.get(), 1, kJSON), "\"wait_500us\"");
  CHECK_STR(call<INS(getLayerInformation)>(inspector.get(), 1, kONELINE), "wait_500us");
  CHECK_STR(call<INS(getEngineInformation)>(inspector.get(), kJSON),
            "{\"Layers\":[\"wait_200us\",\"wait_500us\",\"wait_1000us\"],\"Bindings\":[\"x\",\"y\"]}");
}

TEST(inspector, errors) {
  Loaded<V> f("mlp3");
  Loaded<V> g("identity_f32");
  Owned inspector(call<ENG(createEngineInspector)>(f.engine.get()));
  Owned foreign(g.context());
  REQUIRE(inspector && foreign);
  CHECK(call<INS(getLayerInformation)>(inspector.get(), 6, 1) == nullptr);
  CHECK_LOGGED(f.logger, "layer 6 is outside [0, 6)");
  CHECK(call<INS(getLayerInformation)>(inspector.get(), 0, 5) == nullptr);
  CHECK_LOGGED(f.logger, "format 5 is not kONELINE or kJSON");
  CHECK(call<INS(getEngineInformation)>(inspector.get(), -1) == nullptr);
  CHECK(!call<INS(setExecutionContext)>(inspector.get(), foreign.get()));
  CHECK_LOGGED(f.logger, "belongs to another engine");
  int junk[4] = {};
  CHECK(!call<INS(setExecutionContext)>(inspector.get(), static_cast<void*>(junk)));
  CHECK_LOGGED(f.logger, "not a live IExecutionContext");
}
