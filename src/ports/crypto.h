// The crypto port: password hashing, token digests and random secrets.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace kizuna::ports {

class Crypto {
 public:
  virtual ~Crypto() = default;
  // argon2id encoded hash of a password. Slow on purpose (tens of ms, tens of MiB).
  virtual Result<std::string> HashPassword(std::string_view password) = 0;
  virtual bool VerifyPassword(std::string_view encoded_hash, std::string_view password) = 0;
  // Fast keyed-free digest of a long random secret (API tokens, session ids), hex.
  virtual std::string DigestToken(std::string_view token) = 0;
  // `bytes` random bytes, URL-safe base64 without padding.
  virtual std::string RandomToken(std::size_t bytes) = 0;
  // Constant-time comparison.
  virtual bool Equal(std::string_view a, std::string_view b) = 0;
  // Encrypts a secret kept in the database (a mailbox password) with the server's key;
  // Open gives it back, or Invalid when it was not sealed with this key.
  virtual std::string Seal(std::string_view plaintext) = 0;
  virtual Result<std::string> Open(std::string_view sealed) = 0;
};

}  // namespace kizuna::ports
