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
  const int count = doc.size();
  c.excluded.assign(static_cast<size_t>(count), 0);
  if (count == 0) return c;
  int body = doc.find_first(Tag::body);
  if (body < 0) body = 0;

  std::unordered_map<int, double> score;
  // class/id evidence per node, computed once: bit 0 positive, 1 negative (not rescued by a
  // "maybe" token), 2 strong negative, 3 negative (raw), 4 strong negative naming what the
  // block is (comments, related, "more stories"), 7 computed.
  std::vector<std::uint8_t> cls_flags(static_cast<size_t>(count), 0);
  auto flags = [&](int i) -> std::uint8_t {
    std::uint8_t& f = cls_flags[static_cast<size_t>(i)];
    if (f & 0x80) return f;
    f = 0x80;
    const std::string& cls = doc.class_id(i);
    if (!cls.empty()) {
      if (class_matches(cls, rules::positive_tokens())) f |= 1;
      const bool neg = class_matches(cls, rules::negative_tokens());
      if (neg) f |= 8;
      if (neg && !class_matches(cls, rules::maybe_tokens())) f |= 2;
      if (class_matches(cls, rules::strong_negative_tokens())) {
        f |= 4;
        // Of those, the ones naming what the block is (not how it is shown: "no-print").
        if (class_matches(cls, rules::naming_negative_tokens())) f |= 16;
      }
    }
    return f;
  };
  auto weight = [&](int i) {
    const std::uint8_t f = flags(i);
    return ((f & 1) ? 25.0 : 0.0) - ((f & 2) ? 25.0 : 0.0);
  };

  // Chrome subtrees (Readability's "unlikely candidates"): a page footer or navigation is no
  // article whatever its text, so no node inside one is ranked (its text still counts for the
  // page around it, whose chrome is dropped below; removing it from the scores altogether
  // cost snippet recall on the trafilatura set). When only chrome is left, there is no body.
  // Structural chrome (<nav>, <aside>, <footer>, <menu>; not <form>, which wraps whole
  // ASP.NET pages) and class/id that names a footer (rules::chrome_container_tokens(), not
  // rescued by a "maybe" token). Never an element holding the headline, nor one holding most
  // of the page's text.
  std::vector<char> in_chrome(static_cast<size_t>(count), 0);
  {
    const int body_text = doc.node(body).text;
    const int body_end = doc.node(body).end;
    for (int i = body + 1; i < body_end; ++i) {
      const Node& n = doc.node(i);
      if (n.parent >= 0 && in_chrome[static_cast<size_t>(n.parent)]) {
        in_chrome[static_cast<size_t>(i)] = 1;
        continue;
      }
      if (n.type != NodeType::element || n.text == 0) continue;
      if (title_node >= i && title_node < n.end) continue;
      const bool tag =
          n.tag == Tag::nav || n.tag == Tag::aside || n.tag == Tag::footer || n.tag == Tag::menu;
      const bool cls = (flags(i) & 2) && n.text * 2 <= body_text &&
                       class_matches(doc.class_id(i), rules::chrome_container_tokens());
      if (tag || cls) in_chrome[static_cast<size_t>(i)] = 1;
    }
  }

  // score[] holds what the text earned; the tag/class prior is added at ranking time, and a
  // positive prior is capped at what the text earned (a "content" class on a box of rating
  // buttons must not beat the recipe).
  auto touch = [&](int i) -> double& { return score[i]; };

  // Score every run of inline content and propagate it to up to five ancestors.
  for (int i = body; i < count; ++i) {
    const Node& n = doc.node(i);
    if (n.skip) {
      i = n.end - 1;
      continue;
    }
    if (n.type != NodeType::element || !n.blockish || n.text == 0) continue;
    int run_text = 0, run_link = 0, run_punct = 0, run_cjk = 0;
    auto finish_run = [&] {
      if (run_text > 0) {
        const double w = weighted_chars(run_text, run_cjk);
        const double ld = double(run_link) / run_text;
        if (w >= 10 && ld <= 0.5) {
          const double s = 1 + run_punct + std::min(w / 40.0, 3.0);
          int container = paragraph_tag(n.tag) && n.parent >= 0 ? n.parent : i;
          static constexpr double kDivider[] = {1, 2, 6, 9, 12};
          for (int level = 0; level < 5 && container >= body; ++level) {
            const Node& a = doc.node(container);
            if (a.type == NodeType::element && a.tag != Tag::html)
              touch(container) += s / kDivider[level];
            container = a.parent;
          }
        }
      }
      run_text = run_link = run_punct = run_cjk = 0;
    };
    for (int k = i + 1; k < n.end; k = doc.node(k).end) {
      const Node& ch = doc.node(k);
      if (ch.skip) continue;
      if (ch.blockish) {
        finish_run();
        continue;
      }
      if (ch.type == NodeType::element && ch.tag == Tag::br) {
        // A <br><br> break ends a paragraph; a single <br> does not matter for scoring.
        continue;
      }
      run_text += ch.text;
      run_link += ch.link;
      run_punct += ch.punct;
      run_cjk += ch.cjk;
    }
    finish_run();
  }
  if (score.empty()) return c;

  // Text position of every node (code points of text before it), for distances to the title.
  // And the number of headings before it: text after another heading belongs to that one.
  std::vector<int> pos, headings;
  if (title_node >= 0) {
    pos.assign(static_cast<size_t>(count) + 1, 0);
    headings.assign(static_cast<size_t>(count) + 1, 0);
    int acc = 0, h = 0;
    for (int i = 0; i < count; ++i) {
      pos[static_cast<size_t>(i)] = acc;
      headings[static_cast<size_t>(i)] = h;
      const Node& n = doc.node(i);
      if (n.type == NodeType::text && !n.skip) acc += n.text;
      if (n.type == NodeType::element && !n.skip && n.text > 0 &&
          (n.tag == Tag::h1 || n.tag == Tag::h2 || n.tag == Tag::h3))
        ++h;
    }
    pos[static_cast<size_t>(count)] = acc;
    headings[static_cast<size_t>(count)] = h;
  }
  // Final score: scaled by the share of text that is not links, and by where it stands
  // relative to the headline. Tuned on zh-dev (blog pages with several posts, short news
  // beside long recommendation feeds): x2 within 300 characters after the headline,
  // x0.5 before it, x0.75 far after it.
  std::vector<std::pair<double, int>> ranked;
  ranked.reserve(score.size());
  for (auto& [i, s] : score) {
    if (in_chrome[static_cast<size_t>(i)]) continue;
    const double prior = tag_score(doc.node(i).tag) + weight(i);
    double f = (s + std::min(prior, s)) * (1.0 - link_density(doc.node(i)));
    // Recommendation feeds, comments and related lists can be long prose: a class that says
    // so outweighs the length (Readability's +-25 does not for long blocks).
    if (flags(i) & 4) f *= 0.3;
    if (title_node >= 0) {
      const Node& n = doc.node(i);
      const bool contains_title = title_node >= i && title_node < n.end;
      if (!contains_title) {
        const int title_end = doc.node(title_node).end;
        if (n.end <= title_node) {
          f *= 0.5;
        } else if (i >= title_end) {
          const int gap = pos[static_cast<size_t>(i)] - pos[static_cast<size_t>(title_end)];
          const bool same_heading =
              headings[static_cast<size_t>(i)] == headings[static_cast<size_t>(title_end)];
          if (gap >= 300 || !same_heading)
            f *= 0.75;
          else if (weighted_chars(n.text, n.cjk) >= 50)
            f *= 2.0;  // not a byline or caption
        }
      }
    }
    // Too little text to be an article, whatever its class says (date boxes, captions).
    if (weighted_chars(doc.node(i).text, doc.node(i).cjk) < 20) f = std::min(f, 1.0);
    s = f;
    ranked.emplace_back(f, i);
  }
  std::sort(ranked.begin(), ranked.end(), [](auto& a, auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  if (ranked.empty()) return c;  // all the text is chrome
  int top = ranked[0].second;
  double top_score = ranked[0].first;

  // Readability.js: when several strong candidates share an ancestor, the article is that
  // ancestor (a page that splits paragraphs into several blocks).
  {
    // Not the items of a block named chrome ("more stories": a feed of summaries scores
    // like text).
    auto in_named_chrome = [&](int n) {
      for (int p = n; p > body; p = doc.node(p).parent)
        if (flags(p) & 16) return true;
      return false;
    };
    std::vector<int> alternatives;
    for (size_t r = 1; r < ranked.size() && r < 5; ++r)
      if (ranked[r].first >= 0.75 * top_score && !in_named_chrome(ranked[r].second))
        alternatives.push_back(ranked[r].second);
    if (alternatives.size() >= 3) {
      for (int p = doc.node(top).parent; p > body; p = doc.node(p).parent) {
        int contained = 0;
        for (int a : alternatives)
          if (a > p && a < doc.node(p).end) ++contained;
        if (contained >= 3) {
          // Not when the common ancestor is mostly navigation (a page of teasers).
          if (link_density(doc.node(p)) < 0.2) top = p;
          break;
        }
      }
    }
  }
  // An only child is no different from its parent: take the wrapper.
  while (doc.node(top).parent > body) {
    const int p = doc.node(top).parent;
    const Node& pn = doc.node(p);
    if (pn.text != doc.node(top).text) break;
    if (pn.tag == Tag::body) break;
    top = p;
  }
  // Text of the blocks under `node` (outside `except`) whose class names chrome.
  auto named_chrome_text = [&](int node, int except) {
    int sum = 0;
    for (int k = node + 1; k < doc.node(node).end; ++k) {
      if (k == except) {
        k = doc.node(except).end - 1;
        continue;
      }
      if (doc.node(k).type == NodeType::element && (flags(k) & 16)) {
        sum += doc.node(k).text;
        k = doc.node(k).end - 1;
      }
    }
    return sum;
  };
  // Articles split into several blocks (sections between ads, a paywall marker, a second
  // column): move up while what the parent adds is prose, not navigation. Tuned on the
  // trafilatura evaluation set: extra text >= 20% of what we have, extra link density < 0.2,
  // at least one sentence mark per 80 weighted characters of extra text.
  for (int step = 0; step < 3; ++step) {
    const int p = doc.node(top).parent;
    if (p <= body || doc.node(p).tag == Tag::body) break;
    const Node& pn = doc.node(p);
    const Node& tn0 = doc.node(top);
    const int extra = pn.text - tn0.text;
    const double extra_w = extra > 0 ? weighted_chars(extra, pn.cjk - tn0.cjk) : 0;
    // A wrapper that adds nothing, or only a label or a button (page builders nest five deep:
    // row, column, inner column, wrapper, text module), is no step. Not for Han text: there
    // the few characters beside the text box are the 责任编辑/来源 line, which the info-line
    // reader takes from right after the content (zh-dev reporters).
    const bool label_only = extra_w < 12 && extra_w * 20 < weighted_chars(tn0.text, tn0.cjk) &&
                            (pn.cjk - tn0.cjk) * 2 < extra && !(flags(p) & 4);
    if (extra <= 0 || label_only) {
      top = p;
      --step;
      continue;
    }
    const double extra_ld = double(pn.link - tn0.link) / extra;
    const int extra_punct = pn.punct - tn0.punct;
    if (extra_w < 0.5 * weighted_chars(tn0.text, tn0.cjk) || extra_ld >= 0.15 ||
        extra_punct * 60 < extra_w || (flags(p) & 4))
      break;
    // Not into a list of posts: other <article>s or linked headings (teaser titles) beside us.
    if (holds_other_post(doc, p, top)) break;
    // Not when most of what the parent adds sits in blocks named chrome ("more stories",
    // "related", "comments": a feed of summaries reads like prose).
    if (named_chrome_text(p, top) * 2 >= extra) break;
    top = p;
  }
  top_score = score.count(top) ? score[top] : top_score;
  c.top = top;
  c.score = top_score;

  if (explain && trace) {
    for (size_t r = 0; r < ranked.size() && r < 5; ++r) {
      const Node& n = doc.node(ranked[r].second);
      Candidate cand;
      cand.field = "body";
      cand.rule =
          std::string("node:") + tag_name(n.tag) +
          (doc.class_id(ranked[r].second).empty() ? ""
                                                  : "[" + doc.class_id(ranked[r].second) + "]");
      cand.score = ranked[r].first;
      cand.value = utf8_prefix(fold(doc.text(ranked[r].second)), 120);
      cand.note = "text=" + std::to_string(n.text) + " links=" + std::to_string(n.link);
      trace->push_back(std::move(cand));
    }
  }

  // Siblings that continue the article (Readability's sibling merge).
  const Node& tn = doc.node(top);
  const int parent = tn.parent;
  if (parent >= body && parent >= 0 && doc.node(top).tag != Tag::body) {
    const double threshold = std::max(10.0, top_score * 0.2);
    const std::string& top_class = doc.class_id(top);
    for (int k = parent + 1; k < doc.node(parent).end; k = doc.node(k).end) {
      const Node& s = doc.node(k);
      if (k == top) {
        c.roots.push_back(k);
        continue;
      }
      if (s.skip || s.text == 0) continue;
      if (s.type == NodeType::text) {
        // Bare text beside the article block: keep if it reads like prose.
        if (weighted_chars(s.text, s.cjk) >= 32 && s.punct >= 2) c.roots.push_back(k);
        continue;
      }
      // A header beside the article body holds headline, byline and lead image: not text.
      if (s.type != NodeType::element || chrome_tag(s.tag) || s.tag == Tag::header) continue;
      double bonus = (!top_class.empty() && doc.class_id(k) == top_class) ? top_score * 0.2 : 0;
      auto it = score.find(k);
      if (it != score.end() && it->second + bonus >= threshold) {
        c.roots.push_back(k);
        continue;
      }
      // A block of prose beside the article (the part before a paywall marker, a second text
      // column) joins it even when its own score is modest.
      // Link density is over code points: a Latin-script paragraph with a few linked words
      // reads like a Chinese one with half as many (Chinese teaser boxes sit at 0.1-0.2).
      const double max_ld = s.cjk * 2 < s.text ? 0.2 : 0.1;
      if (s.blockish && link_density(s) < max_ld && weighted_chars(s.text, s.cjk) >= 50 &&
          s.punct >= 2 && !(flags(k) & 8) && !holds_other_post(doc, k, -1)) {
        c.roots.push_back(k);
        continue;
      }
      if (s.tag == Tag::p || !s.blockish) {
        const double w = weighted_chars(s.text, s.cjk);
        const double ld = link_density(s);
        if ((w > 32 && ld < 0.25) || (w > 0 && ld == 0 && s.punct > 0 && w <= 32))
          c.roots.push_back(k);
      }
    }
  } else {
    c.roots.push_back(top);
  }

  // Chrome inside the content: dropped subtrees.
  int total_text = 0, total_cjk = 0;
  for (int r : c.roots) {
    total_text += doc.node(r).text;
    total_cjk += doc.node(r).cjk;
  }
  c.text = static_cast<int>(weighted_chars(total_text, total_cjk));
  for (int r : c.roots) {
    for (int k = r + 1; k < doc.node(r).end; ++k) {
      const Node& n = doc.node(k);
      if (n.type != NodeType::element || n.skip) continue;
      if (n.text == 0) continue;
      const std::string& cls = doc.class_id(k);
      const double share = total_text ? double(n.text) / total_text : 0;
      // A block of prose (sentences, hardly any links) is only dropped when its class names
      // chrome; "hidden", "print", "ads", "bottom", "info" in a class are too often layout
      // modifiers of article sections (see rules::naming_negative_tokens()).
      const double w = weighted_chars(n.text, n.cjk);
      const bool prose_block = n.blockish && link_density(n) < 0.15 && w >= 40 &&
                               n.punct * 80 >= w && !chrome_tag(n.tag) &&
                               !class_matches(cls, rules::naming_negative_tokens());
      bool drop = false;
      if (!prose_block && share < 0.5) {
        if (chrome_tag(n.tag))
          drop = true;
        else if (flags(k) & 4)
          drop = true;
        else if (n.blockish && link_density(n) > 0.5 && n.text >= 6)
          drop = true;
        else if ((n.tag == Tag::ul || n.tag == Tag::ol) && link_density(n) > 0.3)
          drop = true;
        else if ((flags(k) & 2) && (link_density(n) > 0.2 || share < 0.25))
          drop = true;
        else if (n.tag == Tag::header && share < 0.25)
          drop = true;
      }
      if (drop) {
        if (trace)
          trace->push_back(
              {"body-excluded",
               std::string("subtree:") + tag_name(n.tag) + (cls.empty() ? "" : "[" + cls + "]"),
               utf8_prefix(fold(doc.text(k)), 200), link_density(n), ""});
        std::fill(c.excluded.begin() + k, c.excluded.begin() + n.end, 1);
        k = n.end - 1;
      }
    }
  }
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
