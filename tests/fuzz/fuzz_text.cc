// Fuzzes the text rules applied at the edge: UTF-8, identities, tags, timestamps, queries.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "api/http.h"
#include "core/customer.h"
#include "core/text.h"
#include "core/ticket.h"
#include "core/time.h"
#include "engines/sla.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  using namespace kizuna;
  bool valid = IsValidUtf8(text);
  auto checked = CheckText("f", text, TextRule{.max_code_points = 100, .allow_newlines = true});
  // Whatever CheckText accepts is valid UTF-8 within the limit.
  if (checked.ok() && (!valid || CodePointCount(*checked) > 100)) std::abort();
  for (const char* kind : {"email", "phone", "line"}) {
    auto identity = NormaliseIdentity(kind, text);
    if (identity.ok() && !IsValidUtf8(identity->value)) std::abort();
  }
  auto tags = NormaliseTags({text, text});
  if (tags.ok() && tags->size() > 1) std::abort();
  if (auto ts = ParseTimestamp(text)) {
    // A parsed instant formats and parses back to itself.
    if (ParseTimestamp(FormatTimestamp(*ts)) != ts) std::abort();
  }
  if (auto history = DecodeSlaHistory(text); history.ok()) {
    // A history read from text writes back to text that reads as the same history.
    auto again = DecodeSlaHistory(EncodeSlaHistory(*history));
    if (!again.ok() || *again != *history) std::abort();
  }
  (void)api::ParseQuery(text);
  (void)api::PercentDecode(text, true);
  api::HttpRequest request;
  request.headers["cookie"] = text;
  (void)request.Cookie("kizuna_session");
  return 0;
}
