#include "common/domain/reporter_masking.h"

#include <algorithm>

namespace zhiwang {
namespace {

// Length in bytes of the UTF-8 sequence starting with `lead` (1 for a stray byte).
size_t SequenceLength(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  if (lead >= 0xE0) return lead <= 0xEF ? 3 : 1;
  if (lead >= 0xC2) return 2;
  return 1;
}

}  // namespace

bool MayReadReporterContact(const Identity& who, const Event& event) {
  if (!who.subject.empty() && who.subject == event.reporter.subject) return true;
  switch (who.role) {
    case Role::kStreetDispatcher:
    case Role::kDistrictDispatcher:
    case Role::kSystem:
      return true;
    default:
      return false;
  }
}

std::string MaskName(absl::string_view name) {
  if (name.empty()) return "";
  size_t first = std::min(SequenceLength(static_cast<unsigned char>(name[0])), name.size());
  std::string out(name.substr(0, first));
  for (size_t i = first; i < name.size();) {
    size_t n = SequenceLength(static_cast<unsigned char>(name[i]));
    // A truncated sequence at the end is one character.
    i += std::min(n, name.size() - i);
    out.push_back('*');
  }
  return out;
}

std::string MaskPhone(absl::string_view phone) {
  if (phone.size() <= 7) return std::string(phone.size(), '*');
  std::string out(phone);
  for (size_t i = 3; i + 4 < out.size(); ++i) out[i] = '*';
  return out;
}

void MaskReporterFor(const Identity& who, Event& event) {
  if (MayReadReporterContact(who, event)) return;
  event.reporter.name = MaskName(event.reporter.name);
  event.reporter.phone = MaskPhone(event.reporter.phone);
}

}  // namespace zhiwang
