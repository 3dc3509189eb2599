// zw-route-bench: figures for issue 3 (docs/benchmarks.md), all in one process:
//   1. routing decisions per second of the pure router (RouteByRules) on the sample
//      district, next to a naive baseline that scans every rule of the district for each
//      decision;
//   2. point-in-polygon lookups per second with the bucket index against the sample's
//      1,000 grids and a generated 100,000-grid lattice, next to a scan of every polygon.
// Each figure is the median of --rounds timed rounds of --duration (after one warm-up
// round); every loop is bounded by time. Queries and points are drawn from a seeded RNG.
//
//   build/tools/bench/zw-route-bench --district=deploy/sample/district.textpb

#include <algorithm>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/domain/geo_index.h"
#include "common/domain/organisation.h"
#include "common/orgfile/org_file.h"
#include "common/rpc/convert.h"
#include "services/router/routing_decision.h"

ABSL_FLAG(std::string, district, "deploy/sample/district.textpb", "the district file");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(1), "length of one timed round");
ABSL_FLAG(int, rounds, 3, "timed rounds per figure (the median is printed)");
ABSL_FLAG(uint64_t, seed, 1, "seed of the queries and points");

namespace zhiwang {
namespace {

// Runs `op(i)` for i = 0, 1, ... until `duration` passes; returns operations per second.
double Rate(const std::function<void(size_t)>& op, absl::Duration duration) {
  const absl::Time start = absl::Now();
  const absl::Time stop = start + duration;
  size_t n = 0;
  absl::Time now = start;
  while (now < stop) {
    for (int k = 0; k < 64; ++k) op(n++);
    now = absl::Now();
  }
  return n / absl::ToDoubleSeconds(now - start);
}

double Median(const std::function<void(size_t)>& op) {
  const absl::Duration d = absl::GetFlag(FLAGS_duration);
  Rate(op, d / 4);  // warm-up
  std::vector<double> r;
  for (int i = 0; i < std::max(1, absl::GetFlag(FLAGS_rounds)); ++i) r.push_back(Rate(op, d));
  std::sort(r.begin(), r.end());
  return r[r.size() / 2];
}

// The baseline router: the same decision, found by scanning every rule of the district
// (no per-category index, no pre-sorting), as a first implementation would.
std::string NaiveRoute(const District& d, const router::RouteQuery& q) {
  const RoutingRuleInfo* best = nullptr;
  int best_rank = 99;
  std::string best_dep;
  for (const RoutingRuleInfo& r : d.org().routing_rules) {
    if (r.category_code != q.category_code) continue;
    int rank = r.scope == AreaScope::kUnspecified ? 4 : static_cast<int>(r.scope);
    bool match = rank == 4 || (r.scope == AreaScope::kGrid && r.area_id == q.grid_id) ||
                 (r.scope == AreaScope::kCommunity && r.area_id == q.community_id) ||
                 (r.scope == AreaScope::kStreet && r.area_id == q.street_id);
    if (!match) continue;
    for (const std::string& dep : r.department_ids) {
      if (std::find(q.excluded.begin(), q.excluded.end(), dep) != q.excluded.end()) continue;
      if (best == nullptr || rank < best_rank ||
          (rank == best_rank && r.priority > best->priority)) {
        best = &r;
        best_rank = rank;
        best_dep = dep;
      }
      break;
    }
  }
  return best_dep;
}

std::vector<Polygon> Lattice(int cols, int rows, std::mt19937_64& rng) {
  const double lat0 = 22.0, lng0 = 113.5, step = 0.002;
  std::uniform_real_distribution<double> jitter(-0.25 * step, 0.25 * step);
  std::vector<std::vector<LatLng>> v(rows + 1, std::vector<LatLng>(cols + 1));
  for (int r = 0; r <= rows; ++r) {
    for (int c = 0; c <= cols; ++c) {
      v[r][c] = {lat0 + r * step + (r > 0 && r < rows ? jitter(rng) : 0),
                 lng0 + c * step + (c > 0 && c < cols ? jitter(rng) : 0)};
    }
  }
  std::vector<Polygon> out;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      out.push_back({v[r][c], v[r][c + 1], v[r + 1][c + 1], v[r + 1][c]});
    }
  }
  return out;
}

