#include "common/orgfile/org_file.h"

#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/domain/organisation.h"
#include "common/rpc/convert.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace zhiwang::orgfile {
namespace {

namespace pb = google::protobuf;

class Collector : public pb::io::ErrorCollector {
 public:
  void AddError(int line, pb::io::ColumnNumber column, const std::string& message) override {
    errors_.push_back(absl::StrCat(line + 1, ":", column + 1, ": ", message));
  }
  void AddWarning(int line, pb::io::ColumnNumber column, const std::string& message) override {}
  std::string Joined(const std::string& file) const {
    std::vector<std::string> lines;
    for (const std::string& e : errors_) lines.push_back(absl::StrCat(file, ":", e));
    return absl::StrJoin(lines, "\n");
  }

 private:
  std::vector<std::string> errors_;
};

// The 1-based line where the element at `path` ("a[3].b.c[0]") was written, or of its
// nearest written ancestor; nullopt when nothing on the path was found.
std::optional<int> LineOf(const pb::TextFormat::ParseInfoTree* tree,
                          const pb::Descriptor* descriptor, const std::string& path) {
  std::optional<int> line;
  for (absl::string_view segment : absl::StrSplit(path, '.')) {
    if (tree == nullptr || descriptor == nullptr) break;
    std::string name(segment);
    int index = -1;
    if (size_t open = name.find('['); open != std::string::npos) {
      if (!absl::SimpleAtoi(name.substr(open + 1, name.size() - open - 2), &index)) break;
      name = name.substr(0, open);
    }
    const pb::FieldDescriptor* field = descriptor->FindFieldByName(name);
    if (field == nullptr) break;
    if (field->is_repeated() && index < 0) index = 0;
    if (!field->is_repeated()) index = -1;
    pb::TextFormat::ParseLocation at = tree->GetLocation(field, index);
    if (at.line >= 0) line = at.line + 1;
    if (field->type() != pb::FieldDescriptor::TYPE_MESSAGE) break;
    tree = tree->GetTreeForNested(field, index);
    descriptor = field->message_type();
  }
  return line;
}

}  // namespace

absl::StatusOr<v1::District> ParseOrgText(const std::string& text, const std::string& file_name) {
  v1::District district;
  Collector errors;
  pb::TextFormat::ParseInfoTree tree;
  pb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(text, &district)) {
    return absl::InvalidArgumentError(errors.Joined(file_name));
  }
  absl::StatusOr<std::shared_ptr<const District>> valid = District::Create(FromProto(district));
  if (!valid.ok()) {
    absl::optional<absl::Cord> path = valid.status().GetPayload(kOrgPathPayload);
    std::string where = file_name;
    std::string suffix;
    if (path) {
      std::string p(*path);
      if (std::optional<int> line = LineOf(&tree, v1::District::descriptor(), p)) {
        absl::StrAppend(&where, ":", *line);
      }
      suffix = absl::StrCat(" [", p, "]");
    }
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", valid.status().message(), suffix));
  }
  return district;
}

absl::StatusOr<v1::District> ReadOrgFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream text;
  text << in.rdbuf();
  return ParseOrgText(text.str(), path);
}

}  // namespace zhiwang::orgfile
