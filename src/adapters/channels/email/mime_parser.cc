// ParseEmail: GMime splits the MIME structure and undoes the transfer encodings; header
// values, parameters and charsets are read by header_fields.cc and charset.cc.
#include <gmime/gmime.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <new>

#include "adapters/channels/email/charset.h"
#include "adapters/channels/email/header_fields.h"
#include "adapters/channels/email/mime.h"
#include "adapters/channels/email/mime_content.h"
#include "adapters/channels/email/mime_guard.h"

#if defined(__SANITIZE_ADDRESS__)
#define KIZUNA_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KIZUNA_LSAN 1
#endif
#endif
#ifdef KIZUNA_LSAN
#include <sanitizer/lsan_interface.h>
#endif

namespace kizuna::email {
namespace {

using mime::AddWarning;
using mime::CleanBodyText;
using mime::GeneratedName;
using mime::IsToken;
using mime::MediaType;
using mime::SanitisedFileName;
using mime::FieldContext;
using mime::StructuredField;

// Headers kept in InboundEmail::headers: what decides loops, auto-replies, bounces and bulk.
constexpr std::string_view kKeptHeaders[] = {
    "auto-submitted", "precedence",         "x-autoreply", "x-autorespond",       "list-id",
    "list-unsubscribe", "list-post",        "return-path", "x-kizuna-ticket",     "x-kizuna-loop",
    "x-loop",         "x-failed-recipients", "x-auto-response-suppress",
};
constexpr std::size_t kMaxReferences = 100;

struct GObjectUnref {
  void operator()(gpointer object) const {
    if (object != nullptr) g_object_unref(object);
  }
};
template <typename T>
using GRef = std::unique_ptr<T, GObjectUnref>;

struct OptionsFree {
  void operator()(GMimeParserOptions* options) const { g_mime_parser_options_free(options); }
};

void InitGMime() {
  static std::once_flag once;
  std::call_once(once, [] {
#ifdef KIZUNA_LSAN
    // Re-registering a type drops GMime's entry for it without freeing it: 64 bytes, once.
    __lsan::ScopedDisabler not_a_leak;
#endif
    g_mime_init();
    // Attached messages stay leaves: their bytes are kept exactly as sent (an .eml
    // attachment), a base64-encoded message/rfc822 (Outlook sends them) is decoded like
    // any part, and GMime does not build, nor nest, the parts of every forwarded message.
    for (const char* subtype : {"rfc822", "news", "global", "partial", "external-body", "*"}) {
      g_mime_object_register_type("message", subtype, GMIME_TYPE_PART);
    }
  });
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void OnGMimeWarning(gint64 /*offset*/, GMimeParserWarning code, const gchar* item, gpointer user_data) {
  auto& warnings = *static_cast<std::vector<std::string>*>(user_data);
  std::string what = item != nullptr ? mime::OneLine(mime::Utf8Prefix(item, 60)) : std::string();
  switch (code) {
    case GMIME_WARN_INVALID_CONTENT_TYPE:
      AddWarning(warnings, what.empty() ? "invalid Content-Type" : "invalid Content-Type: " + what);
      break;
    case GMIME_WARN_MALFORMED_MULTIPART:
      AddWarning(warnings, "malformed multipart");
      break;
    case GMIME_WARN_TRUNCATED_MESSAGE:
      AddWarning(warnings, "truncated message: a closing boundary is missing");
      break;
    case GMIME_WARN_MALFORMED_MESSAGE:
      AddWarning(warnings, "malformed message");
      break;
    case GMIME_CRIT_INVALID_HEADER_NAME:
      AddWarning(warnings, "invalid header name");
      break;
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
      AddWarning(warnings, "multipart without a boundary parameter");
      break;
    case GMIME_CRIT_NESTING_OVERFLOW:
      AddWarning(warnings, "MIME parts nested too deeply");
      break;
    default:
      break;  // duplicated headers, 8-bit headers, encoded-words and addresses: checked here
  }
}

struct RawField {
  std::string name;   // lower-case
  std::string value;  // unfolded, not decoded
};

std::vector<RawField> Fields(GMimeObject* object) {
  std::vector<RawField> fields;
  GMimeHeaderList* list = g_mime_object_get_header_list(object);
  if (list == nullptr) return fields;
  int count = g_mime_header_list_get_count(list);
  fields.reserve(static_cast<std::size_t>(std::max(count, 0)));
  for (int idx = 0; idx < count; ++idx) {
    GMimeHeader* header = g_mime_header_list_get_header_at(list, idx);
    const char* name = header != nullptr ? g_mime_header_get_name(header) : nullptr;
    if (name == nullptr) continue;
    const char* raw = g_mime_header_get_raw_value(header);
    fields.push_back(RawField{Lower(name), mime::Unfold(raw != nullptr ? raw : "")});
  }
  return fields;
}

const RawField* First(const std::vector<RawField>& fields, std::string_view name) {
  for (const RawField& field : fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

std::size_t Count(const std::vector<RawField>& fields, std::string_view name) {
  return static_cast<std::size_t>(
      std::count_if(fields.begin(), fields.end(), [&](const RawField& field) { return field.name == name; }));
}

std::string BytesOf(GByteArray* array) {
  if (array == nullptr || array->len == 0) return {};
  return std::string(reinterpret_cast<const char*>(array->data), array->len);
}

// The part's content with its transfer encoding undone.
std::string DecodedContent(GMimePart* part) {
  GMimeDataWrapper* wrapper = g_mime_part_get_content(part);
  if (wrapper == nullptr) return {};
  GRef<GMimeStream> stream(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(wrapper, stream.get());
  return BytesOf(g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get())));
}

std::string Serialised(GMimeObject* object) {
  GRef<GMimeStream> stream(g_mime_stream_mem_new());
  g_mime_object_write_to_stream(object, nullptr, stream.get());
  return BytesOf(g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get())));
}

struct Body {
  std::vector<std::string> plain;
  std::vector<std::string> html;
};

class MimeWalker {
 public:
  MimeWalker(const MimeLimits& limits, InboundEmail& email, GMimeParserOptions* options, std::string charset_hint)
      : limits_(limits), email_(email), options_(options), charset_hint_(std::move(charset_hint)) {}

