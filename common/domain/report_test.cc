// Unit tests of turning a report (上报) into a new event: field validation, the event and
// its first timeline entry, event ids and request fingerprints.

#include "common/domain/report.h"

#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "common/domain/organisation.h"
#include "gtest/gtest.h"

namespace zhiwang {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'790'000'000);

std::shared_ptr<const District> TestDistrict() {
  DistrictOrg org;
  org.id = "440304";
  org.name = "Futian";
  org.streets = {{"st1", "Street 1"}, {"st2", "Street 2"}};
  org.communities = {{"c1", "Community 1", "st1"}, {"c2", "Community 2", "st2"}};
  org.grids = {{"g1", "Grid 1", "c1"}, {"g2", "Grid 2", "c2"}};
  org.departments = {{"dep_a", "Urban management st1", DepartmentLevel::kStreet, "st1"},
                     {"dep_w", "Water bureau", DepartmentLevel::kDistrict, ""}};
  org.categories = {{"garbage", "Exposed garbage", "environment", Urgency::kNormal},
                    {"manhole", "Missing manhole cover", "facilities", Urgency::kUrgent}};
  org.routing_rules = {{"garbage", {"dep_a"}}, {"manhole", {"dep_w"}}};
  absl::StatusOr<std::shared_ptr<const District>> d = District::Create(std::move(org));
  EXPECT_TRUE(d.ok()) << d.status();
  return *d;
}

Attachment Photo(int i = 1) {
  return Attachment{absl::StrCat("s3://bucket/photo", i, ".jpg"), "image/jpeg", 1234,
                    std::string(64, 'a')};
}

ReportInput ValidInput() {
  ReportInput in;
  in.client_request_id = "req-0001";
  in.category_code = "manhole";
  in.location = Location{22.54, 114.05, "g2", "Shennan Road 1"};
  in.description = "A manhole cover is missing";
  in.reporter_name = "Wang";
  in.reporter_phone = "+86 138-0000-0000";
  in.attachments = {Photo()};
  return in;
}

Identity Worker() { return Identity{"w1", Role::kGridWorker, "g2", ""}; }

bool Mentions(const absl::Status& s, absl::string_view field) {
  return s.message().find(field) != absl::string_view::npos;
}

struct InvalidCase {
  const char* name;
  std::function<void(ReportInput&)> mutate;
  const char* field;  // what the message must name
};

std::vector<InvalidCase> InvalidCases() {
  return {
      {"empty client_request_id", [](ReportInput& in) { in.client_request_id = ""; },
       "client_request_id"},
      {"too-long client_request_id",
       [](ReportInput& in) {
         in.client_request_id = std::string(kMaxClientRequestIdLength + 1, 'x');
       },
       "client_request_id"},
      {"client_request_id with space", [](ReportInput& in) { in.client_request_id = "req 1"; },
       "client_request_id"},
      {"client_request_id with control char",
       [](ReportInput& in) { in.client_request_id = "req\n1"; }, "client_request_id"},
      {"empty category", [](ReportInput& in) { in.category_code = ""; }, "category_code"},
      {"urgency 7", [](ReportInput& in) { in.urgency = static_cast<Urgency>(7); }, "urgency"},
      {"urgency -1", [](ReportInput& in) { in.urgency = static_cast<Urgency>(-1); }, "urgency"},
      {"source 6", [](ReportInput& in) { in.source = static_cast<Source>(6); }, "source"},
      {"lat 91", [](ReportInput& in) { in.location.latitude = 91; }, "location.latitude"},
      {"lat -90.5", [](ReportInput& in) { in.location.latitude = -90.5; }, "location.latitude"},
      {"NaN lat",
       [](ReportInput& in) { in.location.latitude = std::numeric_limits<double>::quiet_NaN(); },
       "location.latitude"},
      {"infinite lat",
       [](ReportInput& in) { in.location.latitude = std::numeric_limits<double>::infinity(); },
       "location.latitude"},
      {"lon -181", [](ReportInput& in) { in.location.longitude = -181; }, "location.longitude"},
      {"NaN lon",
       [](ReportInput& in) { in.location.longitude = std::numeric_limits<double>::quiet_NaN(); },
       "location.longitude"},
      {"0/0 location",
       [](ReportInput& in) {
         in.location.latitude = 0;
         in.location.longitude = 0;
       },
       "location"},
      {"empty grid", [](ReportInput& in) { in.location.grid_id = ""; }, "location.grid_id"},
      {"address over limit",
       [](ReportInput& in) { in.location.address = std::string(kMaxAddressLength + 1, 'a'); },
       "location.address"},
      {"empty description", [](ReportInput& in) { in.description = ""; }, "description"},
      {"description over limit",
       [](ReportInput& in) { in.description = std::string(kMaxDescriptionLength + 1, 'd'); },
       "description"},
      {"reporter_name over limit",
       [](ReportInput& in) { in.reporter_name = std::string(kMaxNameLength + 1, 'n'); },
       "reporter_name"},
      {"phone over limit",
       [](ReportInput& in) { in.reporter_phone = std::string(kMaxPhoneLength + 1, '1'); },
       "reporter_phone"},
      {"bad phone chars", [](ReportInput& in) { in.reporter_phone = "138abc"; }, "reporter_phone"},
      {"too many attachments",
       [](ReportInput& in) {
         in.attachments.clear();
         for (size_t i = 0; i <= kMaxAttachments; ++i) {
           in.attachments.push_back(Photo(static_cast<int>(i)));
         }
       },
       "attachments"},
      {"attachment without uri", [](ReportInput& in) { in.attachments[0].uri = ""; },
       "attachments[0].uri"},
      {"second attachment without uri",
       [](ReportInput& in) {
         in.attachments.push_back(Photo(2));
         in.attachments[1].uri = "";
       },
       "attachments[1].uri"},
      {"uri over limit",
       [](ReportInput& in) { in.attachments[0].uri = std::string(kMaxUriLength + 1, 'u'); },
       "attachments[0].uri"},
      {"negative size", [](ReportInput& in) { in.attachments[0].size_bytes = -1; },
       "attachments[0].size_bytes"},
      {"size over limit",
       [](ReportInput& in) { in.attachments[0].size_bytes = kMaxAttachmentBytes + 1; },
       "attachments[0].size_bytes"},
      {"content_type over 100 bytes",
       [](ReportInput& in) { in.attachments[0].content_type = std::string(101, 'c'); },
       "attachments[0].content_type"},
      {"bad sha256 length", [](ReportInput& in) { in.attachments[0].sha256 = "abc123"; },
       "attachments[0].sha256"},
  };
}

TEST(ValidateReportShapeTest, AcceptsAValidReport) {
  EXPECT_TRUE(ValidateReportShape(ValidInput()).ok());
}

TEST(ValidateReportShapeTest, AcceptsValuesAtTheLimits) {
  ReportInput in = ValidInput();
  in.client_request_id = std::string(kMaxClientRequestIdLength, 'x');
  in.description = std::string(kMaxDescriptionLength, 'd');
  in.location.address = std::string(kMaxAddressLength, 'a');
  in.reporter_name = std::string(kMaxNameLength, 'n');
  in.reporter_phone = std::string(kMaxPhoneLength, '1');
  in.location.latitude = -90;
  in.location.longitude = 180;
  in.attachments.clear();
  for (size_t i = 0; i < kMaxAttachments; ++i) {
    in.attachments.push_back(Photo(static_cast<int>(i)));
  }
  in.attachments[0].size_bytes = kMaxAttachmentBytes;
  in.attachments[1].size_bytes = 0;
  in.attachments[2].sha256 = "";  // optional
  in.urgency = Urgency::kEmergency;
  in.source = Source::kSensor;
  EXPECT_TRUE(ValidateReportShape(in).ok()) << ValidateReportShape(in);
}

TEST(ValidateReportShapeTest, AcceptsAnEmptyPhoneNameAddressAndNoAttachments) {
  ReportInput in = ValidInput();
  in.reporter_phone = "";
  in.reporter_name = "";
  in.location.address = "";
  in.attachments.clear();
  EXPECT_TRUE(ValidateReportShape(in).ok()) << ValidateReportShape(in);
}

TEST(ValidateReportShapeTest, AcceptsZeroLatitudeOrLongitudeAlone) {
  ReportInput in = ValidInput();
  in.location.latitude = 0;
  EXPECT_TRUE(ValidateReportShape(in).ok());
  in = ValidInput();
  in.location.longitude = 0;
  EXPECT_TRUE(ValidateReportShape(in).ok());
}

TEST(ValidateReportShapeTest, EachInvalidFieldIsRefusedNamingTheField) {
  for (const InvalidCase& c : InvalidCases()) {
    SCOPED_TRACE(c.name);
    ReportInput in = ValidInput();
    c.mutate(in);
    absl::Status s = ValidateReportShape(in);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    EXPECT_TRUE(Mentions(s, c.field)) << s;
  }
}

TEST(BuildReportedEventTest, EachInvalidFieldIsRefusedNamingTheField) {
  std::shared_ptr<const District> d = TestDistrict();
  for (const InvalidCase& c : InvalidCases()) {
    SCOPED_TRACE(c.name);
    ReportInput in = ValidInput();
    c.mutate(in);
    absl::StatusOr<NewEvent> out = BuildReportedEvent(in, Worker(), *d, "id", kNow);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument) << out.status();
    EXPECT_TRUE(Mentions(out.status(), c.field)) << out.status();
  }
}

