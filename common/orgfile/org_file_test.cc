// Unit tests of organisation files: the sample parses and validates; every error names
// the file, the line and the offending id.

#include "common/orgfile/org_file.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"

namespace zhiwang::orgfile {
namespace {

const std::string kSample = std::string(ZW_SOURCE_DIR) + "/deploy/sample/district.textpb";

// A small valid district; line numbers below count from the first line.
// clang-format off
constexpr char kSmall[] = R"pb(id: "990100"
name: "t"
streets { id: "990100001" name: "s" }
communities { id: "990100001001" name: "c" street_id: "990100001" }
grids { id: "g1" name: "g" community_id: "990100001001" polygon { lat: 1 lng: 1 } polygon { lat: 1 lng: 2 } polygon { lat: 2 lng: 2 } }
departments { id: "d1" name: "d" level: DEPARTMENT_LEVEL_DISTRICT }
categories { code: "0101" name: "x" major: "y" default_urgency: URGENCY_NORMAL }
routing_rules { id: "r1" category_code: "0101" department_ids: ["d1"] }
)pb";
// clang-format on

TEST(OrgFileTest, SampleDistrictHasTheShapeOfTheIssue) {
  absl::StatusOr<v1::District> d = ReadOrgFile(kSample);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->id(), "440304");
  EXPECT_EQ(d->streets_size(), 10);
  EXPECT_EQ(d->communities_size(), 95);
  EXPECT_EQ(d->grids_size(), 1000);
  EXPECT_GE(d->departments_size(), 40);
  EXPECT_GE(d->categories_size(), 60);
  EXPECT_EQ(d->dispatch_centres_size(), 11);
  for (const v1::Grid& g : d->grids()) EXPECT_GE(g.polygon_size(), 3) << g.id();
  std::set<std::string> scopes;
  for (const v1::RoutingRule& r : d->routing_rules()) scopes.insert(v1::AreaScope_Name(r.scope()));
  EXPECT_EQ(scopes, (std::set<std::string>{"AREA_SCOPE_GRID", "AREA_SCOPE_COMMUNITY",
                                           "AREA_SCOPE_STREET", "AREA_SCOPE_DISTRICT"}));
}

TEST(OrgFileTest, SampleKeepsTheSeventeenOriginalCategoryCodesAndMeanings) {
  absl::StatusOr<v1::District> d = ReadOrgFile(kSample);
  ASSERT_TRUE(d.ok()) << d.status();
  const std::vector<std::pair<std::string, std::string>> want = {
      {"0101", "暴露垃圾"},       {"0102", "积存垃圾渣土"}, {"0103", "道路不洁"},
      {"0104", "道路积水"},       {"0201", "违规户外广告"}, {"0202", "非法小广告"},
      {"0301", "违法建设"},       {"0302", "施工扰民"},     {"0401", "占道经营"},
      {"0402", "非机动车乱停放"}, {"0501", "井盖缺失"},     {"0502", "路面塌陷"},
      {"0601", "无照经营"},       {"0602", "食品安全"},     {"0701", "房屋安全隐患"},
      {"0801", "邻里纠纷"},       {"0901", "消防通道堵塞"}};
  for (const auto& [code, name] : want) {
    bool found = false;
    for (const v1::Category& c : d->categories()) {
      if (c.code() == code) {
        found = true;
        EXPECT_EQ(c.name(), name) << code;
      }
    }
    EXPECT_TRUE(found) << code;
  }
}

TEST(OrgFileTest, SmallValidFileParses) {
  absl::StatusOr<v1::District> d = ParseOrgText(kSmall, "small.textpb");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->grids(0).polygon_size(), 3);
}

TEST(OrgFileTest, SyntaxErrorNamesFileLineAndColumn) {
  std::string text = absl::StrReplaceAll(kSmall, {{"name: \"s\" }", "name: \"s\" "}});
  absl::StatusOr<v1::District> d = ParseOrgText(text, "broken.textpb");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(d.status().message().find("broken.textpb:4:"), absl::string_view::npos) << d.status();
}

struct BadCase {
  const char* name;
  std::pair<const char*, const char*> edit;  // replace first with second
  const char* want;                          // substring: file:line, id and path
};

TEST(OrgFileTest, ValidationErrorsNameFileLineIdAndPath) {
  const std::vector<BadCase> cases = {
      {"grid in unknown community",
       {"community_id: \"990100001001\" polygon", "community_id: \"nope\" polygon"},
       "small.textpb:5: grids.community_id 'g1': names unknown community 'nope' "
       "[grids[0].community_id]"},
      {"degenerate polygon",
       {"polygon { lat: 2 lng: 2 }", "polygon { lat: 1 lng: 3 }"},
       "small.textpb:5: grids.polygon 'g1': has no area"},
      {"rule naming an unknown department",
       {"department_ids: [\"d1\"]", "department_ids: [\"d1\", \"d9\"]"},
       "small.textpb:8: routing_rules.department_ids 'd9'"},
      {"rule for an unknown area",
       {"category_code: \"0101\" department_ids",
        "category_code: \"0101\" scope: AREA_SCOPE_STREET area_id: \"x\" department_ids"},
       "small.textpb:8: routing_rules.area_id 'r1': 'x' is not a street"},
      {"district setting out of range",
       {"name: \"t\"\n", "name: \"t\"\nrouting_settings { max_rejections: 99 }\n"},
       "small.textpb:3: routing_settings.max_rejections"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.name);
    std::string text = absl::StrReplaceAll(kSmall, {c.edit});
    ASSERT_NE(text, kSmall);
    absl::StatusOr<v1::District> d = ParseOrgText(text, "small.textpb");
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(d.status().message().find(c.want), absl::string_view::npos) << d.status();
  }
}

TEST(OrgFileTest, MissingFileIsNotFound) {
  EXPECT_EQ(ReadOrgFile("/nonexistent/district.textpb").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace zhiwang::orgfile
