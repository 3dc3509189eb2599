#include "common/redis/keys.h"

#include "absl/strings/str_cat.h"

namespace zhiwang::redis::keys {
namespace {
std::string Prefix(absl::string_view district) { return absl::StrCat("zw:{", district, "}:"); }
}  // namespace

std::string Event(absl::string_view d, absl::string_view id) {
  return absl::StrCat(Prefix(d), "ev:", id);
}
std::string Timeline(absl::string_view d, absl::string_view id) {
  return absl::StrCat(Prefix(d), "tl:", id);
}
std::string Request(absl::string_view d, absl::string_view subject, absl::string_view rid) {
  return absl::StrCat(Prefix(d), "req:", subject, ":", rid);
}
std::string ReporterIndex(absl::string_view d, absl::string_view subject) {
  return absl::StrCat(Prefix(d), "ix:rep:", subject);
}
std::string DepartmentIndex(absl::string_view d, absl::string_view dep) {
  return absl::StrCat(Prefix(d), "ix:dep:", dep);
}
std::string RouterQueue(absl::string_view d) { return absl::StrCat(Prefix(d), "q:router"); }
std::string DepartmentQueue(absl::string_view d, absl::string_view dep) {
  return absl::StrCat(Prefix(d), "q:dep:", dep);
}
std::string ChangeFeed(absl::string_view d) { return absl::StrCat(Prefix(d), "q:changes"); }
std::string Notifications(absl::string_view d) { return absl::StrCat(Prefix(d), "q:notify"); }
// ---- org (issue 3)
std::string TriageIndex(absl::string_view d, absl::string_view centre) {
  return absl::StrCat(Prefix(d), "ix:triage:", centre);
}
std::string FollowersIndex(absl::string_view d, absl::string_view master) {
  return absl::StrCat(Prefix(d), "ix:followers:", master);
}
std::string OpenEventsGeo(absl::string_view d, absl::string_view category) {
  return absl::StrCat(Prefix(d), "geo:open:", category);
}
// ---- end org
// dq (issue 5)
std::string WebhookEndpoint(absl::string_view d, absl::string_view dep) {
  return absl::StrCat(Prefix(d), "wh:cfg:", dep);
}
std::string WebhookEndpoints() { return "zw:wh:endpoints"; }
std::string WebhookLog(absl::string_view d, absl::string_view dep) {
  return absl::StrCat(Prefix(d), "wh:log:", dep);
}
std::string WebhookDeadLetters(absl::string_view d, absl::string_view dep) {
  return absl::StrCat(Prefix(d), "wh:dlq:", dep);
}
std::string WebhookReplay(absl::string_view d, absl::string_view dep) {
  return absl::StrCat(Prefix(d), "wh:replay:", dep);
}
std::string Organisation(absl::string_view d) { return absl::StrCat(Prefix(d), "org"); }
std::string OrganisationDistricts() { return "zw:org:districts"; }

// --- sla ---
std::string SlaRecordPrefix(absl::string_view d) { return absl::StrCat(Prefix(d), "sla:ev:"); }
std::string SlaRecord(absl::string_view d, absl::string_view id) {
  return absl::StrCat(SlaRecordPrefix(d), id);
}
std::string EventPrefix(absl::string_view d) { return absl::StrCat(Prefix(d), "ev:"); }
std::string SlaTimers(absl::string_view d) { return absl::StrCat(Prefix(d), "sla:timers"); }
std::string SupervisionOrderPrefix(absl::string_view d) {
  return absl::StrCat(Prefix(d), "sla:so:");
}
std::string SupervisionOrder(absl::string_view d, absl::string_view id) {
  return absl::StrCat(SupervisionOrderPrefix(d), id);
}
// --- end sla ---

// ---- authn (issue 7)
std::string ApiKey(absl::string_view key_id) { return absl::StrCat("zw:apikey:", key_id); }
std::string ApiKeys() { return "zw:apikeys"; }
std::string AuditStream() { return "zw:audit"; }
std::string AuditSeen(absl::string_view d, absl::string_view event_id, int64_t version) {
  return absl::StrCat(Prefix(d), "audit:seen:", event_id, ":", version);
}

}  // namespace zhiwang::redis::keys
