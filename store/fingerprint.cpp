#include "store/fingerprint.h"

#include <array>
#include <bit>
#include <vector>

namespace nh::store {

std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t seed) {
  std::uint64_t h = seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

namespace {

// Decodes one UTF-8 sequence; invalid bytes come back as U+FFFD one byte at a time, so any
// input is accepted.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  int len = b0 < 0x80 ? 1 : (b0 >> 5) == 6 ? 2 : (b0 >> 4) == 14 ? 3 : (b0 >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += static_cast<std::size_t>(len);
  return cp;
}

// Letters and digits survive normalisation; everything else (ASCII and CJK punctuation,
// spaces, symbols) is dropped. A coarse test is enough here: it only has to be the same for
// both copies of a reprint.
bool keep(char32_t c) {
  if (c >= '0' && c <= '9') return true;
  if (c >= 'a' && c <= 'z') return true;
  if (c >= 'A' && c <= 'Z') return true;
  if (c < 0x80) return false;
  if (c >= 0x2000 && c <= 0x206F) return false;  // general punctuation (“”‘’—…)
  if (c >= 0x3000 && c <= 0x303F) return false;  // CJK symbols and punctuation (。、《》)
  if (c >= 0xFF00 && c <= 0xFF0F) return false;  // full-width punctuation
  if (c >= 0xFF1A && c <= 0xFF20) return false;
  if (c == 0xFFFD || c == 0xFEFF || c == 0x00A0) return false;
  return true;
}

char32_t fold(char32_t c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser: spreads FNV's weak low bits
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

}  // namespace

std::optional<std::int64_t> simhash64(std::string_view body) {
  std::vector<char32_t> cps;
  cps.reserve(body.size() / 2);
  for (std::size_t i = 0; i < body.size();) {
    const char32_t c = next_code_point(body, i);
    if (keep(c)) cps.push_back(fold(c));
  }
  if (cps.size() < static_cast<std::size_t>(kMinFingerprintChars)) return std::nullopt;
  constexpr std::size_t kShingle = 4;
  // Votes are counted in SWAR form: lanes[j] holds 8 byte-wide counters, one for each bit
  // 8k+j of the shingle hashes, so a shingle costs 8 adds instead of 64. Byte counters are
  // flushed into `ones` before they can overflow (every 255 shingles). This is the hot loop of
  // the upsert path (a 1000-character body has ~1000 shingles).
  std::array<std::uint64_t, 8> lanes{};
  std::array<std::int64_t, 64> ones{};
  std::int64_t shingles = 0;
  int pending = 0;
  auto flush = [&] {
    for (int j = 0; j < 8; ++j) {
      for (int k = 0; k < 8; ++k)
        ones[static_cast<std::size_t>(8 * k + j)] +=
            static_cast<std::int64_t>((lanes[static_cast<std::size_t>(j)] >> (8 * k)) & 0xFF);
      lanes[static_cast<std::size_t>(j)] = 0;
    }
    pending = 0;
  };
  for (std::size_t i = 0; i + kShingle <= cps.size(); ++i) {
    std::uint64_t h = 0;
    for (std::size_t k = 0; k < kShingle; ++k)
      h = (h ^ static_cast<std::uint64_t>(cps[i + k])) * 0x100000001b3ULL + 0x9E3779B97F4A7C15ULL;
    h = mix(h);
    constexpr std::uint64_t kLow = 0x0101010101010101ULL;
    lanes[0] += h & kLow;
    lanes[1] += (h >> 1) & kLow;
    lanes[2] += (h >> 2) & kLow;
    lanes[3] += (h >> 3) & kLow;
    lanes[4] += (h >> 4) & kLow;
    lanes[5] += (h >> 5) & kLow;
    lanes[6] += (h >> 6) & kLow;
    lanes[7] += (h >> 7) & kLow;
    ++shingles;
    if (++pending == 255) flush();
  }
  flush();
  std::uint64_t out = 0;
  for (int bit = 0; bit < 64; ++bit)
    if (2 * ones[static_cast<std::size_t>(bit)] > shingles) out |= (std::uint64_t{1} << bit);
  return static_cast<std::int64_t>(out);
}

int hamming(std::int64_t a, std::int64_t b) {
  return std::popcount(static_cast<std::uint64_t>(a) ^ static_cast<std::uint64_t>(b));
}

}  // namespace nh::store
