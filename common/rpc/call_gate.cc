#include "common/rpc/call_gate.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/auth/api_key.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace zhiwang {
namespace {

constexpr char kAuthorizationHeader[] = "authorization";

// State changes that no change feed records.
constexpr absl::string_view kAuditedMethods[] = {
    "/zhiwang.v1.AuthService/CreateApiKey",          "/zhiwang.v1.AuthService/RevokeApiKey",
    "/zhiwang.v1.AdminService/LoadDistrict",         "/zhiwang.v1.DispatchService/SetWebhook",
    "/zhiwang.v1.DispatchService/ReplayDeadLetters",
};

bool IsDenial(int code) {
  switch (static_cast<absl::StatusCode>(code)) {
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kResourceExhausted:
      return true;
    default:
      return false;
  }
}

// The request field that names the object acted on, when the message has one.
std::string ObjectOf(const google::protobuf::Message& m) {
  const google::protobuf::Descriptor* d = m.GetDescriptor();
  const google::protobuf::Reflection* r = m.GetReflection();
  for (const char* name : {"event_id", "key_id", "department_id"}) {
    const google::protobuf::FieldDescriptor* f = d->FindFieldByName(name);
    if (f != nullptr && !f->is_repeated() &&
        f->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
      std::string v = r->GetString(m, f);
      if (!v.empty()) return v.substr(0, 128);
    }
  }
  return "";
}

class GateInterceptor final : public grpc::experimental::Interceptor {
 public:
  GateInterceptor(CallGate* gate, grpc::experimental::ServerRpcInfo* info)
      : gate_(gate), info_(info), method_(info->method() == nullptr ? "" : info->method()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    using grpc::experimental::InterceptionHookPoints;
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      std::multimap<grpc::string_ref, grpc::string_ref>* md = m->GetRecvInitialMetadata();
      md->erase(kGateHeader);
      who_ = gate_->Authenticate(*md);
      header_ = FormatGateVerdict(who_.ok() ? gate_->Limit(*who_) : who_);
      md->emplace(grpc::string_ref(kGateHeader), grpc::string_ref(header_));
    }
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // Only generated zhiwang.* services are intercepted, so the message is a protobuf
      // Message (single inheritance: the void* is the Message's address).
      void* msg = m->GetRecvMessage();
      if (msg != nullptr) object_ = ObjectOf(*static_cast<google::protobuf::Message*>(msg));
    }
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status s = m->GetSendStatus();
      gate_->AuditCall(who_, method_, object_, info_->server_context()->peer(),
                       static_cast<int>(s.error_code()));
    }
    m->Proceed();
  }

 private:
  CallGate* gate_;
  grpc::experimental::ServerRpcInfo* info_;
  std::string method_;
  absl::StatusOr<Authenticated> who_ = absl::UnauthenticatedError("not yet authenticated");
  std::string header_;
  std::string object_;
};

class PassInterceptor final : public grpc::experimental::Interceptor {
 public:
  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override { m->Proceed(); }
};

class GateFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit GateFactory(CallGate* gate) : gate_(gate) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    if (info->method() == nullptr || !absl::StartsWith(info->method(), "/zhiwang.")) {
      return new PassInterceptor();
    }
    return new GateInterceptor(gate_, info);
  }

 private:
  CallGate* gate_;
};

// The identity must survive the verdict header round trip (dev-header syntax).
absl::StatusOr<Authenticated> Carried(Authenticated a) {
  absl::StatusOr<Identity> back = ParseDevIdentity(FormatDevIdentity(a.who));
  if (!back.ok()) return back.status();
  return a;
}

}  // namespace

bool IsAuditedMethod(absl::string_view method) {
  for (absl::string_view m : kAuditedMethods) {
    if (m == method) return true;
  }
  return false;
}

absl::StatusOr<Authenticated> CallGate::Authenticate(
    const std::multimap<grpc::string_ref, grpc::string_ref>& md) {
  auto it = md.find(kAuthorizationHeader);
  if (it == md.end()) {
    if (options_.allow_dev_header && md.find(kDevIdentityHeader) != md.end()) {
      return AuthenticatedFromMetadata(md);  // no gate header any more: the dev header
    }
    return absl::UnauthenticatedError("missing credentials (metadata 'authorization')");
  }
  absl::string_view value(it->second.data(), it->second.size());
  if (absl::ConsumePrefix(&value, "Bearer ")) {
    if (options_.keys == nullptr) {
      return absl::UnauthenticatedError("bearer tokens are not accepted by this server");
    }
    absl::StatusOr<auth::TokenClaims> claims =
        auth::VerifyToken(value, *options_.keys, options_.clock->Now());
    if (!claims.ok()) return claims.status();
    return Carried({claims->ToIdentity(), AuthMethod::kBearer});
  }
  if (absl::ConsumePrefix(&value, "ApiKey ")) {
    if (options_.api_keys == nullptr) {
      return absl::UnauthenticatedError("api keys are not accepted by this server");
    }
    absl::StatusOr<auth::PresentedApiKey> p = auth::ParseApiKey(value);
    if (!p.ok()) return p.status();
    absl::StatusOr<ApiKeyRecord> k = options_.api_keys->Get(p->key_id);
    if (absl::IsNotFound(k.status())) return absl::UnauthenticatedError("api key: unknown");
    if (!k.ok()) return k.status();  // UNAVAILABLE: Redis is away
    if (!auth::ApiKeyMatches(p->secret, k->salt_hex, k->hash_hex)) {
      return absl::UnauthenticatedError("api key: wrong secret");
    }
    if (k->revoked_at.has_value()) return absl::UnauthenticatedError("api key: revoked");
    Identity who{.subject = k->key_id,
                 .role = Role::kDepartmentSystem,
                 .area = k->area,
                 .department_id = k->department_id};
    return Carried({who, AuthMethod::kApiKey});
  }
  return absl::UnauthenticatedError("authorization: expected 'Bearer <token>' or 'ApiKey <key>'");
}

absl::StatusOr<Authenticated> CallGate::Limit(const Authenticated& a) {
  if (options_.limiter != nullptr && !options_.limiter->Allow(a.who.subject)) {
    return absl::ResourceExhaustedError(
        absl::StrCat("rate limit: too many calls by '", a.who.subject, "', retry later"));
  }
  return a;
}

void CallGate::AuditCall(const absl::StatusOr<Authenticated>& who, const std::string& method,
                         const std::string& object, const std::string& peer, int code) {
  if (options_.audit == nullptr) return;
  const bool denied = IsDenial(code);
  if (!denied && !(code == 0 && IsAuditedMethod(method))) return;
  AuditRecord r;
  r.at = options_.clock->Now();
  if (who.ok()) {
    r.subject = who->who.subject;
    r.role = who->who.role;
    r.department_id = who->who.department_id;
  }
  r.action = method;
  r.object = object;
  r.allowed = !denied;
  r.code = code;
  r.peer = peer;
  options_.audit->Append(r);
}

void InstallCallGate(grpc::ServerBuilder& builder, CallGate* gate) {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(std::make_unique<GateFactory>(gate));
  builder.experimental().SetInterceptorCreators(std::move(creators));
}

}  // namespace zhiwang
