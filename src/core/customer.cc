#include "core/customer.h"

#include <array>

#include "core/text.h"

namespace kizuna {
namespace {

constexpr std::array<const char*, 9> kIdentityKinds{
    "email", "phone", "line", "messenger", "zalo", "kakaotalk", "sms", "external", "web"};

bool LooksLikeEmail(std::string_view value) {
  auto at = value.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= value.size()) return false;
  if (value.find('@', at + 1) != std::string_view::npos) return false;
  if (value.find('.', at) == std::string_view::npos) return false;
  for (unsigned char c : value) {
    if (c <= 0x20 || c == '<' || c == '>' || c == ',' || c == ';' || c == '"') return false;
  }
  return true;
}

}  // namespace

Result<Identity> NormaliseIdentity(std::string_view kind, std::string_view value) {
  bool known = false;
  for (const char* k : kIdentityKinds) known = known || kind == k;
  if (!known) {
    return Error::Invalid("identities", "identity kind must be one of email, phone, line, messenger, zalo, kakaotalk, sms, external, web");
  }
  auto text = CheckText("identities", value, TextRule{.max_code_points = 254});
  if (!text.ok()) return text.error();
  std::string v = std::move(text).value();
  if (kind == "email") {
    v = ToLowerAscii(v);
    if (!LooksLikeEmail(v)) return Error::Invalid("identities", "not a valid email address: " + v);
  } else if (kind == "phone" || kind == "sms") {
    std::string digits;
    for (std::size_t i = 0; i < v.size(); ++i) {
      char c = v[i];
      if (c >= '0' && c <= '9') digits.push_back(c);
      else if (c == '+' && digits.empty() && i == v.find_first_not_of(' ')) digits.push_back(c);
      else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.') continue;
      else return Error::Invalid("identities", "a phone number has only digits, spaces, dashes and a leading +");
    }
    std::size_t count = digits.size() - (digits.starts_with('+') ? 1 : 0);
    if (count < 5 || count > 15) return Error::Invalid("identities", "a phone number has 5 to 15 digits");
    v = digits;
  }
  return Identity{std::string(kind), std::move(v)};
}

}  // namespace kizuna
