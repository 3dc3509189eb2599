#ifndef ZHIWANG_COMMON_DOMAIN_REPORTER_MASKING_H_
#define ZHIWANG_COMMON_DOMAIN_REPORTER_MASKING_H_

// Masking of the reporter's personal data (issue 7). Every response, stream message and
// webhook payload that carries an event passes it through MaskReporterFor first, so a
// caller sees the reporter's name and phone in full only when their role needs them.
//
// Who reads them in full (see docs/auth.md "Masking" for the reasons):
//   the reporter themself (same subject) ......... yes
//   street / district dispatcher, system ......... yes (call-backs, duplicate checks)
//   everyone else — grid worker, community staff, department operator / system, leader,
//   auditor, admin ................................ masked
//
// Rule: name — the first character (UTF-8 code point) kept, every further character
// becomes "*" ("张三" → "张*", "欧阳娜娜" → "欧***", "Li" → "L*"); phone — the first 3 and
// last 4 characters kept, each character between becomes "*" ("13812345678" →
// "138****5678"); a phone of 7 characters or fewer is all "*". Empty stays empty. Nothing
// else in the event changes (the reporter's subject is an account id, not personal data).

#include <string>

#include "absl/strings/string_view.h"
#include "common/domain/event.h"

namespace zhiwang {

// True when `who` may read `event`'s reporter name and phone unmasked.
bool MayReadReporterContact(const Identity& who, const Event& event);

// The masked forms described above. Invalid UTF-8 bytes count as one character each.
std::string MaskName(absl::string_view name);
std::string MaskPhone(absl::string_view phone);

// Masks event.reporter.name / phone in place unless MayReadReporterContact(who, event).
void MaskReporterFor(const Identity& who, Event& event);

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_DOMAIN_REPORTER_MASKING_H_
