// Content fingerprints used by the store (internal to newsharvest::store, exposed for tests).
//
// - fnv1a64: change detection (articles.content_hash, raw_pages.content_hash). Not a security
//   hash: it only decides "did these bytes change", where a 2^-64 collision is acceptable.
// - simhash64: near-duplicate detection (转载, the same story reprinted under another URL).
//   Charikar's SimHash over character 4-gram shingles of the body with every non-letter,
//   non-digit code point removed, so punctuation, spacing and NFKC differences between
//   reprints do not matter. Two bodies are near-duplicates when their fingerprints differ in at
//   most kNearDuplicateBits bits (Manku et al., WWW 2007, found k=3 right for 64-bit
//   fingerprints of web pages).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace nh::store {

std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t seed = 0xcbf29ce484222325ULL);

inline constexpr int kNearDuplicateBits = 3;
// Bodies shorter than this many letters/digits get no fingerprint: short notices ("通知",
// one-line captions) share too many shingles to say anything about reprinting. 50 code
// points is about two sentences of Chinese.
inline constexpr int kMinFingerprintChars = 50;

// nullopt when the body is too short to fingerprint. The 64 bits are returned as a signed
// value because SQLite integers are signed; compare with hamming().
std::optional<std::int64_t> simhash64(std::string_view utf8_body);
int hamming(std::int64_t a, std::int64_t b);

// The four 16-bit bands of a fingerprint (band i = bits 16i..16i+15). With at most 3 differing
// bits, two near-duplicates agree on at least one band exactly (pigeonhole), which is how the
// store finds candidates through an index instead of scanning every article.
inline std::int64_t simhash_band(std::int64_t h, int i) {
  return static_cast<std::int64_t>((static_cast<std::uint64_t>(h) >> (16 * i)) & 0xFFFFu);
}

}  // namespace nh::store
