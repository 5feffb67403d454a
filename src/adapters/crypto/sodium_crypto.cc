#include "adapters/crypto/sodium_crypto.h"

#include <sodium.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace kizuna::crypto {
namespace {

class SodiumCrypto final : public ports::Crypto {
 public:
  SodiumCrypto(PasswordCost cost, std::string seal_key) : key_(std::move(seal_key)) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    if (key_.size() != crypto_secretbox_KEYBYTES) {
      key_.assign(crypto_secretbox_KEYBYTES, '\0');
      randombytes_buf(key_.data(), key_.size());
    }
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

  // Sealed form: "s1:" + hex(nonce || secretbox(plaintext)).
  std::string Seal(std::string_view plaintext) override {
    std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
    auto* nonce = reinterpret_cast<unsigned char*>(box.data());
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plaintext.data()),
                          plaintext.size(), nonce, reinterpret_cast<const unsigned char*>(key_.data()));
    std::string hex(box.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), nonce, box.size());
    hex.pop_back();
    return "s1:" + hex;
  }

  Result<std::string> Open(std::string_view sealed) override {
    if (sealed.substr(0, 3) != "s1:") return Error::Invalid("secret", "not a sealed secret");
    sealed.remove_prefix(3);
    std::string box(sealed.size() / 2, '\0');
    std::size_t length = 0;
    if (sodium_hex2bin(reinterpret_cast<unsigned char*>(box.data()), box.size(), sealed.data(), sealed.size(), nullptr,
                       &length, nullptr) != 0 ||
        length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
      return Error::Invalid("secret", "a sealed secret is damaged");
    }
    const auto* nonce = reinterpret_cast<const unsigned char*>(box.data());
    std::string plain(length - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), nonce + crypto_secretbox_NONCEBYTES,
                                   length - crypto_secretbox_NONCEBYTES, nonce,
                                   reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
      return Error::Invalid("secret", "a sealed secret does not open with this server's key");
    }
    return plain;
  }

 private:
  std::string key_;
  unsigned long long ops_;
  std::size_t mem_;
};

}  // namespace

std::unique_ptr<ports::Crypto> MakeSodiumCrypto(PasswordCost cost, std::string seal_key) {
  return std::make_unique<SodiumCrypto>(cost, std::move(seal_key));
}

Result<std::string> LoadOrCreateKey(const std::string& path) {
  std::string key(crypto_secretbox_KEYBYTES, '\0');
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    if (sodium_init() < 0) return Error::Internal("libsodium failed to initialise");
    randombytes_buf(key.data(), key.size());
    std::string tmp = path + ".tmp";
    int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0) return Error::Unavailable("cannot create " + tmp + ": " + std::strerror(errno));
    bool written = ::write(out, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(out) == 0;
    ::close(out);
    if (!written || ::rename(tmp.c_str(), path.c_str()) != 0) {
      return Error::Unavailable("cannot write " + path + ": " + std::strerror(errno));
    }
    return key;
  }
  if (fd < 0) return Error::Unavailable("cannot read " + path + ": " + std::strerror(errno));
  ssize_t got = ::read(fd, key.data(), key.size());
  ::close(fd);
  if (got != static_cast<ssize_t>(key.size())) return Error::Invalid("secret_key", path + " is not a 32-byte key");
  return key;
}

}  // namespace kizuna::crypto
