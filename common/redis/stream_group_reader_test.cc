// StreamGroupReader against a private redis-server: the consumer group is created from
// "0" and again after the stream is deleted, a consumer's own pending entries are read
// back, and entries another consumer left pending are reclaimed. Waits are bounded polls
// on what the handler has seen, never timing assertions.

#include "common/redis/stream_group_reader.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "common/base/clock.h"
#include "common/redis/redis_client.h"
#include "common/testing/redis_environment.h"
#include "common/testing/status_testing.h"
#include "gtest/gtest.h"

namespace zhiwang::redis {
namespace {

using zhiwang::testing::RedisEnvironment;

const ::testing::Environment* const kRedisEnvironment =
    ::testing::AddGlobalTestEnvironment(new RedisEnvironment);

constexpr char kGroup[] = "g";
constexpr char kStream[] = "s:d1";

class StreamGroupReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(RedisEnvironment::server(), nullptr);
    ASSERT_TRUE(RedisEnvironment::server()->Flush().ok());
    RedisOptions o{.port = RedisEnvironment::server()->port()};
    ASSERT_OK_AND_ASSIGN(reader_client_, RedisClient::Connect(o));
    ASSERT_OK_AND_ASSIGN(client_, RedisClient::Connect(o));
  }

  void TearDown() override {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  // Runs a reader over district "d1" (stream "s:d1") on its own thread. The handler
  // records every entry handed over and acknowledges it.
  void StartReader(const std::string& consumer, absl::Duration reclaim_after) {
    reader_ = std::make_unique<StreamGroupReader>(
        reader_client_.get(), &clock_, &stop_,
        StreamGroupReader::Options{.group = kGroup,
                                   .consumer = consumer,
                                   .block = absl::Milliseconds(20),
                                   .reclaim_after = reclaim_after,
                                   .batch = 10},
        StreamGroupReader::Hooks{
            .districts = [] { return std::vector<std::string>{"d1"}; },
            .stream = [](const std::string& d) { return "s:" + d; },
            .handle = [this](const std::string& stream, const RedisReply& entries,
                             bool reclaimed) { Handle(stream, entries, reclaimed); }});
    thread_ = std::thread([this] { reader_->Run(); });
  }

  void Handle(const std::string& stream, const RedisReply& entries, bool reclaimed) {
    std::vector<std::string> ack = {"XACK", stream, kGroup};
    for (const RedisReply& e : entries.elements) {
      if (e.elements.size() != 2) continue;
      ack.push_back(e.elements[0].str);
      std::lock_guard<std::mutex> lock(mu_);
      seen_.emplace_back(e.elements[0].str, reclaimed);
    }
    if (ack.size() > 3) (void)reader_client_->Call(std::move(ack));
  }

  std::string Add(const std::string& value) {
    absl::StatusOr<RedisReply> r = client_->Call({"XADD", kStream, "*", "e", value});
    EXPECT_TRUE(r.ok() && !r->is_error()) << (r.ok() ? r->str : r.status().ToString());
    return r.ok() ? r->str : "";
  }

  // Whether `id` was handed over as reclaimed; nullopt if it was not handed over within
  // a generous bound.
  std::optional<bool> WaitFor(const std::string& id) {
    const absl::Time give_up = absl::Now() + absl::Seconds(10);
    while (absl::Now() < give_up) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (const auto& [seen, reclaimed] : seen_) {
          if (seen == id) return reclaimed;
        }
      }
      absl::SleepFor(absl::Milliseconds(5));
    }
    return std::nullopt;
  }

  RealClock clock_;
  std::atomic<bool> stop_{false};
  std::unique_ptr<RedisClient> reader_client_;
  std::unique_ptr<RedisClient> client_;
  std::unique_ptr<StreamGroupReader> reader_;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::pair<std::string, bool>> seen_;  // (entry id, reclaimed)
};

TEST_F(StreamGroupReaderTest, ReadsEntriesWrittenBeforeTheGroupExisted) {
  std::string id = Add("before");
  StartReader("c1", absl::Seconds(30));
  EXPECT_EQ(WaitFor(id), std::optional<bool>(false));
  std::string later = Add("after");
  EXPECT_EQ(WaitFor(later), std::optional<bool>(false));
}

TEST_F(StreamGroupReaderTest, CreatesTheGroupAgainAfterTheStreamIsDeleted) {
  StartReader("c1", absl::Seconds(30));
  std::string first = Add("first");
  ASSERT_EQ(WaitFor(first), std::optional<bool>(false));
  ASSERT_TRUE(client_->Call({"DEL", kStream}).ok());
  std::string second = Add("second");  // a new stream, without the group
  EXPECT_EQ(WaitFor(second), std::optional<bool>(false));
}

TEST_F(StreamGroupReaderTest, ReadsItsOwnPendingEntriesBack) {
  ASSERT_TRUE(client_->Call({"XGROUP", "CREATE", kStream, kGroup, "0", "MKSTREAM"}).ok());
  std::string id = Add("pending");
  // Delivered to c1 and never acknowledged, as by a previous run under the same name.
  ASSERT_TRUE(client_->Call({"XREADGROUP", "GROUP", kGroup, "c1", "STREAMS", kStream, ">"}).ok());
  StartReader("c1", absl::Hours(1));
  EXPECT_EQ(WaitFor(id), std::optional<bool>(false));
}

TEST_F(StreamGroupReaderTest, ReclaimsEntriesAnotherConsumerLeftPending) {
  ASSERT_TRUE(client_->Call({"XGROUP", "CREATE", kStream, kGroup, "0", "MKSTREAM"}).ok());
  std::string id = Add("orphan");
  ASSERT_TRUE(client_->Call({"XREADGROUP", "GROUP", kGroup, "dead", "STREAMS", kStream, ">"}).ok());
  StartReader("live", absl::Milliseconds(1));
  EXPECT_EQ(WaitFor(id), std::optional<bool>(true));
}

}  // namespace
}  // namespace zhiwang::redis
