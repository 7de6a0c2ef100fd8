// How a typed prefix matches a suggestion's text, shared by the past queries and the index
// vocabulary of query suggestions (Engine::Suggest).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tailor::server::internal {

enum class PrefixMatch { kNone, kExact, kTypo };

// Typed prefixes shorter than this get no typo tolerance ("pa" would match too much).
inline constexpr size_t kMinTypoPrefixBytes = 4;

// kExact when text starts with prefix; else kTypo when prefix has at least
// kMinTypoPrefixBytes and is one edit (a byte inserted, deleted or replaced, or two
// neighbours swapped) from the start of text, "prak" against "parka"; else kNone.
PrefixMatch MatchPrefix(std::string_view prefix, std::string_view text);

// The first bytes a text one edit from prefix is looked for under, in a sorted dictionary:
// prefix's first byte and, for a swap or a stray first byte, its second. Typos in the first
// byte itself are not looked for. Empty for a prefix too short for typos.
std::vector<std::string> TypoStarts(std::string_view prefix);

}  // namespace tailor::server::internal
