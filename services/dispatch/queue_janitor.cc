#include "services/dispatch/queue_janitor.h"

namespace zhiwang::dispatch {

int64_t QueueJanitor::RunOnce() {
  int64_t removed = 0;
  for (const std::string& id : orgs_->DistrictIds()) {
    std::shared_ptr<const District> district = orgs_->Find(id);
    if (district == nullptr) continue;
    for (const DepartmentInfo& dep : district->org().departments) {
      absl::StatusOr<int64_t> n =
          queue_->Trim(QueueRef{id, dep.id, QueueChannel::kAssignments}, keep_without_group_);
      if (n.ok()) removed += *n;
    }
    // The notification stream is the district's; any department names it.
    if (!district->org().departments.empty()) {
      absl::StatusOr<int64_t> n = queue_->Trim(
          QueueRef{id, district->org().departments[0].id, QueueChannel::kNotifications},
          keep_without_group_);
      if (n.ok()) removed += *n;
    }
  }
  return removed;
}

void QueueJanitor::Start(absl::Duration every) {
  thread_ = std::thread([this, every] {
    while (!stop_.WaitForNotificationWithTimeout(every)) RunOnce();
  });
}

void QueueJanitor::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

}  // namespace zhiwang::dispatch
