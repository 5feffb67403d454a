#include "server/mail_channel.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>
#include <iterator>

#include "adapters/channels/email/email_deliverer.h"
#include "adapters/channels/email/imap_poller.h"
#include "adapters/channels/email/mail_intake.h"
#include "core/text.h"
#include "services/outbox.h"

namespace kizuna::server {
namespace {

constexpr int kExitNoUser = 67;    // EX_NOUSER
constexpr int kExitTempFail = 75;  // EX_TEMPFAIL

services::MailPolicy PolicyOf(const Config& config) {
  return services::MailPolicy{config.mail_domain, config.sender_hourly_limit};
}

std::string PublicUrl(const Config& config) {
  if (!config.public_url.empty()) return config.public_url;
  return "http://" + config.listen;
}

}  // namespace

struct MailChannel::Parts {
  email::IntakeContext intake;
  std::unique_ptr<email::EmailDeliverer> replies;
  std::unique_ptr<email::EmailDeliverer> notices;
  std::unique_ptr<services::OutboxWorker> outbox;
  std::unique_ptr<email::ImapPoller> poller;
};

MailChannel::MailChannel(const Config& config, ports::Store& store, ports::BlobStore& blobs, ports::Crypto& crypto,
                         const ports::Clock& clock)
    : parts_(new Parts{email::IntakeContext{store, blobs, crypto, clock, PolicyOf(config), config.max_message_bytes},
                       nullptr, nullptr, nullptr, nullptr}) {
  email::SmtpRelay relay;
  relay.url = config.smtp_url;
  relay.username = config.smtp_username;
  relay.password = config.smtp_password;
  relay.timeout_seconds = config.smtp_timeout_seconds;
  relay.reply_timeout_seconds = config.smtp_reply_timeout_seconds;
  relay.verify_tls = config.smtp_verify_tls;
  relay.helo_domain = config.mail_domain;
  services::OutboundSettings settings;
  settings.default_from = config.mail_from;
  settings.public_url = PublicUrl(config);
  settings.loop_marker = config.mail_domain;
  parts_->replies = std::make_unique<email::EmailDeliverer>("reply", store, blobs, crypto, clock, relay, settings);
  parts_->notices = std::make_unique<email::EmailDeliverer>("email", store, blobs, crypto, clock, relay, settings);
  if (!config.smtp_url.empty()) {
    services::RetryPolicy policy;
    policy.parallel = 8;  // SMTP round trips overlap; the relay sees at most 8 connections
    parts_->outbox = std::make_unique<services::OutboxWorker>(
        store, clock, std::vector<ports::Deliverer*>{parts_->replies.get(), parts_->notices.get()}, policy);
  }
  email::PollerOptions options;
  options.threads = config.poll_threads;
  options.interval_seconds = config.poll_interval_seconds;
  parts_->poller = std::make_unique<email::ImapPoller>(parts_->intake, options);
}

MailChannel::~MailChannel() { Stop(); }

void MailChannel::Start(api::App& app) {
  if (parts_->outbox) parts_->outbox->Start();
  else spdlog::warn("no SMTP relay ([mail] smtp_url): replies and notifications wait in the outbox");
  parts_->poller->Start();
  email::ImapPoller* poller = parts_->poller.get();
  app.check_mailbox = [poller](const Mailbox& mailbox) {
    email::CheckReport report = poller->CheckNow(mailbox);
    return std::make_pair(report.taken, report.error);
  };
}

void MailChannel::Stop() {
  if (parts_->poller) parts_->poller->Stop();
  if (parts_->outbox) parts_->outbox->Stop();
}

int MailIngest(const Config& config, ports::Store& store, ports::BlobStore& blobs, ports::Crypto& crypto,
               const ports::Clock& clock, const std::string& workspace, const std::string& mailbox_address,
               const std::vector<std::string>& files) {
  Workspace ws;
  std::vector<Mailbox> mailboxes;
  Status read = store.Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(ws, tx.FindWorkspace(workspace));
    KZ_ASSIGN(mailboxes, tx.ListMailboxes(ws.id));
    return Ok();
  });
  if (!read.ok()) {
    std::cerr << "kizuna mail-ingest: " << read.error().message << "\n";
    return read.error().code == ErrorCode::kNotFound ? kExitNoUser : kExitTempFail;
  }
  std::optional<Mailbox> mailbox;
  if (!mailbox_address.empty()) {
    std::string wanted = ToLowerAscii(mailbox_address);
    for (const auto& m : mailboxes) {
      if (m.address == wanted) mailbox = m;
    }
    if (!mailbox) {
      std::cerr << "kizuna mail-ingest: workspace " << workspace << " has no mailbox " << mailbox_address << "\n";
      return kExitNoUser;
    }
  }
  email::IntakeContext context{store, blobs, crypto, clock, PolicyOf(config), config.max_message_bytes};
  // Without --mailbox, the one each message was addressed to is found from its headers.
  auto take = [&](std::string_view raw) {
    return email::IngestRawEmail(context, ws.id, mailbox, raw, mailbox ? nullptr : &mailboxes);
  };
  auto describe = [](const services::IngestOutcome& outcome) {
    std::string line = outcome.outcome;
    if (outcome.ticket_number) line += " #" + std::to_string(outcome.ticket_number);
    if (!outcome.reason.empty()) line += ": " + outcome.reason;
    return line;
  };

  if (files.empty()) {
    std::string raw((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (std::cin.bad()) {
      std::cerr << "kizuna mail-ingest: cannot read the message from standard input\n";
      return kExitTempFail;
    }
    auto outcome = take(raw);
    if (!outcome.ok()) {
      std::cerr << "kizuna mail-ingest: " << outcome.error().message << " (try again later)\n";
      return kExitTempFail;
    }
    std::cout << describe(*outcome) << "\n";
    return 0;
  }

  // A batch: several threads parse while the writer commits their messages together.
  std::atomic<std::size_t> next{0};
  std::atomic<int> exit_code{0};
  std::mutex out_mutex;
  std::map<std::string, int> counts;
  const auto started = std::chrono::steady_clock::now();
  auto work = [&] {
    for (std::size_t idx = next++; idx < files.size(); idx = next++) {
      std::ifstream in(files[idx], std::ios::binary);
      std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::string line;
      if (!in.good() && !in.eof()) {
        line = "unreadable: cannot read the file";
        exit_code = 66;  // EX_NOINPUT
      } else if (auto outcome = take(raw); outcome.ok()) {
        line = describe(*outcome);
        std::lock_guard lock(out_mutex);
        counts[outcome->outcome] += 1;
      } else {
        line = "failed: " + outcome.error().message;
        exit_code = kExitTempFail;
      }
      std::lock_guard lock(out_mutex);
      std::cout << files[idx] << ": " << line << "\n";
    }
  };
  std::vector<std::thread> threads;
  for (int idx = 0; idx < 8; ++idx) threads.emplace_back(work);
  for (auto& thread : threads) thread.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cerr << "kizuna mail-ingest: " << files.size() << " messages in " << seconds << " s (";
  bool first = true;
  for (const auto& [name, count] : counts) {
    std::cerr << (first ? "" : ", ") << count << " " << name;
    first = false;
  }
  std::cerr << ")\n";
  return exit_code;
}

}  // namespace kizuna::server
