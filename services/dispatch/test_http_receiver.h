#ifndef ZHIWANG_SERVICES_DISPATCH_TEST_HTTP_RECEIVER_H_
#define ZHIWANG_SERVICES_DISPATCH_TEST_HTTP_RECEIVER_H_

// dq (issue 5), tests only: a real HTTP/1.1 receiver on 127.0.0.1 that answers each
// request as a script says — fail (HTTP 500), hang (answer nothing until the client gives
// up, at most `hang_for`), or accept (HTTP 200) — and records every request. One thread,
// one connection at a time; stopped (and joined) by the destructor.

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace zhiwang::dispatch::testing {

class TestHttpReceiver {
 public:
  enum class Answer { kFail, kHang, kAccept };
  struct Request {
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    Answer answer;
  };

  // Listens on `port` (0 = any free port). `script(n)` answers the n-th request (from 1).
  TestHttpReceiver(int port, std::function<Answer(int)> script,
                   absl::Duration hang_for = absl::Seconds(2))
      : script_(std::move(script)), hang_for_(hang_for) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    ok_ = bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 && listen(fd_, 16) == 0;
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    if (ok_) thread_ = std::thread([this] { Serve(); });
  }
  ~TestHttpReceiver() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    close(fd_);
  }
  bool ok() const { return ok_; }
  int port() const { return port_; }
  std::vector<Request> requests() {
    absl::MutexLock lock(&mu_);
    return requests_;
  }
  std::vector<Request> accepted() {
    absl::MutexLock lock(&mu_);
    std::vector<Request> out;
    for (const Request& r : requests_) {
      if (r.answer == Answer::kAccept) out.push_back(r);
    }
    return out;
  }

 private:
  bool Readable(int fd, int ms) {
    pollfd p{fd, POLLIN, 0};
    return poll(&p, 1, ms) > 0;
  }

  void Serve() {
    int n = 0;
    while (!stop_) {
      if (!Readable(fd_, 50)) continue;
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      Request req;
      if (ReadRequest(c, &req)) {
        req.answer = script_(++n);
        {
          absl::MutexLock lock(&mu_);
          requests_.push_back(req);
        }
        if (req.answer == Answer::kHang) {
          absl::Time until = absl::Now() + hang_for_;
          char b;
          while (!stop_ && absl::Now() < until) {
            if (Readable(c, 20) && recv(c, &b, 1, 0) <= 0) break;  // client gave up
          }
        } else {
          std::string resp =
              req.answer == Answer::kAccept
                  ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                  : "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n";
          (void)!send(c, resp.data(), resp.size(), MSG_NOSIGNAL);
        }
      }
      close(c);
    }
  }

  bool ReadRequest(int c, Request* req) {
    std::string in;
    char buf[4096];
    absl::Time deadline = absl::Now() + absl::Seconds(5);
    size_t header_end;
    while ((header_end = in.find("\r\n\r\n")) == std::string::npos) {
      if (absl::Now() > deadline || !Readable(c, 100)) {
        if (absl::Now() > deadline) return false;
        continue;
      }
      ssize_t n = recv(c, buf, sizeof(buf), 0);
      if (n <= 0) return false;
      in.append(buf, static_cast<size_t>(n));
    }
    size_t length = 0;
    std::vector<std::string> lines = absl::StrSplit(in.substr(0, header_end), "\r\n");
    for (size_t i = 1; i < lines.size(); ++i) {
      size_t colon = lines[i].find(':');
      if (colon == std::string::npos) continue;
      std::string name = absl::AsciiStrToLower(lines[i].substr(0, colon));
      std::string value(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
      req->headers[name] = value;
      if (name == "content-length" && !absl::SimpleAtoi(value, &length)) return false;
    }
    req->body = in.substr(header_end + 4);
    while (req->body.size() < length) {
      if (absl::Now() > deadline) return false;
      if (!Readable(c, 100)) continue;
      ssize_t n = recv(c, buf, sizeof(buf), 0);
      if (n <= 0) return false;
      req->body.append(buf, static_cast<size_t>(n));
    }
    return true;
  }

  std::function<Answer(int)> script_;
  absl::Duration hang_for_;
  int fd_ = -1;
  int port_ = 0;
  bool ok_ = false;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  absl::Mutex mu_;
  std::vector<Request> requests_ ABSL_GUARDED_BY(mu_);
};

}  // namespace zhiwang::dispatch::testing

#endif  // ZHIWANG_SERVICES_DISPATCH_TEST_HTTP_RECEIVER_H_