  void Walk(GMimeObject* object, int depth, Body& body) {
    if (depth > limits_.max_depth) {
      AddWarning(email_.warnings, "MIME parts nested deeper than " + std::to_string(limits_.max_depth) +
                                      " levels were dropped");
      return;
    }
    if (++parts_ > limits_.max_parts) {
      AddWarning(email_.warnings, "more than " + std::to_string(limits_.max_parts) +
                                      " MIME parts: the rest were dropped");
      return;
    }
    if (GMIME_IS_MULTIPART(object)) {
      WalkMultipart(GMIME_MULTIPART(object), depth, body);
    } else if (GMIME_IS_MESSAGE_PART(object)) {
      AddAttachedMessage(GMIME_MESSAGE_PART(object));
    } else if (GMIME_IS_PART(object)) {
      WalkLeaf(GMIME_PART(object), body);
    }
  }

 private:
  FieldContext Context(std::string_view where) { return FieldContext{email_.warnings, charset_hint_, where}; }

  void WalkMultipart(GMimeMultipart* multipart, int depth, Body& body) {
    int count = g_mime_multipart_get_count(multipart);
    if (count <= 0) {
      Recover(multipart, depth, body);
      return;
    }
    GMimeContentType* type = g_mime_object_get_content_type(GMIME_OBJECT(multipart));
    const char* subtype = type != nullptr ? g_mime_content_type_get_media_subtype(type) : nullptr;
    if (subtype == nullptr || Lower(subtype) != "alternative") {
      for (int idx = 0; idx < count; ++idx) Walk(g_mime_multipart_get_part(multipart, idx), depth + 1, body);
      return;
    }
    // Alternatives come in rising order of preference: the first plain text is the text,
    // the last HTML the HTML.
    Body chosen;
    for (int idx = 0; idx < count; ++idx) {
      Body alternative;
      Walk(g_mime_multipart_get_part(multipart, idx), depth + 1, alternative);
      if (chosen.plain.empty()) chosen.plain = std::move(alternative.plain);
      if (!alternative.html.empty()) chosen.html = std::move(alternative.html);
    }
    for (auto& text : chosen.plain) body.plain.push_back(std::move(text));
    for (auto& html : chosen.html) body.html.push_back(std::move(html));
  }

