#include "services/router/org_file_watcher.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/orgfile/org_file.h"
#include "common/rpc/convert.h"
#include "common/rpc/log.h"

namespace zhiwang::router {

OrgFileWatcher::OrgFileWatcher(OrgRegistry* orgs, const Clock* clock, Options options)
    : orgs_(orgs), clock_(clock), options_(std::move(options)) {
  options_.poll = std::clamp(options_.poll, absl::Milliseconds(100), absl::Seconds(60));
}

OrgFileWatcher::~OrgFileWatcher() { Stop(); }

void OrgFileWatcher::Start() {
  CheckOnce();
  thread_ = std::thread([this] {
    while (!stop_.WaitForNotificationWithTimeout(options_.poll)) CheckOnce();
  });
}

void OrgFileWatcher::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

std::vector<std::string> OrgFileWatcher::Paths() const {
  std::vector<std::string> paths = options_.files;
  if (!options_.dir.empty()) {
    std::error_code ec;
    std::vector<std::string> in_dir;
    for (const auto& entry : std::filesystem::directory_iterator(options_.dir, ec)) {
      if (entry.is_regular_file(ec) && absl::EndsWith(entry.path().string(), ".textpb")) {
        in_dir.push_back(entry.path().string());
      }
    }
    std::sort(in_dir.begin(), in_dir.end());
    paths.insert(paths.end(), in_dir.begin(), in_dir.end());
  }
  return paths;
}

void OrgFileWatcher::CheckOnce() {
  absl::MutexLock check(&check_mu_);
  for (const std::string& path : Paths()) {
    const absl::Time now = clock_->Now();
    struct stat st;
    Seen seen;
    seen.checked = true;
    if (stat(path.c_str(), &st) == 0) {
      seen.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
      seen.size = st.st_size;
    }
    Seen& before = seen_[path];
    bool changed = !before.checked || seen.mtime_ns != before.mtime_ns || seen.size != before.size;
    before = seen;
    FileStatus result;
    {
      absl::MutexLock lock(&mu_);
      auto it = std::find_if(status_.begin(), status_.end(),
                             [&](const FileStatus& f) { return f.path == path; });
      if (it == status_.end()) {
        FileStatus fresh;
        fresh.path = path;
        status_.push_back(std::move(fresh));
        it = status_.end() - 1;
      }
      it->checked_at = now;
      if (!changed) continue;
      result = *it;
    }
    absl::Status status;
    absl::StatusOr<v1::District> district = orgfile::ReadOrgFile(path);
    if (district.ok()) {
      absl::StatusOr<int64_t> version = orgs_->Publish(FromProto(*district));
      if (version.ok()) {
        result.district_id = district->id();
        result.loaded_version = *version;
        result.loaded_at = now;
        result.last_error.clear();
        Log(LogLevel::kInfo, "organisation file loaded",
            {{"file", path}, {"district", district->id()}, {"version", absl::StrCat(*version)}});
      } else {
        status = version.status();
      }
    } else {
      status = district.status();
    }
    if (!status.ok()) {
      result.last_error = std::string(status.message());
      Log(LogLevel::kWarning, "organisation file refused; the previous version keeps serving",
          {{"file", path}, {"error", result.last_error}});
      // Retry the same bytes only when they change again (or Redis came back: a store
      // error is retried on the next pass).
      if (!absl::IsInvalidArgument(status) && !absl::IsNotFound(status)) before = Seen{};
    }
    absl::MutexLock lock(&mu_);
    for (FileStatus& f : status_) {
      if (f.path == path) {
        result.checked_at = f.checked_at;
        f = result;
      }
    }
  }
}

std::vector<OrgFileWatcher::FileStatus> OrgFileWatcher::Status() const {
  absl::MutexLock lock(&mu_);
  return status_;
}

}  // namespace zhiwang::router
