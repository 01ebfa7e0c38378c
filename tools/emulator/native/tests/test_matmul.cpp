// Matmul layers on mlp-like shapes: x [rows, 96] -> fc1 256 (+bias, relu) ->
// fc2 200 (+bias, relu) -> fc3 37 (no bias) = y, rows 1, 8, 64 and 333, on a
// plan written here (so the sizes need no fixture).
//
// The reference is the emulator's own matmul order (numeric.h: fmaf over k
// ascending, then + bias), which the host kernel and the CUDA kernel follow
// bit for bit; cuBLAS (CUDA mode's default, matmul_path.h) sums in its own
// order, so it is held to float32 gemm's error bound instead. In CUDA mode the
// same runs are also captured into a CUDA graph and replayed: a replay must
// give what the reference allows and exactly the bits of a plain enqueue.
//
// Groups: `matmul` (whatever path the library picks), `matmul_cublas` and
// `matmul_kernel` (ctest sets TRT_EMU_MATMUL; they skip, saying why, where
// there is no GPU, no CUDA build, or no cuBLAS).
#include <cmath>
#include <cstdio>
#include <cstring>

#include "caller.h"

using namespace t;

namespace {

constexpr int kSizes[] = {96, 256, 200, 37};
constexpr int kLayers = 3;
constexpr int64_t kMaxRows = 512;
constexpr int64_t kRows[] = {1, 8, 64, 333};

// seededValues() of src/random.ts.
std::vector<float> seeded(uint32_t seed, size_t n, double low = -0.5, double high = 0.5) {
  std::vector<float> out(n);
  uint32_t s = seed;
  for (size_t i = 0; i < n; ++i) {
    s = s * 1664525u + 1013904223u;
    out[i] = static_cast<float>(low + (s / 4294967296.0) * (high - low));
  }
  return out;
}

struct Dense {
  int k, n;
  std::vector<float> w;  // row-major [k][n]
  std::vector<float> b;  // empty: no bias
  bool relu;
};

const std::vector<Dense>& network() {
  static const std::vector<Dense> layers = [] {
    std::vector<Dense> l;
    for (int i = 0; i < kLayers; ++i) {
      const int k = kSizes[i], n = kSizes[i + 1];
      const bool last = i == kLayers - 1;
      l.push_back({k, n, seeded(3000 + 2 * i, static_cast<size_t>(k) * n),
                   last ? std::vector<float>{} : seeded(3001 + 2 * i, n), !last});
    }
    return l;
  }();
  return layers;
}

// ---- the plan (README "Plan format, version 1") ------------------------------
class Writer {
 public:
  void u32(uint32_t v) { raw(&v, 4); }
  void i32(int32_t v) { raw(&v, 4); }
  void u64(uint64_t v) { raw(&v, 8); }
  void i64(int64_t v) { raw(&v, 8); }
  void str(const std::string& s) {
    u32(static_cast<uint32_t>(s.size()));
    raw(s.data(), s.size());
  }
  void raw(const void* p, size_t n) {  // little-endian hosts only, like the emulator
    const auto* b = static_cast<const uint8_t*>(p);
    bytes.insert(bytes.end(), b, b + n);
  }
  std::vector<uint8_t> bytes;
};

uint32_t crc32(const std::vector<uint8_t>& data) {
  uint32_t c = 0xFFFFFFFFu;
  for (uint8_t byte : data) {
    c ^= byte;
    for (int i = 0; i < 8; ++i) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

std::vector<uint8_t> mlpPlan() {
  // Tensors: x (input), y (output), then fc1 / relu1 / fc2 / relu2 outputs.
  struct T {
    const char* name;
    uint32_t role;
    int64_t width;
  };
  const T tensors[] = {{"x", 1, kSizes[0]},  {"y", 2, kSizes[3]},  {"h1", 0, kSizes[1]},
                       {"a1", 0, kSizes[1]}, {"h2", 0, kSizes[2]}, {"a2", 0, kSizes[2]}};
  struct L {
    const char* name;
    uint32_t kind;  // 3 relu, 4 matmul
    uint32_t in, out;
    int dense;      // index into network(), -1 for relu
  };
  const L layers[] = {{"fc1", 4, 0, 2, 0}, {"relu1", 3, 2, 3, -1}, {"fc2", 4, 3, 4, 1},
                      {"relu2", 3, 4, 5, -1}, {"fc3", 4, 5, 1, 2}};
  Writer w;
  w.raw("TRTEMUPL", 8);
  w.u32(1);  // version
  w.u32(0);  // flags
  w.u64(0);  // total size, patched below
  w.u32(0);  // any major
  w.u32(0);
  w.str("mlp_matmul");
  w.i32(0);  // kLAYER_NAMES_ONLY
  w.u64(0);  // scratch
  w.i64(0);  // streamable weights
  w.u32(6);
  for (const T& t : tensors) {
    w.str(t.name);
    w.u32(t.role);
    w.u32(0);  // FP32
    w.u32(2);
    w.i64(-1);
    w.i64(t.width);
  }
  w.u32(1);  // one profile: x rows 1..512, opt 64
  for (int64_t rows : {int64_t{1}, int64_t{64}, kMaxRows}) {
    w.i64(rows);
    w.i64(kSizes[0]);
  }
  w.u32(5);
  for (const L& l : layers) {
    w.str(l.name);
    w.u32(l.kind);
    w.u32(1);
    w.u32(l.in);
    w.u32(1);
    w.u32(l.out);
    if (l.dense < 0) {
      w.u32(0);
      continue;
    }
    const Dense& d = network()[l.dense];
    w.u32(static_cast<uint32_t>(12 + 4 * (d.w.size() + d.b.size())));
    w.u32(d.k);
    w.u32(d.n);
    w.u32(d.b.empty() ? 0 : 1);
    w.raw(d.w.data(), 4 * d.w.size());
    w.raw(d.b.data(), 4 * d.b.size());
  }
  w.u32(0);  // aliases
  const uint64_t total = w.bytes.size() + 4;
  std::memcpy(w.bytes.data() + 16, &total, 8);
  const uint32_t crc = crc32(w.bytes);
  w.u32(crc);
  return w.bytes;
}

// ---- references --------------------------------------------------------------
// The emulator's order: y[r, j] = fmaf-sum over k ascending from 0, then + bias[j].
std::vector<float> kernelOrder(const std::vector<float>& x, int64_t rows) {
  std::vector<float> act = x;
  for (const Dense& d : network()) {
    std::vector<float> next(static_cast<size_t>(rows) * d.n);
    for (int64_t r = 0; r < rows; ++r)
      for (int j = 0; j < d.n; ++j) {
        float acc = 0.0f;
        for (int i = 0; i < d.k; ++i) acc = std::fmaf(act[r * d.k + i], d.w[static_cast<size_t>(i) * d.n + j], acc);
        if (!d.b.empty()) acc = acc + d.b[j];
        next[r * d.n + j] = d.relu && acc < 0 ? 0.0f : acc;
      }
    act = std::move(next);
  }
  return act;
}

// How far two float32 evaluations of the network may be apart, per output:
// each matmul with k terms plus a bias is within (k + 1)·u·(|x|·|W| + |b|) of
// the exact value whatever the summation order (u = 2^-24), the error carries
// through relu and the next |W| within the same magnitudes, so each result is
// within Σ(k + 1)·u·M of exact, M being the network run on |x| with |W|, |b|;
// two results are within twice that (plus 10% for second-order terms).
std::vector<double> gemmBound(const std::vector<float>& x, int64_t rows) {
  std::vector<double> mag(x.size());
  for (size_t i = 0; i < x.size(); ++i) mag[i] = std::fabs(static_cast<double>(x[i]));
  double terms = 0;
  for (const Dense& d : network()) {
    std::vector<double> next(static_cast<size_t>(rows) * d.n);
    for (int64_t r = 0; r < rows; ++r)
      for (int j = 0; j < d.n; ++j) {
        double m = d.b.empty() ? 0.0 : std::fabs(static_cast<double>(d.b[j]));
        for (int i = 0; i < d.k; ++i) m += mag[r * d.k + i] * std::fabs(static_cast<double>(d.w[static_cast<size_t>(i) * d.n + j]));
        next[r * d.n + j] = m;
      }
    mag = std::move(next);
    terms += d.k + 1;
  }
  for (double& m : mag) m *= 2.2 * terms * std::ldexp(1.0, -24);
  return mag;
}

std::string exactly(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

// "" when `got` is what the reference allows (bit-identical when `exact`),
// else the first element that is not.
std::string compare(const std::vector<float>& got, const std::vector<float>& want, const std::vector<double>& bound,
                    bool exact) {
  int bad = 0;
  std::string first;
  for (size_t i = 0; i < want.size(); ++i) {
    const bool ok = exact ? std::memcmp(&got[i], &want[i], 4) == 0
                          : std::fabs(static_cast<double>(got[i]) - want[i]) <= bound[i];
    if (ok) continue;
    if (bad++ == 0)
      first = "y[" + std::to_string(i) + "] = " + exactly(got[i]) + ", reference " + exactly(want[i]) +
              (exact ? " (bit-exact expected)" : ", allowed difference " + exactly(bound[i]));
  }
  return bad ? std::to_string(bad) + " of " + std::to_string(want.size()) + " outputs differ; first " + first : "";
}

#define CHECK_MATCH(got, want, bound, exact, what)                                          \
  do {                                                                                      \
    const std::string diff_ = compare(got, want, bound, exact);                             \
    if (!diff_.empty()) ::t::fail(__FILE__, __LINE__, std::string(what) + ": " + diff_); \
  } while (0)

// ---- CUDA graphs, through the test's dlopen'd libcudart -----------------------
struct GraphApi {
  int (*beginCapture)(void* stream, int mode) = nullptr;
  int (*endCapture)(void* stream, void** graph) = nullptr;
  int (*instantiate)(void** exec, void* graph, unsigned long long flags) = nullptr;
  int (*launch)(void* exec, void* stream) = nullptr;
  int (*execDestroy)(void* exec) = nullptr;
  int (*graphDestroy)(void* graph) = nullptr;
  bool ok = false;
};
constexpr int kCaptureModeThreadLocal = 1;  // cudaStreamCaptureModeThreadLocal, what the runtime uses

const GraphApi& graphApi() {
  static const GraphApi api = [] {
    GraphApi g;
    void* h = nullptr;
    for (const char* name : trt_abi::V10::kCudaRuntimeFiles)
      if ((h = dlopen(name, RTLD_NOW | RTLD_GLOBAL))) break;
    if (!h) return g;
    g.beginCapture = reinterpret_cast<decltype(g.beginCapture)>(dlsym(h, "cudaStreamBeginCapture"));
    g.endCapture = reinterpret_cast<decltype(g.endCapture)>(dlsym(h, "cudaStreamEndCapture"));
    g.instantiate = reinterpret_cast<decltype(g.instantiate)>(dlsym(h, "cudaGraphInstantiate"));
    g.launch = reinterpret_cast<decltype(g.launch)>(dlsym(h, "cudaGraphLaunch"));
    g.execDestroy = reinterpret_cast<decltype(g.execDestroy)>(dlsym(h, "cudaGraphExecDestroy"));
    g.graphDestroy = reinterpret_cast<decltype(g.graphDestroy)>(dlsym(h, "cudaGraphDestroy"));
    g.ok = g.beginCapture && g.endCapture && g.instantiate && g.launch && g.execDestroy && g.graphDestroy;
    return g;
  }();
  return api;
}

template <class V>
void checkMlp(bool exact) {
  CaptureLogger<V> logger;
  Owned runtime(createRuntime<V>(logger));
  REQUIRE(runtime);
  Owned engine(deserialize<V>(runtime.get(), mlpPlan()));
  REQUIRE(engine);
  Owned ctx(call<ENG(createExecutionContext)>(engine.get(), int32_t{0}));
  REQUIRE(ctx);
  void* c = ctx.get();
  const int in = kSizes[0], out = kSizes[kLayers];
  Buffer x(kMaxRows * in * 4), y(kMaxRows * out * 4);
  CHECK(call<CTX(setTensorAddress)>(c, "x", x.get()));
  CHECK(call<CTX(setTensorAddress)>(c, "y", y.get()));
  const bool graphs = cudaMode();
  if (graphs) REQUIRE(graphApi().ok);

  for (int64_t rows : kRows) {
    const std::string at = "rows " + std::to_string(rows);
    const Dims64 d = dims({rows, in});
    CHECK(call<CTX(setInputShape)>(c, "x", &d));
    const size_t count = static_cast<size_t>(rows) * out;

    // Plain enqueue.
    const auto xa = seeded(11 + static_cast<uint32_t>(rows), static_cast<size_t>(rows) * in, -1.0, 1.0);
    x.write(xa);
    CHECK(call<CTX(enqueueV3)>(c, stream()));
    sync();
    CHECK_MATCH(y.read<float>(count), kernelOrder(xa, rows), gemmBound(xa, rows), exact, at + ", plain enqueue");
    if (!graphs) continue;

    // The same enqueue captured (after the plain one, as TensorRT asks) and
    // replayed on new data.
    const GraphApi& g = graphApi();
    void* graph = nullptr;
    void* exec = nullptr;
    REQUIRE(g.beginCapture(stream(), kCaptureModeThreadLocal) == 0);
    const bool queued = call<CTX(enqueueV3)>(c, stream());
    const int ended = g.endCapture(stream(), &graph);
    CHECK(queued);
    REQUIRE(ended == 0 && graph);
    REQUIRE(g.instantiate(&exec, graph, 0) == 0);
    const auto xb = seeded(97 + static_cast<uint32_t>(rows), static_cast<size_t>(rows) * in, -1.0, 1.0);
    x.write(xb);
    CHECK(g.launch(exec, stream()) == 0);
    sync();
    const auto replayed = y.read<float>(count);
    CHECK_MATCH(replayed, kernelOrder(xb, rows), gemmBound(xb, rows), exact, at + ", graph replay");
    CHECK(g.execDestroy(exec) == 0);
    CHECK(g.graphDestroy(graph) == 0);
    // Same kernels, same bits: a plain enqueue of that data.
    y.fill(0);
    CHECK(call<CTX(enqueueV3)>(c, stream()));
    sync();
    CHECK(y.read<float>(count) == replayed);
  }
  CHECK_NO_ERRORS(logger);
}

std::string whyNot(const std::string& want) {
  const std::string have = matmulBackend();
  if (have == "host" || have == "error")
    return "no CUDA execution here (emulator info " + emulatorInfo() + "); nothing to compare with " + want;
  if (have == "kernel" && want == "cublas")
    return "no libcublas could be loaded (libcublas.so.13 / .so.12 on the loader path, or TRT_EMU_CUBLAS=<path>)";
  return "matmul layers run on \"" + have + "\", not \"" + want + "\"";
}

}  // namespace

TEST(matmul, mlp_shapes_match_the_emulator_order) {
  // Host mode and the CUDA kernel: bit for bit; cuBLAS: within float32 gemm's bound.
  checkMlp<V>(matmulBackend() != "cublas");
}

TEST(matmul_cublas, cublas_agrees_with_the_kernel_path) {
  if (matmulBackend() != "cublas") SKIP(whyNot("cublas"));
  checkMlp<V>(false);
}

TEST(matmul_kernel, cuda_kernel_is_bit_exact) {
  if (matmulBackend() != "kernel") SKIP(whyNot("kernel"));
  checkMlp<V>(true);
}

TEST(matmul, info_names_the_matmul_backend) {
  const std::string backend = matmulBackend();
  CHECK(backend == "host" || backend == "kernel" || backend == "cublas");
  CHECK(emulatorInfo().find("\"matmul\":\"" + backend + "\"") != std::string::npos);
  if (!cudaMode()) CHECK_EQ(backend, std::string("host"));
}
