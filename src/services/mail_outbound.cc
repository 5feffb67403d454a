#include "services/mail_outbound.h"

#include <array>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "engines/email_text.h"
#include "engines/local_time.h"
#include "services/mail_ingest.h"

namespace kizuna::services {
namespace {

using nlohmann::json;

// The words of Kizuna's own mail in each language it speaks.
struct MailWords {
  const char* reply_footer;     // below an agent's reply
  const char* ack_body;         // {name} {number} {subject} {when}
  const char* ack_expected;     // {when} is this, with {expected_reply}, when a policy sets a first reply
  const char* ack_soon;         // … and this when none does
  const char* sign_in_subject;
  const char* sign_in_body;     // {link}
  const char* too_large;        // {name}: an attachment too large to send
};

const MailWords& WordsFor(std::string_view language) {
  static const MailWords kEnglish{
      "Reply to this email to add to your request [#{number}].",
      "Hello {name},\n\nThank you for contacting us. We have received your request \"{subject}\" and given it the "
      "number #{number}. {when}\n\nTo add anything, simply reply to this email.",
      "We will reply by {expected_reply}.",
      "We will reply as soon as we can.",
      "Your sign-in link",
      "Use this link to see your requests. It works once and expires in 30 minutes:\n\n{link}\n\nIf you did not ask "
      "for it, you can ignore this email.",
      "(The attachment {name} is too large to send by email.)"};
  static const MailWords kJapanese{
      "このメールに返信すると、お問い合わせ [#{number}] に追加されます。",
      "{name} 様\n\nお問い合わせいただきありがとうございます。「{subject}」を受け付けました（受付番号 "
      "#{number}）。{when}\n\n追加のご連絡は、このメールにそのままご返信ください。",
      "{expected_reply}までにご返信いたします。",
      "担当者より順次ご連絡いたします。",
      "サインイン用リンク",
      "次のリンクからお問い合わせの一覧をご覧いただけます。リンクは一度だけ、30分間有効です。\n\n{link}\n\n"
      "お心当たりがない場合は、このメールを破棄してください。",
      "（添付ファイル {name} はメールで送るには大きすぎるため、添付していません。）"};
  static const MailWords kKorean{
      "이 메일에 회신하시면 문의 [#{number}]에 추가됩니다.",
      "{name} 님, 안녕하세요.\n\n문의해 주셔서 감사합니다. \"{subject}\" 문의가 접수되었습니다(접수 번호 "
      "#{number}). {when}\n\n추가로 전하실 내용은 이 메일에 회신해 주세요.",
      "{expected_reply}까지 답변드리겠습니다.",
      "최대한 빨리 답변드리겠습니다.",
      "로그인 링크",
      "아래 링크에서 문의 내역을 확인하실 수 있습니다. 링크는 한 번만, 30분 동안 사용할 수 있습니다.\n\n{link}\n\n"
      "요청하신 적이 없다면 이 메일을 무시하셔도 됩니다.",
      "(첨부 파일 {name}은(는) 메일로 보내기에 너무 커서 첨부하지 않았습니다.)"};
  static const MailWords kVietnamese{
      "Trả lời email này để bổ sung vào yêu cầu [#{number}] của bạn.",
      "Xin chào {name},\n\nCảm ơn bạn đã liên hệ với chúng tôi. Chúng tôi đã nhận được yêu cầu \"{subject}\" của bạn "
      "với mã số #{number}. {when}\n\nĐể bổ sung thông tin, bạn chỉ cần trả lời email này.",
      "Chúng tôi sẽ phản hồi trước {expected_reply}.",
      "Chúng tôi sẽ phản hồi sớm nhất có thể.",
      "Liên kết đăng nhập của bạn",
      "Dùng liên kết này để xem các yêu cầu của bạn. Liên kết chỉ dùng được một lần và hết hạn sau 30 phút:\n\n{link}"
      "\n\nNếu bạn không yêu cầu, hãy bỏ qua email này.",
      "(Tệp đính kèm {name} quá lớn để gửi qua email.)"};
  std::string lang = ToLowerAscii(language.substr(0, 2));
  if (lang == "ja") return kJapanese;
  if (lang == "ko") return kKorean;
  if (lang == "vi") return kVietnamese;
  return kEnglish;
}

std::string Fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [key, value] : values) {
    std::string token = "{" + key + "}";
    for (std::size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size())) {
      text.replace(at, token.size(), value);
    }
  }
  return text;
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\n': out += "<br>\n"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string HtmlOf(std::string_view text, std::string_view footer) {
  std::string html = "<!DOCTYPE html><html><body><div style=\"font-family:sans-serif;font-size:14px\">";
  html += EscapeHtml(text);
  html += "</div>";
  if (!footer.empty()) {
    html += "<p style=\"color:#666;font-size:12px;border-top:1px solid #ddd;padding-top:8px\">";
    html += EscapeHtml(footer);
    html += "</p>";
  }
  html += "</body></html>";
  return html;
}

