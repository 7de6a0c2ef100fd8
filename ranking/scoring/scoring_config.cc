#include "ranking/scoring/scoring_config.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include "core/files.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/event.h"
#include "core/json_options.h"
#include "core/text.h"

namespace tailor::ranking {
namespace {

using rapidjson::Value;

std::string_view View(const Value& value) { return {value.GetString(), value.GetStringLength()}; }

std::string Quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string FormatNumber(double number) {
  std::ostringstream text;
  text << number;
  return text.str();
}

Status ReadIntIn(const Value& value, const std::string& path, int min_value, int max_value,
                 int& out) {
  if (!value.IsInt() || value.GetInt() < min_value || value.GetInt() > max_value) {
    return Error::InvalidArgument(path + ": must be in [" + std::to_string(min_value) + ", " +
                                  std::to_string(max_value) + "]");
  }
  out = value.GetInt();
  return Status::Ok();
}

// A non-empty string, NormalizeKeyword()ed; empty after normalizing is refused too.
Status ReadKeyword(const Value& value, const std::string& path, std::string& out) {
  if (!value.IsString()) return Error::InvalidArgument(path + ": must be a string");
  out = NormalizeKeyword(View(value));
  if (out.empty()) return Error::InvalidArgument(path + ": must not be empty");
  return Status::Ok();
}

Status ReadInstant(const Value& value, const std::string& path, std::optional<int64_t>& out) {
  if (value.IsInt64() && value.GetInt64() >= 0) {
    out = value.GetInt64();
    return Status::Ok();
  }
  if (value.IsString()) {
    Result<int64_t> parsed = ParseIsoTimestampMs(View(value));
    if (!parsed.ok()) return parsed.error().WithPrefix(path);
    out = *parsed;
    return Status::Ok();
  }
  return Error::InvalidArgument(path + ": must be an ISO 8601 time or epoch milliseconds >= 0");
}

// "Women/Shoes" or ["Women", "Shoes"] -> "women/shoes", the ItemTable's category key.
Status ReadCategory(const Value& value, const std::string& path, std::string& out) {
  std::vector<std::string> levels;
  if (value.IsString()) {
    levels = Split(View(value), '/');
  } else if (value.IsArray() && !value.Empty()) {
    for (const Value& level : value.GetArray()) {
      if (!level.IsString()) return Error::InvalidArgument(path + ": levels must be strings");
      levels.emplace_back(View(level));
    }
  } else {
    return Error::InvalidArgument(path + ": must be a path \"A/B\" or a non-empty array of levels");
  }
  for (std::string& level : levels) {
    level = NormalizeKeyword(level);
    if (level.empty()) return Error::InvalidArgument(path + ": has an empty level");
  }
  out = Join(levels, '/');
  return Status::Ok();
}

// An array of category paths, each as ReadCategory reads one.
Status ReadCategories(const Value& value, const std::string& path, std::vector<std::string>& out) {
  if (!value.IsArray()) return Error::InvalidArgument(path + ": must be an array of category paths");
  out.clear();
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    std::string key;
    if (Status status = ReadCategory(value[i], path + "[" + std::to_string(i) + "]", key);
        !status.ok()) {
      return status;
    }
    out.push_back(std::move(key));
  }
  return Status::Ok();
}

Status ReadIds(const Value& value, const std::string& path, std::vector<std::string>& out) {
  if (!value.IsArray() || value.Empty()) {
    return Error::InvalidArgument(path + ": must be a non-empty array of product ids");
  }
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    if (!value[i].IsString() || value[i].GetStringLength() == 0) {
      return Error::InvalidArgument(path + "[" + std::to_string(i) +
                                    "]: must be a non-empty string");
    }
    out.emplace_back(View(value[i]));
  }
  return Status::Ok();
}

Status ReadMatch(const Value& value, const std::string& path, RuleMatch& match) {
  json_options::Reader<RuleMatch> reader;
  reader
      .Custom("ids", [](const Value& v, RuleMatch& m,
                        const std::string& p) { return ReadIds(v, p, m.ids); })
      .Custom("brand", [](const Value& v, RuleMatch& m,
                          const std::string& p) { return ReadKeyword(v, p, m.brand); })
      .Custom("category", [](const Value& v, RuleMatch& m, const std::string& p) {
        return ReadCategory(v, p, m.category);
      });
  if (Status status = reader.Read(value, path, match); !status.ok()) return status;
  if (match.ids.empty() && match.brand.empty() && match.category.empty()) {
    return Error::InvalidArgument(path + ": must name ids, brand or category");
  }
  return Status::Ok();
}