// The message promises "64 hex digits"; 64 characters that are not hex are no digest.
TEST(ValidateReportShapeTest, Sha256OfNonHexCharactersIsRefused) {
  ReportInput in = ValidInput();
  in.attachments[0].sha256 = std::string(64, 'z');
  absl::Status s = ValidateReportShape(in);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_TRUE(Mentions(s, "attachments[0].sha256")) << s;
}

TEST(ValidateClientRequestIdTest, AcceptsPrintableAsciiUpToTheLimit) {
  EXPECT_TRUE(ValidateClientRequestId("a").ok());
  EXPECT_TRUE(ValidateClientRequestId("0b3f9c1e-7d2a-4c1b-9e8f-000000000001").ok());
  EXPECT_TRUE(ValidateClientRequestId(std::string(kMaxClientRequestIdLength, 'z')).ok());
}

TEST(ValidateNoteTest, EmptyIsFineAndOverLimitNamesTheField) {
  EXPECT_TRUE(ValidateNote("note", "").ok());
  EXPECT_TRUE(ValidateNote("note", std::string(kMaxNoteLength, 'n')).ok());
  absl::Status s = ValidateNote("note", std::string(kMaxNoteLength + 1, 'n'));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Mentions(s, "note")) << s;
}

TEST(ValidateAttachmentsTest, NamesTheGivenField) {
  std::vector<Attachment> evidence = {Photo()};
  evidence[0].uri = "";
  absl::Status s = ValidateAttachments("evidence", evidence);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Mentions(s, "evidence[0].uri")) << s;
  EXPECT_TRUE(ValidateAttachments("evidence", {}).ok());
}

