#include "adapters/channels/email/imap_poller.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>

#include "adapters/channels/email/imap_client.h"

namespace kizuna::email {

ImapPoller::ImapPoller(IntakeContext context, PollerOptions options)
    : context_(std::move(context)), options_(options) {}

ImapPoller::~ImapPoller() { Stop(); }

void ImapPoller::Start() {
  std::lock_guard lock(mutex_);
  if (scheduler_.joinable()) return;
  stopping_ = false;
  scheduler_ = std::thread([this] { Schedule(); });
  for (int idx = 0; idx < std::max(1, options_.threads); ++idx) workers_.emplace_back([this] { Work(); });
}

void ImapPoller::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (scheduler_.joinable()) scheduler_.join();
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  workers_.clear();
}

// Once a second: every enabled IMAP mailbox that is due and not being checked is queued.
void ImapPoller::Schedule() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    std::vector<Mailbox> mailboxes;
    Status read = context_.store.Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(mailboxes, tx.ListPolledMailboxes());
      return Ok();
    });
    if (!read.ok()) spdlog::warn("mail poller: cannot list mailboxes: {}", read.error().message);
    const Timestamp now = context_.clock.Now();
    lock.lock();
    for (auto& mailbox : mailboxes) {
      if (busy_.count(mailbox.id)) continue;
      auto due = next_due_.find(mailbox.id);
      if (due != next_due_.end() && due->second > now) continue;
      busy_.insert(mailbox.id);
      queue_.push_back(std::move(mailbox));
    }
    if (!queue_.empty()) wake_.notify_all();
    wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
  }
}

void ImapPoller::Work() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    Mailbox mailbox = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    // With several nodes on one database, the node that claims the check makes it; the
    // others look again after an interval.
    const Timestamp interval = options_.interval_seconds * 1000LL;
    bool claimed = false;
    const Timestamp claimed_until = context_.clock.Now() + interval;
    Status claim = context_.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(claimed, tx.ClaimMailboxCheck(mailbox.workspace_id, mailbox.id, context_.clock.Now(), claimed_until));
      return Ok();
    });
    if (!claim.ok()) spdlog::warn("mail poller: cannot claim the check of {}: {}", mailbox.address, claim.error().message);
    CheckReport report;
    if (claimed) report = CheckMailbox(mailbox);
    lock.lock();
    busy_.erase(mailbox.id);
    // A full batch means more is waiting: check again at once (claiming again at once).
    bool more = claimed && report.error.empty() && report.taken >= options_.batch;
    if (more) ReleaseClaim(mailbox, claimed_until);
    next_due_[mailbox.id] = context_.clock.Now() + (more ? 0 : interval);
    idle_.notify_all();
  }
}

// Gives back a claim this node holds until `held_until` (its claim is the only one that can
// reach that far), so that the next check may start at once.
void ImapPoller::ReleaseClaim(const Mailbox& mailbox, Timestamp held_until) {
  Status released = context_.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(bool ignored, tx.ClaimMailboxCheck(mailbox.workspace_id, mailbox.id, held_until, context_.clock.Now()));
    (void)ignored;
    return Ok();
  });
  if (!released.ok()) spdlog::warn("mail poller: {}: {}", mailbox.address, released.error().message);
}

CheckReport ImapPoller::CheckNow(const Mailbox& mailbox) {
  {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return !busy_.count(mailbox.id); });
    busy_.insert(mailbox.id);
  }
  // Where the mailbox got to may have moved while we waited.
  Mailbox current = mailbox;
  Status read = context_.store.Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(current, tx.GetMailbox(mailbox.workspace_id, mailbox.id));
    return Ok();
  });
  CheckReport report = read.ok() ? CheckMailbox(current) : CheckReport{0, read.error().message};
  {
    std::lock_guard lock(mutex_);
    busy_.erase(mailbox.id);
    next_due_[mailbox.id] = context_.clock.Now() + options_.interval_seconds * 1000LL;
  }
  idle_.notify_all();
  return report;
}

