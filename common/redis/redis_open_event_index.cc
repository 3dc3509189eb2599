#include "common/redis/redis_open_event_index.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/redis/keys.h"

namespace zhiwang::redis {
namespace {

absl::Status Failed(const RedisReply& r) {
  if (r.is_transient_error()) return absl::UnavailableError(absl::StrCat("redis: ", r.str));
  return absl::InternalError(absl::StrCat("redis: ", r.str));
}

std::string Coord(double v) { return absl::StrFormat("%.7f", v); }

}  // namespace

void RedisOpenEventIndex::Add(const std::string& district, const std::string& category,
                              const std::string& event_id, LatLng at, Done<bool> done) {
  client_->Send(
      {"GEOADD", keys::OpenEventsGeo(district, category), Coord(at.lng), Coord(at.lat), event_id},
      [done = std::move(done)](absl::StatusOr<RedisReply> r) {
        if (!r.ok()) return done(r.status());
        if (r->is_error()) return done(Failed(*r));
        done(true);
      });
}

void RedisOpenEventIndex::Remove(const std::string& district, const std::string& category,
                                 const std::string& event_id, Done<bool> done) {
  client_->Send({"ZREM", keys::OpenEventsGeo(district, category), event_id},
                [done = std::move(done)](absl::StatusOr<RedisReply> r) {
                  if (!r.ok()) return done(r.status());
                  if (r->is_error()) return done(Failed(*r));
                  done(r->integer > 0);
                });
}

void RedisOpenEventIndex::Near(const std::string& district, const std::string& category, LatLng at,
                               double radius_m, int limit, Done<std::vector<std::string>> done) {
  client_->Send({"GEOSEARCH", keys::OpenEventsGeo(district, category), "FROMLONLAT", Coord(at.lng),
                 Coord(at.lat), "BYRADIUS", absl::StrFormat("%.3f", radius_m), "m", "ASC", "COUNT",
                 absl::StrCat(std::max(1, limit))},
                [done = std::move(done)](absl::StatusOr<RedisReply> r) {
                  if (!r.ok()) return done(r.status());
                  if (r->is_error()) return done(Failed(*r));
                  std::vector<std::string> ids;
                  for (const RedisReply& e : r->elements) ids.push_back(e.str);
                  done(std::move(ids));
                });
}

}  // namespace zhiwang::redis