TEST(BuildReportedEventTest, UnknownCategoryNamesCategoryCode) {
  std::shared_ptr<const District> d = TestDistrict();
  ReportInput in = ValidInput();
  in.category_code = "no_such_category";
  absl::StatusOr<NewEvent> out = BuildReportedEvent(in, Worker(), *d, "id", kNow);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Mentions(out.status(), "category_code")) << out.status();
}

TEST(BuildReportedEventTest, UnknownGridNamesGridId) {
  std::shared_ptr<const District> d = TestDistrict();
  ReportInput in = ValidInput();
  in.location.grid_id = "no_such_grid";
  absl::StatusOr<NewEvent> out = BuildReportedEvent(in, Worker(), *d, "id", kNow);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Mentions(out.status(), "location.grid_id")) << out.status();
}

TEST(BuildReportedEventTest, LeaderMayNotReport) {
  std::shared_ptr<const District> d = TestDistrict();
  Identity leader{"boss", Role::kLeader, "440304", ""};
  absl::StatusOr<NewEvent> out = BuildReportedEvent(ValidInput(), leader, *d, "id", kNow);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST(BuildReportedEventTest, OnlyReportingRolesMayReport) {
  std::shared_ptr<const District> d = TestDistrict();
  const std::set<Role> may = {Role::kGridWorker, Role::kCommunityStaff, Role::kStreetDispatcher,
                              Role::kDistrictDispatcher, Role::kDepartmentSystem};
  for (int r = 0; r <= kMaxRole; ++r) {
    Role role = static_cast<Role>(r);
    SCOPED_TRACE(RoleName(role));
    // auth (issue 7): a department system reports inside its department's district.
    Identity who{"someone", role, "440304", "dep_w"};
    absl::StatusOr<NewEvent> out = BuildReportedEvent(ValidInput(), who, *d, "id", kNow);
    if (may.contains(role)) {
      EXPECT_TRUE(out.ok()) << out.status();
    } else {
      ASSERT_FALSE(out.ok());
      EXPECT_EQ(out.status().code(), absl::StatusCode::kPermissionDenied);
    }
  }
}

TEST(BuildReportedEventTest, FillsTheEventFromTheGridAndCategory) {
  std::shared_ptr<const District> d = TestDistrict();
  ReportInput in = ValidInput();  // urgency and source unspecified
  Identity who{"w1", Role::kGridWorker, "g2", ""};
  const std::string id = MakeEventId("440304", kNow, 42);
  absl::StatusOr<NewEvent> out = BuildReportedEvent(in, who, *d, id, kNow);
  ASSERT_TRUE(out.ok()) << out.status();

  const Event& e = out->event;
  EXPECT_EQ(e.id, id);
  EXPECT_EQ(e.district_id, "440304");
  EXPECT_EQ(e.street_id, "st2");
  EXPECT_EQ(e.community_id, "c2");
  EXPECT_EQ(e.category_code, "manhole");
  EXPECT_EQ(e.urgency, Urgency::kUrgent);  // the category's default
  EXPECT_EQ(e.source, Source::kGridWorker);
  EXPECT_EQ(e.location.grid_id, "g2");
  EXPECT_EQ(e.location.latitude, 22.54);
  EXPECT_EQ(e.location.longitude, 114.05);
  EXPECT_EQ(e.location.address, "Shennan Road 1");
  EXPECT_EQ(e.description, in.description);
  EXPECT_EQ(e.reporter.subject, "w1");
  EXPECT_EQ(e.reporter.role, Role::kGridWorker);
  EXPECT_EQ(e.reporter.name, "Wang");
  EXPECT_EQ(e.reporter.phone, "+86 138-0000-0000");
  ASSERT_EQ(e.attachments.size(), 1u);
  EXPECT_EQ(e.attachments[0].uri, Photo().uri);
  EXPECT_EQ(e.state, EventState::kReported);
  EXPECT_EQ(e.version, 1);
  EXPECT_EQ(e.department_id, "");
  EXPECT_TRUE(e.rejected_by.empty());
  EXPECT_EQ(e.rework_count, 0);
  EXPECT_EQ(e.created_at, kNow);
  EXPECT_EQ(e.updated_at, kNow);
  EXPECT_FALSE(e.extension_pending);
  EXPECT_FALSE(e.suspension_pending);

  const TimelineEntry& t = out->entry;
  EXPECT_EQ(t.seq, 1);
  EXPECT_EQ(t.at, kNow);
  EXPECT_EQ(t.action, EventAction::kReport);
  EXPECT_EQ(t.from_state, EventState::kUnspecified);
  EXPECT_EQ(t.to_state, EventState::kReported);
  EXPECT_EQ(t.actor_subject, "w1");
  EXPECT_EQ(t.actor_role, Role::kGridWorker);
}

TEST(BuildReportedEventTest, GivenUrgencyAndSourceWinOverDefaults) {
  std::shared_ptr<const District> d = TestDistrict();
  ReportInput in = ValidInput();
  in.urgency = Urgency::kEmergency;
  in.source = Source::kHotline;
  Identity dispatcher{"d1", Role::kDistrictDispatcher, "440304", ""};
  absl::StatusOr<NewEvent> out = BuildReportedEvent(in, dispatcher, *d, "id", kNow);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->event.urgency, Urgency::kEmergency);
  EXPECT_EQ(out->event.source, Source::kHotline);
  EXPECT_EQ(out->event.reporter.role, Role::kDistrictDispatcher);

  in = ValidInput();
  in.category_code = "garbage";
  in.location.grid_id = "g1";
  out = BuildReportedEvent(in, Identity{"w1", Role::kGridWorker, "g1", ""}, *d, "id", kNow);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->event.urgency, Urgency::kNormal);
  EXPECT_EQ(out->event.street_id, "st1");
  EXPECT_EQ(out->event.community_id, "c1");
}

