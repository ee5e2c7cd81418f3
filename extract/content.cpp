#include "extract/content.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <unordered_map>

#include "extract/normalize.h"
#include "extract/rules.h"

namespace nh::extract {
namespace {

// Readability's tag priors.
double tag_score(Tag t) {
  switch (t) {
    case Tag::div:
    case Tag::article:
    case Tag::section:
    case Tag::main:
      return 5;
    case Tag::pre:
    case Tag::td:
    case Tag::blockquote:
      return 3;
    case Tag::address:
    case Tag::ol:
    case Tag::ul:
    case Tag::dl:
    case Tag::dd:
    case Tag::dt:
    case Tag::li:
    case Tag::form:
      return -3;
    case Tag::h1:
    case Tag::h2:
    case Tag::h3:
    case Tag::h4:
    case Tag::h5:
    case Tag::h6:
    case Tag::th:
      return -5;
    default:
      return 0;
  }
}

// Tags whose inline content is a paragraph of their parent rather than a container itself.
bool paragraph_tag(Tag t) {
  switch (t) {
    case Tag::p:
    case Tag::pre:
    case Tag::h1:
    case Tag::h2:
    case Tag::h3:
    case Tag::h4:
    case Tag::h5:
    case Tag::h6:
    case Tag::li:
    case Tag::dt:
    case Tag::dd:
    case Tag::blockquote:
    case Tag::address:
    case Tag::figcaption:
    case Tag::caption:
      return true;
    default:
      return false;
  }
}

// Structural chrome: whatever its class says.
bool chrome_tag(Tag t) {
  return t == Tag::nav || t == Tag::aside || t == Tag::footer || t == Tag::form || t == Tag::menu;
}

double link_density(const Node& n) { return n.text == 0 ? 0.0 : double(n.link) / n.text; }

// Whether node (outside the subtree `except`) holds another post: an <article>, or a heading
// that is mostly a link (a teaser title on a list of posts).
bool holds_other_post(const Document& doc, int node, int except) {
  const int end = doc.node(node).end;
  for (int k = node; k < end; ++k) {
    if (k == except) {
      k = doc.node(except).end - 1;
      continue;
    }
    const Node& x = doc.node(k);
    if (x.type != NodeType::element) continue;
    if (x.tag == Tag::article && k != node) return true;
    if ((x.tag == Tag::h1 || x.tag == Tag::h2 || x.tag == Tag::h3) && x.text > 0 &&
        x.link * 2 > x.text)
      return true;
  }
  return false;
}

// Tuning numbers of the content choice, named where they were inline literals before issue 11.
// Where the code said what a number was tuned on, the note says so (zh-dev, the trafilatura
// evaluation set); the others are Readability's values or were set on the project's fixtures
// and the shared corpora without a record of which (a note says "origin not recorded").
// Readability's class/id weight: +25 for a positive class, -25 for a negative one.
constexpr double kClassWeight = 25.0;
// A run of inline text scores when it has >= 10 weighted characters and link density <= 0.5;
// it earns 1 + its sentence marks + one per 40 weighted characters (at most 3). Origin not
// recorded.
constexpr double kMinRunChars = 10;
constexpr double kMaxRunLinkDensity = 0.5;
constexpr double kCharsPerPoint = 40.0;
constexpr double kMaxLengthPoints = 3.0;
// A run's score reaches five ancestors, divided by these (Readability-style decay).
constexpr double kAncestorDivider[] = {1, 2, 6, 9, 12};
// A class naming recommendation feeds, comments, related lists: x0.3 (origin not recorded).
constexpr double kStrongNegativeFactor = 0.3;
// Position relative to the headline (zh-dev: blog pages with several posts, short news beside
// long recommendation feeds): x2 within 300 characters after it (for >= 50 weighted
// characters: not a byline or caption), x0.5 before it, x0.75 far after it.
constexpr int kNearHeadlineChars = 300;
constexpr double kNearHeadlineFactor = 2.0;
constexpr double kMinNearHeadlineChars = 50;
constexpr double kBeforeHeadlineFactor = 0.5;
constexpr double kFarFromHeadlineFactor = 0.75;
// Under 20 weighted characters no class makes an article: the score is capped at 1 (origin
// not recorded).
constexpr double kMinArticleChars = 20;
constexpr double kTinyScoreCap = 1.0;
// Readability.js: 3 of the next 4 candidates within 75% of the top share an ancestor; it
// becomes the top unless its link density is 0.2 or more.
constexpr double kAlternativeShare = 0.75;
constexpr double kMaxAncestorLinkDensity = 0.2;
// Climbing over a split article (trafilatura-eval): up to 3 steps while the parent adds at
// least half again of the text, with link density < 0.15 and a sentence mark per 60 weighted
// characters; a wrapper adding < 12 weighted characters (< 1/20 of the text) is no step.
constexpr int kMaxClimbSteps = 3;
constexpr double kMinExtraShare = 0.5;
constexpr double kMaxExtraLinkDensity = 0.15;
constexpr int kCharsPerSentenceMark = 60;
constexpr double kLabelChars = 12;
constexpr double kLabelShareDivisor = 20;
// Sibling merge (Readability): a sibling scoring >= max(10, 20% of the top) joins, with a
// bonus of 20% of the top for the same class.
constexpr double kMinSiblingScore = 10.0;
constexpr double kSiblingShare = 0.2;
constexpr double kSameClassBonus = 0.2;
// A prose sibling joins with >= 50 weighted characters, two sentence marks and link density
// under 0.2 (Latin script) or 0.1 (Han: Chinese teaser boxes sit at 0.1-0.2); a <p> or inline
// sibling with > 32 weighted characters under 0.25, or a shorter unlinked sentence. The
// Han/Latin split is from the code's note; the other numbers' origin is not recorded.
constexpr double kMinProseSiblingChars = 50;
constexpr double kMaxProseSiblingLinkDensityLatin = 0.2;
constexpr double kMaxProseSiblingLinkDensityHan = 0.1;
constexpr double kShortSiblingChars = 32;
constexpr double kMaxParagraphSiblingLinkDensity = 0.25;
// Inside the content, a prose block (>= 40 weighted characters, link density < 0.15, a
// sentence mark per 80 characters) is kept; else a subtree under half the content's text is
// dropped when it is a link block (> 0.5; a list > 0.3) or negative-classed and linky (> 0.2)
// or under a quarter of the text. Origin not recorded.
constexpr double kMinProseBlockChars = 40;
constexpr double kMaxProseBlockLinkDensity = 0.15;
constexpr int kProseBlockCharsPerMark = 80;
constexpr double kMaxDroppedShare = 0.5;
constexpr double kLinkBlockDensity = 0.5;
constexpr double kLinkListDensity = 0.3;
constexpr double kNegativeLinkDensity = 0.2;
constexpr double kSmallShare = 0.25;

// class/id evidence bits, computed once per node.
constexpr std::uint8_t kPositive = 1;        // a positive token
constexpr std::uint8_t kNegative = 2;        // a negative token not rescued by a "maybe" token
constexpr std::uint8_t kStrongNegative = 4;  // a strong negative token
constexpr std::uint8_t kNegativeRaw = 8;     // a negative token, rescued or not
constexpr std::uint8_t kNamingChrome = 16;   // strong negative naming what the block is
constexpr std::uint8_t kComputed = 0x80;

// One content choice: the page's scores and the steps that pick the top and its roots.
class ContentChooser {
 public:
  ContentChooser(const Document& doc, int title_node) : doc_(doc), title_node_(title_node) {
    body_ = doc.find_first(Tag::body);
    if (body_ < 0) body_ = 0;
    cls_flags_.assign(static_cast<size_t>(doc.size()), 0);
  }

