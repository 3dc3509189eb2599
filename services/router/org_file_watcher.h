#ifndef ZHIWANG_SERVICES_ROUTER_ORG_FILE_WATCHER_H_
#define ZHIWANG_SERVICES_ROUTER_ORG_FILE_WATCHER_H_

// Hot reload of organisation files (docs/organisation.md). Watches text-format District
// files — named ones, and every *.textpb in a directory — by polling their modification
// time and size every `poll` (bounded: 100 ms .. 60 s). A changed file is read and
// validated (orgfile::ReadOrgFile: errors name file, line and id); a good one is
// published through the OrgRegistry (a new version in the store, which every service
// picks up), a bad one is refused: the reason is logged and kept in Status(), and the
// version in force keeps serving. An unchanged file is not published again.
// Thread-safe; one thread of its own between Start() and Stop().

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/domain/org_registry.h"

namespace zhiwang::router {

class OrgFileWatcher {
 public:
  struct Options {
    std::vector<std::string> files;
    std::string dir;  // every regular *.textpb file in it; "" for none
    absl::Duration poll = absl::Seconds(1);
  };
  // What became of one file.
  struct FileStatus {
    std::string path;
    std::string district_id;  // of the last good load
    int64_t loaded_version = 0;
    std::string last_error;  // why the file as it is now is refused; "" when in force
    absl::Time loaded_at = absl::InfinitePast();
    absl::Time checked_at = absl::InfinitePast();
  };

  // Pointers outlive the watcher.
  OrgFileWatcher(OrgRegistry* orgs, const Clock* clock, Options options);
  ~OrgFileWatcher();

  // Checks every file once (synchronously, so a good file is in force when Start
  // returns), then keeps polling on a thread.
  void Start();
  void Stop();
  // One pass over the files: loads those whose mtime or size changed.
  void CheckOnce();

  std::vector<FileStatus> Status() const;

 private:
  struct Seen {
    bool checked = false;   // false until the first pass: then even a missing file is news
    int64_t mtime_ns = -1;  // -1: the file does not exist
    int64_t size = -1;
  };
  std::vector<std::string> Paths() const;

  OrgRegistry* orgs_;
  const Clock* clock_;
  Options options_;
  absl::Notification stop_;
  std::thread thread_;
  absl::Mutex check_mu_;  // one pass at a time
  absl::flat_hash_map<std::string, Seen> seen_ ABSL_GUARDED_BY(check_mu_);
  mutable absl::Mutex mu_;
  std::vector<FileStatus> status_ ABSL_GUARDED_BY(mu_);
};

}  // namespace zhiwang::router

#endif  // ZHIWANG_SERVICES_ROUTER_ORG_FILE_WATCHER_H_
