// Real mail servers for tests, each private to one test: a dovecot IMAP server and an
// aiosmtpd SMTP receiver (smtp_receiver.py), both on 127.0.0.1 and a free port, with
// their files in a fresh directory under /tmp. Failures throw std::runtime_error
// (GoogleTest reports them); the destructors stop the servers and remove the files.
// The servers get SIGTERM when the thread that started them dies, so a crashed test
// leaves no process behind.  REQUIRES: Start() on a thread that outlives the server.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace kizuna::testing {

// /usr/sbin/dovecot -F with its own configuration: IMAP only, no TLS, plaintext login,
// users from a passwd-file, one Maildir++ per user under dir()/mail/USER. Run as root,
// the mail processes run as "nobody" (dovecot refuses root) and the files are chowned
// to it; otherwise everything runs as the invoking user.
class DovecotServer {
 public:
  DovecotServer();
  ~DovecotServer();
  DovecotServer(const DovecotServer&) = delete;
  DovecotServer& operator=(const DovecotServer&) = delete;

  // Adds a user with an empty INBOX.  REQUIRES: name of [A-Za-z0-9._@+-], password
  // without ':' or line breaks. Before or after Start (dovecot re-reads the file).
  void AddUser(const std::string& name, const std::string& password);
  // The post-login capabilities; the default adds MOVE to dovecot's own list
  // ("+MOVE"). E.g. "IMAP4rev1 LITERAL+ UIDPLUS" for a server without MOVE.  Before Start.
  void SetImapCapability(const std::string& capability) { imap_capability_ = capability; }

  // Also serves IMAPS on a second port, and STARTTLS on the first, with a self-signed
  // certificate made by openssl for 127.0.0.1.  Before Start.
  void EnableTls() { tls_ = true; }
  std::string tls_url() const;  // imaps://127.0.0.1:PORT

  // Starts dovecot and waits until the port greets with "* OK".
  void Start();
  // SIGTERM to dovecot and its children (SIGKILL after 300 ms); waits. Mail is kept.
  void Stop();
  // Stop, then Start on the same port when it is still free.
  void Restart();
  bool Running();

  unsigned short port() const { return port_; }
  std::string url() const;  // imap://127.0.0.1:PORT
  const std::string& dir() const { return dir_; }
  std::string Log() const;  // dovecot's log so far

  // Creates folder `folder` (its on-disk Maildir++ name: ASCII, or modified UTF-7).
  void CreateFolder(const std::string& user, const std::string& folder);
  // Puts a message into the maildir as a mail delivery agent would (tmp/ then rename
  // into new/, or into cur/ with `flags` such as "S" when given); creates the folder
  // when missing. Returns the message's unique name.
  std::string Deliver(const std::string& user, const std::string& raw_message, const std::string& folder = "INBOX",
                      const std::string& flags = "");
  // The maildir flags ("", "S", "ST"…) of each message in the folder, ordered by unique
  // name (delivery order). Messages still in new/ have "".
  std::vector<std::string> Flags(const std::string& user, const std::string& folder = "INBOX") const;
  std::size_t Count(const std::string& user, const std::string& folder = "INBOX") const;

 private:
  std::string FolderDir(const std::string& user, const std::string& folder) const;
  void WriteConfig() const;
  bool TryStart(std::string& why);
  void OwnForMail(const std::string& path) const;

  std::string dir_;
  std::string imap_capability_ = "+MOVE";
  bool tls_ = false;
  unsigned short tls_port_ = 0;
  unsigned short port_ = 0;
  int pid_ = -1;
  unsigned mail_uid_ = 0;
  unsigned mail_gid_ = 0;
  unsigned delivery_count_ = 0;
};

struct ReceivedMail {
  std::string name;  // "00001"
  std::string mail_from;
  std::vector<std::string> rcpt_tos;
  std::string received_at;  // ISO 8601, UTC
  std::string data;         // the message as received: CRLF line ends, dot-stuffing undone
};

// smtp_receiver.py under /usr/bin/python3 (Debian's, which has aiosmtpd).
class SmtpReceiver {
 public:
  SmtpReceiver();
  ~SmtpReceiver();
  SmtpReceiver(const SmtpReceiver&) = delete;
  SmtpReceiver& operator=(const SmtpReceiver&) = delete;

  // Starts the receiver on a free port (the same port again after Stop).
  void Start();
  void Stop();
  void Restart();
  bool Running();

  unsigned short port() const { return port_; }
  std::string url() const;  // smtp://127.0.0.1:PORT
  const std::string& dir() const { return dir_; }

  // "accept", "tempfail" (451 at end of DATA), "reject" (550 to RCPT) or "slow N".
  void SetMode(const std::string& mode);
  // Every message accepted so far, oldest first.
  std::vector<ReceivedMail> Messages() const;
  // True once at least `count` messages arrived, false when `timeout` passed first.
  bool WaitForMessages(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  std::string dir_;
  unsigned short port_ = 0;
  int pid_ = -1;
};

}  // namespace kizuna::testing