std::vector<LatLng> PointsIn(const GeoIndex& idx, size_t n, std::mt19937_64& rng) {
  double lat0 = 1e9, lat1 = -1e9, lng0 = 1e9, lng1 = -1e9;
  for (size_t i = 0; i < idx.size(); ++i) {
    for (const LatLng& v : idx.polygon(i)) {
      lat0 = std::min(lat0, v.lat), lat1 = std::max(lat1, v.lat);
      lng0 = std::min(lng0, v.lng), lng1 = std::max(lng1, v.lng);
    }
  }
  std::uniform_real_distribution<double> lat(lat0, lat1), lng(lng0, lng1);
  std::vector<LatLng> p(n);
  for (LatLng& x : p) x = {lat(rng), lng(rng)};
  return p;
}

void PipFigures(const char* label, const GeoIndex& idx, std::mt19937_64& rng) {
  std::vector<LatLng> pts = PointsIn(idx, 1 << 16, rng);
  size_t found = 0;
  for (const LatLng& p : pts) found += idx.Locate(p) == idx.LocateByScan(p) ? 1 : 0;
  if (found != pts.size()) std::printf("  WARNING: index and scan disagree on some points\n");
  volatile int64_t sink = 0;
  double indexed =
      Median([&](size_t i) { sink = sink + idx.Locate(pts[i & 0xffff]).value_or(-1); });
  double scanned =
      Median([&](size_t i) { sink = sink + idx.LocateByScan(pts[i & 0xffff]).value_or(-1); });
  std::printf("pip %-22s grids=%-7zu indexed=%12.0f/s  scan=%10.0f/s  ratio=%.0fx\n", label,
              idx.size(), indexed, scanned, indexed / scanned);
}

int Main() {
  absl::StatusOr<v1::District> file = orgfile::ReadOrgFile(absl::GetFlag(FLAGS_district));
  if (!file.ok()) {
    std::fprintf(stderr, "zw-route-bench: %s\n", std::string(file.status().message()).c_str());
    return 1;
  }
  absl::StatusOr<std::shared_ptr<const District>> made = District::Create(FromProto(*file));
  if (!made.ok()) return 1;
  const District& d = **made;
  std::mt19937_64 rng(absl::GetFlag(FLAGS_seed));
  std::printf("district %s: %zu grids, %zu categories, %zu rules; %d rounds of %s, median\n",
              d.id().c_str(), d.org().grids.size(), d.org().categories.size(),
              d.org().routing_rules.size(), absl::GetFlag(FLAGS_rounds),
              absl::FormatDuration(absl::GetFlag(FLAGS_duration)).c_str());

  // 1. Routing decisions: random category × grid; one in four excludes a department.
  std::vector<router::RouteQuery> queries(1 << 14);
  std::uniform_int_distribution<size_t> cat(0, d.org().categories.size() - 1);
  std::uniform_int_distribution<size_t> grid(0, d.org().grids.size() - 1);
  size_t agree = 0;
  for (router::RouteQuery& q : queries) {
    const GridInfo& g = d.org().grids[grid(rng)];
    q.category_code = d.org().categories[cat(rng)].code;
    q.grid_id = g.id;
    q.community_id = g.community_id;
    q.street_id = d.StreetOfCommunity(g.community_id);
    router::RouteResult first = router::RouteByRules(d, q);
    if (rng() % 4 == 0 && !first.department_id.empty()) q.excluded = {first.department_id};
  }
  for (const router::RouteQuery& q : queries) {
    std::string a = router::RouteByRules(d, q).department_id;
    std::string b = NaiveRoute(d, q);
    // The naive router ignores jurisdiction; compare only where both routed.
    agree += (a == b || a.empty() || b.empty()) ? 1 : 0;
  }
  if (agree != queries.size()) std::printf("  note: baseline differs on some queries\n");
  volatile size_t sink = 0;
  const size_t mask = queries.size() - 1;
  double routed = Median([&](size_t i) {
    sink = sink + router::RouteByRules(d, queries[i & mask]).department_id.size();
  });
  double naive = Median([&](size_t i) { sink = sink + NaiveRoute(d, queries[i & mask]).size(); });
  std::printf(
      "routing decisions (RouteByRules)   %12.0f/s  naive rule scan=%10.0f/s  ratio=%.1fx\n",
      routed, naive, routed / naive);

  // 2. Point-in-polygon.
  PipFigures("sample (1,000)", d.geo_index(), rng);
  GeoIndex big = GeoIndex::Build(Lattice(400, 250, rng));
  PipFigures("lattice (100,000)", big, rng);
  return 0;
}

}  // namespace
}  // namespace zhiwang

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return zhiwang::Main();
}