TEST(BuildReportedEventTest, RecordsTheDepartmentOfADepartmentSystemReporter) {
  std::shared_ptr<const District> d = TestDistrict();
  Identity system{"water-sys", Role::kDepartmentSystem, "440304", "dep_w"};
  absl::StatusOr<NewEvent> out = BuildReportedEvent(ValidInput(), system, *d, "id", kNow);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->entry.actor_department_id, "dep_w");
  EXPECT_EQ(out->event.department_id, "");  // reporting assigns no department
}

// ---------------------------------------------------------------------------------------
// Event ids.

constexpr absl::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

TEST(MakeEventIdTest, HasDistrictPrefixUtcDateAndTenCrockfordChars) {
  // 2026-11-27 23:30 UTC is already 2026-11-28 in Beijing: the date must be UTC.
  absl::Time t = absl::FromCivil(absl::CivilSecond(2026, 11, 27, 23, 30, 0), absl::UTCTimeZone());
  std::string id = MakeEventId("440304", t, 0x123456789ABCDEFULL);
  ASSERT_EQ(id.size(), std::string("440304-20261127-").size() + 10) << id;
  EXPECT_EQ(id.substr(0, 16), "440304-20261127-") << id;
  for (char c : id.substr(16)) {
    EXPECT_NE(kCrockford.find(c), absl::string_view::npos) << id;
  }
}

