#include "services/console/csv_writer.h"

#include "absl/strings/str_cat.h"

namespace zhiwang::console {

std::string CsvField(absl::string_view field) {
  if (field.find_first_of(absl::string_view(",\"\r\n", 4)) == absl::string_view::npos) {
    return std::string(field);
  }
  std::string out = "\"";
  out.reserve(field.size() + 2);
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

CsvWriter::CsvWriter(absl::Span<const std::string> header)
    : columns_(header.size()), out_(kUtf8Bom) {
  AppendRow(header);
}

absl::Status CsvWriter::AddRow(absl::Span<const std::string> fields) {
  if (fields.size() != columns_) {
    return absl::InvalidArgumentError(
        absl::StrCat("fields: row has ", fields.size(), " fields, header has ", columns_));
  }
  AppendRow(fields);
  return absl::OkStatus();
}

void CsvWriter::AppendRow(absl::Span<const std::string> fields) {
  // A lone empty field would be an empty line, which readers skip: quote it.
  if (fields.size() == 1 && fields[0].empty()) {
    out_ += "\"\"\r\n";
    return;
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out_.push_back(',');
    out_ += CsvField(fields[i]);
  }
  out_ += "\r\n";
}

}  // namespace zhiwang::console