  // GMime keeps a multipart's content as its prologue when no line matched its boundary
  // (the parameter is missing or misspelt). Try the delimiter the content itself uses.
  void Recover(GMimeMultipart* multipart, int depth, Body& body) {
    const char* prologue_text = g_mime_multipart_get_prologue(multipart);
    std::string content = prologue_text != nullptr ? prologue_text : "";
    if (!recovering_) {
      if (auto boundary = mime::GuessBoundary(content)) {
        GMimeContentType* type = g_mime_object_get_content_type(GMIME_OBJECT(multipart));
        const char* subtype = type != nullptr ? g_mime_content_type_get_media_subtype(type) : nullptr;
        std::string rebuilt = "Content-Type: multipart/" + (subtype != nullptr && IsToken(subtype) ? Lower(subtype)
                                                                                                  : "mixed") +
                              "; boundary=\"" + *boundary + "\"\r\n\r\n" + content;
        if (auto guarded = mime::GuardMessage(rebuilt, limits_.max_parts, email_.warnings)) rebuilt = *guarded;
        GRef<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(rebuilt.data(), rebuilt.size()));
        GRef<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
        GRef<GMimeObject> part(g_mime_parser_construct_part(parser.get(), options_));
        if (part && GMIME_IS_MULTIPART(part.get()) && g_mime_multipart_get_count(GMIME_MULTIPART(part.get())) > 0) {
          // Not g_mime_multipart_get_boundary: it makes one up when there is none.
          std::vector<RawField> own_fields = Fields(GMIME_OBJECT(multipart));
          const RawField* declared_type = First(own_fields, "content-type");
          bool declared =
              declared_type != nullptr && !mime::RawParamValues(declared_type->value, "boundary").empty();
          AddWarning(email_.warnings, std::string(declared ? "multipart boundary matched no part"
                                                           : "multipart without a boundary parameter") +
                                          ": used '" + *boundary + "' found in its content");
          recovering_ = true;
          WalkMultipart(GMIME_MULTIPART(part.get()), depth, body);
          recovering_ = false;
          return;
        }
      }
    }
    std::string text = CleanBodyText(mime::DecodeToUtf8(content, {}, "body", email_.warnings, charset_hint_),
                                     email_.warnings);
    if (text.empty()) return;
    AddWarning(email_.warnings, "multipart without parts: its content was kept as text");
    body.plain.push_back(std::move(text));
  }

  void WalkLeaf(GMimePart* part, Body& body) {
    std::vector<RawField> fields = Fields(GMIME_OBJECT(part));
    FieldContext context = Context("a MIME header");
    const RawField* type_field = First(fields, "content-type");
    StructuredField content_type =
        type_field != nullptr ? mime::ParseStructured(type_field->value, context) : StructuredField{"text/plain", {}};
    const RawField* disposition_field = First(fields, "content-disposition");
    StructuredField disposition =
        disposition_field != nullptr ? mime::ParseStructured(disposition_field->value, context) : StructuredField{};
    std::string name = SanitisedFileName(
        disposition.Param("filename").value_or(content_type.Param("name").value_or(std::string())));
    std::string type = MediaType(content_type.value);
    if (type.empty()) {
      if (type_field != nullptr) AddWarning(email_.warnings, "invalid Content-Type: " + content_type.value);
      type = name.empty() ? "text/plain" : "application/octet-stream";
    }
    if (type.starts_with("multipart/")) {
      // GMime read this part's Content-Type differently and saw no multipart in it.
      AddWarning(email_.warnings, "a part labelled " + type + " was kept as a file");
      type = "application/octet-stream";
    }
    if (type.starts_with("message/")) {
      AddMessageAttachment(fields, type, name, DecodedContent(part));
      return;
    }
    bool text_type = type == "text/plain" || type == "text/html";
    if (text_type && disposition.value != "attachment" && name.empty()) {
      std::string charset = content_type.Param("charset").value_or(std::string());
      bool html = type == "text/html";
      std::string text = mime::DecodeToUtf8(DecodedContent(part), charset, html ? "HTML body" : "body",
                                            email_.warnings, charset_hint_);
      if (html) {
        body.html.push_back(std::move(text));
        return;
      }
      if (Lower(content_type.Param("format").value_or("")) == "flowed") {
        std::string normalised = CleanBodyText(text, email_.warnings);
        text = mime::Unflow(normalised, Lower(content_type.Param("delsp").value_or("")) == "yes");
      }
      body.plain.push_back(CleanBodyText(text, email_.warnings));
      return;
    }
    MailPart attachment;
    attachment.content_type = type;
    attachment.content_id = ContentId(fields);
    attachment.is_inline =
        disposition.value == "inline" || (disposition.value.empty() && !attachment.content_id.empty());
    attachment.data = DecodedContent(part);
    attachment.name = name.empty() ? GeneratedName(email_.attachments.size() + 1, type) : name;
    email_.attachments.push_back(std::move(attachment));
  }

