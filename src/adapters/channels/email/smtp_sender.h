// SendMail: hands one message to an SMTP relay (the outbox worker's email transport).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kizuna::email {

struct SmtpRelay {
  std::string url;  // smtp://host:port (STARTTLS when offered) or smtps://host:port
  std::string username, password;  // empty: no AUTH
  // Limits connecting.
  int timeout_seconds = 30;
  // Limits each wait for a server reply and any stall while sending. RFC 5321 (4.5.3.2)
  // asks a client to wait up to 10 minutes for the reply to the end of DATA: a relay that
  // is slow to accept is then not sent the message a second time.
  int reply_timeout_seconds = 600;
  bool verify_tls = true;
  std::string helo_domain;  // EHLO name; empty: this machine's host name
};

// Sends `message` (a complete RFC 5322 message) to `recipients` with the envelope sender
// `envelope_from` (empty: the null sender "<>", for bounces and auto-replies). Line ends
// are normalised to CRLF before sending (a bare LF or CR becomes CRLF), so no line can
// hide an end-of-data marker; lines starting with "." are dot-stuffed by libcurl.
// All or nothing: one refused recipient aborts the transaction.
//
// Errors:
//  - kInvalidArgument, permanent, do not retry: field "url" for a bad relay URL;
//    "envelope_from" / "recipient" for an address with CR, LF, <, >, spaces or control
//    characters (checked before connecting, so no SMTP command can be injected); a 5xx
//    reply with the server's text, field "envelope_from" (MAIL FROM refused),
//    "recipient" (RCPT TO refused) or "message" (DATA refused).
//  - kUnavailable, retry later: cannot connect, timeout, connection lost, 4xx replies,
//    TLS failures. After a timeout the relay may still have accepted the message.
//  - kUnauthenticated: the relay refused the username and password.
// Thread-safe: every call uses its own connection.
Status SendMail(const SmtpRelay& relay, const std::string& envelope_from, const std::vector<std::string>& recipients,
                std::string_view message);

}  // namespace kizuna::email
