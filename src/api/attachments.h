// Shared by the agent and help-centre attachment routes.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/app.h"
#include "api/http.h"
#include "services/attachments.h"

namespace kizuna::api {

struct UploadAnswer {
  ports::StoredAttachment attachment;
  std::string token;  // the secret the uploader names the upload by; shown once
};

// Puts the request body in the blob store and records the upload.
Result<UploadAnswer> StoreUpload(App& app, const HttpRequest& req, WorkspaceId ws, const services::Uploader& uploader);
HttpResponse UploadResponse(const UploadAnswer& answer);
// The bytes of an attachment, safe to serve: images inline, the rest as a download,
// never as a page of this site.
HttpResponse FileResponse(App& app, const ports::StoredAttachment& attachment);
// The digests the store knows upload tokens by (`attachments` of a request body).
std::vector<std::string> DigestUploadTokens(App& app, const std::vector<std::string>& tokens);

}  // namespace kizuna::api