  // Class/id evidence of node i (the k* bits), computed on first use.
  std::uint8_t flags(int i) {
    std::uint8_t& f = cls_flags_[static_cast<size_t>(i)];
    if (f & kComputed) return f;
    f = kComputed;
    const std::string& cls = doc_.class_id(i);
    if (!cls.empty()) {
      if (class_matches(cls, rules::positive_tokens())) f |= kPositive;
      const bool neg = class_matches(cls, rules::negative_tokens());
      if (neg) f |= kNegativeRaw;
      if (neg && !class_matches(cls, rules::maybe_tokens())) f |= kNegative;
      if (class_matches(cls, rules::strong_negative_tokens())) {
        f |= kStrongNegative;
        // Of those, the ones naming what the block is (not how it is shown: "no-print").
        if (class_matches(cls, rules::naming_negative_tokens())) f |= kNamingChrome;
      }
    }
    return f;
  }

  // Chrome subtrees (Readability's "unlikely candidates"): a page footer or navigation is no
  // article whatever its text, so no node inside one is ranked (its text still counts for the
  // page around it, whose chrome is dropped below; removing it from the scores altogether
  // cost snippet recall on the trafilatura set). When only chrome is left, there is no body.
  // Structural chrome (<nav>, <aside>, <footer>, <menu>; not <form>, which wraps whole
  // ASP.NET pages) and class/id that names a footer (rules::chrome_container_tokens(), not
  // rescued by a "maybe" token). Never an element holding the headline, nor one holding most
  // of the page's text.
  void mark_chrome_subtrees() {
    in_chrome_.assign(static_cast<size_t>(doc_.size()), 0);
    const int body_text = doc_.node(body_).text;
    const int body_end = doc_.node(body_).end;
    for (int i = body_ + 1; i < body_end; ++i) {
      const Node& n = doc_.node(i);
      if (n.parent >= 0 && in_chrome_[static_cast<size_t>(n.parent)]) {
        in_chrome_[static_cast<size_t>(i)] = 1;
        continue;
      }
      if (n.type != NodeType::element || n.text == 0) continue;
      if (title_node_ >= i && title_node_ < n.end) continue;
      const bool tag =
          n.tag == Tag::nav || n.tag == Tag::aside || n.tag == Tag::footer || n.tag == Tag::menu;
      const bool cls = (flags(i) & kNegative) && n.text * 2 <= body_text &&
                       class_matches(doc_.class_id(i), rules::chrome_container_tokens());
      if (tag || cls) in_chrome_[static_cast<size_t>(i)] = 1;
    }
  }

