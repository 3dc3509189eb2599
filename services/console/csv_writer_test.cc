// The CSV writer: RFC 4180 quoting, CRLF rows, one BOM, and Chinese text byte for byte.
// Rows are read back with a small independent RFC 4180 reader.

#include "services/console/csv_writer.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace zhiwang::console {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// Reads RFC 4180 text (CRLF rows, quoted fields with doubled quotes) after a leading BOM.
// Returns false on malformed input.
bool ReadCsv(const std::string& text, Rows* rows) {
  const std::string bom = kUtf8Bom;
  if (text.compare(0, bom.size(), bom) != 0) return false;
  size_t i = bom.size();
  std::vector<std::string> row;
  std::string field;
  while (i < text.size()) {
    if (text[i] == '"') {
      ++i;
      while (true) {
        if (i >= text.size()) return false;
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(text[i++]);
      }
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '\r') {
        if (text[i] == '"' || text[i] == '\n') return false;
        field.push_back(text[i++]);
      }
    }
    if (i >= text.size()) return false;  // every row ends with CRLF
    if (text[i] == ',') {
      row.push_back(std::move(field));
      field.clear();
      ++i;
    } else if (text.compare(i, 2, "\r\n") == 0) {
      row.push_back(std::move(field));
      field.clear();
      rows->push_back(std::move(row));
      row.clear();
      i += 2;
    } else {
      return false;
    }
  }
  return row.empty() && field.empty();
}

TEST(CsvFieldTest, PlainFieldsAreNotQuoted) {
  EXPECT_EQ(CsvField("water"), "water");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a b;c\t"), "a b;c\t");
  EXPECT_EQ(CsvField("水务局"), "水务局");
}

TEST(CsvFieldTest, CommaQuoteCrAndLfForceQuotingWithQuotesDoubled) {
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("\""), "\"\"\"\"");
  EXPECT_EQ(CsvField("line1\nline2"), "\"line1\nline2\"");
  EXPECT_EQ(CsvField("cr\r"), "\"cr\r\"");
  EXPECT_EQ(CsvField("路灯，不亮,\"急\""), "\"路灯，不亮,\"\"急\"\"\"");
}

TEST(CsvWriterTest, BomOnceThenHeaderAndRowsWithCrlf) {
  CsvWriter csv({"id", "name"});
  ASSERT_TRUE(csv.AddRow({"1", "a"}).ok());
  ASSERT_TRUE(csv.AddRow({"2", "b"}).ok());
  EXPECT_EQ(csv.str(), "\xEF\xBB\xBFid,name\r\n1,a\r\n2,b\r\n");
  EXPECT_EQ(csv.str().find("\xEF\xBB\xBF", 1), std::string::npos);
  EXPECT_EQ(csv.columns(), 2u);
}

TEST(CsvWriterTest, HeaderOnlyFileHasBomAndHeader) {
  CsvWriter csv({"部门"});
  EXPECT_EQ(csv.str(), "\xEF\xBB\xBF\xE9\x83\xA8\xE9\x97\xA8\r\n");
}

TEST(CsvWriterTest, EmptyFieldsStayEmpty) {
  CsvWriter csv({"a", "b", "c"});
  ASSERT_TRUE(csv.AddRow({"", "", ""}).ok());
  ASSERT_TRUE(csv.AddRow({"x", "", "z"}).ok());
  EXPECT_EQ(csv.str(),
            "\xEF\xBB\xBF"
            "a,b,c\r\n,,\r\nx,,z\r\n");
  Rows rows;
  ASSERT_TRUE(ReadCsv(csv.str(), &rows));
  EXPECT_EQ(rows, (Rows{{"a", "b", "c"}, {"", "", ""}, {"x", "", "z"}}));
}

TEST(CsvWriterTest, LoneEmptyFieldIsQuotedSoTheRowIsNotABlankLine) {
  CsvWriter csv({"note"});
  ASSERT_TRUE(csv.AddRow({""}).ok());
  EXPECT_EQ(csv.str(), "\xEF\xBB\xBFnote\r\n\"\"\r\n");
  Rows rows;
  ASSERT_TRUE(ReadCsv(csv.str(), &rows));
  EXPECT_EQ(rows, (Rows{{"note"}, {""}}));
}

TEST(CsvWriterTest, WrongFieldCountIsRejectedAndNothingWritten) {
  CsvWriter csv({"a", "b"});
  const std::string before = csv.str();
  absl::Status s = csv.AddRow({"only one"});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(csv.str(), before);
}

TEST(CsvWriterTest, ChineseTextAndSpecialCharactersRoundTripByteExact) {
  const Rows want = {
      {"事件编号", "街道", "描述"},
      {"E-001", "城关街道", "井盖缺失，行人易跌落"},
      {"E-002", "东城街道", "占道经营,\"早市\"\r\n第二行\n第三行"},
      {"E-003", "", "😀 emoji 与 全角，逗号"},
  };
  CsvWriter csv(want[0]);
  for (size_t i = 1; i < want.size(); ++i) ASSERT_TRUE(csv.AddRow(want[i]).ok());
  Rows got;
  ASSERT_TRUE(ReadCsv(csv.str(), &got));
  EXPECT_EQ(got, want);
  // The Chinese bytes appear unchanged in the file (no transcoding, no escaping).
  EXPECT_NE(csv.str().find("\xE4\xBA\x95\xE7\x9B\x96"), std::string::npos);  // 井盖
}

}  // namespace
}  // namespace zhiwang::console