std::optional<std::string> EmailOf(const Customer& customer) {
  for (const auto& identity : customer.identities) {
    if (identity.kind == "email") return identity.value;
  }
  return std::nullopt;
}

// The mailbox mail of the workspace goes out from: the one named, else its first enabled one.
Result<std::optional<Mailbox>> SendingMailbox(ports::ReadTx& tx, WorkspaceId ws, std::optional<std::int64_t> id) {
  if (id) {
    auto mailbox = tx.GetMailbox(ws, *id);
    if (mailbox.ok()) return std::optional<Mailbox>(*mailbox);
    if (mailbox.error().code != ErrorCode::kNotFound) return mailbox.error();
  }
  KZ_ASSIGN(auto mailboxes, tx.ListMailboxes(ws));
  for (const auto& mailbox : mailboxes) {
    if (mailbox.enabled) return std::optional<Mailbox>(mailbox);
  }
  return std::optional<Mailbox>();
}

struct Sender {
  MailAddress from;
  std::optional<Mailbox> mailbox;
};

Result<Sender> SenderFor(ports::ReadTx& tx, const Workspace& workspace, std::optional<std::int64_t> mailbox_id,
                         const OutboundSettings& settings) {
  KZ_ASSIGN(auto mailbox, SendingMailbox(tx, workspace.id, mailbox_id));
  Sender sender;
  sender.mailbox = mailbox;
  sender.from.address = mailbox ? mailbox->address : settings.default_from;
  sender.from.name = mailbox && !mailbox->display_name.empty() ? mailbox->display_name : workspace.name;
  return sender;
}

ComposedEmail Envelope(OutboundEmail email, const std::string& to, const OutboundSettings& settings, Timestamp now) {
  email.to = {MailAddress{"", to}};
  email.date = now;
  email.headers.emplace_back("X-Kizuna-Loop", LoopMarker(settings.loop_marker));
  ComposedEmail out;
  out.envelope_from = email.from.address;
  out.recipients = {to};
  out.email = std::move(email);
  return out;
}

std::string OurMessageId(WorkspaceId ws, TicketId ticket, std::string_view suffix, const OutboundSettings& settings) {
  return "kz." + std::to_string(ws) + ".t" + std::to_string(ticket) + "." + std::string(suffix) + "@" +
         settings.loop_marker;
}

