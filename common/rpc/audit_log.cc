#include "common/rpc/audit_log.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/redis/keys.h"
#include "common/rpc/log.h"

namespace zhiwang {
namespace {

// SET NX the marker (7 days), then XADD: one entry per event version even when the feed
// delivers the entry twice. KEYS: marker, stream. ARGV: XADD arguments after the key.
const std::string kAppendOnceScript = R"lua(
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', 604800) then return 0 end
redis.call('XADD', KEYS[2], unpack(ARGV))
return 1
)lua";

bool IsStreamId(absl::string_view s) {
  size_t dash = s.find('-');
  uint64_t a = 0, b = 0;
  return dash != absl::string_view::npos && absl::SimpleAtoi(s.substr(0, dash), &a) &&
         absl::SimpleAtoi(s.substr(dash + 1), &b) && absl::AsciiStrToLower(s) == s;
}

AuditRecord FromEntry(const redis::RedisReply& entry) {
  AuditRecord r;
  if (entry.elements.size() < 2) return r;
  r.id = entry.elements[0].str;
  const redis::RedisReply& body = entry.elements[1];
  for (size_t i = 0; i + 1 < body.elements.size(); i += 2) {
    const std::string& f = body.elements[i].str;
    const std::string& v = body.elements[i + 1].str;
    int64_t n = 0;
    if (f == "ts" && absl::SimpleAtoi(v, &n)) {
      r.at = absl::FromUnixMillis(n);
    } else if (f == "sub") {
      r.subject = v;
    } else if (f == "role") {
      r.role = RoleFromName(v);
    } else if (f == "dep") {
      r.department_id = v;
    } else if (f == "act") {
      r.action = v;
    } else if (f == "obj") {
      r.object = v;
    } else if (f == "dec") {
      r.allowed = v == "allowed";
    } else if (f == "code" && absl::SimpleAtoi(v, &n)) {
      r.code = static_cast<int>(n);
    } else if (f == "peer") {
      r.peer = v;
    } else if (f == "d") {
      r.district_id = v;
    } else if (f == "v" && absl::SimpleAtoi(v, &n)) {
      r.version = n;
    }
  }
  return r;
}

bool Matches(const AuditQuery& q, const AuditRecord& r) {
  if (!q.subject.empty() && r.subject != q.subject) return false;
  if (!q.object.empty() && r.object != q.object) return false;
  if (q.since && r.at < *q.since) return false;
  if (q.until && r.at >= *q.until) return false;
  if (q.allowed && r.allowed != *q.allowed) return false;
  return true;
}

}  // namespace

std::vector<std::string> AuditLog::XAddArgs(const AuditRecord& r) const {
  std::vector<std::string> a = {"MAXLEN", "~", absl::StrCat(max_entries_), "*"};
  auto field = [&a](const char* f, std::string v) {
    a.push_back(f);
    a.push_back(std::move(v));
  };
  field("ts", absl::StrCat(absl::ToUnixMillis(r.at)));
  field("sub", r.subject);
  field("role", r.role == Role::kUnspecified ? "" : std::string(RoleName(r.role)));
  field("dep", r.department_id);
  field("act", r.action);
  field("obj", r.object);
  field("dec", r.allowed ? "allowed" : "denied");
  field("code", absl::StrCat(r.code));
  field("peer", r.peer);
  field("d", r.district_id);
  field("v", absl::StrCat(r.version));
  return a;
}

void AuditLog::Append(const AuditRecord& r) {
  std::vector<std::string> argv = XAddArgs(r);
  argv.insert(argv.begin(), {"XADD", redis::keys::AuditStream()});
  redis_->Send(std::move(argv), [](absl::StatusOr<redis::RedisReply> reply) {
    if (!reply.ok() || reply->is_error()) {
      Log(LogLevel::kError, "audit append failed",
          {{"error", reply.ok() ? reply->str : reply.status().ToString()}});
    }
  });
}

absl::Status AuditLog::AppendOnce(const AuditRecord& r, const std::string& event_id) {
  std::vector<std::string> argv = {"EVAL", kAppendOnceScript, "2",
                                   redis::keys::AuditSeen(r.district_id, event_id, r.version),
                                   redis::keys::AuditStream()};
  for (std::string& s : XAddArgs(r)) argv.push_back(std::move(s));
  absl::StatusOr<redis::RedisReply> reply = redis_->Call(std::move(argv));
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return absl::UnavailableError(absl::StrCat("redis: ", reply->str));
  return absl::OkStatus();
}

absl::StatusOr<AuditPage> AuditLog::List(const AuditQuery& q) {
  if (!q.page_token.empty() && !IsStreamId(q.page_token)) {
    return absl::InvalidArgumentError("page_token: not a token from a previous page");
  }
  AuditPage page;
  std::string end = q.page_token.empty() ? "+" : absl::StrCat("(", q.page_token);
  int scanned = 0;
  constexpr int kBatch = 200;
  while (scanned < kMaxScan) {
    absl::StatusOr<redis::RedisReply> r = redis_->Call(
        {"XREVRANGE", redis::keys::AuditStream(), end, "-", "COUNT", absl::StrCat(kBatch)});
    if (!r.ok()) return r.status();
    if (r->is_error()) return absl::UnavailableError(absl::StrCat("redis: ", r->str));
    for (const redis::RedisReply& e : r->elements) {
      AuditRecord rec = FromEntry(e);
      ++scanned;
      end = absl::StrCat("(", rec.id);
      if (Matches(q, rec)) {
        page.entries.push_back(std::move(rec));
        if (static_cast<int>(page.entries.size()) == q.page_size) {
          page.next_page_token = page.entries.back().id;
          return page;
        }
      }
    }
    if (static_cast<int>(r->elements.size()) < kBatch) return page;  // reached the start
  }
  page.next_page_token = end.substr(1);
  return page;
}

}  // namespace zhiwang
