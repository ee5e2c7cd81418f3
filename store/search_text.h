// Internal to newsharvest::store: the text the full-text index holds and the FTS5 query that
// finds it (docs/SCHEMA.md "articles_fts"). Exposed for tests and the CLI.
//
// The index is FTS5 with the built-in unicode61 tokenizer, so every SQLite client can query it;
// the segmentation Chinese needs is done before the text reaches the tokenizer. Both the
// indexed text and a query go through key(): extract::fold (NFKC, white space), simple case
// folding and Traditional -> Simplified Chinese (one character to one character, from ICU's
// Traditional-Simplified transliterator), so full-width, upper-case and Traditional input find
// the same articles as their normal forms.
//
// terms(text) = "<words> \n <chars>":
//   words  the text with every run of two or more CJK characters (Han, kana) replaced by its
//          overlapping bigrams ("乡村振兴" -> "乡村 村振 振兴"); other text (Latin words, digits,
//          punctuation) is left for unicode61 to split; a lone CJK character becomes a space.
//   chars  every CJK character of the text, one token each, in order.
// So a query of one CJK character is that character (found in chars), two characters are one
// bigram, and three or more are the phrase of their bigrams — which matches exactly where the
// characters stand next to each other.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nh::store::search {

// The comparison form of text: fold() + case folding + Traditional -> Simplified. One code
// point of fold(text) gives one code point of key (so positions line up for snippets).
std::u32string key(std::string_view utf8);

// The index text of a title or body (see above). "" for empty input.
std::string terms(std::string_view utf8);

// The FTS5 MATCH expression for a user's query: every white-space separated part must match
// (AND); a part is a quoted phrase of its terms, except that a lone CJK character is a term of
// its own. "" when the query has nothing to search for.
std::string match_expression(std::string_view query);

// The needles a snippet highlights: each CJK run and each word of the query, in key form.
std::vector<std::u32string> needles(std::string_view query);

// Up to `width` characters of fold(text) around the first needle found, with every needle
// occurrence in it wrapped in open/close; "…" marks a cut. The start of the text when no needle
// occurs.
std::string snippet(std::string_view text, const std::vector<std::u32string>& needles,
                    std::size_t width = 80, std::string_view open = "[",
                    std::string_view close = "]");

}  // namespace nh::store::search