  // Scores every run of inline content and propagates it to up to five ancestors. score_
  // holds what the text earned; the tag/class prior is added at ranking time, and a positive
  // prior is capped at what the text earned (a "content" class on a box of rating buttons
  // must not beat the recipe). False when no text scored.
  bool score_runs() {
    const int count = doc_.size();
    for (int i = body_; i < count; ++i) {
      const Node& n = doc_.node(i);
      if (n.skip) {
        i = n.end - 1;
        continue;
      }
      if (n.type != NodeType::element || !n.blockish || n.text == 0) continue;
      Run run;
      for (int k = i + 1; k < n.end; k = doc_.node(k).end) {
        const Node& ch = doc_.node(k);
        if (ch.skip) continue;
        if (ch.blockish) {
          finish_run(i, run);
          continue;
        }
        // A <br><br> break ends a paragraph; a single <br> does not matter for scoring.
        if (ch.type == NodeType::element && ch.tag == Tag::br) continue;
        run.text += ch.text;
        run.link += ch.link;
        run.punct += ch.punct;
        run.cjk += ch.cjk;
      }
      finish_run(i, run);
    }
    return !score_.empty();
  }

  // Final scores, best first: scaled by the share of text that is not links, and by where
  // the node stands relative to the headline.
  std::vector<std::pair<double, int>> rank() {
    if (title_node_ >= 0) count_positions();
    std::vector<std::pair<double, int>> ranked;
    ranked.reserve(score_.size());
    for (auto& [i, s] : score_) {
      if (in_chrome_[static_cast<size_t>(i)]) continue;
      s = final_score(i, s);
      ranked.emplace_back(s, i);
    }
    std::sort(ranked.begin(), ranked.end(), [](auto& a, auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    return ranked;
  }

  // Readability.js: when several strong candidates share an ancestor, the article is that
  // ancestor (a page that splits paragraphs into several blocks).
  int common_ancestor(int top, const std::vector<std::pair<double, int>>& ranked) {
    // Not the items of a block named chrome ("more stories": a feed of summaries scores like
    // text).
    auto in_named_chrome = [&](int n) {
      for (int p = n; p > body_; p = doc_.node(p).parent)
        if (flags(p) & kNamingChrome) return true;
      return false;
    };
    const double top_score = ranked[0].first;
    std::vector<int> alternatives;
    for (size_t r = 1; r < ranked.size() && r < 5; ++r)
      if (ranked[r].first >= kAlternativeShare * top_score && !in_named_chrome(ranked[r].second))
        alternatives.push_back(ranked[r].second);
    if (alternatives.size() < 3) return top;
    for (int p = doc_.node(top).parent; p > body_; p = doc_.node(p).parent) {
      int contained = 0;
      for (int a : alternatives)
        if (a > p && a < doc_.node(p).end) ++contained;
      if (contained >= 3) {
        // Not when the common ancestor is mostly navigation (a page of teasers).
        if (link_density(doc_.node(p)) < kMaxAncestorLinkDensity) top = p;
        break;
      }
    }
    return top;
  }

  // An only child is no different from its parent: take the wrapper.
  int only_child_wrapper(int top) const {
    while (doc_.node(top).parent > body_) {
      const int p = doc_.node(top).parent;
      const Node& pn = doc_.node(p);
      if (pn.text != doc_.node(top).text) break;
      if (pn.tag == Tag::body) break;
      top = p;
    }
    return top;
  }

  // Articles split into several blocks (sections between ads, a paywall marker, a second
  // column): move up while what the parent adds is prose, not navigation.
  int climb_split_article(int top) {
    for (int step = 0; step < kMaxClimbSteps; ++step) {
      const int p = doc_.node(top).parent;
      if (p <= body_ || doc_.node(p).tag == Tag::body) break;
      const Node& pn = doc_.node(p);
      const Node& tn0 = doc_.node(top);
      const int extra = pn.text - tn0.text;
      const double extra_w = extra > 0 ? weighted_chars(extra, pn.cjk - tn0.cjk) : 0;
      // A wrapper that adds nothing, or only a label or a button (page builders nest five
      // deep: row, column, inner column, wrapper, text module), is no step. Not for Han text:
      // there the few characters beside the text box are the 责任编辑/来源 line, which the
      // info-line reader takes from right after the content (zh-dev reporters).
      const bool label_only = extra_w < kLabelChars &&
                              extra_w * kLabelShareDivisor < weighted_chars(tn0.text, tn0.cjk) &&
                              (pn.cjk - tn0.cjk) * 2 < extra && !(flags(p) & kStrongNegative);
      if (extra <= 0 || label_only) {
        top = p;
        --step;
        continue;
      }
      const double extra_ld = double(pn.link - tn0.link) / extra;
      const int extra_punct = pn.punct - tn0.punct;
      if (extra_w < kMinExtraShare * weighted_chars(tn0.text, tn0.cjk) ||
          extra_ld >= kMaxExtraLinkDensity || extra_punct * kCharsPerSentenceMark < extra_w ||
          (flags(p) & kStrongNegative))
        break;
      // Not into a list of posts: other <article>s or linked headings (teaser titles) beside
      // us.
      if (holds_other_post(doc_, p, top)) break;
      // Not when most of what the parent adds sits in blocks named chrome ("more stories",
      // "related", "comments": a feed of summaries reads like prose).
      if (named_chrome_text(p, top) * 2 >= extra) break;
      top = p;
    }
    return top;
  }

  // The score the top ended with (its own, when it was ranked).
  double score_of(int top, double fallback) const {
    auto it = score_.find(top);
    return it != score_.end() ? it->second : fallback;
  }

  // The top and the siblings that continue the article (Readability's sibling merge), in
  // document order.
  std::vector<int> merge_siblings(int top, double top_score) {
    std::vector<int> roots;
    const int parent = doc_.node(top).parent;
    if (!(parent >= body_ && parent >= 0 && doc_.node(top).tag != Tag::body)) {
      roots.push_back(top);
      return roots;
    }
    const double threshold = std::max(kMinSiblingScore, top_score * kSiblingShare);
    const std::string& top_class = doc_.class_id(top);
    for (int k = parent + 1; k < doc_.node(parent).end; k = doc_.node(k).end) {
      if (k == top || sibling_joins(k, top_class, top_score, threshold)) roots.push_back(k);
    }
    return roots;
  }

  // Chrome inside the content: subtrees dropped (c.excluded), with c.text set.
  void drop_inner_chrome(ContentChoice& c, std::vector<Candidate>* trace) {
    int total_text = 0, total_cjk = 0;
    for (int r : c.roots) {
      total_text += doc_.node(r).text;
      total_cjk += doc_.node(r).cjk;
    }
    c.text = static_cast<int>(weighted_chars(total_text, total_cjk));
    for (int r : c.roots) {
      for (int k = r + 1; k < doc_.node(r).end; ++k) {
        const Node& n = doc_.node(k);
        if (n.type != NodeType::element || n.skip) continue;
        if (n.text == 0) continue;
        if (!inner_chrome(k, total_text)) continue;
        if (trace) {
          const std::string& cls = doc_.class_id(k);
          trace->push_back(
              {"body-excluded",
               std::string("subtree:") + tag_name(n.tag) + (cls.empty() ? "" : "[" + cls + "]"),
               utf8_prefix(fold(doc_.text(k)), 200), link_density(n), ""});
        }
        std::fill(c.excluded.begin() + k, c.excluded.begin() + n.end, 1);
        k = n.end - 1;
      }
    }
  }

 private:
  struct Run {
    int text = 0, link = 0, punct = 0, cjk = 0;
  };

  // Credits a finished run of inline text inside block i to its container and ancestors.
  void finish_run(int i, Run& run) {
    const Node& n = doc_.node(i);
    if (run.text > 0) {
      const double w = weighted_chars(run.text, run.cjk);
      const double ld = double(run.link) / run.text;
      if (w >= kMinRunChars && ld <= kMaxRunLinkDensity) {
        const double s = 1 + run.punct + std::min(w / kCharsPerPoint, kMaxLengthPoints);
        int container = paragraph_tag(n.tag) && n.parent >= 0 ? n.parent : i;
        for (int level = 0; level < 5 && container >= body_; ++level) {
          const Node& a = doc_.node(container);
          if (a.type == NodeType::element && a.tag != Tag::html)
            score_[container] += s / kAncestorDivider[level];
          container = a.parent;
        }
      }
    }
    run = Run{};
  }

  // Text position of every node (code points of text before it), for distances to the
  // title, and the number of headings before it: text after another heading belongs to that
  // one.
  void count_positions() {
    const int count = doc_.size();
    pos_.assign(static_cast<size_t>(count) + 1, 0);
    headings_.assign(static_cast<size_t>(count) + 1, 0);
    int acc = 0, h = 0;
    for (int i = 0; i < count; ++i) {
      pos_[static_cast<size_t>(i)] = acc;
      headings_[static_cast<size_t>(i)] = h;
      const Node& n = doc_.node(i);
      if (n.type == NodeType::text && !n.skip) acc += n.text;
      if (n.type == NodeType::element && !n.skip && n.text > 0 &&
          (n.tag == Tag::h1 || n.tag == Tag::h2 || n.tag == Tag::h3))
        ++h;
    }
    pos_[static_cast<size_t>(count)] = acc;
    headings_[static_cast<size_t>(count)] = h;
  }

  double final_score(int i, double s) {
    const std::uint8_t f0 = flags(i);
    const double weight =
        ((f0 & kPositive) ? kClassWeight : 0.0) - ((f0 & kNegative) ? kClassWeight : 0.0);
    const double prior = tag_score(doc_.node(i).tag) + weight;
    double f = (s + std::min(prior, s)) * (1.0 - link_density(doc_.node(i)));
    // Recommendation feeds, comments and related lists can be long prose: a class that says
    // so outweighs the length (Readability's +-25 does not for long blocks).
    if (flags(i) & kStrongNegative) f *= kStrongNegativeFactor;
    if (title_node_ >= 0) {
      const Node& n = doc_.node(i);
      const bool contains_title = title_node_ >= i && title_node_ < n.end;
      if (!contains_title) {
        const int title_end = doc_.node(title_node_).end;
        if (n.end <= title_node_) {
          f *= kBeforeHeadlineFactor;
        } else if (i >= title_end) {
          const int gap = pos_[static_cast<size_t>(i)] - pos_[static_cast<size_t>(title_end)];
          const bool same_heading =
              headings_[static_cast<size_t>(i)] == headings_[static_cast<size_t>(title_end)];
          if (gap >= kNearHeadlineChars || !same_heading)
            f *= kFarFromHeadlineFactor;
          else if (weighted_chars(n.text, n.cjk) >= kMinNearHeadlineChars)
            f *= kNearHeadlineFactor;  // not a byline or caption
        }
      }
    }
    // Too little text to be an article, whatever its class says (date boxes, captions).
    if (weighted_chars(doc_.node(i).text, doc_.node(i).cjk) < kMinArticleChars)
      f = std::min(f, kTinyScoreCap);
    return f;
  }

  // Text of the blocks under `node` (outside `except`) whose class names chrome.
  int named_chrome_text(int node, int except) {
    int sum = 0;
    for (int k = node + 1; k < doc_.node(node).end; ++k) {
      if (k == except) {
        k = doc_.node(except).end - 1;
        continue;
      }
      if (doc_.node(k).type == NodeType::element && (flags(k) & kNamingChrome)) {
        sum += doc_.node(k).text;
        k = doc_.node(k).end - 1;
      }
    }
    return sum;
  }

  // Whether sibling k of the top continues the article.
  bool sibling_joins(int k, const std::string& top_class, double top_score, double threshold) {
    const Node& s = doc_.node(k);
    if (s.skip || s.text == 0) return false;
    // Bare text beside the article block: keep if it reads like prose.
    if (s.type == NodeType::text)
      return weighted_chars(s.text, s.cjk) >= kShortSiblingChars && s.punct >= 2;
    // A header beside the article body holds headline, byline and lead image: not text.
    if (s.type != NodeType::element || chrome_tag(s.tag) || s.tag == Tag::header) return false;
    double bonus =
        (!top_class.empty() && doc_.class_id(k) == top_class) ? top_score * kSameClassBonus : 0;
    auto it = score_.find(k);
    if (it != score_.end() && it->second + bonus >= threshold) return true;
    // A block of prose beside the article (the part before a paywall marker, a second text
    // column) joins it even when its own score is modest.
    // Link density is over code points: a Latin-script paragraph with a few linked words
    // reads like a Chinese one with half as many (Chinese teaser boxes sit at 0.1-0.2).
    const double max_ld =
        s.cjk * 2 < s.text ? kMaxProseSiblingLinkDensityLatin : kMaxProseSiblingLinkDensityHan;
    if (s.blockish && link_density(s) < max_ld &&
        weighted_chars(s.text, s.cjk) >= kMinProseSiblingChars && s.punct >= 2 &&
        !(flags(k) & kNegativeRaw) && !holds_other_post(doc_, k, -1))
      return true;
    if (s.tag == Tag::p || !s.blockish) {
      const double w = weighted_chars(s.text, s.cjk);
      const double ld = link_density(s);
      if ((w > kShortSiblingChars && ld < kMaxParagraphSiblingLinkDensity) ||
          (w > 0 && ld == 0 && s.punct > 0 && w <= kShortSiblingChars))
        return true;
    }
    return false;
  }

  // Whether element k inside the content is chrome to drop. A block of prose (sentences,
  // hardly any links) is only dropped when its class names chrome; "hidden", "print", "ads",
  // "bottom", "info" in a class are too often layout modifiers of article sections (see
  // rules::naming_negative_tokens()).
  bool inner_chrome(int k, int total_text) {
    const Node& n = doc_.node(k);
    const std::string& cls = doc_.class_id(k);
    const double share = total_text ? double(n.text) / total_text : 0;
    const double w = weighted_chars(n.text, n.cjk);
    const bool prose_block = n.blockish && link_density(n) < kMaxProseBlockLinkDensity &&
                             w >= kMinProseBlockChars && n.punct * kProseBlockCharsPerMark >= w &&
                             !chrome_tag(n.tag) &&
                             !class_matches(cls, rules::naming_negative_tokens());
    if (prose_block || share >= kMaxDroppedShare) return false;
    if (chrome_tag(n.tag)) return true;
    if (flags(k) & kStrongNegative) return true;
    if (n.blockish && link_density(n) > kLinkBlockDensity && n.text >= 6) return true;
    if ((n.tag == Tag::ul || n.tag == Tag::ol) && link_density(n) > kLinkListDensity) return true;
    if ((flags(k) & kNegative) && (link_density(n) > kNegativeLinkDensity || share < kSmallShare))
      return true;
    if (n.tag == Tag::header && share < kSmallShare) return true;
    return false;
  }

  const Document& doc_;
  const int title_node_;
  int body_ = 0;
  std::unordered_map<int, double> score_;
  std::vector<std::uint8_t> cls_flags_;
  std::vector<char> in_chrome_;
  std::vector<int> pos_, headings_;
};

// The five best candidates, for --explain.
void explain_ranked(const Document& doc, const std::vector<std::pair<double, int>>& ranked,
                    std::vector<Candidate>& trace) {
  for (size_t r = 0; r < ranked.size() && r < 5; ++r) {
    const int i = ranked[r].second;
    const Node& n = doc.node(i);
    Candidate cand;
    cand.field = "body";
    cand.rule = std::string("node:") + tag_name(n.tag) +
                (doc.class_id(i).empty() ? "" : "[" + doc.class_id(i) + "]");
    cand.score = ranked[r].first;
    cand.value = utf8_prefix(fold(doc.text(i)), 120);
    cand.note = "text=" + std::to_string(n.text) + " links=" + std::to_string(n.link);
    trace.push_back(std::move(cand));
  }
}

}  // namespace

double weighted_chars(int text, int cjk) { return cjk + 0.4 * (text - cjk); }

bool class_matches(std::string_view cls, std::span<const std::string_view> tokens) {
  if (cls.empty()) return false;
  // The words of the class/id string (split on space, '-', '_'), split once for all rules.
  std::array<std::string_view, 24> words;
  size_t n = 0;
  bool all_words = true;
  for (size_t i = 0; i < cls.size();) {
    while (i < cls.size() && (cls[i] == ' ' || cls[i] == '-' || cls[i] == '_')) ++i;
    size_t j = i;
    while (j < cls.size() && cls[j] != ' ' && cls[j] != '-' && cls[j] != '_') ++j;
    if (j > i) {
      if (n == words.size()) {
        all_words = false;
        break;
      }
      words[n++] = cls.substr(i, j - i);
    }
    i = j;
  }
  for (std::string_view t : tokens) {
    if (t.empty()) continue;
    if (t[0] == '=' || t[0] == '^') {
      const std::string_view want = t.substr(1);
      const bool prefix = t[0] == '^';
      if (all_words) {
        for (size_t k = 0; k < n; ++k)
          if (prefix ? words[k].starts_with(want) : words[k] == want) return true;
        continue;
      }
      size_t i = 0;
      while (i < cls.size()) {
        while (i < cls.size() && (cls[i] == ' ' || cls[i] == '-' || cls[i] == '_')) ++i;
        size_t j = i;
        while (j < cls.size() && cls[j] != ' ' && cls[j] != '-' && cls[j] != '_') ++j;
        if (j > i) {
          std::string_view tok = cls.substr(i, j - i);
          if (prefix ? tok.starts_with(want) : tok == want) return true;
        }
        i = j;
      }
    } else if (cls.find(t) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

std::vector<Line> linearize(const Document& doc) {
  std::vector<Line> lines;
  int body = doc.find_first(Tag::body);
  if (body < 0) body = 0;
  if (doc.size() == 0) return lines;
  const int end = doc.node(body).end;
  std::string raw;
  int first = -1, block = body, chars = 0, link = 0;
  std::vector<int> block_stack{body};  // indices of open blocks
  std::vector<int> link_ends;          // ends of open <a href>
  auto flush = [&] {
    if (first >= 0 && chars > 0) {
      Line l;
      l.first = first;
      l.block = block;
      l.text = fold(raw);
      l.chars = chars;
      l.link_chars = link;
      if (!l.text.empty()) lines.push_back(std::move(l));
    }
    raw.clear();
    first = -1;
    chars = link = 0;
  };
  for (int k = body + 1; k < end; ++k) {
    while (block_stack.size() > 1 && doc.node(block_stack.back()).end <= k) {
      block_stack.pop_back();
      flush();
    }
    while (!link_ends.empty() && link_ends.back() <= k) link_ends.pop_back();
    const Node& n = doc.node(k);
    if (n.skip) {
      k = n.end - 1;
      continue;
    }
    if (n.type == NodeType::element) {
      if (n.tag == Tag::br || n.tag == Tag::hr) {
        flush();
      } else if (n.block) {
        flush();
        block_stack.push_back(k);
      } else if (n.tag == Tag::a && !doc.attr(k, "href").empty()) {
        link_ends.push_back(n.end);
      } else if (n.tag == Tag::img) {
        raw += ' ';
      }
      continue;
    }
    if (n.type == NodeType::text || n.type == NodeType::whitespace) {
      if (n.type == NodeType::text) {
        if (first < 0) {
          first = k;
          block = block_stack.back();
        }
        chars += n.text;
        if (!link_ends.empty()) link += n.text;
      }
      raw.append(n.data);
    }
  }
  flush();
  return lines;
}

ContentChoice choose_content(const Document& doc, int title_node, bool explain,
                             std::vector<Candidate>* trace) {
  ContentChoice c;
  c.excluded.assign(static_cast<size_t>(doc.size()), 0);
  if (doc.size() == 0) return c;
  ContentChooser chooser(doc, title_node);
  chooser.mark_chrome_subtrees();
  if (!chooser.score_runs()) return c;
  const std::vector<std::pair<double, int>> ranked = chooser.rank();
  if (ranked.empty()) return c;  // all the text is chrome
  int top = chooser.common_ancestor(ranked[0].second, ranked);
  top = chooser.only_child_wrapper(top);
  top = chooser.climb_split_article(top);
  c.top = top;
  c.score = chooser.score_of(top, ranked[0].first);
  if (explain && trace) explain_ranked(doc, ranked, *trace);
  c.roots = chooser.merge_siblings(top, c.score);
  chooser.drop_inner_chrome(c, trace);
  return c;
}

bool in_content(const Document& doc, const ContentChoice& c, int node) {
  if (node < 0 || node >= doc.size() || c.excluded[static_cast<size_t>(node)]) return false;
  for (int r : c.roots)
    if (node >= r && node < doc.node(r).end) return true;
  return false;
}

bool is_prose(const Line& l) {
  int punct = 0;
  for (size_t i = 0; i < l.text.size();) {
    if (is_sentence_punct(decode_utf8(l.text, i))) ++punct;
  }
  return (l.chars >= 50 && punct >= 1) || punct >= 3;
}

}  // namespace nh::extract
