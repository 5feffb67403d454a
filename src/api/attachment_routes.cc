// Attachments: upload the bytes first (POST, raw body), then name the returned token
// in a ticket, reply or help-centre request. Downloads check who may see the message.
#include "api/dto.h"
#include "api/error_mapping.h"
#include "api/support.h"
#include "core/text.h"
#include "api/attachments.h"
#include "api/router.h"

namespace kizuna::api {
namespace {

using nlohmann::json;

// Image types a browser may show inline; everything else downloads as bytes.
bool ShownInline(const std::string& content_type) {
  return content_type == "image/png" || content_type == "image/jpeg" || content_type == "image/gif" ||
         content_type == "image/webp";
}

std::string PercentEncode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                 c == '_';
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace

Result<UploadAnswer> StoreUpload(App& app, const HttpRequest& req, WorkspaceId ws, const services::Uploader& uploader) {
  if (!app.blobs) return Error::Unavailable("attachments are not configured on this server");
  if (req.body.empty()) return Error::Invalid("body", "send the file's bytes as the request body");
  services::UploadInput in;
  in.name = req.Query("name") ? *req.Query("name") : "";
  in.content_type = req.Header("content-type");
  in.size = static_cast<std::int64_t>(req.body.size());
  KZ_TRY(services::ValidateUpload(in));
  KZ_ASSIGN(in.sha256, app.blobs->Put(req.body));
  const std::string token = app.crypto.RandomToken(24);
  ports::StoredAttachment stored;
  Status status = app.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(stored, services::RecordUpload(tx, ws, uploader, app.crypto.DigestToken(token), in, app.clock.Now()));
    return Ok();
  });
  if (!status.ok()) return status.error();
  return UploadAnswer{stored, token};
}

HttpResponse UploadResponse(const UploadAnswer& answer) {
  const auto& a = answer.attachment;
  return JsonResponse(201, json{{"id", a.id},
                                {"token", answer.token},
                                {"name", a.name},
                                {"content_type", a.content_type},
                                {"size", a.size},
                                {"sha256", a.sha256}});
}

HttpResponse FileResponse(App& app, const ports::StoredAttachment& a) {
  if (!app.blobs) return ProblemResponse(Error::Unavailable("attachments are not configured on this server"));
  auto bytes = app.blobs->Get(a.sha256);
  if (!bytes.ok()) return ProblemResponse(bytes.error().code == ErrorCode::kNotFound
                                              ? Error::Internal("attachment bytes missing: " + a.sha256)
                                              : bytes.error());
  HttpResponse response;
  const bool inline_image = ShownInline(a.content_type);
  response.content_type = inline_image ? a.content_type : "application/octet-stream";
  response.body = std::move(bytes).value();
  response.AddHeader("Content-Disposition", std::string(inline_image ? "inline" : "attachment") +
                                                "; filename*=UTF-8''" + PercentEncode(a.name));
  // Uploaded bytes never run as a page of this site.
  response.AddHeader("Content-Security-Policy", "default-src 'none'; sandbox");
  response.AddHeader("Cache-Control", "private, max-age=3600");
  return response;
}

std::vector<std::string> DigestUploadTokens(App& app, const std::vector<std::string>& tokens) {
  std::vector<std::string> out;
  out.reserve(tokens.size());
  for (const auto& token : tokens) out.push_back(app.crypto.DigestToken(token));
  return out;
}

namespace {

HttpResponse Upload(App& app, const HttpRequest& req, const Principal* p) {
  auto answer = StoreUpload(app, req, p->actor.workspace_id, services::Uploader{p->actor.type, p->actor.id});
  if (!answer.ok()) return ProblemResponse(answer.error());
  return UploadResponse(*answer);
}

HttpResponse Download(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  ports::StoredAttachment found;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(found, tx.GetAttachment(p->actor.workspace_id, *id));
    // An upload not sent yet belongs to its uploader alone.
    bool own = found.uploader_type == p->actor.type && found.uploader_id == p->actor.id;
    if (!found.message_id && !own) return Error::NotFound("attachment not found");
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return FileResponse(app, found);
}

}  // namespace

void AddAttachmentRoutes(Router& router) {
  router.Add("POST", "/api/v1/attachments", Access{.scope = "tickets:write"}, Upload);
  router.Add("GET", "/api/v1/attachments/{id}", Access{.scope = "tickets:read"}, Download);
}

}  // namespace kizuna::api
