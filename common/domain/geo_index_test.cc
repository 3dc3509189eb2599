// Unit tests of point-in-polygon and the bucket index: the border rule and agreement with
// a scan.

#include "common/domain/geo_index.h"

#include <random>

#include "gtest/gtest.h"

namespace zhiwang {
namespace {

Polygon Square(double lat, double lng, double size) {
  return {{lat, lng}, {lat, lng + size}, {lat + size, lng + size}, {lat + size, lng}};
}

// A 2 × 2 tiling of unit squares: 0 = SW, 1 = SE, 2 = NW, 3 = NE.
GeoIndex TwoByTwo() {
  return GeoIndex::Build({Square(0, 0, 1), Square(0, 1, 1), Square(1, 0, 1), Square(1, 1, 1)});
}

TEST(GeoIndexTest, InteriorPointsAreLocatedInTheirSquare) {
  GeoIndex idx = TwoByTwo();
  EXPECT_EQ(idx.Locate({0.5, 0.5}), 0);
  EXPECT_EQ(idx.Locate({0.5, 1.5}), 1);
  EXPECT_EQ(idx.Locate({1.5, 0.5}), 2);
  EXPECT_EQ(idx.Locate({1.5, 1.5}), 3);
}

TEST(GeoIndexTest, SharedBordersGoToTheEasternAndNorthernGridByTheHalfOpenRule) {
  GeoIndex idx = TwoByTwo();
  EXPECT_EQ(idx.Locate({0.5, 1.0}), 1);  // vertical border between 0 and 1
  EXPECT_EQ(idx.Locate({1.0, 0.5}), 2);  // horizontal border between 0 and 2
  EXPECT_EQ(idx.Locate({1.0, 1.0}), 3);  // the shared corner
  // The outer east and north edges belong to nobody.
  EXPECT_EQ(idx.Locate({0.5, 2.0}), std::nullopt);
  EXPECT_EQ(idx.Locate({2.0, 0.5}), std::nullopt);
  EXPECT_EQ(idx.Locate({5, 5}), std::nullopt);
}

TEST(GeoIndexTest, ConcavePolygonExcludesItsNotch) {
  // An L shape: the unit square at (1,1) is cut out of a 2 × 2 square.
  Polygon l = {{0, 0}, {0, 2}, {1, 2}, {1, 1}, {2, 1}, {2, 0}};
  GeoIndex idx = GeoIndex::Build({l});
  EXPECT_EQ(idx.Locate({0.5, 1.5}), 0);
  EXPECT_EQ(idx.Locate({1.5, 0.5}), 0);
  EXPECT_EQ(idx.Locate({1.5, 1.5}), std::nullopt);
  EXPECT_TRUE(InteriorPoint(l).has_value());
  EXPECT_TRUE(PolygonContains(l, *InteriorPoint(l)));
}

TEST(GeoIndexTest, IndexAgreesWithScanOnRandomPoints) {
  std::vector<Polygon> polys;
  for (int y = 0; y < 20; ++y) {
    for (int x = 0; x < 30; ++x) polys.push_back(Square(y * 0.1, x * 0.1, 0.1));
  }
  GeoIndex idx = GeoIndex::Build(polys);
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> lat(-0.1, 2.1), lng(-0.1, 3.1);
  for (int i = 0; i < 5000; ++i) {
    LatLng p{lat(rng), lng(rng)};
    EXPECT_EQ(idx.Locate(p), idx.LocateByScan(p)) << p.lat << "," << p.lng;
  }
}

TEST(GeoIndexTest, DistanceOfOneDegreeOfLatitudeIsAbout111Km) {
  double d = DistanceMetres({22.5, 114.0}, {23.5, 114.0});
  EXPECT_GT(d, 110000);
  EXPECT_LT(d, 112000);
  EXPECT_EQ(DistanceMetres({22.5, 114.0}, {22.5, 114.0}), 0);
}

}  // namespace
}  // namespace zhiwang
