#ifndef ZHIWANG_SERVICES_CONSOLE_FEED_REACTOR_H_
#define ZHIWANG_SERVICES_CONSOLE_FEED_REACTOR_H_

// feed (issue 6): one WatchEvents stream, driven entirely by callbacks — no thread per
// stream. A cycle: read up to `batch` change-feed entries after the cursor
// (ChangeFeedReader, one Redis round trip), load their events (EventStore::Get, pipelined),
// keep what FeedSends allows, write the messages one at a time, then read again. An empty
// read waits `poll` on the process's shared FeedTimer. Memory is bounded by one batch per
// stream.
//
// Exactness: the cursor advances over every entry read, and when the last entries of a
// read are not sent, a progress_only message carries the cursor past them; so a client
// resuming from the last cursor it received gets exactly the changes after it.
//
// Ends: OUT_OF_RANGE / INVALID_ARGUMENT from the feed (cursor trimmed or malformed),
// cancel, a failed write, or server shutdown. While Redis is away it keeps the stream open
// and retries every `retry` (nothing is lost: the cursor has not moved). The reactor
// deletes itself after OnDone once no Redis callback or timer still refers to it.

#include <deque>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/domain/change_feed.h"
#include "common/domain/event_store.h"
#include "grpcpp/grpcpp.h"
#include "services/console/feed_filter.h"
#include "services/console/feed_timer.h"
#include "zhiwang/v1/feed.pb.h"

namespace zhiwang::console {

struct FeedSettings {
  int batch = 100;
  absl::Duration poll = absl::Milliseconds(100);
  absl::Duration retry = absl::Milliseconds(500);
};

class FeedReactor final : public grpc::ServerWriteReactor<v1::EventChange> {
 public:
  // Starts reading. `cursor` "" = from the feed's current end. Pointers outlive the reactor.
  FeedReactor(ChangeFeedReader* feed, EventStore* store, FeedTimer* timer, Identity who,
              std::string district_id, std::string cursor, FeedFilter filter,
              FeedSettings settings);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  void Start();
  void Read();
  void OnRead(absl::StatusOr<std::vector<ChangeRecord>> changes);
  void LoadAndSend(std::vector<ChangeRecord> changes);
  void Wait(absl::Duration d);
  // Finishes once; caller holds mu_.
  void FinishLocked(const grpc::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Counts an operation (Redis call or timer) that will call back into the reactor; false
  // when the stream is ending (then start nothing).
  bool BeginOp();
  // Ends an operation; deletes the reactor when it was the last thing keeping it alive.
  void EndOp();

  ChangeFeedReader* feed_;
  EventStore* store_;
  FeedTimer* timer_;
  const Identity who_;
  const std::string district_id_;
  const FeedFilter filter_;
  const FeedSettings settings_;

  absl::Mutex mu_;
  std::string cursor_ ABSL_GUARDED_BY(mu_);
  std::deque<v1::EventChange> outbox_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  int ops_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace zhiwang::console

#endif  // ZHIWANG_SERVICES_CONSOLE_FEED_REACTOR_H_