TEST(MakeEventIdTest, EncodesTheLowFiftyBitsBigEndian) {
  EXPECT_EQ(MakeEventId("d", kNow, 0).substr(11), "0000000000");
  EXPECT_EQ(MakeEventId("d", kNow, 31).substr(11), "000000000Z");
  EXPECT_EQ(MakeEventId("d", kNow, 32).substr(11), "0000000010");
  EXPECT_EQ(MakeEventId("d", kNow, (1ULL << 50) - 1).substr(11), "ZZZZZZZZZZ");
}

TEST(MakeEventIdTest, DifferentRandomsGiveDifferentIds) {
  std::set<std::string> ids;
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < 10000; ++i) {
    ids.insert(MakeEventId("440304", kNow, static_cast<uint64_t>(i)));
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    ids.insert(MakeEventId("440304", kNow, x));
  }
  EXPECT_EQ(ids.size(), 20000u);
}

TEST(MakeEventIdTest, DistrictOfEventIdRoundTrips) {
  for (absl::string_view district : {"440304", "jianghai", "d_01"}) {
    EXPECT_EQ(DistrictOfEventId(MakeEventId(district, kNow, 12345)), district);
  }
  EXPECT_EQ(DistrictOfEventId("no-dash-here"), "no");
  EXPECT_EQ(DistrictOfEventId("nodash"), "");
}

// ---------------------------------------------------------------------------------------
// Fingerprints.

TEST(FingerprintOfTest, EqualInputsHaveEqualFingerprints) {
  EXPECT_EQ(FingerprintOf(ValidInput()), FingerprintOf(ValidInput()));
}

TEST(FingerprintOfTest, IgnoresTheClientRequestId) {
  // A retry is the same payload under the same id; the id is the key, not the payload.
  ReportInput a = ValidInput();
  ReportInput b = ValidInput();
  b.client_request_id = "another";
  EXPECT_EQ(FingerprintOf(a), FingerprintOf(b));
}

