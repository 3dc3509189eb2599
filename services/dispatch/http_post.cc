#include "services/dispatch/http_post.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace zhiwang::dispatch {
namespace {

struct Url {
  std::string host;
  std::string port = "80";
  std::string path = "/";
};

absl::StatusOr<Url> ParseUrl(const std::string& url) {
  const std::string kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0) return absl::InvalidArgumentError("url: must start with http://");
  std::string rest = url.substr(kScheme.size());
  Url u;
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) u.path = rest.substr(slash);
  size_t colon = authority.rfind(':');
  if (colon != std::string::npos) {
    u.port = authority.substr(colon + 1);
    authority = authority.substr(0, colon);
  }
  int port = 0;
  if (authority.empty() || !absl::SimpleAtoi(u.port, &port) || port <= 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("url: '", url, "' has no valid host:port"));
  }
  u.host = authority;
  return u;
}

// Closes the socket on every path.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// Waits for `events` until `deadline`.
absl::Status Wait(int fd, short events, absl::Time deadline) {
  for (;;) {
    int64_t ms = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (ms <= 0) return absl::DeadlineExceededError("webhook receiver timed out");
    pollfd p{fd, events, 0};
    int n = poll(&p, 1, static_cast<int>(ms));
    if (n > 0) return absl::OkStatus();
    if (n < 0 && errno != EINTR) return absl::UnavailableError(strerror(errno));
  }
}

}  // namespace

absl::StatusOr<HttpResponse> HttpPost(
    const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& body, absl::Duration timeout) {
  absl::StatusOr<Url> u = ParseUrl(url);
  if (!u.ok()) return u.status();
  absl::Time deadline = absl::Now() + timeout;

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int rc = getaddrinfo(u->host.c_str(), u->port.c_str(), &hints, &res); rc != 0) {
    return absl::UnavailableError(absl::StrCat("resolve ", u->host, ": ", gai_strerror(rc)));
  }
  Fd fd(socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) {
    freeaddrinfo(res);
    return absl::UnavailableError(strerror(errno));
  }
  int one = 1;
  setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  int rc = connect(fd.get(), res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);
  if (rc != 0 && errno != EINPROGRESS) {
    return absl::UnavailableError(absl::StrCat("connect: ", strerror(errno)));
  }
  if (rc != 0) {
    if (absl::Status s = Wait(fd.get(), POLLOUT, deadline); !s.ok()) return s;
    int err = 0;
    socklen_t len = sizeof(err);
    getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) return absl::UnavailableError(absl::StrCat("connect: ", strerror(err)));
  }

  std::string req = absl::StrCat("POST ", u->path, " HTTP/1.1\r\nHost: ", u->host, ":", u->port,
                                 "\r\nContent-Length: ", body.size(), "\r\nConnection: close\r\n");
  for (const auto& [k, v] : headers) absl::StrAppend(&req, k, ": ", v, "\r\n");
  absl::StrAppend(&req, "\r\n", body);
  for (size_t sent = 0; sent < req.size();) {
    if (absl::Status s = Wait(fd.get(), POLLOUT, deadline); !s.ok()) return s;
    ssize_t n = send(fd.get(), req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      return absl::UnavailableError(absl::StrCat("send: ", strerror(errno)));
    }
    if (n > 0) sent += static_cast<size_t>(n);
  }

  // The status line is all we need; read until it is complete.
  std::string in;
  char buf[4096];
  while (in.find("\r\n") == std::string::npos) {
    if (absl::Status s = Wait(fd.get(), POLLIN, deadline); !s.ok()) return s;
    ssize_t n = recv(fd.get(), buf, sizeof(buf), 0);
    if (n == 0) return absl::UnavailableError("connection closed before a response");
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return absl::UnavailableError(absl::StrCat("recv: ", strerror(errno)));
    }
    in.append(buf, static_cast<size_t>(n));
    if (in.size() > 65536) return absl::UnavailableError("response line too long");
  }
  // "HTTP/1.1 200 OK"
  int status = 0;
  if (in.rfind("HTTP/1.", 0) != 0 || in.size() < 12 ||
      !absl::SimpleAtoi(absl::string_view(in).substr(9, 3), &status)) {
    return absl::UnavailableError("malformed HTTP response");
  }
  return HttpResponse{status};
}

}  // namespace zhiwang::dispatch
