// ImapSession: one IMAP connection to one folder of one mailbox, used by the email
// poller for one check (select, list, fetch, then mark seen or move).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

namespace kizuna::email {

struct ImapAccount {
  std::string url;  // imap://host:port (STARTTLS when offered) or imaps://host:port
  std::string username, password;
  std::string folder = "INBOX";  // UTF-8; sent as modified UTF-7
  std::string move_to;           // empty: mark \Seen instead of moving
  // Limits connecting and signing in, and every later wait for the server (an idle
  // timeout: a large message may take longer as long as bytes keep arriving).
  int timeout_seconds = 30;
  bool verify_tls = true;
};

struct ImapFolderState {
  std::uint32_t uidvalidity = 0;
  std::uint32_t uidnext = 0;  // 0 when the server does not say and the folder is empty
};

struct ImapMessageInfo {
  std::uint32_t uid = 0;
  std::int64_t size = 0;  // RFC822.SIZE in bytes
};

// One connection (opened on first use, signed in by libcurl, then spoken to directly),
// reused by every call. Errors: kUnavailable when the server cannot be reached, times out,
// closes the connection or answers nonsense (retry later); kUnauthenticated when the login
// is refused; kNotFound for a missing folder or message; kInvalidArgument for a bad URL or
// folder name; kConflict when the folder's UIDVALIDITY changed between Select() and a
// reconnect (every call but Select() then fails the same way, since the caller's uids no
// longer name the same messages); kPayloadTooLarge for a message over 128 MiB. After a
// connection error the next call reconnects and selects the folder again. Every call but
// Select() selects the folder first when that has not happened on this connection.
//
// Not thread-safe: one session per thread. Any number of sessions may run at once.
class ImapSession {
 public:
  explicit ImapSession(ImapAccount account);
  ~ImapSession();  // logs out, waiting two seconds at most
  ImapSession(ImapSession&&) noexcept;
  ImapSession& operator=(ImapSession&&) noexcept;
  ImapSession(const ImapSession&) = delete;
  ImapSession& operator=(const ImapSession&) = delete;

  // SELECTs account.folder (read-write, so MarkSeen and MoveTo work later).
  Result<ImapFolderState> Select();

  // Messages with uid >= first_uid that are not \Deleted, ascending, at most `limit`.
  // Empty when first_uid is past the last message.  REQUIRES: limit > 0.
  Result<std::vector<ImapMessageInfo>> ListFrom(std::uint32_t first_uid, int limit);

  // Messages without \Seen and \Deleted, ascending by uid, at most `limit`.  REQUIRES: limit > 0.
  Result<std::vector<ImapMessageInfo>> ListUnseen(int limit);

  // The raw message exactly as stored (BODY.PEEK[]: \Seen is left alone).
  // kNotFound when no message has that uid.
  Result<std::string> Fetch(std::uint32_t uid);

  // Adds \Seen. A uid that no longer exists is not an error.
  Status MarkSeen(std::uint32_t uid);

  // Moves the message to `folder` (UID MOVE when the server offers MOVE, else UID COPY,
  // \Deleted and UID EXPUNGE, or EXPUNGE without UIDPLUS). kNotFound when `folder` does
  // not exist; it is not created.
  Status MoveTo(std::uint32_t uid, const std::string& folder);

 private:
  struct Connection;

  Result<Connection*> Connected();
  Result<ImapFolderState> SelectFolder();  // SELECT without marking the session selected
  Status EnsureSelected();
  Error Dropped(Error error);

  ImapAccount account_;
  std::unique_ptr<Connection> connection_;
  std::uint32_t known_uidvalidity_ = 0;  // from the last Select(), checked after reconnecting
};

}  // namespace kizuna::email