Result<std::optional<ComposedEmail>> ComposeReply(ports::ReadTx& tx, ports::BlobStore& blobs, ports::Crypto& crypto,
                                                  const ports::OutboxJob& job, const json& payload,
                                                  const OutboundSettings& settings, Timestamp now) {
  const WorkspaceId ws = job.workspace_id;
  KZ_ASSIGN(Ticket ticket, tx.GetTicket(ws, payload.value("ticket_id", std::int64_t{0})));
  KZ_ASSIGN(Message message, tx.GetMessage(ws, payload.value("message_id", std::int64_t{0})));
  KZ_ASSIGN(Customer customer, tx.GetCustomer(ws, ticket.requester_id));
  auto to = EmailOf(customer);
  if (!to) return std::optional<ComposedEmail>();
  KZ_ASSIGN(Workspace workspace, tx.GetWorkspace(ws));
  KZ_ASSIGN(Sender sender, SenderFor(tx, workspace, std::nullopt, settings));
  const MailWords& words = WordsFor(customer.language.empty() ? workspace.locale : customer.language);

  OutboundEmail email;
  email.message_id = OurMessageId(ws, ticket.id, "m" + std::to_string(message.id), settings);
  email.from = sender.from;
  if (sender.mailbox) {
    email.reply_to = MailAddress{sender.from.name,
                                 ReplyAddress(sender.mailbox->address, ticket.number,
                                                       ReplyTag(crypto, *sender.mailbox, ticket.number))};
  }
  email.subject = SubjectWithReference(ticket.subject, ticket.number);
  // Threading: answer the customer's latest email, and list the ticket's emails we know.
  KZ_ASSIGN(auto messages, tx.ListMessages(ws, ticket.id));
  for (const auto& earlier : messages) {
    if (earlier.id >= message.id || earlier.external_id.empty() || earlier.external_id.rfind("sha256:", 0) == 0) continue;
    email.references.push_back(earlier.external_id);
    if (earlier.author_type == AuthorType::kCustomer) email.in_reply_to = earlier.external_id;
  }
  if (email.references.size() > 20) email.references.erase(email.references.begin() + 1, email.references.end() - 19);
  std::string footer = Fill(words.reply_footer, {{"number", std::to_string(ticket.number)}});
  email.text = message.body_text;
  for (const auto& file : message.attachments) {
    if (file.size > settings.max_attachment_bytes) {
      email.text += "\n\n" + Fill(words.too_large, {{"name", file.name}});
      continue;
    }
    auto bytes = blobs.Get(file.sha256);
    if (!bytes.ok()) return bytes.error();
    email.attachments.push_back(MailPart{file.name, file.content_type, "", false, std::move(*bytes)});
  }
  email.html = HtmlOf(email.text, footer);
  email.text += "\n\n-- \n" + footer;
  return std::optional<ComposedEmail>(Envelope(std::move(email), *to, settings, now));
}

Result<std::optional<ComposedEmail>> ComposeAck(ports::ReadTx& tx, ports::Crypto& crypto, const ports::OutboxJob& job,
                                                const json& payload, const OutboundSettings& settings,
                                                Timestamp now) {
  const WorkspaceId ws = job.workspace_id;
  KZ_ASSIGN(Ticket ticket, tx.GetTicket(ws, payload.value("ticket_id", std::int64_t{0})));
  KZ_ASSIGN(Customer customer, tx.GetCustomer(ws, ticket.requester_id));
  auto to = EmailOf(customer);
  if (!to) return std::optional<ComposedEmail>();
  KZ_ASSIGN(Workspace workspace, tx.GetWorkspace(ws));
  std::optional<std::int64_t> mailbox_id;
  if (payload.contains("mailbox_id") && payload["mailbox_id"].is_number_integer()) {
    mailbox_id = payload["mailbox_id"].get<std::int64_t>();
  }
  KZ_ASSIGN(Sender sender, SenderFor(tx, workspace, mailbox_id, settings));
  const MailWords& words = WordsFor(customer.language.empty() ? workspace.locale : customer.language);
  std::string name = customer.name.empty() ? *to : customer.name;

  OutboundEmail email;
  email.message_id = OurMessageId(ws, ticket.id, "ack", settings);
  email.from = sender.from;
  if (sender.mailbox) {
    email.reply_to = MailAddress{sender.from.name,
                                 ReplyAddress(sender.mailbox->address, ticket.number,
                                                       ReplyTag(crypto, *sender.mailbox, ticket.number))};
  }
  email.subject = SubjectWithReference(ticket.subject, ticket.number);
  std::string in_reply_to = payload.value("in_reply_to", "");
  if (!in_reply_to.empty()) {
    email.in_reply_to = in_reply_to;
    email.references = {in_reply_to};
  }
  std::string body = sender.mailbox && !sender.mailbox->ack_template.empty() ? sender.mailbox->ack_template
                                                                            : std::string(words.ack_body);
  // When the customer can expect an answer: the first-reply due time of the ticket's
  // service level, in the workspace's time zone and the customer's language.
  std::string expected_reply;
  if (ticket.sla) {
    for (const auto& target : ticket.sla->targets) {
      if (target.metric == "first_reply" && target.due_at) {
        expected_reply = FormatLocalTime(*target.due_at, workspace.time_zone,
                                         customer.language.empty() ? workspace.locale : customer.language);
      }
    }
  }
  std::string when = expected_reply.empty() ? words.ack_soon : Fill(words.ack_expected, {{"expected_reply", expected_reply}});
  email.text = Fill(body, {{"name", name},
                           {"number", std::to_string(ticket.number)},
                           {"subject", ticket.subject},
                           {"when", when},
                           {"expected_reply", expected_reply}});
  email.html = HtmlOf(email.text, "");
  // RFC 3834: an automatic answer, which other systems must not answer in turn.
  email.headers.emplace_back("Auto-Submitted", "auto-replied");
  return std::optional<ComposedEmail>(Envelope(std::move(email), *to, settings, now));
}