Status ReadQueries(const Value& value, const std::string& path, std::vector<std::string>& out) {
  if (!value.IsArray() || value.Empty()) {
    return Error::InvalidArgument(path + ": must be a non-empty array of queries");
  }
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    std::string query;
    if (Status status = ReadKeyword(value[i], path + "[" + std::to_string(i) + "]", query);
        !status.ok()) {
      return status;
    }
    out.push_back(std::move(query));
  }
  return Status::Ok();
}

Status ReadAction(const Value& value, const std::string& path, RuleAction& out) {
  for (RuleAction action : {RuleAction::kBoost, RuleAction::kBury, RuleAction::kPin}) {
    if (value.IsString() && View(value) == RuleActionName(action)) {
      out = action;
      return Status::Ok();
    }
  }
  std::string given = value.IsString() ? Quote(View(value)) : std::string("value");
  return Error::InvalidArgument(path + ": unknown " + given + " (boost, bury, pin)");
}

// The checks that depend on several keys of a rule, once all of them are read.
Status CheckRule(const Value& json, const std::string& path, const BusinessRule& rule) {
  if (!json.HasMember("action")) return Error::InvalidArgument(path + ".action: required");
  if (!json.HasMember("match")) return Error::InvalidArgument(path + ".match: required");
  const bool boost = rule.action == RuleAction::kBoost;
  const bool pin = rule.action == RuleAction::kPin;
  if (boost != json.HasMember("weight")) {
    return Error::InvalidArgument(
        path + ".weight: " + (boost ? "required for boost" : "only boost rules take one"));
  }
  if (pin != json.HasMember("position")) {
    return Error::InvalidArgument(
        path + ".position: " + (pin ? "required for pin" : "only pin rules take one"));
  }
  if (rule.from_ms && rule.until_ms && !(*rule.from_ms < *rule.until_ms)) {
    return Error::InvalidArgument(path + ".until: must be after from");
  }
  return Status::Ok();
}

Result<BusinessRule> ReadRule(const Value& json, const std::string& path) {
  json_options::Reader<BusinessRule> reader;
  reader.String("name", &BusinessRule::name)
      .Custom("action", [](const Value& v, BusinessRule& r,
                           const std::string& p) { return ReadAction(v, p, r.action); })
      .Double("weight", &BusinessRule::weight, 0, 1000, json_options::Bound::kExclusive)
      .Custom("position", [](const Value& v, BusinessRule& r,
                             const std::string& p) { return ReadIntIn(v, p, 0, 99, r.position); })
      .Custom("match", [](const Value& v, BusinessRule& r,
                          const std::string& p) { return ReadMatch(v, p, r.match); })
      .Custom("queries", [](const Value& v, BusinessRule& r,
                            const std::string& p) { return ReadQueries(v, p, r.queries); })
      .Custom("from", [](const Value& v, BusinessRule& r,
                         const std::string& p) { return ReadInstant(v, p, r.from_ms); })
      .Custom("until", [](const Value& v, BusinessRule& r, const std::string& p) {
        return ReadInstant(v, p, r.until_ms);
      });
  BusinessRule rule;
  if (Status status = reader.Read(json, path, rule); !status.ok()) return status.error();
  if (Status status = CheckRule(json, path, rule); !status.ok()) return status.error();
  return rule;
}

Status ReadRules(const Value& value, const std::string& path, std::vector<BusinessRule>& out) {
  if (!value.IsArray()) return Error::InvalidArgument(path + ": must be an array");
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    const std::string rule_path = path + "[" + std::to_string(i) + "]";
    Result<BusinessRule> rule = ReadRule(value[i], rule_path);
    if (!rule.ok()) return rule.error();
    for (size_t j = 0; j < out.size() && !rule->name.empty(); ++j) {
      if (out[j].name == rule->name) {
        return Error::InvalidArgument(rule_path + ".name: " + Quote(rule->name) +
                                      " is also the name of rules[" + std::to_string(j) + "]");
      }
    }
    out.push_back(std::move(*rule));
  }
  return Status::Ok();
}

Status ReadBusiness(const Value& value, const std::string& path, BusinessConfig& business) {
  json_options::Reader<BusinessConfig> reader;
  reader.Double("margin_weight", &BusinessConfig::margin_weight, 0, 100)
      .Custom("rules", [](const Value& v, BusinessConfig& b, const std::string& p) {
        return ReadRules(v, p, b.rules);
      });
  return reader.Read(value, path, business);
}

Status ReadGuardrails(const Value& value, const std::string& path, Guardrails& guardrails) {
  json_options::Reader<Guardrails> reader;
  reader.Int("max_boosted_in_top10", &Guardrails::max_boosted_in_top10, 0, 10)
      .Bool("size_guard", &Guardrails::size_guard);
  return reader.Read(value, path, guardrails);
}

