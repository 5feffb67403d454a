#include "services/attachments.h"

#include <algorithm>

#include "core/text.h"

namespace kizuna::services {

Status ValidateUpload(UploadInput& in) {
  if (!IsValidUtf8(in.name)) return Error::Invalid("name", "the file name must be valid UTF-8");
  // Keep the last path component: "C:\\Users\\x\\請求書.pdf" is "請求書.pdf".
  auto slash = in.name.find_last_of("/\\");
  if (slash != std::string::npos) in.name = in.name.substr(slash + 1);
  KZ_ASSIGN(in.name, CheckText("name", in.name, TextRule{.max_code_points = 255}));
  if (in.name == "." || in.name == "..") return Error::Invalid("name", "give the file a name");
  std::string type = ToLowerAscii(TrimSpaces(in.content_type.substr(0, in.content_type.find(';'))));
  auto slash_at = type.find('/');
  bool valid = !type.empty() && type.size() <= 100 && slash_at != std::string::npos && slash_at > 0 &&
               slash_at + 1 < type.size() && type.find('/', slash_at + 1) == std::string::npos;
  for (char c : type) {
    valid = valid && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '-' || c == '+' ||
                      c == '.' || c == '_');
  }
  in.content_type = valid ? type : "application/octet-stream";
  if (in.size < 0) return Error::Invalid("size", "negative size");
  return Ok();
}

Result<ports::StoredAttachment> RecordUpload(ports::WriteTx& tx, WorkspaceId ws, const Uploader& uploader,
                                             const std::string& token_hash, const UploadInput& in, Timestamp now) {
  ports::StoredAttachment a;
  a.workspace_id = ws;
  a.token_hash = token_hash;
  a.sha256 = in.sha256;
  a.name = in.name;
  a.content_type = in.content_type;
  a.size = in.size;
  a.uploader_type = uploader.type;
  a.uploader_id = uploader.id;
  a.created_at = now;
  KZ_TRY(tx.InsertAttachment(a));
  return a;
}

Result<std::vector<ports::StoredAttachment>> ClaimUploads(ports::WriteTx& tx, WorkspaceId ws, const Uploader& uploader,
                                                          const std::vector<std::string>& token_hashes) {
  if (token_hashes.size() > 20) return Error::Invalid("attachments", "at most 20 attachments per message");
  std::vector<ports::StoredAttachment> out;
  for (const auto& hash : token_hashes) {
    auto found = tx.FindAttachmentByToken(ws, hash);
    if (!found.ok()) {
      if (found.error().code == ErrorCode::kNotFound) return Error::Invalid("attachments", "no such upload");
      return found.error();
    }
    // The upload token is a secret of its uploader; anyone else's use of it is refused alike.
    if (found->uploader_type != uploader.type || found->uploader_id != uploader.id || found->message_id) {
      return Error::Invalid("attachments", "no such upload");
    }
    bool duplicate = std::any_of(out.begin(), out.end(), [&](const auto& a) { return a.id == found->id; });
    if (!duplicate) out.push_back(*found);
  }
  return out;
}

Result<std::vector<ports::StoredAttachment>> RecordChannelFiles(ports::WriteTx& tx, WorkspaceId ws,
                                                                const Uploader& uploader,
                                                                const std::vector<Attachment>& files,
                                                                const std::string& key, Timestamp now) {
  std::vector<ports::StoredAttachment> out;
  for (std::size_t file_idx = 0; file_idx < files.size(); ++file_idx) {
    const auto& file = files[file_idx];
    UploadInput input{file.name, file.content_type, file.size, file.sha256};
    // A channel's file names are the sender's: an unusable one gets a plain name rather than losing the file.
    if (!ValidateUpload(input).ok()) input = UploadInput{"attachment-" + std::to_string(file_idx + 1), "application/octet-stream", file.size, file.sha256};
    std::string reference = "channel:" + std::to_string(ws) + ":" + key + ":" + std::to_string(file_idx);
    KZ_ASSIGN(auto stored, RecordUpload(tx, ws, uploader, reference, input, now));
    out.push_back(std::move(stored));
  }
  return out;
}

std::vector<Attachment> AttachmentsOf(const std::vector<ports::StoredAttachment>& uploads) {
  std::vector<Attachment> out;
  for (const auto& a : uploads) out.push_back(Attachment{a.id, a.name, a.content_type, a.size, a.sha256});
  return out;
}

Status MarkSent(ports::WriteTx& tx, WorkspaceId ws, const std::vector<ports::StoredAttachment>& uploads,
                MessageId message) {
  for (const auto& a : uploads) KZ_TRY(tx.AttachToMessage(ws, a.id, message));
  return Ok();
}

}  // namespace kizuna::services
