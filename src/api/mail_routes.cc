// /api/v1/mailboxes (the addresses a workspace receives mail at) and /api/v1/mail/rejections.
#include "api/dto.h"
#include "api/error_mapping.h"
#include "api/json_body.h"
#include "api/support.h"
#include "services/mailboxes.h"

namespace kizuna::api {
namespace {

using nlohmann::json;

Result<services::MailboxInput> ReadMailbox(const HttpRequest& req) {
  KZ_ASSIGN(auto body, ParseJsonObject(req.body));
  FieldReader r(body);
  services::MailboxInput in;
  in.address = r.Str("address");
  in.display_name = r.Str("display_name");
  in.imap_url = r.Str("imap_url");
  in.imap_username = r.Str("imap_username");
  in.imap_password = r.Str("imap_password");
  in.imap_folder = r.Str("imap_folder");
  in.imap_move_to = r.Str("imap_move_to");
  in.enabled = r.Bool("enabled");
  in.ack_enabled = r.Bool("ack_enabled");
  in.ack_template = r.Str("ack_template");
  KZ_TRY(r.Finish());
  return in;
}

HttpResponse ListMailboxes(App& app, const HttpRequest&, const Principal* p) {
  std::vector<Mailbox> mailboxes;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(mailboxes, tx.ListMailboxes(p->actor.workspace_id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  json out = json::array();
  for (const auto& m : mailboxes) out.push_back(ToJson(m));
  return JsonResponse(200, json{{"mailboxes", out}});
}

HttpResponse GetMailbox(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  Mailbox mailbox;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(mailbox, tx.GetMailbox(p->actor.workspace_id, *id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return WithEtag(JsonResponse(200, ToJson(mailbox)), mailbox.version);
}

HttpResponse CreateMailbox(App& app, const HttpRequest& req, const Principal* p) {
  auto input = ReadMailbox(req);
  if (!input.ok()) return ProblemResponse(input.error());
  if (!input->imap_folder) input->imap_folder = "INBOX";
  if (auto valid = services::ValidateMailbox(*input, true); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  auto response = RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(Mailbox mailbox, services::CreateMailbox(tx, app.crypto, p->actor, *input, now));
    return WriteAnswer{201, ToJson(mailbox)};
  });
  return WithLocation(std::move(response), "/api/v1/mailboxes");
}

HttpResponse UpdateMailbox(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto input = ReadMailbox(req);
  if (!input.ok()) return ProblemResponse(input.error());
  auto if_match = IfMatchVersion(req);
  if (!if_match.ok()) return ProblemResponse(if_match.error());
  input->expected_version = *if_match;
  if (auto valid = services::ValidateMailbox(*input, false); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  std::int64_t version = 0;
  auto response = RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(Mailbox mailbox, services::UpdateMailbox(tx, app.crypto, p->actor, *id, *input, now));
    version = mailbox.version;
    return WriteAnswer{200, ToJson(mailbox)};
  });
  return version ? WithEtag(std::move(response), version) : response;
}

HttpResponse DeleteMailbox(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_TRY(tx.DeleteMailbox(p->actor.workspace_id, *id));
    return WriteAnswer{200, json{{"id", *id}, {"deleted", true}}};
  });
}

// Checks the mailbox over IMAP now and answers with what it took (admins' "Check now").
HttpResponse CheckMailbox(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  Mailbox mailbox;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(mailbox, tx.GetMailbox(p->actor.workspace_id, *id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  if (mailbox.imap_url.empty()) {
    return ProblemResponse(Error::Invalid("imap_url", "this mailbox has no IMAP account; mail reaches it through "
                                                      "kizuna mail-ingest"));
  }
  if (!app.check_mailbox) return ProblemResponse(Error::Unavailable("this server does not poll mailboxes"));
  auto [taken, error] = app.check_mailbox(mailbox);
  status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(mailbox, tx.GetMailbox(p->actor.workspace_id, *id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return JsonResponse(200, json{{"taken", taken}, {"error", error}, {"mailbox", ToJson(mailbox)}});
}

HttpResponse ListRejections(App& app, const HttpRequest& req, const Principal* p) {
  std::int64_t before = 0;
  std::int64_t limit = 50;
  if (req.Query("before")) {
    auto value = QueryInt(req, "before");
    if (!value.ok()) return ProblemResponse(value.error());
    before = *value;
  }
  if (req.Query("limit")) {
    auto value = QueryInt(req, "limit");
    if (!value.ok()) return ProblemResponse(value.error());
    if (*value > 200) return ProblemResponse(Error::Invalid("limit", "limit is at most 200"));
    limit = *value;
  }
  std::vector<MailRejection> rejections;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(rejections, tx.ListMailRejections(p->actor.workspace_id, before, static_cast<int>(limit)));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  json out = json::array();
  for (const auto& r : rejections) out.push_back(ToJson(r));
  return JsonResponse(200, json{{"rejections", out}});
}

}  // namespace

void AddMailRoutes(Router& router) {
  const Access admin{.min_role = Role::kAdmin, .scope = "admin"};
  router.Add("GET", "/api/v1/mailboxes", admin, ListMailboxes);
  router.Add("POST", "/api/v1/mailboxes", admin, CreateMailbox);
  router.Add("GET", "/api/v1/mailboxes/{id}", admin, GetMailbox);
  router.Add("PATCH", "/api/v1/mailboxes/{id}", admin, UpdateMailbox);
  router.Add("DELETE", "/api/v1/mailboxes/{id}", admin, DeleteMailbox);
  router.Add("POST", "/api/v1/mailboxes/{id}/check", admin, CheckMailbox);
  router.Add("GET", "/api/v1/mail/rejections", admin, ListRejections);
}

}  // namespace kizuna::api