Status ReadModel(const Value& value, const std::string& path, const std::string& base_dir,
                 std::string& out) {
  if (value.IsNull()) {
    out.clear();
    return Status::Ok();
  }
  if (!value.IsString() || value.GetStringLength() == 0) {
    return Error::InvalidArgument(path + ": must be a file path, or null for no model");
  }
  std::filesystem::path model(std::string(View(value)));
  if (model.is_relative() && !base_dir.empty()) model = std::filesystem::path(base_dir) / model;
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(model, error);
  if (error) return Error::InvalidArgument(path + ": cannot resolve: " + error.message());
  out = absolute.lexically_normal().string();
  return Status::Ok();
}

Result<VariantConfig> ReadVariant(const Value& json, const std::string& path,
                                  const std::string& base_dir) {
  json_options::Reader<VariantConfig> reader;
  reader
      .Custom("candidate_depth",
              [](const Value& v, VariantConfig& c, const std::string& p) {
                return ReadIntIn(v, p, 1, 1000, c.candidate_depth);
              })
      .Custom("personal_depth",
              [](const Value& v, VariantConfig& c, const std::string& p) {
                return ReadIntIn(v, p, 0, 1000, c.personal_depth);
              })
      .Custom("personal_scan_depth",
              [](const Value& v, VariantConfig& c, const std::string& p) {
                return ReadIntIn(v, p, 1, 1000, c.personal_scan_depth);
              })
      .Custom("model",
              [&base_dir](const Value& v, VariantConfig& c, const std::string& p) {
                return ReadModel(v, p, base_dir, c.model_path);
              })
      .Custom("first_phase_model",
              [&base_dir](const Value& v, VariantConfig& c, const std::string& p) {
                return ReadModel(v, p, base_dir, c.first_phase_model_path);
              })
      .Double("min_size_share", &VariantConfig::min_size_share, 0, 1)
      .Custom("repurchase_categories",
              [](const Value& v, VariantConfig& c, const std::string& p) {
                return ReadCategories(v, p, c.repurchase_categories);
              })
      .Custom("explore_top",
              [](const Value& v, VariantConfig& c, const std::string& p) {
                return ReadIntIn(v, p, 0, 1000, c.explore_top);
              })
      .Custom("business", [](const Value& v, VariantConfig& c,
                             const std::string& p) { return ReadBusiness(v, p, c.business); })
      .Custom("guardrails", [](const Value& v, VariantConfig& c, const std::string& p) {
        return ReadGuardrails(v, p, c.guardrails);
      });
  VariantConfig variant;
  if (Status status = reader.Read(json, path, variant); !status.ok()) return status.error();
  return variant;
}

Status ReadVariants(const Value& value, const std::string& base_dir,
                    std::vector<VariantConfig>& out) {
  if (!value.IsObject() || value.MemberCount() == 0) {
    return Error::InvalidArgument("variants: must be an object with at least one variant");
  }
  for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
    std::string name(View(it->name));
    const std::string path = "variants." + name;
    if (name.empty()) return Error::InvalidArgument("variants: a variant name is empty");
    for (const VariantConfig& seen : out) {
      if (seen.name == name) return Error::InvalidArgument(path + ": named twice");
    }
    Result<VariantConfig> variant = ReadVariant(it->value, path, base_dir);
    if (!variant.ok()) return variant.error();
    variant->name = std::move(name);
    out.push_back(std::move(*variant));
  }
  return Status::Ok();
}

// Reads the entries; which variants exist is checked once every key is read.
Status ReadSplit(const Value& value, std::vector<VariantShare>& out) {
  if (!value.IsArray() || value.Empty()) {
    return Error::InvalidArgument("split: must be a non-empty array");
  }
  json_options::Reader<VariantShare> reader;
  reader.String("variant", &VariantShare::variant)
      .Double("share", &VariantShare::share, 0, 1, json_options::Bound::kExclusive);
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    const std::string path = "split[" + std::to_string(i) + "]";
    VariantShare entry;
    if (Status status = reader.Read(value[i], path, entry); !status.ok()) return status;
    if (!value[i].HasMember("variant")) return Error::InvalidArgument(path + ".variant: required");
    if (!value[i].HasMember("share")) return Error::InvalidArgument(path + ".share: required");
    out.push_back(std::move(entry));
  }
  return Status::Ok();
}

struct Draft {
  std::string default_variant = "default";
  std::vector<VariantConfig> variants;
  std::vector<VariantShare> split;
};

bool HasVariant(const Draft& draft, const std::string& name) {
  return std::any_of(draft.variants.begin(), draft.variants.end(),
                     [&](const VariantConfig& v) { return v.name == name; });
}

