// ProfileViewToJson (ranking/profiles/profile.h): the profile as a person reads it.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstdio>
#include <ctime>

#include "ranking/profiles/profile.h"
#include "ranking/profiles/profile_words.h"

namespace tailor::ranking {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// Four decimals are enough for a person and keep the answer short; prices get two (they are
// kept as floats, so 449 would read 448.9999).
double Round(double value) { return std::round(value * 10000.0) / 10000.0; }
double RoundPrice(double value) { return std::round(value * 100.0) / 100.0; }

std::string IsoTime(int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[96];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms % 1000));
  return buffer;
}

void Key(Writer& writer, const char* key) { writer.Key(key); }
void Text(Writer& writer, const std::string& text) {
  writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
}
void Number(Writer& writer, const char* key, double value) {
  writer.Key(key);
  writer.Double(Round(value));
}
void Price(Writer& writer, const char* key, double value) {
  writer.Key(key);
  writer.Double(RoundPrice(value));
}

void Affinities(Writer& writer, const char* key, const char* name,
                const std::vector<ProfileView::Affinity>& affinities) {
  Key(writer, key);
  writer.StartArray();
  for (const ProfileView::Affinity& affinity : affinities) {
    writer.StartObject();
    Key(writer, name);
    Text(writer, affinity.display);
    Number(writer, "affinity", affinity.affinity);
    Number(writer, "weight", affinity.weight);
    writer.EndObject();
  }
  writer.EndArray();
}

void Level(Writer& writer, const ProfileView::PriceLevel& level) {
  writer.StartObject();
  if (!level.key.empty()) {
    Key(writer, "category");
    Text(writer, level.category);
  }
  Price(writer, "typical", level.typical_price());
  Price(writer, "low", std::exp(level.mean_log_price - level.spread_log_price));
  Price(writer, "high", std::exp(level.mean_log_price + level.spread_log_price));
  Number(writer, "weight", level.weight);
  writer.EndObject();
}

void PriceSection(Writer& writer, const ProfileView& view) {
  Key(writer, "price");
  writer.StartObject();
  Key(writer, "overall");
  const bool has_overall = !view.price_levels.empty() && view.price_levels[0].key.empty();
  if (has_overall) {
    Level(writer, view.price_levels[0]);
  } else {
    writer.Null();
  }
  Key(writer, "by_category");
  writer.StartArray();
  for (size_t i = has_overall ? 1 : 0; i < view.price_levels.size(); ++i) {
    Level(writer, view.price_levels[i]);
  }
  writer.EndArray();
  Number(writer, "sensitivity", view.price_sensitivity);
  Number(writer, "discount_share", view.discount_share);
  Number(writer, "above_level_share", view.above_level_share);
  writer.EndObject();
}

void Items(Writer& writer, const char* key, const std::vector<ProfileView::ItemRef>& items,
           bool cart) {
  Key(writer, key);
  writer.StartArray();
  for (const ProfileView::ItemRef& item : items) {
    writer.StartObject();
    Key(writer, "item");
    Text(writer, item.item);
    if (cart) {
      Key(writer, "size");
      Text(writer, item.size);
      Key(writer, "quantity");
      writer.Int(item.quantity);
    }
    if (item.views > 0) {
      Key(writer, "views");
      writer.Int(item.views);
    }
    Price(writer, "price_seen", item.price_seen);
    Key(writer, "at");
    Text(writer, IsoTime(item.at_ms));
    writer.EndObject();
  }
  writer.EndArray();
}

}  // namespace

double ProfileView::PriceLevel::typical_price() const { return std::exp(mean_log_price); }

std::string ProfileViewToJson(const ProfileView& view) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  Key(writer, "visitor");
  Text(writer, view.visitor);
  Key(writer, "updated_at");
  Text(writer, IsoTime(view.updated_ms));
  Number(writer, "events", view.events);
  Affinities(writer, "brands", "brand", view.brands);
  Affinities(writer, "categories", "category", view.categories);
  Affinities(writer, "colors", "color", view.colors);
  PriceSection(writer, view);
  Key(writer, "sizes");
  writer.StartArray();
  for (const ProfileView::SizePreference& size : view.sizes) {
    writer.StartObject();
    Key(writer, "system");
    Text(writer, size.system);
    Key(writer, "size");
    Text(writer, size.display);
    Number(writer, "share", size.share);
    Number(writer, "weight", size.weight);
    writer.EndObject();
  }
  writer.EndArray();
  Items(writer, "recent_views", view.recent_views, /*cart=*/false);
  Items(writer, "cart", view.cart, /*cart=*/true);
  Items(writer, "purchases", view.purchases, /*cart=*/false);
  Key(writer, "in_words");
  writer.StartArray();
  for (const std::string& sentence : ProfileInWords(view)) Text(writer, sentence);
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace tailor::ranking
