// Attachment use cases: record an upload, then send it with one message.
#pragma once

#include <string>
#include <vector>

#include "ports/store.h"

namespace kizuna::services {

// Who uploads: an agent or token ("agent"/"token" and the agent id) or a help-centre
// customer ("customer" and their id, 0 for a visitor who has not signed in).
struct Uploader {
  std::string type;
  std::int64_t id = 0;
};

struct UploadInput {
  std::string name;
  std::string content_type;
  std::int64_t size = 0;
  std::string sha256;
};

// Cleans the file name (no path, no control characters, at most 255 characters) and
// the content type (type/subtype, lower case; application/octet-stream when unknown).
Status ValidateUpload(UploadInput& input);

Result<ports::StoredAttachment> RecordUpload(ports::WriteTx& tx, WorkspaceId ws, const Uploader& uploader,
                                             const std::string& token_hash, const UploadInput& input, Timestamp now);

// The uploads named by these token digests, each uploaded by `uploader` and not sent yet.
// InvalidArgument (field "attachments") otherwise. At most 20.
Result<std::vector<ports::StoredAttachment>> ClaimUploads(ports::WriteTx& tx, WorkspaceId ws, const Uploader& uploader,
                                                          const std::vector<std::string>& token_hashes);

// Records files a channel brought (already in the blob store) as attachments of the
// uploader, not sent yet; `key` makes their references unique (e.g. the email's key).
Result<std::vector<ports::StoredAttachment>> RecordChannelFiles(ports::WriteTx& tx, WorkspaceId ws,
                                                                const Uploader& uploader,
                                                                const std::vector<Attachment>& files,
                                                                const std::string& key, Timestamp now);

// What a message records of the uploads it carries.
std::vector<Attachment> AttachmentsOf(const std::vector<ports::StoredAttachment>& uploads);
// Marks the claimed uploads as sent with `message`.
Status MarkSent(ports::WriteTx& tx, WorkspaceId ws, const std::vector<ports::StoredAttachment>& uploads,
                MessageId message);

}  // namespace kizuna::services
