// The community's spam check (C22): whether a customer's new topic or post is held for a
// moderator (status pending) instead of shown at once, and why. Pure: the caller gives the
// text and what it knows of the author.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kizuna {

struct SpamInput {
  std::string_view title;  // a topic's title; empty for a post
  std::string_view body;   // what the customer wrote (Markdown)
  // Visible topics and posts the customer wrote before: 0 is a new user.
  std::int64_t earlier_visible_posts = 0;
  // The body of the customer's previous topic or post, if any.
  std::optional<std::string_view> previous_body;
};

// Reason codes, stable (the API and the web app show them; translated by the web app):
//   duplicate            the same body as the author's previous topic or post
//   banned_words         a word of the banned list (en, ja, ko, vi: gambling, loans, ...)
//   links_new_user       a new user's text holds a link
//   too_many_links       5 links or more
//   repeated_characters  the same letter, digit or symbol 10 times or more in a row
//   repeated_words       the same word 4 times or more in a row, or over half of 12+ words
//   shouting             mostly capital letters (80% of at least 20 Latin letters)
// Customers with an earlier visible post (established users) are only checked for
// duplicate and banned_words.
struct SpamVerdict {
  bool hold = false;
  std::string reason;  // a code above; empty when not held
};

SpamVerdict CheckSpam(const SpamInput& input);

// How many links (http://, https://, www.) the text holds.
int CountLinks(std::string_view text);

}  // namespace kizuna
