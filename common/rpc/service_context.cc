#include "common/rpc/service_context.h"

#include <random>

#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/rpc/log.h"

namespace zhiwang {
namespace {

uint64_t RandomBits() {
  thread_local absl::BitGen gen;
  return absl::Uniform<uint64_t>(gen);
}

}  // namespace

ServiceContext::ServiceContext(std::unique_ptr<redis::RedisClient> redis)
    : redis_(std::move(redis)),
      events_(redis_.get()),
      org_store_(redis_.get()),
      orgs_(&org_store_),
      commands_(&events_, &orgs_, &clock_, RandomBits) {}

absl::StatusOr<std::unique_ptr<ServiceContext>> ServiceContext::Create(
    const redis::RedisOptions& options, absl::Duration connect_for, absl::Duration refresh_every) {
  absl::Time give_up = absl::Now() + connect_for;
  absl::StatusOr<std::unique_ptr<redis::RedisClient>> client;
  while (true) {
    client = redis::RedisClient::Connect(options);
    if (client.ok() || absl::Now() > give_up) break;
    Log(LogLevel::kWarning, "waiting for redis", {{"error", client.status().ToString()}});
    absl::SleepFor(absl::Milliseconds(500));
  }
  if (!client.ok()) return client.status();
  std::unique_ptr<ServiceContext> ctx(new ServiceContext(*std::move(client)));
  if (absl::Status s = ctx->orgs_.Refresh(); !s.ok()) {
    Log(LogLevel::kWarning, "organisation refresh", {{"error", s.ToString()}});
  }
  ctx->refresher_ = std::thread([c = ctx.get(), refresh_every] { c->RefreshLoop(refresh_every); });
  return ctx;
}

ServiceContext::~ServiceContext() {
  stop_.Notify();
  if (refresher_.joinable()) refresher_.join();
}

void ServiceContext::RefreshLoop(absl::Duration every) {
  absl::Status last = absl::OkStatus();
  while (!stop_.WaitForNotificationWithTimeout(every)) {
    absl::Status s = orgs_.Refresh();
    // Log a failure once, not every second.
    if (!s.ok() && s != last) {
      Log(LogLevel::kWarning, "organisation refresh", {{"error", s.ToString()}});
    }
    last = s;
  }
}

}  // namespace zhiwang