// The words of the SLA alerts agents get, in the agent's language.
struct AlertWords {
  const char* warning_subject;  // {metric} {number} {subject} {due}
  const char* breach_subject;
  const char* warning_body;  // {metric} {number} {subject} {due} {link}
  const char* breach_body;
  std::array<const char*, 4> metrics;  // first_reply, next_reply, periodic_update, resolution
};

const AlertWords& AlertWordsFor(std::string_view language) {
  static const AlertWords kEnglish{
      "[#{number}] {metric} due {due}: {subject}",
      "[#{number}] {metric} target missed: {subject}",
      "The {metric} on ticket #{number} \"{subject}\" is due {due}.\n\nOpen the ticket: {link}",
      "The {metric} target on ticket #{number} \"{subject}\" was missed at {due}.\n\nOpen the ticket: {link}",
      {"first reply", "next reply", "update", "resolution"}};
  static const AlertWords kJapanese{
      "[#{number}] {metric}の期限が近づいています（{due}）: {subject}",
      "[#{number}] {metric}の目標を超過しました: {subject}",
      "チケット #{number}「{subject}」の{metric}期限は{due}です。\n\nチケットを開く: {link}",
      "チケット #{number}「{subject}」の{metric}目標を{due}に超過しました。\n\nチケットを開く: {link}",
      {"初回返信", "次回返信", "経過連絡", "解決"}};
  static const AlertWords kKorean{
      "[#{number}] {metric} 기한 임박({due}): {subject}",
      "[#{number}] {metric} 목표 초과: {subject}",
      "티켓 #{number} \"{subject}\"의 {metric} 기한은 {due}입니다.\n\n티켓 열기: {link}",
      "티켓 #{number} \"{subject}\"의 {metric} 목표를 {due}에 초과했습니다.\n\n티켓 열기: {link}",
      {"첫 응답", "다음 응답", "진행 안내", "해결"}};
  static const AlertWords kVietnamese{
      "[#{number}] Sắp đến hạn {metric} ({due}): {subject}",
      "[#{number}] Đã trễ hạn {metric}: {subject}",
      "Hạn {metric} của phiếu #{number} \"{subject}\" là {due}.\n\nMở phiếu: {link}",
      "Phiếu #{number} \"{subject}\" đã trễ hạn {metric} lúc {due}.\n\nMở phiếu: {link}",
      {"phản hồi đầu tiên", "phản hồi tiếp theo", "cập nhật", "giải quyết"}};
  std::string lang = ToLowerAscii(language.substr(0, 2));
  if (lang == "ja") return kJapanese;
  if (lang == "ko") return kKorean;
  if (lang == "vi") return kVietnamese;
  return kEnglish;
}

