// The text decisions of the email channel: the new part of a reply, ticket references in
// subjects, which mail is noise (auto-replies, bounces, lists, our own mail coming back), and
// per-ticket reply addresses. Pure functions over UTF-8 (NFC) strings; no I/O, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/email.h"

namespace kizuna {

// Ticket numbers in subjects and reply addresses are 1..kMaxMailTicketNumber.
inline constexpr std::int64_t kMaxMailTicketNumber = 1'000'000'000'000'000;  // 10^15

// The new part of a reply, with the quoted history below it removed; the caller keeps the
// full text. Line ends come out as "\n"; leading and trailing blank lines are dropped.
// History starts at the first of (lines compared after trimming spaces):
//  - an attribution: "On <date>, <name> <addr> wrote:" and its ja/ko/vi/fr/de/es forms
//    ("…<addr>:", "…のメール:", "…さんは書きました:", "…님이 작성:", "…đã viết:"), also
//    when wrapped over two lines. It needs a time ("10:00"), a leading date or "On " ("Vào ",
//    "Le ", "Am ", "El "), or an address; a bare "Ana wrote:" counts only when nothing but
//    quoted or blank lines follow it, so "As the manual wrote:" above an inline answer stays;
//  - a separator: "-----Original Message-----", "----- 원본 메시지 -----",
//    "―――― 元のメッセージ ――――", "-------- Thư gốc --------" (any run of dashes or bars);
//  - "________________________________" whose next non-blank line is a From: header;
//  - a header block: a From: line ("差出人:", "보낸 사람:", "Từ:", …) with at least two more
//    header lines (Sent/Date/To/Cc/Subject and localised forms) among the next six non-blank.
// Above that point, lines starting with ">" are dropped and the others kept, so answers
// written between quoted lines survive (the quotes they answer do not). When the history
// starts on the first line (bottom-posting, or answers inline under an attribution), the
// unquoted lines after the attribution's ">" block, up to the next history start, are the
// new part. Signatures ("-- ") are not history and stay.
// A forward marker ("Begin forwarded message:", "---------- Forwarded message ---------",
// "転送されたメッセージ:", "전달된 메시지", "Thư được chuyển tiếp", …) before any history
// ends the search: what was forwarded is content, so it is kept with everything below it.
// Never empty when `text` has non-whitespace: if nothing would be left (a quote-only body,
// an Outlook forward with no note), the whole input comes back trimmed.
std::string StripQuotedHistory(std::string_view text);

// The ticket number of the last well-formed reference "[#123]" in `subject` ("［＃123］",
// "[#123 ]", "[ #123]" and full-width digits tolerated; leading zeros tolerated). nullopt
// when none, or when the number is 0 or above kMaxMailTicketNumber. "#123" without brackets
// and "[#abc]" are not references.
std::optional<std::int64_t> TicketNumberInSubject(std::string_view subject);

// `subject` without ticket references (anywhere), reply/forward prefixes (repeated, any ASCII
// case, "Re[2]:", "Re(2):", "Re :", full-width colon; Re Fw Fwd AW WG SV TR RV Réf Antw 返信
// 転送 답장 전달 회신 "Trả lời" TL "Chuyển tiếp" 回复 转发) and list tags at the start ("[ml-name]",
// "[ml:0123]": ASCII letters, digits and "-_.:/+", at least one letter). Runs of whitespace
// become one space; leading and trailing spaces (also U+3000) are trimmed. May be empty.
std::string NormaliseSubject(std::string_view subject);

// "Re: <NormaliseSubject(subject)> [#<number>]", or "Re: [#<number>]" when nothing is left.
// REQUIRES: 1 <= number <= kMaxMailTicketNumber.
std::string SubjectWithReference(std::string_view subject, std::int64_t number);

enum class MailNoise {
  kNone,
  kAutoReply,  // out-of-office and other automatic answers (RFC 3834)
  kBounce,     // delivery status or disposition notifications
  kBulk,       // mailing lists and bulk mail
  kOwnLoop,    // mail Kizuna sent, coming back
};

// The stable name: "none", "auto_reply", "bounce", "bulk", "own_loop".
const char* MailNoiseName(MailNoise noise);

// Whether Kizuna may answer this mail automatically (acknowledgements, triggers that email):
// only plain mail from a person (kNone). Answering noise makes loops.
inline bool AllowsAutomaticAnswer(MailNoise noise) { return noise == MailNoise::kNone; }

// What kind of noise `email` is, the first that applies in this order:
//  1. kOwnLoop: header x-kizuna-loop equals `own_loop_marker` (spaces trimmed). When the
//     marker has the form "token@domain", a message_id ending in "@domain" (ASCII case-
//     insensitive) also counts: relays may strip X- headers but keep Message-ID. So that
//     domain must be one only Kizuna's own Message-IDs use, never the mailbox's domain.
//     An empty marker matches nothing.
//  2. kBounce: top content-type multipart/report with report-type delivery-status or
//     disposition-notification; or From mailer-daemon@/postmaster@ with a subject that
//     reads like a delivery report; or return-path "<>" with no auto-reply sign (RFC 3834
//     asks auto-responders to send from the null sender too, so "<>" alone says little).
//  3. kAutoReply: auto-submitted other than "no"; x-autoreply or x-autorespond present
//     (not "no"/"false"/"0"); precedence auto_reply; a subject starting with "Out of Office",
//     "Automatic reply", "Auto-Reply", "自動返信", "自動応答", "자동 회신", "자동 응답",
//     "Trả lời tự động" (and a few more).
//  4. kBulk: precedence bulk, junk or list; list-id or list-unsubscribe present.
MailNoise ClassifyNoise(const InboundEmail& email, std::string_view own_loop_marker);

// The per-ticket reply address: "support+t123-<tag>@example.com" for mailbox
// "support@example.com", the local part's case kept.
// REQUIRES: mailbox_address is "local@domain" (one '@', both parts non-empty, no '"');
// 1 <= ticket_number <= kMaxMailTicketNumber; tag matches [a-z0-9]{1,16}.
std::string ReplyAddress(std::string_view mailbox_address, std::int64_t ticket_number, std::string_view tag);

struct ReplyTarget {
  std::int64_t ticket_number = 0;
  std::string tag;
};

// The ticket and tag in a reply address made by ReplyAddress for `mailbox_address`; nullopt
// for anything else: another local part (compared exactly) or domain (ASCII case-
// insensitive), no or extra '+' or '@', a number that is empty, has a leading zero, is 0 or
// above kMaxMailTicketNumber, a tag that is empty, longer than 16 or not [a-z0-9]. Spaces
// around `address` are ignored. The caller still checks the tag against the ticket.
std::optional<ReplyTarget> ParseReplyAddress(std::string_view address, std::string_view mailbox_address);

}  // namespace kizuna
