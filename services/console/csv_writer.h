#ifndef ZHIWANG_SERVICES_CONSOLE_CSV_WRITER_H_
#define ZHIWANG_SERVICES_CONSOLE_CSV_WRITER_H_

// RFC 4180 CSV for the console's exports (issue 6): UTF-8 with a byte-order mark (EF BB BF)
// first, so that spreadsheets read Chinese text as UTF-8; CRLF after every row (the last
// one too); a field is quoted when it contains a comma, a double quote, CR or LF, and
// quotes inside it are doubled. Fields are written byte for byte: the caller passes UTF-8.
//
//   CsvWriter csv({"部门", "按期处置率"});
//   absl::Status s = csv.AddRow({"水务", "66.67"});
//   std::string file = csv.str();  // "\xEF\xBB\xBF部门,按期处置率\r\n水务,66.67\r\n"
//
// Not thread-safe: one writer per export.

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace zhiwang::console {

inline constexpr char kUtf8Bom[] = "\xEF\xBB\xBF";

// `field` as one CSV field: unchanged, or quoted with its quotes doubled when it holds a
// comma, a double quote, CR or LF.
std::string CsvField(absl::string_view field);

class CsvWriter {
 public:
  // Starts the output with the BOM and the header row. Every row must then have
  // header.size() fields; an empty header is allowed only for a file of no columns.
  explicit CsvWriter(absl::Span<const std::string> header);

  // Appends one row. INVALID_ARGUMENT (naming the counts) when fields.size() differs from
  // the header's; nothing is written then.
  absl::Status AddRow(absl::Span<const std::string> fields);

  // The whole file so far: BOM, header, rows.
  const std::string& str() const { return out_; }
  size_t columns() const { return columns_; }

 private:
  void AppendRow(absl::Span<const std::string> fields);

  size_t columns_;
  std::string out_;
};

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_CSV_WRITER_H_