  // A message part GMime built anyway: kept as its serialised bytes.
  void AddAttachedMessage(GMimeMessagePart* part) {
    GMimeMessage* message = g_mime_message_part_get_message(part);
    std::string data = message != nullptr ? Serialised(GMIME_OBJECT(message)) : std::string();
    AddMessageAttachment(Fields(GMIME_OBJECT(part)), "message/rfc822", {}, std::move(data));
  }

  // A forwarded message (message/rfc822) is kept whole as a .eml named after its subject;
  // its text is not the text of the message that carries it.
  void AddMessageAttachment(const std::vector<RawField>& fields, const std::string& type, std::string name,
                            std::string data) {
    if (name.empty() && (type == "message/rfc822" || type == "message/global")) {
      std::string title = EmbeddedSubject(data);
      for (char& c : title) {
        if (std::string_view("/\\:*?\"<>|").find(c) != std::string_view::npos) c = '_';
      }
      title = std::string(mime::Utf8Prefix(title, 200));
      name = SanitisedFileName(title.empty() ? "forwarded-message.eml" : title + ".eml");
    }
    MailPart attachment;
    attachment.content_type = type;
    attachment.content_id = ContentId(fields);
    attachment.is_inline = false;
    attachment.data = std::move(data);
    attachment.name = name.empty() ? GeneratedName(email_.attachments.size() + 1, type) : std::move(name);
    email_.attachments.push_back(std::move(attachment));
  }

  // The decoded Subject in the header block of an attached message.
  std::string EmbeddedSubject(std::string_view message) {
    std::string subject;
    bool in_subject = false;
    std::size_t pos = 0;
    for (int lines = 0; pos < message.size() && lines < 1000; ++lines) {
      std::size_t newline = message.find('\n', pos);
      std::size_t end = newline == std::string_view::npos ? message.size() : newline;
      std::string_view line = message.substr(pos, end - pos);
      pos = end + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) break;
      if (line.front() == ' ' || line.front() == '\t') {
        if (in_subject && subject.size() < 4096) subject += line;
        continue;
      }
      if (!subject.empty()) break;
      in_subject = line.size() > 8 && Lower(line.substr(0, 8)) == "subject:";
      if (in_subject) subject = line.substr(8);
    }
    return mime::DecodeText(mime::Unfold(subject), Context("forwarded subject"));
  }

  static std::string ContentId(const std::vector<RawField>& fields) {
    const RawField* field = First(fields, "content-id");
    if (field == nullptr) return {};
    std::vector<std::string> ids = mime::ParseMessageIds(field->value);
    if (!ids.empty()) return ids.front();
    std::string bare = mime::OneLine(field->value);
    bare.erase(std::remove_if(bare.begin(), bare.end(), [](char c) { return c == ' ' || c == '<' || c == '>'; }),
               bare.end());
    return std::string(mime::Utf8Prefix(bare, 998));
  }

