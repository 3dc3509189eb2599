#ifndef ZHIWANG_COMMON_ORGFILE_ORG_FILE_H_
#define ZHIWANG_COMMON_ORGFILE_ORG_FILE_H_

// Reading an organisation file: a zhiwang.v1.District in protobuf text format (see
// docs/organisation.md). Adapter code (protobuf), shared by zwctl and zw-router.
//
// Every error names the file and the line: a syntax error by the parser's line:column,
// a validation error (District::Create) by mapping the path of the offending element it
// reports (e.g. "grids[17].polygon") back to the line where that element was written.
//
//   absl::StatusOr<v1::District> d = ReadOrgFile("deploy/sample/district.textpb");
//   // INVALID_ARGUMENT "district.textpb:212: grids.community_id '4403…': names unknown
//   //                   community '…' [grids[17].community_id]"

#include <string>

#include "absl/status/statusor.h"
#include "zhiwang/v1/organisation.pb.h"

namespace zhiwang::orgfile {

// Parses and validates `text`; `file_name` prefixes error messages. INVALID_ARGUMENT
// ("<file>:<line>[:<col>]: <reason> [<path>]") on a syntax or validation error.
absl::StatusOr<v1::District> ParseOrgText(const std::string& text, const std::string& file_name);

// Reads `path` and ParseOrgText's it. NOT_FOUND when the file cannot be read.
absl::StatusOr<v1::District> ReadOrgFile(const std::string& path);

}  // namespace zhiwang::orgfile

#endif  // ZHIWANG_COMMON_ORGFILE_ORG_FILE_H_
