// Crypto port over libsodium: argon2id passwords, BLAKE2b token digests.
#pragma once

#include <memory>

#include "ports/crypto.h"

namespace kizuna::crypto {

enum class PasswordCost {
  kInteractive,  // libsodium's interactive limits (~85 ms, 64 MiB here): production
  kMinimum,      // the smallest argon2id cost: only for tests and demo data
};

// The key Seal/Open use: 32 bytes. Empty: a random key that lives as long as the process.
// REQUIRES: called once before threads use it (initialises libsodium).
std::unique_ptr<ports::Crypto> MakeSodiumCrypto(PasswordCost cost, std::string seal_key = {});

// Reads the server's secret key from `path`, creating it (32 random bytes, mode 0600)
// when it does not exist.
Result<std::string> LoadOrCreateKey(const std::string& path);

}  // namespace kizuna::crypto
