// Crypto port over libsodium: argon2id passwords, BLAKE2b token digests.
#pragma once

#include <memory>

#include "ports/crypto.h"

namespace kizuna::crypto {

enum class PasswordCost {
  kInteractive,  // libsodium's interactive limits (~85 ms, 64 MiB here): production
  kMinimum,      // the smallest argon2id cost: only for tests and demo data
};

// REQUIRES: called once before threads use it (initialises libsodium).
std::unique_ptr<ports::Crypto> MakeSodiumCrypto(PasswordCost cost);

}  // namespace kizuna::crypto
