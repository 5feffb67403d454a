#include "adapters/crypto/sodium_crypto.h"

#include <sodium.h>

#include <stdexcept>
#include <string>

namespace kizuna::crypto {
namespace {

class SodiumCrypto final : public ports::Crypto {
 public:
  explicit SodiumCrypto(PasswordCost cost) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    if (cost == PasswordCost::kInteractive) {
      ops_ = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      mem_ = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    } else {
      ops_ = crypto_pwhash_OPSLIMIT_MIN;
      mem_ = crypto_pwhash_MEMLIMIT_MIN;
    }
  }

  Result<std::string> HashPassword(std::string_view password) override {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops_, mem_, crypto_pwhash_ALG_ARGON2ID13) != 0) {
      return Error::Unavailable("out of memory while hashing a password");
    }
    return std::string(out);
  }

  bool VerifyPassword(std::string_view encoded_hash, std::string_view password) override {
    if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
    std::string hash(encoded_hash);
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  }

  std::string DigestToken(std::string_view token) override {
    unsigned char digest[32];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                       nullptr, 0);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return std::string(hex, 64);
  }

  std::string RandomToken(std::size_t bytes) override {
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
  }

  bool Equal(std::string_view a, std::string_view b) override {
    if (a.size() != b.size()) return false;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
  }

 private:
  unsigned long long ops_;
  std::size_t mem_;
};

}  // namespace

std::unique_ptr<ports::Crypto> MakeSodiumCrypto(PasswordCost cost) { return std::make_unique<SodiumCrypto>(cost); }

}  // namespace kizuna::crypto
