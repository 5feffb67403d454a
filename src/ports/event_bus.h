// The event bus port: committed events reach live subscribers (WebSocket streams).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/event.h"

namespace kizuna::ports {

// In-process fan-out by workspace. Subscribers' callbacks run on the publishing
// thread and must not block (they queue and return).
class EventBus {
 public:
  using Callback = std::function<void(const Event&)>;

  // Subscribing to kEveryWorkspace receives the events of all workspaces (the search indexer).
  static constexpr WorkspaceId kEveryWorkspace = 0;
  // Returns a handle for Unsubscribe. Thread-safe.
  std::uint64_t Subscribe(WorkspaceId ws, Callback callback);
  void Unsubscribe(std::uint64_t handle);
  // Delivers each event to the subscribers of its workspace only. Thread-safe.
  void Publish(const std::vector<Event>& events);
  std::size_t SubscriberCount() const;

 private:
  struct Subscriber {
    WorkspaceId workspace_id;
    std::shared_ptr<Callback> callback;
  };
  mutable std::mutex mutex_;
  std::uint64_t next_handle_ = 1;
  std::unordered_map<std::uint64_t, Subscriber> subscribers_;
};

}  // namespace kizuna::ports
