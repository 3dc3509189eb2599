#ifndef ZHIWANG_COMMON_DOMAIN_GEO_INDEX_H_
#define ZHIWANG_COMMON_DOMAIN_GEO_INDEX_H_

// Point → grid lookup by point-in-polygon over a uniform bucket grid (a spatial index:
// a lookup tests only the polygons whose bounding boxes overlap the point's bucket, not
// every grid). Pure; immutable after Build; thread-safe for concurrent lookups.
//
// The shared-border rule (deterministic): a polygon contains a point by the crossing-number
// test with half-open edges — an edge counts for a ray when one end is strictly above the
// point and the other at or below it, and the crossing is counted when it lies strictly to
// the right of the point. Candidates are tested in ascending polygon index (the sample
// orders grids by id), and the first polygon containing the point wins. So a point on an
// edge shared by two grids of a tiling belongs to exactly one of them, the same one every
// time, and a point no polygon claims (outside every grid, or on the outer boundary's
// right/top edge) is not located.
//
// Example:
//   GeoIndex idx = GeoIndex::Build({{{0,0},{0,1},{1,1},{1,0}}});
//   idx.Locate({0.5, 0.5});  // → 0

#include <cstdint>
#include <optional>
#include <vector>

namespace zhiwang {

struct LatLng {
  double lat = 0;
  double lng = 0;
};

using Polygon = std::vector<LatLng>;  // vertices in order, not closed

// Crossing-number test with the half-open rule above (x = lng, y = lat).
bool PolygonContains(const Polygon& polygon, LatLng p);

// Signed area in degree² (x = lng, y = lat); 0 for degenerate polygons.
double SignedArea(const Polygon& polygon);

// A point strictly inside `polygon` (for tests and samples): the centroid when inside,
// else the midpoint of a horizontal chord through it. nullopt for a degenerate polygon.
std::optional<LatLng> InteriorPoint(const Polygon& polygon);

// Great-circle distance in metres (haversine, mean Earth radius 6,371,008.8 m).
double DistanceMetres(LatLng a, LatLng b);

class GeoIndex {
 public:
  GeoIndex() = default;
  // Indexes `polygons` (empty polygons are skipped; they are never located). About
  // `target_per_bucket` bounding boxes share a bucket on average.
  static GeoIndex Build(std::vector<Polygon> polygons, int target_per_bucket = 2);

  // The index of the polygon containing `p` (the border rule above), or nullopt.
  std::optional<int32_t> Locate(LatLng p) const;
  // The same answer by testing every polygon in order: the baseline for benchmarks and
  // the oracle for tests.
  std::optional<int32_t> LocateByScan(LatLng p) const;

  size_t size() const { return polygons_.size(); }
  const Polygon& polygon(int32_t i) const { return polygons_[i]; }

 private:
  struct Box {
    double min_lat, min_lng, max_lat, max_lng;
  };
  int CellX(double lng) const;
  int CellY(double lat) const;

  std::vector<Polygon> polygons_;
  std::vector<Box> boxes_;
  Box bounds_{0, 0, 0, 0};
  int nx_ = 0, ny_ = 0;
  double cell_w_ = 1, cell_h_ = 1;
  // CSR layout: bucket b holds members_[starts_[b] .. starts_[b+1]), ascending.
  std::vector<uint32_t> starts_;
  std::vector<int32_t> members_;
};

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_DOMAIN_GEO_INDEX_H_