Status CheckDraft(const Value& json, Draft& draft) {
  if (!json.HasMember("variants")) return Error::InvalidArgument("variants: required");
  if (!HasVariant(draft, draft.default_variant)) {
    return Error::InvalidArgument("default_variant: " + Quote(draft.default_variant) +
                                  " is not a variant");
  }
  if (draft.split.empty()) {
    draft.split.push_back({draft.default_variant, 1.0});
    return Status::Ok();
  }
  double sum = 0;
  for (size_t i = 0; i < draft.split.size(); ++i) {
    const std::string path = "split[" + std::to_string(i) + "].variant";
    const std::string& name = draft.split[i].variant;
    if (!HasVariant(draft, name)) {
      return Error::InvalidArgument(path + ": " + Quote(name) + " is not a variant");
    }
    for (size_t j = 0; j < i; ++j) {
      if (draft.split[j].variant == name) {
        return Error::InvalidArgument(path + ": " + Quote(name) + " is also split[" +
                                      std::to_string(j) + "]");
      }
    }
    sum += draft.split[i].share;
  }
  if (std::abs(sum - 1.0) > 1e-6) {
    return Error::InvalidArgument("split: shares sum to " + FormatNumber(sum) + ", must be 1");
  }
  return Status::Ok();
}

Result<Draft> ReadDraft(const Value& json, const std::string& base_dir) {
  if (!json.IsObject()) return Error::InvalidArgument("must be a JSON object");
  json_options::Reader<Draft> reader;
  reader.String("default_variant", &Draft::default_variant)
      .Custom("variants",
              [&base_dir](const Value& v, Draft& d, const std::string&) {
                return ReadVariants(v, base_dir, d.variants);
              })
      .Custom("split",
              [](const Value& v, Draft& d, const std::string&) { return ReadSplit(v, d.split); });
  Draft draft;
  if (Status status = reader.Read(json, "", draft); !status.ok()) return status.error();
  if (Status status = CheckDraft(json, draft); !status.ok()) return status.error();
  return draft;
}

// FNV-1a's high bits mix poorly for short keys that differ only at the end ("v1", "v2"), so
// the hash goes through MurmurHash3's 64-bit finalizer before it becomes a fraction.
double SplitPoint(std::string_view visitor) {
  return static_cast<double>(MixedFnv1a64(visitor) >> 11) * 0x1.0p-53;  // [0, 1)
}

}  // namespace

const char* RuleActionName(RuleAction action) {
  switch (action) {
    case RuleAction::kBury:
      return "bury";
    case RuleAction::kPin:
      return "pin";
    case RuleAction::kBoost:
      break;
  }
  return "boost";
}

bool BusinessRule::ActiveAt(int64_t now_ms) const {
  return (!from_ms || now_ms >= *from_ms) && (!until_ms || now_ms < *until_ms);
}

bool BusinessRule::AppliesToQuery(std::string_view normalized_query) const {
  return queries.empty() ||
         std::find(queries.begin(), queries.end(), normalized_query) != queries.end();
}

const VariantConfig* ScoringConfig::Find(std::string_view name) const {
  for (const VariantConfig& variant : variants_) {
    if (variant.name == name) return &variant;
  }
  return nullptr;
}

const VariantConfig& ScoringConfig::ChooseVariant(std::string_view visitor) const {
  const std::string* chosen = &default_variant_;
  if (!visitor.empty()) {
    const double point = SplitPoint(visitor);
    double cumulative = 0;
    chosen = &split_.back().variant;  // when rounding leaves the shares' sum just under 1
    for (const VariantShare& entry : split_) {
      cumulative += entry.share;
      if (point < cumulative) {
        chosen = &entry.variant;
        break;
      }
    }
  }
  const VariantConfig* variant = Find(*chosen);
  assert(variant != nullptr);  // the parser checked every name
  return *variant;
}

Result<ScoringConfig> ParseScoringConfig(std::string_view json, const std::string& origin,
                                         const std::string& base_dir) {
  rapidjson::Document document;
  if (Status parsed = ParseJson(json, origin, document); !parsed.ok()) {
    return parsed.error();
  }
  Result<Draft> draft = ReadDraft(document, base_dir);
  if (!draft.ok()) return draft.error().WithPrefix(origin);
  ScoringConfig config;
  config.origin_ = origin;
  config.default_variant_ = std::move(draft->default_variant);
  config.variants_ = std::move(draft->variants);
  config.split_ = std::move(draft->split);
  return config;
}

Result<ScoringConfig> LoadScoringConfig(const std::string& path) {
  Result<std::string> contents = ReadFile(path);
  if (!contents.ok()) return contents.error();
  std::string base_dir = std::filesystem::path(path).parent_path().string();
  if (base_dir.empty()) base_dir = ".";
  return ParseScoringConfig(*contents, path, base_dir);
}

}  // namespace tailor::ranking