  const MimeLimits& limits_;
  InboundEmail& email_;
  GMimeParserOptions* options_;
  std::string charset_hint_;
  int parts_ = 0;
  bool recovering_ = false;
};

// The charset the sender's client used for text, to read raw 8-bit headers with.
std::string CharsetHint(GMimeObject* object) {
  for (int depth = 0; object != nullptr && depth < 8; ++depth) {
    std::vector<RawField> fields = Fields(object);
    if (const RawField* type = First(fields, "content-type")) {
      auto charsets = mime::RawParamValues(type->value, "charset");
      if (!charsets.empty()) return charsets.front();
    }
    if (!GMIME_IS_MULTIPART(object) || g_mime_multipart_get_count(GMIME_MULTIPART(object)) <= 0) break;
    object = g_mime_multipart_get_part(GMIME_MULTIPART(object), 0);
  }
  return {};
}

std::optional<Timestamp> ParseDate(std::string_view value, std::vector<std::string>& warnings) {
  std::string text = mime::OneLine(value);
  GDateTime* date = g_mime_utils_header_decode_date(text.c_str());
  if (date == nullptr) {
    AddWarning(warnings, "unreadable Date header: " + std::string(mime::Utf8Prefix(text, 60)));
    return std::nullopt;
  }
  Timestamp ms = static_cast<Timestamp>(g_date_time_to_unix(date)) * 1000 + g_date_time_get_microsecond(date) / 1000;
  g_date_time_unref(date);
  return ms;
}

void ReadHeaders(const std::vector<RawField>& fields, const std::vector<RawField>& content_fields,
                 const std::string& hint, InboundEmail& email) {
  auto context = [&](std::string_view where) { return FieldContext{email.warnings, hint, where}; };
  struct Single {
    std::string_view name;
    std::string_view shown;
  };
  static constexpr Single kSingles[] = {{"subject", "Subject"}, {"from", "From"}, {"message-id", "Message-ID"},
                                        {"date", "Date"}, {"in-reply-to", "In-Reply-To"},
                                        {"references", "References"}, {"reply-to", "Reply-To"}};
  for (const Single& single : kSingles) {
    if (Count(fields, single.name) > 1) {
      AddWarning(email.warnings, "duplicated " + std::string(single.shown) + " header: the first was used");
    }
  }
  if (const RawField* subject = First(fields, "subject")) email.subject = mime::DecodeText(subject->value, context("subject"));
  if (const RawField* from = First(fields, "from")) {
    auto addresses = mime::ParseAddressList(from->value, context("from"));
    if (!addresses.empty()) email.from = std::move(addresses.front());
  }
  if (email.from.address.empty()) {
    for (std::string_view fallback : {"sender", "return-path"}) {
      const RawField* field = First(fields, fallback);
      if (field == nullptr) continue;
      auto addresses = mime::ParseAddressList(field->value, context(fallback));
      if (addresses.empty()) continue;
      email.from = std::move(addresses.front());
      AddWarning(email.warnings, "no From address: used " + std::string(fallback));
      break;
    }
    if (email.from.address.empty()) AddWarning(email.warnings, "no From address");
  }
  for (const RawField& field : fields) {
    if (field.name == "to" || field.name == "cc") {
      auto addresses = mime::ParseAddressList(field.value, context(field.name));
      auto& list = field.name == "to" ? email.to : email.cc;
      for (auto& address : addresses) list.push_back(std::move(address));
    }
  }
  if (const RawField* reply_to = First(fields, "reply-to")) {
    auto addresses = mime::ParseAddressList(reply_to->value, context("reply-to"));
    if (!addresses.empty()) email.reply_to = std::move(addresses.front());
  }
  if (const RawField* id = First(fields, "message-id")) {
    auto ids = mime::ParseMessageIds(id->value);
    if (!ids.empty()) email.message_id = std::move(ids.front());
  }
  if (email.message_id.empty()) AddWarning(email.warnings, "no Message-ID");
  if (const RawField* in_reply_to = First(fields, "in-reply-to")) {
    auto ids = mime::ParseMessageIds(in_reply_to->value);
    if (!ids.empty()) email.in_reply_to = std::move(ids.front());
  }
  if (const RawField* references = First(fields, "references")) {
    email.references = mime::ParseMessageIds(references->value);
    if (email.references.size() > kMaxReferences) {
      // The root and the most recent ones are what threading needs.
      std::vector<std::string> kept{email.references.front()};
      kept.insert(kept.end(), email.references.end() - static_cast<long>(kMaxReferences - 1), email.references.end());
      email.references = std::move(kept);
      AddWarning(email.warnings, "more than " + std::to_string(kMaxReferences) + " References: the middle ones dropped");
    }
  }
  if (const RawField* date = First(fields, "date")) {
    email.date = ParseDate(date->value, email.warnings);
  } else {
    AddWarning(email.warnings, "no Date header");
  }
  for (const RawField& field : fields) {
    if (std::find(std::begin(kKeptHeaders), std::end(kKeptHeaders), field.name) == std::end(kKeptHeaders)) continue;
    email.headers.emplace_back(field.name, mime::DecodeText(field.value, context(field.name)));
  }
  if (const RawField* type = First(content_fields, "content-type")) {
    email.headers.emplace_back("content-type", std::string(mime::Utf8Prefix(mime::OneLine(type->value), 998)));
  }
}

