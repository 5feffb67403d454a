// The deliverer port: sends one outbox job of its kind (email, webhook, SMS…) to the outside.
#pragma once

#include <string>

#include "core/result.h"
#include "ports/store.h"

namespace kizuna::ports {

class Deliverer {
 public:
  virtual ~Deliverer() = default;
  // The outbox kind this deliverer sends ("email", "reply", …).
  virtual std::string kind() const = 0;
  // Sends the job. Unavailable, Internal or RateLimited: try again later. Any other
  // error: the job can never be delivered (bad address, rejected content).
  // May block (network); called from the outbox worker's threads, several at once, never a writer.
  virtual Status Deliver(const OutboxJob& job) = 0;
};

}  // namespace kizuna::ports
