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
std::string ChangeFeedFloor(absl::string_view d) {
  return absl::StrCat(Prefix(d), "q:changes:floor");
}
std::string EvaluationCache(absl::string_view d, absl::string_view scope,
                            absl::string_view grouping, int64_t from_ms, int64_t to_ms,
                            absl::string_view config) {
  return absl::StrCat(Prefix(d), "eval:", scope, ":", grouping, ":", from_ms, ":", to_ms, ":",
                      config);
}
std::string EvaluationScratch(absl::string_view d, int n) {
  return absl::StrCat(Prefix(d), "tmp:eval:", n);
}
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

// ---- query (issue 6)
std::string EventsByCreation(absl::string_view d) {
  return absl::StrCat(Prefix(d), "ix:q:created");
}
std::string EventsByClosure(absl::string_view d) { return absl::StrCat(Prefix(d), "ix:q:closed"); }
std::string QueryIndex(absl::string_view d, absl::string_view kind, absl::string_view value) {
  if (kind == "rep") return ReporterIndex(d, value);
  return absl::StrCat(Prefix(d), "ix:q:", kind, ":", value);
}
std::string SupervisedEvents(absl::string_view d) { return absl::StrCat(Prefix(d), "ix:q:sup"); }
std::string QueryCounters(absl::string_view d, absl::string_view scope) {
  return absl::StrCat(Prefix(d), "ix:q:n:", scope);
}
std::string LightIndex(absl::string_view d, absl::string_view which, absl::string_view scope,
                       absl::string_view value) {
  if (scope.empty()) return absl::StrCat(Prefix(d), "ix:q:", which);
  return absl::StrCat(Prefix(d), "ix:q:", which, ":", scope, ":", value);
}
std::string LightIndexByState(absl::string_view d, absl::string_view which, absl::string_view scope,
                              absl::string_view value, int state) {
  return absl::StrCat(LightIndex(d, which, scope, value), ":s:", state);
}
std::string QueryIndexPrefix(absl::string_view d) { return absl::StrCat(Prefix(d), "ix:q:"); }
// ---- end query
// ---- authn (issue 7)
std::string ApiKey(absl::string_view key_id) { return absl::StrCat("zw:apikey:", key_id); }
std::string ApiKeys() { return "zw:apikeys"; }
std::string AuditStream() { return "zw:audit"; }
std::string AuditSeen(absl::string_view d, absl::string_view event_id, int64_t version) {
  return absl::StrCat(Prefix(d), "audit:seen:", event_id, ":", version);
}

}  // namespace zhiwang::redis::keys
