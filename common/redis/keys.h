#ifndef ZHIWANG_COMMON_REDIS_KEYS_H_
#define ZHIWANG_COMMON_REDIS_KEYS_H_

// Every Redis key Zhiwang uses is built here, and only here.
//
// Sharding: a district is the shard. Every key of a district's events carries the hash
// tag "{<district id>}", so one district's event, timeline, indexes, request records and
// queues live in one Redis Cluster slot and every transition is one Lua script over keys
// of one slot. District ids are restricted to [0-9A-Za-z_] (District::Create), so they
// cannot break the tag. See docs/architecture.md.

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace zhiwang::redis::keys {

// zw:{D}:ev:<id> — hash {s: state number, v: version, d: serialized zhiwang.v1.Event}
std::string Event(absl::string_view district, absl::string_view event_id);
// zw:{D}:tl:<id> — list of serialized zhiwang.v1.TimelineEntry, append-only
std::string Timeline(absl::string_view district, absl::string_view event_id);
// zw:{D}:req:<subject>:<client request id> — string "<fingerprint>:<result event>";
// expires after kIdempotencyTtlSeconds
std::string Request(absl::string_view district, absl::string_view subject,
                    absl::string_view request_id);
// zw:{D}:ix:rep:<subject> — zset of event ids by creation time (ms)
std::string ReporterIndex(absl::string_view district, absl::string_view subject);
// zw:{D}:ix:dep:<department> — zset of held event ids by assignment time (ms)
std::string DepartmentIndex(absl::string_view district, absl::string_view department);
// zw:{D}:q:router — stream of {e: event id, v: version} for the router
std::string RouterQueue(absl::string_view district);
// zw:{D}:q:dep:<department> — stream of {e, v}: work assigned to a department
std::string DepartmentQueue(absl::string_view district, absl::string_view department);
// zw:{D}:q:changes — stream of {e: event id, v: version, s: state, a: action, t: ms}: one
// entry per committed transition (the change feed for the SLA service, consoles, audit)
std::string ChangeFeed(absl::string_view district);
// feed (issue 6): zw:{D}:q:changes:floor — string: the change-feed entry id below which
// entries were trimmed (every entry < floor is gone); absent = nothing trimmed. Written
// with the trim (TrimChangeFeed), read with the feed (WatchEvents answers OUT_OF_RANGE for
// a cursor below it).
std::string ChangeFeedFloor(absl::string_view district);
// feed (issue 6): zw:{D}:eval:<scope>:<grouping>:<from ms>:<to ms>:<config> — string: the
// serialized figures (zhiwang.v1.EvaluationSnapshot) of a finished period, frozen; scope
// is the caller's area ("" for the whole district), config a fingerprint of the SLA
// policies. Expires after 400 days.
std::string EvaluationCache(absl::string_view district, absl::string_view scope,
                            absl::string_view grouping, int64_t from_ms, int64_t to_ms,
                            absl::string_view config);
// feed (issue 6): zw:{D}:tmp:eval:<n> (n = 1, 2) — zsets that live only inside one run of
// the evaluation's input-selection script (created and deleted by it, never seen outside).
std::string EvaluationScratch(absl::string_view district, int n);
// zw:{D}:q:notify — stream of {e: event id, dep: department id, d: serialized
// zhiwang.v1.Notification}: warnings and escalations for delivery
std::string Notifications(absl::string_view district);
// --- sla (docs/sla.md) ---
// zw:{D}:sla:ev:<id> — hash: the SLA record of an event {v: version applied, n: stage
// seq, g: generation, st: stage number, dep: department, d: serialized
// zhiwang.v1.SlaRecord, tm: armed timer members (space-separated), f: fired rungs
// (",0,1,"), so: supervision order ids (",id,"), b<rung>: notification blob,
// oi<rung>/o<rung>: supervision order id / blob}
std::string SlaRecord(absl::string_view district, absl::string_view event_id);
// The prefix of SlaRecord keys (the fire script appends the event id).
std::string SlaRecordPrefix(absl::string_view district);
// The prefix of Event keys (the fire script appends the event id to check its state).
std::string EventPrefix(absl::string_view district);
// zw:{D}:sla:timers — zset of timer members "<event>|<stage seq>|<generation>|<rung>"
// scored by due time (ms)
std::string SlaTimers(absl::string_view district);
// zw:{D}:sla:so:<id> — string: serialized zhiwang.v1.SupervisionOrder
std::string SupervisionOrder(absl::string_view district, absl::string_view order_id);
std::string SupervisionOrderPrefix(absl::string_view district);
// --- end sla ---
// ---- org (issue 3)
// zw:{D}:ix:triage:<centre> — zset of event ids waiting in a dispatch centre's triage
// queue, by entry time (ms); maintained by transition.lua
std::string TriageIndex(absl::string_view district, absl::string_view centre);
// zw:{D}:ix:followers:<master> — zset of the event ids merged into a master, by merge
// time (ms); maintained by transition.lua
std::string FollowersIndex(absl::string_view district, absl::string_view master_event_id);
// zw:{D}:geo:open:<category> — GEO set of open events of a category (a hint for folding
// duplicate reports; see common/domain/open_event_index.h)
std::string OpenEventsGeo(absl::string_view district, absl::string_view category);
// ---- end org

// ---- dq (issue 5): webhooks ----
// zw:{D}:wh:cfg:<department> — hash {url, secret, enabled, max_attempts, timeout_ms,
// initial_backoff_ms, max_backoff_ms}: the department's webhook endpoint
std::string WebhookEndpoint(absl::string_view district, absl::string_view department);
// zw:wh:endpoints — set of "<district>/<department>" with an endpoint (global)
std::string WebhookEndpoints();
// zw:{D}:wh:log:<department> — list of serialized zhiwang.v1.WebhookAttempt, newest first,
// the newest 1000 kept
std::string WebhookLog(absl::string_view district, absl::string_view department);
// zw:{D}:wh:dlq:<department> — list of serialized zhiwang.v1.DeadLetter, oldest first
std::string WebhookDeadLetters(absl::string_view district, absl::string_view department);
// zw:{D}:wh:replay:<department> — list of dead letters to send again, oldest first
std::string WebhookReplay(absl::string_view district, absl::string_view department);
// zw:{D}:org — hash {v: version, d: serialized zhiwang.v1.District}
std::string Organisation(absl::string_view district);
// zw:org:districts — set of district ids (global, outside any district's slot)
std::string OrganisationDistricts();

// ---- query (issue 6): the console's indexes (docs/console.md). All of them are kept by
// the write scripts (create_event.lua, transition.lua) or zw-sla's scripts, atomically
// with the write they index.
// zw:{D}:ix:q:created — zset of every event id by creation time (ms)
std::string EventsByCreation(absl::string_view district);
// zw:{D}:ix:q:closed — zset of the settled events (IsSettled: closed or terminal) by the time
// (ms) they entered it; an event leaving it (unmerge) is removed
std::string EventsByClosure(absl::string_view district);
// zw:{D}:ix:q:<kind>:<value> — zset of event ids by creation time (ms); kind is
// QueryIndexKindName (st, street, comm, grid, dep, depever, cat). For kind "rep" the
// existing ReporterIndex is returned.
std::string QueryIndex(absl::string_view district, absl::string_view kind, absl::string_view value);
// zw:{D}:ix:q:sup — zset of supervised event ids (a supervision order was opened) by
// creation time (ms); written by sla_fire.lua
std::string SupervisedEvents(absl::string_view district);
// zw:{D}:ix:q:n:<scope> — hash of counters "<value>|<state number>" → events (scope
// "street" or "dep" = holding department) and "<state number>" (scope "all")
std::string QueryCounters(absl::string_view district, absl::string_view scope);
// zw:{D}:ix:q:<dl|yl>[:<scope>:<value>] — zset of event ids with a running SLA clock by
// the current stage's deadline (dl) or yellow instant (yl), ms; scope "" (district),
// "street" or "dep"; written by sla_arm.lua
std::string LightIndex(absl::string_view district, absl::string_view which, absl::string_view scope,
                       absl::string_view value);
// zw:{D}:ix:q:<dl|yl>[:<scope>:<value>]:s:<state> — the same, per event state (of the
// change zw-sla applied last), for the board's state × light counts
std::string LightIndexByState(absl::string_view district, absl::string_view which,
                              absl::string_view scope, absl::string_view value, int state);
// "zw:{D}:ix:q:": the board script (services/console/scripts/query_board.lua) appends
// "<dl|yl>[:<street|dep>:<id>]:s:<state>" to it, the LightIndexByState layout.
std::string QueryIndexPrefix(absl::string_view district);
// ---- end query
// ---- authn (issue 7): API keys and the audit trail (global, outside any district's slot)
// zw:apikey:<key id> — hash {salt, hash: hex HMAC-SHA256(salt, secret), dep, area, label,
// by: creator subject, ct: created ms, rv: revoked ms (absent while active)}. Never the
// secret.
std::string ApiKey(absl::string_view key_id);
// zw:apikeys — set of every key id ever created (for ListApiKeys)
std::string ApiKeys();
// zw:audit — stream, append-only, one entry per denial, per audited allowed call and per
// committed event transition: {ts: ms, sub, role, dep, act, obj, dec: allowed|denied, code,
// peer, d: district, v: version}. Trimmed only by MAXLEN ~ (see docs/auth.md, retention).
std::string AuditStream();
// zw:{D}:audit:seen:<event>:<version> — string "1", 7-day TTL: the change-feed entry for
// that event version is already in the audit stream (makes redelivery idempotent)
std::string AuditSeen(absl::string_view district, absl::string_view event_id, int64_t version);

}  // namespace zhiwang::redis::keys

#endif  // ZHIWANG_COMMON_REDIS_KEYS_H_