Result<InboundEmail> Parse(std::string_view raw, const MimeLimits& limits) {
  if (raw.empty()) return Error::Invalid("message", "the message is empty");
  if (static_cast<std::int64_t>(raw.size()) > limits.max_bytes) {
    return Error{ErrorCode::kPayloadTooLarge,
                 "the message is " + std::to_string(raw.size()) + " bytes, over the limit of " +
                     std::to_string(limits.max_bytes),
                 "message"};
  }
  std::optional<std::size_t> start = mime::HeaderBlockStart(raw);
  if (!start) return Error::Invalid("message", "not an email: the bytes do not start with a header block");
  InboundEmail email;
  email.raw_size = static_cast<std::int64_t>(raw.size());
  std::string_view input = raw.substr(*start);
  std::optional<std::string> guarded = mime::GuardMessage(input, limits.max_parts, email.warnings);
  if (guarded) input = *guarded;

  InitGMime();
  std::unique_ptr<GMimeParserOptions, OptionsFree> options(g_mime_parser_options_new());
  g_mime_parser_options_set_warning_callback(options.get(), OnGMimeWarning, &email.warnings);
  GRef<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(input.data(), input.size()));
  GRef<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  GRef<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));
  if (!message) return Error::Invalid("message", "not an email: no message could be read");

  GMimeObject* root = g_mime_message_get_mime_part(message.get());
  std::string hint = root != nullptr ? CharsetHint(root) : std::string();
  std::vector<RawField> content_fields = root != nullptr ? Fields(root) : std::vector<RawField>{};
  ReadHeaders(Fields(GMIME_OBJECT(message.get())), content_fields, hint, email);

  Body body;
  if (root != nullptr) MimeWalker(limits, email, options.get(), hint).Walk(root, 0, body);
  for (const std::string& text : body.plain) {
    if (text.empty()) continue;
    if (!email.text.empty()) email.text += "\n\n";
    email.text += text;
  }
  std::string html;
  for (const std::string& part : body.html) html += part;
  if (!html.empty()) {
    if (html.size() > kHtmlMaxBytes) {
      AddWarning(email.warnings, "HTML body over " + std::to_string(kHtmlMaxBytes >> 20) + " MiB: the rest ignored");
    }
    email.html = SanitiseHtml(html);
    if (email.text.empty()) email.text = CleanBodyText(HtmlToText(html), email.warnings);
  }
  return email;
}

}  // namespace

Result<InboundEmail> ParseEmail(std::string_view raw, const MimeLimits& limits) {
  try {
    return Parse(raw, limits);
  } catch (const std::bad_alloc&) {
    return Error::Internal("not enough memory to parse the message");
  } catch (const std::exception& error) {
    return Error::Internal(std::string("could not parse the message: ") + error.what());
  }
}

}  // namespace kizuna::email