CheckReport ImapPoller::CheckMailbox(const Mailbox& mailbox) {
  CheckReport report;
  std::int64_t uidvalidity = mailbox.uidvalidity;
  std::int64_t last_uid = mailbox.last_uid;
  auto record = [&](std::string error) {
    report.error = std::move(error);
    Status saved = context_.store.WriteAndWait([&](ports::WriteTx& tx) {
      return tx.RecordMailboxCheck(mailbox.workspace_id, mailbox.id, uidvalidity, last_uid, context_.clock.Now(),
                                   report.error);
    });
    if (!saved.ok()) spdlog::warn("mail poller: cannot record the check of {}: {}", mailbox.address, saved.error().message);
    if (!report.error.empty()) spdlog::warn("mail poller: {}: {}", mailbox.address, report.error);
    return report;
  };

  ImapAccount account;
  account.url = mailbox.imap_url;
  account.username = mailbox.imap_username;
  if (!mailbox.imap_password.empty()) {
    auto password = context_.crypto.Open(mailbox.imap_password);
    if (!password.ok()) return record("the saved IMAP password cannot be read by this server; enter it again");
    account.password = *password;
  }
  account.folder = mailbox.imap_folder.empty() ? "INBOX" : mailbox.imap_folder;
  account.move_to = mailbox.imap_move_to;
  account.timeout_seconds = options_.timeout_seconds;
  ImapSession session(account);
  auto state = session.Select();
  if (!state.ok()) return record(state.error().message);

  // A new or reset folder (UIDVALIDITY changed): take what is unread. Otherwise
  // everything after the last UID taken, read or not.
  const bool fresh = static_cast<std::int64_t>(state->uidvalidity) != uidvalidity;
  auto listed = fresh ? session.ListUnseen(options_.batch)
                      : session.ListFrom(static_cast<std::uint32_t>(last_uid + 1), options_.batch);
  if (!listed.ok()) return record(listed.error().message);
  if (fresh) {
    uidvalidity = state->uidvalidity;
    last_uid = 0;
  }
  // In rounds of at most 64 MiB: fetch in order, take the round's messages on a few
  // threads at once (their writes share group commits), then mark them in order.
  constexpr std::int64_t kRoundBytes = 64 << 20;
  constexpr int kTakers = 4;
  struct Item {
    ImapMessageInfo info;
    std::string raw;
    Result<services::IngestOutcome> outcome = Error::Internal("not taken");
  };
  std::size_t listed_idx = 0;
  while (listed_idx < listed->size()) {
    std::vector<Item> round;
    std::int64_t round_bytes = 0;
    std::string fetch_error;
    for (; listed_idx < listed->size() && round_bytes < kRoundBytes; ++listed_idx) {
      const ImapMessageInfo& info = (*listed)[listed_idx];
      if (info.size > context_.max_message_bytes) {
        round.push_back(Item{info, {}, Error::Internal("too large")});
        continue;
      }
      auto raw = session.Fetch(info.uid);
      if (!raw.ok()) {
        if (raw.error().code == ErrorCode::kNotFound) continue;  // expunged meanwhile
        fetch_error = raw.error().message;
        listed_idx = listed->size();
        break;
      }
      round_bytes += static_cast<std::int64_t>(raw->size());
      round.push_back(Item{info, std::move(*raw), Error::Internal("not taken")});
    }
    std::atomic<std::size_t> next{0};
    auto take = [&] {
      for (std::size_t idx = next++; idx < round.size(); idx = next++) {
        Item& item = round[idx];
        if (item.info.size > context_.max_message_bytes) {
          // Too large to take: recorded with its size; it stays in the mailbox, marked seen.
          std::string key = "imap:" + std::to_string(mailbox.id) + ":" + std::to_string(uidvalidity) + ":" +
                            std::to_string(item.info.uid);
          std::string reason = "the message is " + std::to_string(item.info.size >> 20) + " MiB, over the limit of " +
                               std::to_string(context_.max_message_bytes >> 20) + " MiB; it is left in the mailbox";
          services::IngestOutcome rejected;
          Status written = context_.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
            KZ_ASSIGN(rejected, services::RejectEmail(tx, mailbox.workspace_id, mailbox.id, key, "", "", reason, "",
                                                      context_.clock.Now()));
            return Ok();
          });
          item.outcome = written.ok() ? Result<services::IngestOutcome>(rejected)
                                      : Result<services::IngestOutcome>(written.error());
        } else {
          item.outcome = IngestRawEmail(context_, mailbox.workspace_id, mailbox, item.raw);
          std::string().swap(item.raw);
        }
      }
    };
    std::vector<std::thread> takers;
    for (int idx = 1; idx < std::min<int>(kTakers, static_cast<int>(round.size())); ++idx) takers.emplace_back(take);
    take();
    for (auto& taker : takers) taker.join();
    for (const Item& item : round) {
      // In UID order, and only what is durable: a failure stops here, and the next
      // check starts again from it.
      if (!item.outcome.ok()) return record("cannot store mail: " + item.outcome.error().message);
      Status marked =
          account.move_to.empty() ? session.MarkSeen(item.info.uid) : session.MoveTo(item.info.uid, account.move_to);
      last_uid = std::max<std::int64_t>(last_uid, item.info.uid);
      ++report.taken;
      if (!marked.ok()) return record("taken, but cannot mark it in the mailbox: " + marked.error().message);
    }
    if (!fetch_error.empty()) return record(fetch_error);
  }
  // Everything below UIDNEXT was either taken now or already read before we came.
  if (fresh && static_cast<int>(listed->size()) < options_.batch && state->uidnext > 0) {
    last_uid = std::max<std::int64_t>(last_uid, state->uidnext - 1);
  }
  return record("");
}

}  // namespace kizuna::email
