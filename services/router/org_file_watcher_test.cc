// Unit tests of OrgFileWatcher with an in-memory org store and real files in a temporary
// directory: a good file is published, a bad one refused with file:line while the
// previous version keeps serving, an unchanged file is not published again.

#include "services/router/org_file_watcher.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/store/memory_org_store.h"
#include "gtest/gtest.h"

namespace zhiwang::router {
namespace {

// clang-format off
constexpr char kGood[] = R"pb(id: "990100"
name: "t"
streets { id: "990100001" name: "s" }
communities { id: "990100001001" name: "c" street_id: "990100001" }
grids { id: "990100001001001" name: "g" community_id: "990100001001" }
departments { id: "d1" name: "d" level: DEPARTMENT_LEVEL_DISTRICT }
categories { code: "0101" name: "x" major: "y" default_urgency: URGENCY_NORMAL }
routing_rules { category_code: "0101" department_ids: ["d1"] }
)pb";
// clang-format on

class OrgFileWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/zw-orgwatch-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/district.textpb";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  // Writes `text`; the size differs between versions in these tests, so a change is seen
  // even within one mtime tick.
  void Write(const std::string& text) { std::ofstream(path_, std::ios::trunc) << text; }

  std::string dir_, path_;
  MemoryOrgStore store_;
  OrgRegistry orgs_{&store_};
  FakeClock clock_{absl::FromUnixSeconds(1'790'000'000)};
};

TEST_F(OrgFileWatcherTest, GoodFileIsPublishedOnceAndBadFileIsRefusedWhilePreviousServes) {
  Write(kGood);
  OrgFileWatcher w(&orgs_, &clock_, {{path_}, "", absl::Seconds(1)});
  w.CheckOnce();
  ASSERT_EQ(w.Status().size(), 1u);
  EXPECT_EQ(w.Status()[0].last_error, "");
  EXPECT_EQ(w.Status()[0].district_id, "990100");
  EXPECT_EQ(w.Status()[0].loaded_version, 1);
  ASSERT_TRUE(orgs_.Refresh().ok());
  ASSERT_NE(orgs_.Find("990100"), nullptr);

  w.CheckOnce();  // unchanged: not published again
  EXPECT_EQ(store_.Version("990100").value_or(-1), 1);

  Write(std::string(kGood) +
        "grids { id: \"990100001001099\" name: \"x\" community_id: \"nope\" }\n");
  w.CheckOnce();
  OrgFileWatcher::FileStatus refused = w.Status()[0];
  EXPECT_NE(refused.last_error.find(path_ + ":9:"), std::string::npos) << refused.last_error;
  EXPECT_NE(refused.last_error.find("990100001001099"), std::string::npos) << refused.last_error;
  EXPECT_EQ(refused.loaded_version, 1);
  EXPECT_EQ(store_.Version("990100").value_or(-1), 1);
  EXPECT_EQ(orgs_.Find("990100")->org().grids.size(), 1u);

  Write(std::string(kGood) +
        "categories { code: \"0102\" name: \"y\" major: \"y\" "
        "default_urgency: URGENCY_NORMAL }\n");
  w.CheckOnce();
  EXPECT_EQ(w.Status()[0].last_error, "");
  EXPECT_EQ(w.Status()[0].loaded_version, 2);
  ASSERT_TRUE(orgs_.Refresh().ok());
  EXPECT_NE(orgs_.Find("990100")->FindCategory("0102"), nullptr);
}

TEST_F(OrgFileWatcherTest, DirectoryIsScannedForTextpbFilesOnly) {
  Write(kGood);
  std::ofstream(dir_ + "/notes.txt") << "not an organisation";
  OrgFileWatcher w(&orgs_, &clock_, {{}, dir_, absl::Seconds(1)});
  w.CheckOnce();
  ASSERT_EQ(w.Status().size(), 1u);
  EXPECT_EQ(w.Status()[0].path, path_);
  EXPECT_EQ(w.Status()[0].last_error, "");
}

TEST_F(OrgFileWatcherTest, MissingFileIsReportedAndNothingPublished) {
  OrgFileWatcher w(&orgs_, &clock_, {{path_}, "", absl::Seconds(1)});
  w.CheckOnce();
  ASSERT_EQ(w.Status().size(), 1u);
  EXPECT_NE(w.Status()[0].last_error.find("cannot open"), std::string::npos);
  EXPECT_EQ(store_.Version("990100").value_or(-1), 0);
}

}  // namespace
}  // namespace zhiwang::router
