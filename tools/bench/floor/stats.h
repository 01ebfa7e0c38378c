// Summary statistics of timing samples, as the JSON the TypeScript side
// reads: the same fields its own measurements produce (src/stats.ts).
#pragma once

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

namespace floorbench {

// Nearest-rank percentile of sorted samples (p in [0, 1]).
inline double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t index = std::min(sorted.size() - 1, static_cast<size_t>(p * static_cast<double>(sorted.size())));
  return sorted[index];
}

inline std::string StatsJson(std::vector<double> samples) {
  if (samples.empty()) return "null";
  std::sort(samples.begin(), samples.end());
  const double mean = std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(samples.size());
  char text[256];
  std::snprintf(text, sizeof text, "{\"medianUs\":%.4f,\"p99Us\":%.4f,\"meanUs\":%.4f,\"minUs\":%.4f}",
                Percentile(samples, 0.5), Percentile(samples, 0.99), mean, samples.front());
  return text;
}

}  // namespace floorbench