TEST(FingerprintOfTest, AnySingleFieldChangeChangesTheFingerprint) {
  const std::vector<std::pair<const char*, std::function<void(ReportInput&)>>> mutations = {
      {"category_code", [](ReportInput& in) { in.category_code = "garbage"; }},
      {"urgency", [](ReportInput& in) { in.urgency = Urgency::kNormal; }},
      {"source", [](ReportInput& in) { in.source = Source::kHotline; }},
      {"latitude", [](ReportInput& in) { in.location.latitude += 1e-9; }},
      {"longitude", [](ReportInput& in) { in.location.longitude += 1e-9; }},
      {"grid_id", [](ReportInput& in) { in.location.grid_id = "g1"; }},
      {"address", [](ReportInput& in) { in.location.address += "."; }},
      {"description", [](ReportInput& in) { in.description += "!"; }},
      {"reporter_name", [](ReportInput& in) { in.reporter_name = "Li"; }},
      {"reporter_phone", [](ReportInput& in) { in.reporter_phone = "110"; }},
      {"attachment added", [](ReportInput& in) { in.attachments.push_back(Photo(2)); }},
      {"attachment removed", [](ReportInput& in) { in.attachments.clear(); }},
      {"attachment uri", [](ReportInput& in) { in.attachments[0].uri += "x"; }},
      {"attachment content_type",
       [](ReportInput& in) { in.attachments[0].content_type = "image/png"; }},
      {"attachment size", [](ReportInput& in) { in.attachments[0].size_bytes += 1; }},
      {"attachment sha256", [](ReportInput& in) { in.attachments[0].sha256[0] = 'b'; }},
      {"attachments reordered",
       [](ReportInput& in) {
         in.attachments.push_back(Photo(2));
         std::swap(in.attachments[0], in.attachments[1]);
       }},
      // Moving text across a field boundary must not collide.
      {"description/name boundary",
       [](ReportInput& in) {
         in.reporter_name = in.description.substr(in.description.size() - 1) + in.reporter_name;
         in.description.pop_back();
       }},
      {"empty grid", [](ReportInput& in) { in.location.grid_id.clear(); }},
  };
  const uint64_t base = FingerprintOf(ValidInput());
  std::set<uint64_t> seen = {base};
  for (const auto& [name, mutate] : mutations) {
    ReportInput in = ValidInput();
    mutate(in);
    uint64_t f = FingerprintOf(in);
    EXPECT_NE(f, base) << name;
    EXPECT_TRUE(seen.insert(f).second) << name << " collides with another mutation";
  }
  // The "attachments reordered" case starts from two attachments; compare like with like.
  ReportInput two = ValidInput();
  two.attachments.push_back(Photo(2));
  ReportInput swapped = two;
  std::swap(swapped.attachments[0], swapped.attachments[1]);
  EXPECT_NE(FingerprintOf(two), FingerprintOf(swapped));
}

TEST(FingerprintTest, LengthPrefixSeparatesConcatenations) {
  EXPECT_NE(Fingerprint().Add("ab").Add("c").value(), Fingerprint().Add("a").Add("bc").value());
  EXPECT_NE(Fingerprint().Add("").value(), Fingerprint().value());
  EXPECT_EQ(Fingerprint().Add(int64_t{5}).value(), Fingerprint().Add(int64_t{5}).value());
}

// auth (issue 7): reporters report inside their own area; nothing is built otherwise.
TEST(BuildReportedEventTest, GridWorkerOutsideTheirGridIsPermissionDeniedNamingTheGrid) {
  std::shared_ptr<const District> d = TestDistrict();
  ReportInput in = ValidInput();
  in.location.grid_id = "g1";
  Identity other_grid{"w1", Role::kGridWorker, "g2", ""};
  absl::StatusOr<NewEvent> out = BuildReportedEvent(in, other_grid, *d, "id", kNow);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(out.status().message().find("location.grid_id"), std::string::npos);
  Identity community{"w1", Role::kGridWorker, "c1", ""};  // a community covers its grids
  EXPECT_TRUE(BuildReportedEvent(in, community, *d, "id", kNow).ok());
}

}  // namespace
}  // namespace zhiwang
