#include "common/domain/report.h"

#include <cmath>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/domain/access_policy.h"

namespace zhiwang {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

absl::Status CheckLength(absl::string_view field, absl::string_view value, size_t max,
                         bool required) {
  if (required && value.empty()) return Invalid(field, "is required");
  if (value.size() > max) {
    return Invalid(field, absl::StrCat("is longer than ", max, " bytes"));
  }
  return absl::OkStatus();
}

bool Printable(absl::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

absl::Status ValidateClientRequestId(absl::string_view id) {
  if (absl::Status s = CheckLength("client_request_id", id, kMaxClientRequestIdLength, true);
      !s.ok()) {
    return s;
  }
  if (!Printable(id) || id.find(' ') != absl::string_view::npos) {
    return Invalid("client_request_id", "must be printable ASCII without spaces");
  }
  return absl::OkStatus();
}

absl::Status ValidateAttachments(absl::string_view field,
                                 const std::vector<Attachment>& attachments) {
  if (attachments.size() > kMaxAttachments) {
    return Invalid(field, absl::StrCat("has more than ", kMaxAttachments, " attachments"));
  }
  for (size_t i = 0; i < attachments.size(); ++i) {
    const Attachment& a = attachments[i];
    std::string f = absl::StrCat(field, "[", i, "]");
    if (a.uri.empty()) return Invalid(absl::StrCat(f, ".uri"), "is required");
    if (a.uri.size() > kMaxUriLength || !Printable(a.uri)) {
      return Invalid(absl::StrCat(f, ".uri"), "is too long or not printable");
    }
    if (a.size_bytes < 0 || a.size_bytes > kMaxAttachmentBytes) {
      return Invalid(absl::StrCat(f, ".size_bytes"),
                     absl::StrCat("must be within 0..", kMaxAttachmentBytes));
    }
    if (a.content_type.size() > 100) {
      return Invalid(absl::StrCat(f, ".content_type"), "is longer than 100 bytes");
    }
    if (!a.sha256.empty() &&
        (a.sha256.size() != 64 ||
         a.sha256.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)) {
      return Invalid(absl::StrCat(f, ".sha256"), "must be 64 hex digits");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateNote(absl::string_view field, absl::string_view note) {
  return CheckLength(field, note, kMaxNoteLength, false);
}

absl::Status ValidateReportShape(const ReportInput& in) {
  if (absl::Status s = ValidateClientRequestId(in.client_request_id); !s.ok()) return s;
  if (in.category_code.empty()) return Invalid("category_code", "is required");
  if (static_cast<int>(in.urgency) < 0 || static_cast<int>(in.urgency) > 3) {
    return Invalid("urgency", "is not a known value");
  }
  if (static_cast<int>(in.source) < 0 || static_cast<int>(in.source) > 5) {
    return Invalid("source", "is not a known value");
  }
  const Location& l = in.location;
  if (!std::isfinite(l.latitude) || l.latitude < -90 || l.latitude > 90) {
    return Invalid("location.latitude", "must be within -90..90");
  }
  if (!std::isfinite(l.longitude) || l.longitude < -180 || l.longitude > 180) {
    return Invalid("location.longitude", "must be within -180..180");
  }
  if (l.latitude == 0 && l.longitude == 0) {
    return Invalid("location", "latitude and longitude are required");
  }
  if (l.grid_id.empty()) return Invalid("location.grid_id", "is required");
  if (absl::Status s = CheckLength("location.address", l.address, kMaxAddressLength, false);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckLength("description", in.description, kMaxDescriptionLength, true);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckLength("reporter_name", in.reporter_name, kMaxNameLength, false);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckLength("reporter_phone", in.reporter_phone, kMaxPhoneLength, false);
      !s.ok()) {
    return s;
  }
  for (char c : in.reporter_phone) {
    if (!((c >= '0' && c <= '9') || c == '+' || c == '-' || c == ' ')) {
      return Invalid("reporter_phone", "may hold only digits, '+', '-' and spaces");
    }
  }
  return ValidateAttachments("attachments", in.attachments);
}

absl::StatusOr<NewEvent> BuildReportedEvent(const ReportInput& in, const Identity& who,
                                            const District& district, std::string event_id,
                                            absl::Time now) {
  if (absl::Status s = ValidateReportShape(in); !s.ok()) return s;
  switch (who.role) {
    case Role::kGridWorker:
    case Role::kCommunityStaff:
    case Role::kStreetDispatcher:
    case Role::kDistrictDispatcher:
    case Role::kDepartmentSystem:
      break;
    default:
      return absl::PermissionDeniedError(
          absl::StrCat("role '", RoleName(who.role), "' may not report events"));
  }
  const CategoryInfo* category = district.FindCategory(in.category_code);
  if (category == nullptr) {
    return Invalid("category_code",
                   absl::StrCat("'", in.category_code, "' is not a known category"));
  }
  std::optional<GridPlace> place = district.FindGrid(in.location.grid_id);
  if (!place) {
    return Invalid("location.grid_id",
                   absl::StrCat("'", in.location.grid_id, "' is not a known grid"));
  }
  // auth (issue 7): reporters report inside their own area.
  if (absl::Status s = CheckReportScope(who, district, in.location.grid_id, *place); !s.ok()) {
    return s;
  }
  NewEvent out;
  Event& e = out.event;
  e.id = std::move(event_id);
  e.district_id = place->district_id;
  e.street_id = place->street_id;
  e.community_id = place->community_id;
  e.category_code = in.category_code;
  e.urgency = in.urgency == Urgency::kUnspecified ? category->default_urgency : in.urgency;
  e.source = in.source == Source::kUnspecified ? Source::kGridWorker : in.source;
  e.location = in.location;
  e.description = in.description;
  e.reporter = Reporter{who.subject, who.role, in.reporter_name, in.reporter_phone};
  e.attachments = in.attachments;
  e.state = EventState::kReported;
  e.version = 1;
  e.created_at = now;
  e.updated_at = now;
  // org (issue 3): locate the point; a disagreement with the reported grid is flagged,
  // never overwritten (dispatchers see both).
  if (const GridInfo* located =
          district.LocateGrid(LatLng{in.location.latitude, in.location.longitude})) {
    e.located_grid_id = located->id;
    e.grid_mismatch = located->id != in.location.grid_id;
    e.cross_street =
        e.grid_mismatch && district.StreetOfCommunity(located->community_id) != place->street_id;
  }

  TimelineEntry& t = out.entry;
  t.seq = 1;
  t.at = now;
  t.actor_subject = who.subject;
  t.actor_role = who.role;
  t.actor_department_id = who.department_id;
  t.from_state = EventState::kUnspecified;
  t.to_state = EventState::kReported;
  t.action = EventAction::kReport;
  return out;
}

std::string MakeEventId(absl::string_view district_id, absl::Time now, uint64_t random) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string suffix(10, '0');
  for (int i = 9; i >= 0; --i) {
    suffix[i] = kAlphabet[random & 31];
    random >>= 5;
  }
  return absl::StrCat(district_id, "-", absl::FormatTime("%Y%m%d", now, absl::UTCTimeZone()), "-",
                      suffix);
}

Fingerprint& Fingerprint::Add(absl::string_view s) {
  Add(static_cast<int64_t>(s.size()));
  for (unsigned char c : s) {
    h_ ^= c;
    h_ *= 1099511628211ULL;
  }
  return *this;
}

Fingerprint& Fingerprint::Add(int64_t v) {
  for (int i = 0; i < 8; ++i) {
    h_ ^= static_cast<unsigned char>(v >> (8 * i));
    h_ *= 1099511628211ULL;
  }
  return *this;
}

Fingerprint& Fingerprint::Add(double v) {
  int64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return Add(bits);
}

Fingerprint& Fingerprint::Add(const std::vector<Attachment>& attachments) {
  Add(static_cast<int64_t>(attachments.size()));
  for (const Attachment& a : attachments) {
    Add(a.uri).Add(a.content_type).Add(a.size_bytes).Add(a.sha256);
  }
  return *this;
}

uint64_t FingerprintOf(const ReportInput& in) {
  Fingerprint f;
  f.Add("report")
      .Add(in.category_code)
      .Add(static_cast<int64_t>(in.urgency))
      .Add(static_cast<int64_t>(in.source))
      .Add(in.location.latitude)
      .Add(in.location.longitude)
      .Add(in.location.grid_id)
      .Add(in.location.address)
      .Add(in.description)
      .Add(in.reporter_name)
      .Add(in.reporter_phone)
      .Add(in.attachments);
  return f.value();
}

}  // namespace zhiwang