// An SLA warning or breach, to the agent the timer chose (the assignee, or a supervisor).
Result<std::optional<ComposedEmail>> ComposeSlaAlert(ports::ReadTx& tx, const ports::OutboxJob& job,
                                                     const json& payload, const OutboundSettings& settings,
                                                     Timestamp now) {
  const WorkspaceId ws = job.workspace_id;
  KZ_ASSIGN(Ticket ticket, tx.GetTicket(ws, payload.value("ticket_id", std::int64_t{0})));
  KZ_ASSIGN(Agent agent, tx.GetAgent(ws, payload.value("agent_id", std::int64_t{0})));
  if (!agent.active || agent.email.empty()) return std::optional<ComposedEmail>();
  KZ_ASSIGN(Workspace workspace, tx.GetWorkspace(ws));
  KZ_ASSIGN(Sender sender, SenderFor(tx, workspace, std::nullopt, settings));
  const std::string language = agent.locale.empty() ? workspace.locale : agent.locale;
  const AlertWords& words = AlertWordsFor(language);
  const std::string metric_name = payload.value("metric", "");
  static constexpr std::array<const char*, 4> kMetrics = {"first_reply", "next_reply", "periodic_update", "resolution"};
  std::string metric = metric_name;
  for (std::size_t idx = 0; idx < kMetrics.size(); ++idx) {
    if (metric_name == kMetrics[idx]) metric = words.metrics[idx];
  }
  const bool breach = payload.value("stage", "") == "breach";
  const std::string due = FormatLocalTime(payload.value("due_at", now), workspace.time_zone, language);
  const std::vector<std::pair<std::string, std::string>> values = {
      {"metric", metric},
      {"number", std::to_string(ticket.number)},
      {"subject", ticket.subject},
      {"due", due},
      {"link", settings.public_url + "/tickets/" + std::to_string(ticket.id)}};

  OutboundEmail email;
  email.message_id = "kz." + std::to_string(ws) + ".j" + std::to_string(job.id) + ".sla@" + settings.loop_marker;
  email.from = sender.from;
  email.subject = Fill(breach ? words.breach_subject : words.warning_subject, values);
  email.text = Fill(breach ? words.breach_body : words.warning_body, values);
  email.html = HtmlOf(email.text, "");
  email.headers.emplace_back("Auto-Submitted", "auto-generated");
  return std::optional<ComposedEmail>(Envelope(std::move(email), agent.email, settings, now));
}

Result<std::optional<ComposedEmail>> ComposeSignIn(ports::ReadTx& tx, const ports::OutboxJob& job,
                                                   const json& payload, const OutboundSettings& settings,
                                                Timestamp now) {
  const WorkspaceId ws = job.workspace_id;
  std::string to = payload.value("to", "");
  std::string token = payload.value("token", "");
  if (to.empty() || token.empty()) return Error::Invalid("payload", "a sign-in email needs to and token");
  KZ_ASSIGN(Workspace workspace, tx.GetWorkspace(ws));
  KZ_ASSIGN(Customer customer, tx.GetCustomer(ws, payload.value("customer_id", std::int64_t{0})));
  KZ_ASSIGN(Sender sender, SenderFor(tx, workspace, std::nullopt, settings));
  const MailWords& words = WordsFor(customer.language.empty() ? workspace.locale : customer.language);
  std::string link = settings.public_url + "/help/" + workspace.name + "/sign-in#token=" + token;

  OutboundEmail email;
  email.message_id = "kz." + std::to_string(ws) + ".j" + std::to_string(job.id) + ".signin@" + settings.loop_marker;
  email.from = sender.from;
  email.subject = std::string(words.sign_in_subject) + " — " + workspace.name;
  email.text = Fill(words.sign_in_body, {{"link", link}});
  email.html = HtmlOf(email.text, "");
  email.headers.emplace_back("Auto-Submitted", "auto-generated");
  return std::optional<ComposedEmail>(Envelope(std::move(email), to, settings, now));
}

}  // namespace

Result<std::optional<ComposedEmail>> ComposeEmail(ports::ReadTx& tx, ports::BlobStore& blobs, ports::Crypto& crypto,
                                                  const ports::OutboxJob& job, const OutboundSettings& settings,
                                                  Timestamp now) {
  json payload = json::parse(job.payload, nullptr, false);
  if (!payload.is_object()) return Error::Invalid("payload", "the outbox job's payload is not a JSON object");
  if (job.kind == "reply") {
    // Replies on tickets from email, the help centre or the API reach the customer by
    // email; chat and messaging channels answer on their own.
    std::string channel = payload.value("channel", "email");
    if (channel != "email" && channel != "web" && channel != "api") return std::optional<ComposedEmail>();
    return ComposeReply(tx, blobs, crypto, job, payload, settings, now);
  }
  std::string name = payload.value("template", "");
  if (name == "ack") return ComposeAck(tx, crypto, job, payload, settings, now);
  if (name == "portal_sign_in") return ComposeSignIn(tx, job, payload, settings, now);
  if (name == "sla_alert") return ComposeSlaAlert(tx, job, payload, settings, now);
  return Error::Invalid("template", "unknown email template: " + name);
}

}  // namespace kizuna::services
