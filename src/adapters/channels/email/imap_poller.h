// ImapPoller: checks every enabled mailbox with an IMAP account on a small pool of
// threads, each mailbox on its own and each message in isolation. A message is marked
// seen (or moved) only after its ticket or message is durable; where the poller got to
// (UIDVALIDITY and the last UID taken) is kept on the mailbox, so a restart neither loses
// nor repeats mail (and a repeat would be recognised by its Message-ID anyway).
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "adapters/channels/email/mail_intake.h"

namespace kizuna::email {

struct PollerOptions {
  int threads = 8;               // mailboxes checked at once
  int interval_seconds = 30;     // between two checks of one mailbox
  int batch = 100;               // messages taken per check; a full batch checks again at once
  int timeout_seconds = 30;      // IMAP connect and idle timeout
};

struct CheckReport {
  int taken = 0;     // tickets, messages and rejections recorded
  std::string error;  // why the check stopped early; empty when it finished
};

class ImapPoller {
 public:
  ImapPoller(IntakeContext context, PollerOptions options);
  ~ImapPoller();  // stops
  void Start();
  void Stop();

  // Checks one mailbox now, on the calling thread, after any check of it under way
  // (one mailbox is never checked twice at once).
  CheckReport CheckNow(const Mailbox& mailbox);

  // One check of the mailbox as given, on the calling thread.  REQUIRES: no other check
  // of it runs (the scheduler and CheckNow see to that).
  CheckReport CheckMailbox(const Mailbox& mailbox);

 private:
  void Schedule();
  void Work();
  void ReleaseClaim(const Mailbox& mailbox, Timestamp held_until);

  IntakeContext context_;
  PollerOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;  // a mailbox's check ended
  bool stopping_ = false;
  std::deque<Mailbox> queue_;
  std::set<std::int64_t> busy_;                 // mailbox ids queued or being checked
  std::map<std::int64_t, Timestamp> next_due_;  // mailbox id → when to check next
  std::thread scheduler_;
  std::vector<std::thread> workers_;
};

}  // namespace kizuna::email
