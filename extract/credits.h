// Credits: who wrote the article (Article::reporters) and everyone credited with a role
// (Article::contributors), DESIGN.md §4.
//
// One ordered table of named rules, each reading one kind of evidence the page analysis has
// already found (info region, bylines read while the body was assembled, the tail under the
// text, JSON-LD, <meta>, author elements, and last an author box under the text: a byline label
// above a name, or a name above a bio that opens with it); one cascade decides which evidence names
// the writers, records the winning rules as provenance and, with a trace, every candidate with why
// it won or lost. The vocabularies (labels, stop words) live in extract/rules.*.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "extract/content.h"
#include "extract/document.h"
#include "extract/metadata.h"
#include "extract/page.h"

namespace nh::extract {

// What parse() has analysed that credits read. References: the evidence outlives the call.
struct CreditEvidence {
  const Document& doc;
  const Metadata& md;
  const std::vector<Line>& lines;
  const std::vector<int>& info;  // lines of the info region (between headline and text)
  const std::vector<int>& tail;  // lines under the text
  // Bylines read while assembling the body, and the names of the rules that found them.
  const std::vector<Contributor>& body_people;
  const std::vector<std::string>& body_rules;
  std::string_view site;  // the site's name, "" when unknown: a site is never a writer
};

struct CreditsResult {
  std::vector<Contributor> contributors;  // in page order, no duplicates
  std::vector<std::string> reporters;     // the writers among them
  std::string rule;                       // provenance: the rules that contributed, "," joined
};

// Appends the people of `more` not already in `all` (same name and role).
void add_people(std::vector<Contributor>& all, const std::vector<Contributor>& more);

// Total: any evidence gives a (possibly empty) result.
CreditsResult find_credits(const CreditEvidence& ev, std::vector<Candidate>* trace);

// The people a declared author value names (JSON-LD `author`, <meta name=author>): "Jane Doe",
// "Jane Doe and John Roe, The Daily Post", "Grant Tinsley, PhD", "By Jane Doe". Values that
// are no person — a URL, an e-mail address, a user handle (`andrew.keaveney`), a CMS
// placeholder (`admin`), the site's own name, an outlet — give nothing.
std::vector<std::string> declared_author_names(std::string_view value, std::string_view site);

}  // namespace nh::extract
