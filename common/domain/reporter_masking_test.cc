// Unit tests of reporter masking (reporter_masking.h): the rule and who is exempt.

#include "common/domain/reporter_masking.h"

#include "gtest/gtest.h"

namespace zhiwang {
namespace {

TEST(MaskNameTest, KeepsTheFirstCharacterAndStarsTheRest) {
  EXPECT_EQ(MaskName("张三"), "张*");
  EXPECT_EQ(MaskName("欧阳娜娜"), "欧***");
  EXPECT_EQ(MaskName("Li Wei"), "L*****");
  EXPECT_EQ(MaskName("张"), "张");
  EXPECT_EQ(MaskName(""), "");
  EXPECT_EQ(MaskName("\xE5\xBC"), "\xE5\xBC");  // a truncated sequence is one character
}

TEST(MaskPhoneTest, KeepsThreeAndFourAndStarsTheMiddle) {
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskPhone("+8613812345678"), "+86*******5678");
  EXPECT_EQ(MaskPhone("12345678"), "123*5678");
  EXPECT_EQ(MaskPhone("1234567"), "*******");
  EXPECT_EQ(MaskPhone(""), "");
}

Event Reported() {
  Event e;
  e.reporter = Reporter{"w1", Role::kGridWorker, "张三", "13812345678"};
  return e;
}

TEST(MaskReporterForTest, ReporterAndDispatchersSeeContactInFull) {
  for (const Identity& who : {Identity{"w1", Role::kGridWorker, "g1", ""},
                              Identity{"d1", Role::kStreetDispatcher, "st1", ""},
                              Identity{"d2", Role::kDistrictDispatcher, "440304", ""},
                              Identity{"router", Role::kSystem, "", ""}}) {
    Event e = Reported();
    MaskReporterFor(who, e);
    EXPECT_EQ(e.reporter.name, "张三") << RoleName(who.role);
    EXPECT_EQ(e.reporter.phone, "13812345678") << RoleName(who.role);
  }
}

TEST(MaskReporterForTest, EveryoneElseSeesItMasked) {
  for (const Identity& who :
       {Identity{"w2", Role::kGridWorker, "g1", ""},
        Identity{"cs", Role::kCommunityStaff, "c1", ""},
        Identity{"op", Role::kDepartmentOperator, "", "dep_a"},
        Identity{"sys", Role::kDepartmentSystem, "", "dep_a"},
        Identity{"boss", Role::kLeader, "440304", ""}, Identity{"aud", Role::kAuditor, "", ""},
        Identity{"adm", Role::kAdmin, "", ""}}) {
    Event e = Reported();
    MaskReporterFor(who, e);
    EXPECT_EQ(e.reporter.name, "张*") << RoleName(who.role);
    EXPECT_EQ(e.reporter.phone, "138****5678") << RoleName(who.role);
    EXPECT_EQ(e.reporter.subject, "w1");
  }
}

}  // namespace
}  // namespace zhiwang
