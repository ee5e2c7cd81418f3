// Internal to newsharvest::store: the text the full-text index holds and the FTS5 query that
// finds it (docs/SCHEMA.md "articles_fts"). Exposed for tests and the CLI.
//
// The index is FTS5 with the built-in `ascii` tokenizer (schema 6; unicode61 in schema 5), so
// every SQLite client can query it; the segmentation Chinese needs, and the separation of
// tokens, is done before the text reaches the tokenizer. Both the
// indexed text and a query go through key(): extract::fold (NFKC, white space), simple case
// folding and Traditional -> Simplified Chinese (one character to one character, from ICU's
// Traditional-Simplified transliterator), so full-width, upper-case and Traditional input find
// the same articles as their normal forms.
//
// terms(text) = "<words> \n <tails>":
//   words  the text with every run of two or more CJK characters (Han, kana) replaced by its
//          overlapping bigrams ("乡村振兴" -> "乡村 村振 振兴"); other tokens (Latin words,
//          numbers: letters, digits, private use, as unicode61 would keep them) stay as they are;
//          everything else (punctuation, symbols, a lone CJK character) becomes a space, so the
//          index's `ascii` tokenizer only has to split at spaces.
//   tails  the last character of every CJK run (the one that starts no bigram), in order.
// Every CJK character of the text thus starts exactly one token, so a query of one character is
// the prefix query "县"* (matching every bigram it starts and the tails), two characters are one
// bigram, and three or more are the phrase of their bigrams — which matches exactly where the
// characters stand next to each other. (Schema 5 wrote every CJK character as a unigram where
// the tails are now: 2,100 tokens per 1,000 characters instead of ~1,150.)
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
// (AND); a part is a quoted phrase of its terms, except that a lone CJK character is a prefix
// query of its own ("县"*). "" when the query has nothing to search for.
std::string match_expression(std::string_view query);

// The same query as a PostgreSQL tsquery over to_tsvector('simple', terms): phrases become
// 'a' <-> 'b', a lone CJK character the prefix '县':*, parts joined by &. "" when nothing.
std::string tsquery_expression(std::string_view query);

// The needles a snippet highlights: each CJK run and each word of the query, in key form.
std::vector<std::u32string> needles(std::string_view query);

// Up to `width` characters of fold(text) around the first needle found, with every needle
// occurrence in it wrapped in open/close; "…" marks a cut. The start of the text when no needle
// occurs.
std::string snippet(std::string_view text, const std::vector<std::u32string>& needles,
                    std::size_t width = 80, std::string_view open = "[",
                    std::string_view close = "]");

}  // namespace nh::store::search
