#include "common/domain/geo_index.h"

#include <algorithm>
#include <cmath>

namespace zhiwang {

bool PolygonContains(const Polygon& poly, LatLng p) {
  const size_t n = poly.size();
  if (n < 3) return false;
  bool inside = false;
  for (size_t i = 0, j = n - 1; i < n; j = i++) {
    const LatLng& a = poly[i];
    const LatLng& b = poly[j];
    // Half-open: exactly one end strictly above p.lat. The crossing is computed from
    // the lower end, whichever way the polygon runs, so two grids sharing the edge get
    // the bit-identical crossing and never both (or neither) claim a border point.
    if ((a.lat > p.lat) != (b.lat > p.lat)) {
      const LatLng& lo = a.lat < b.lat ? a : b;
      const LatLng& hi = a.lat < b.lat ? b : a;
      double x = lo.lng + (p.lat - lo.lat) * (hi.lng - lo.lng) / (hi.lat - lo.lat);
      if (x > p.lng) inside = !inside;
    }
  }
  return inside;
}

double SignedArea(const Polygon& poly) {
  const size_t n = poly.size();
  if (n < 3) return 0;
  double twice = 0;
  for (size_t i = 0, j = n - 1; i < n; j = i++) {
    twice += poly[j].lng * poly[i].lat - poly[i].lng * poly[j].lat;
  }
  return twice / 2;
}

std::optional<LatLng> InteriorPoint(const Polygon& poly) {
  if (poly.size() < 3 || SignedArea(poly) == 0) return std::nullopt;
  LatLng c;
  for (const LatLng& v : poly) {
    c.lat += v.lat;
    c.lng += v.lng;
  }
  c.lat /= poly.size();
  c.lng /= poly.size();
  if (PolygonContains(poly, c)) return c;
  // A horizontal line through c.lat: the middle of the first inside chord.
  std::vector<double> xs;
  for (size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    const LatLng& a = poly[i];
    const LatLng& b = poly[j];
    if ((a.lat > c.lat) != (b.lat > c.lat)) {
      xs.push_back(a.lng + (c.lat - a.lat) * (b.lng - a.lng) / (b.lat - a.lat));
    }
  }
  std::sort(xs.begin(), xs.end());
  for (size_t i = 0; i + 1 < xs.size(); i += 2) {
    LatLng m{c.lat, (xs[i] + xs[i + 1]) / 2};
    if (xs[i + 1] > xs[i] && PolygonContains(poly, m)) return m;
  }
  return std::nullopt;
}

double DistanceMetres(LatLng a, LatLng b) {
  constexpr double kR = 6371008.8;
  constexpr double kRad = M_PI / 180.0;
  double dlat = (b.lat - a.lat) * kRad;
  double dlng = (b.lng - a.lng) * kRad;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(a.lat * kRad) *
                                                           std::cos(b.lat * kRad) *
                                                           std::sin(dlng / 2) * std::sin(dlng / 2);
  return 2 * kR * std::asin(std::min(1.0, std::sqrt(h)));
}

GeoIndex GeoIndex::Build(std::vector<Polygon> polygons, int target_per_bucket) {
  GeoIndex g;
  g.polygons_ = std::move(polygons);
  g.boxes_.resize(g.polygons_.size());
  bool any = false;
  for (size_t i = 0; i < g.polygons_.size(); ++i) {
    const Polygon& p = g.polygons_[i];
    if (p.size() < 3) {
      g.boxes_[i] = {1, 1, -1, -1};  // empty: never matches
      continue;
    }
    Box b{p[0].lat, p[0].lng, p[0].lat, p[0].lng};
    for (const LatLng& v : p) {
      b.min_lat = std::min(b.min_lat, v.lat);
      b.max_lat = std::max(b.max_lat, v.lat);
      b.min_lng = std::min(b.min_lng, v.lng);
      b.max_lng = std::max(b.max_lng, v.lng);
    }
    g.boxes_[i] = b;
    if (!any) {
      g.bounds_ = b;
      any = true;
    } else {
      g.bounds_.min_lat = std::min(g.bounds_.min_lat, b.min_lat);
      g.bounds_.max_lat = std::max(g.bounds_.max_lat, b.max_lat);
      g.bounds_.min_lng = std::min(g.bounds_.min_lng, b.min_lng);
      g.bounds_.max_lng = std::max(g.bounds_.max_lng, b.max_lng);
    }
  }
  if (!any) return g;
  // About polygons / target buckets, shaped like the bounds.
  double w = std::max(g.bounds_.max_lng - g.bounds_.min_lng, 1e-9);
  double h = std::max(g.bounds_.max_lat - g.bounds_.min_lat, 1e-9);
  double buckets =
      std::max(1.0, static_cast<double>(g.polygons_.size()) / std::max(1, target_per_bucket));
  double side = std::sqrt(w * h / buckets);
  g.nx_ = std::clamp(static_cast<int>(std::ceil(w / side)), 1, 4096);
  g.ny_ = std::clamp(static_cast<int>(std::ceil(h / side)), 1, 4096);
  g.cell_w_ = w / g.nx_;
  g.cell_h_ = h / g.ny_;
  std::vector<std::vector<int32_t>> cells(static_cast<size_t>(g.nx_) * g.ny_);
  for (size_t i = 0; i < g.polygons_.size(); ++i) {
    const Box& b = g.boxes_[i];
    if (b.min_lat > b.max_lat) continue;
    for (int y = g.CellY(b.min_lat); y <= g.CellY(b.max_lat); ++y) {
      for (int x = g.CellX(b.min_lng); x <= g.CellX(b.max_lng); ++x) {
        cells[static_cast<size_t>(y) * g.nx_ + x].push_back(static_cast<int32_t>(i));
      }
    }
  }
  g.starts_.reserve(cells.size() + 1);
  g.starts_.push_back(0);
  for (const auto& c : cells) {  // members are pushed in ascending index order
    g.members_.insert(g.members_.end(), c.begin(), c.end());
    g.starts_.push_back(static_cast<uint32_t>(g.members_.size()));
  }
  return g;
}

int GeoIndex::CellX(double lng) const {
  return std::clamp(static_cast<int>((lng - bounds_.min_lng) / cell_w_), 0, nx_ - 1);
}
int GeoIndex::CellY(double lat) const {
  return std::clamp(static_cast<int>((lat - bounds_.min_lat) / cell_h_), 0, ny_ - 1);
}

std::optional<int32_t> GeoIndex::Locate(LatLng p) const {
  if (nx_ == 0 || !(p.lat >= bounds_.min_lat && p.lat <= bounds_.max_lat &&
                    p.lng >= bounds_.min_lng && p.lng <= bounds_.max_lng)) {
    return std::nullopt;
  }
  size_t cell = static_cast<size_t>(CellY(p.lat)) * nx_ + CellX(p.lng);
  for (uint32_t k = starts_[cell]; k < starts_[cell + 1]; ++k) {
    int32_t i = members_[k];
    const Box& b = boxes_[i];
    if (p.lat < b.min_lat || p.lat > b.max_lat || p.lng < b.min_lng || p.lng > b.max_lng) continue;
    if (PolygonContains(polygons_[i], p)) return i;
  }
  return std::nullopt;
}

std::optional<int32_t> GeoIndex::LocateByScan(LatLng p) const {
  for (size_t i = 0; i < polygons_.size(); ++i) {
    if (PolygonContains(polygons_[i], p)) return static_cast<int32_t>(i);
  }
  return std::nullopt;
}

}  // namespace zhiwang
