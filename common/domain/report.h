#ifndef ZHIWANG_COMMON_DOMAIN_REPORT_H_
#define ZHIWANG_COMMON_DOMAIN_REPORT_H_

// Turning a report (上报) into a new event: validation of every field and the first
// timeline entry. Pure.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/domain/event.h"
#include "common/domain/organisation.h"

namespace zhiwang {

// Limits on what a report may carry. Documented in docs/api.md.
inline constexpr size_t kMaxClientRequestIdLength = 64;
inline constexpr size_t kMaxDescriptionLength = 2000;  // bytes of UTF-8
inline constexpr size_t kMaxAddressLength = 200;
inline constexpr size_t kMaxNameLength = 64;
inline constexpr size_t kMaxPhoneLength = 32;
inline constexpr size_t kMaxNoteLength = 2000;
inline constexpr size_t kMaxAttachments = 9;
inline constexpr size_t kMaxUriLength = 512;
inline constexpr int64_t kMaxAttachmentBytes = 50LL * 1024 * 1024;

struct ReportInput {
  std::string client_request_id;
  std::string category_code;
  Urgency urgency = Urgency::kUnspecified;
  Source source = Source::kUnspecified;
  Location location;
  std::string description;
  std::string reporter_name;
  std::string reporter_phone;
  std::vector<Attachment> attachments;
};

// Fields common to every mutating request.
absl::Status ValidateClientRequestId(absl::string_view id);
absl::Status ValidateAttachments(absl::string_view field,
                                 const std::vector<Attachment>& attachments);
absl::Status ValidateNote(absl::string_view field, absl::string_view note);

// Checks every field of `in` that does not need the organisation (INVALID_ARGUMENT
// naming the field).
absl::Status ValidateReportShape(const ReportInput& in);

// Builds the new event (state reported, version 1) and its first timeline entry.
// `district` must be the district owning in.location.grid_id. Errors: INVALID_ARGUMENT
// for an unknown category or grid, or any field ValidateReportShape refuses;
// PERMISSION_DENIED for a role that may not report.
struct NewEvent {
  Event event;
  TimelineEntry entry;
};
absl::StatusOr<NewEvent> BuildReportedEvent(const ReportInput& in, const Identity& who,
                                            const District& district, std::string event_id,
                                            absl::Time now);

// "<district>-<yyyymmdd>-<10 chars of Crockford base32>", e.g.
// "440304-20261127-7K3F9Q2ABC". Unique with overwhelming probability for distinct
// `random` values.
std::string MakeEventId(absl::string_view district_id, absl::Time now, uint64_t random);

// A stable 64-bit fingerprint of a request's payload (FNV-1a over a canonical encoding),
// used to tell a retry from a different request that reuses a client_request_id.
class Fingerprint {
 public:
  Fingerprint& Add(absl::string_view s);
  Fingerprint& Add(int64_t v);
  Fingerprint& Add(double v);
  Fingerprint& Add(const std::vector<Attachment>& attachments);
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = 1469598103934665603ULL;
};
uint64_t FingerprintOf(const ReportInput& in);

}  // namespace zhiwang

#endif  // ZHIWANG_COMMON_DOMAIN_REPORT_H_
