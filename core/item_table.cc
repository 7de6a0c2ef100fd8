#include "core/item_table.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cctype>
#include <cmath>
#include <utility>

#include "core/text.h"

namespace tailor {

std::optional<ItemTable::Row> ItemTable::Find(std::string_view product_id) const {
  auto it = rows_by_id_.find(std::string(product_id));
  if (it == rows_by_id_.end()) return std::nullopt;
  return it->second;
}

int32_t ItemTable::FindKey(Dict dict, std::string_view normalized_key) const {
  const auto& ids = dicts_[dict].ids;
  auto it = ids.find(std::string(normalized_key));
  return it == ids.end() ? kNone : it->second;
}

int32_t ItemTable::FindWord(std::string_view word) const {
  auto it = word_ids_.find(word);
  return it == word_ids_.end() ? kNone : it->second;
}

ItemTable::WordForms ItemTable::FindWordForms(std::string_view word) const {
  WordForms forms;
  auto add = [&](std::string_view candidate) {
    if (candidate.empty()) return;  // titles have no empty words
    const int32_t id = FindWord(candidate);
    if (id != kNone && !forms.Has(id)) forms.ids[forms.count++] = id;
  };
  add(word);
  add(std::string(word) + "s");
  add(std::string(word) + "es");
  if (word.ends_with("s")) add(word.substr(0, word.size() - 1));
  if (word.ends_with("es")) add(word.substr(0, word.size() - 2));
  return forms;
}

double ItemTable::discount(Row row) const {
  const RowData& data = rows_[row];
  if (data.list_price <= data.price || data.list_price <= 0) return 0;
  return 1.0 - data.price / data.list_price;
}

std::optional<long> ItemTable::stock(Row row) const {
  long units = rows_[row].stock;
  return units < 0 ? std::nullopt : std::optional<long>(units);
}

ItemFacts ItemTable::Facts(Row row) const {
  ItemFacts facts;
  if (brand(row) != kNone) facts.brand = Display(kBrand, brand(row));
  // Category ids are path prefixes ("Men", "Men/Shoes"): each level is what one adds.
  size_t previous = 0;
  for (int32_t id : categories(row)) {
    const std::string& path = Display(kCategory, id);
    facts.category.push_back(previous == 0 ? path : path.substr(previous + 1));
    previous = path.size();
  }
  for (int32_t id : colors(row)) facts.colors.push_back(Display(kColor, id));
  for (int32_t id : sizes(row)) facts.sizes.push_back(Display(kSize, id));
  facts.price = price(row);
  facts.list_price = list_price(row);
  return facts;
}

int32_t ItemTableBuilder::Intern(ItemTable::Dict dict, std::string_view display) {
  auto [cached, fresh] = seen_[dict].try_emplace(std::string(display), ItemTable::kNone);
  if (!fresh) return cached->second;
  std::string key = NormalizeKeyword(display);
  if (key.empty()) return ItemTable::kNone;  // cached as kNone too
  ItemTable::Dictionary& dictionary = table_->dicts_[dict];
  auto [it, inserted] =
      dictionary.ids.emplace(key, static_cast<int32_t>(dictionary.keys.size()));
  if (inserted) {
    dictionary.keys.push_back(std::move(key));
    dictionary.display.emplace_back(display);
  }
  cached->second = it->second;
  return it->second;
}

std::string TitleWords(std::string_view text) {
  std::string words;
  words.reserve(text.size());
  bool in_word = false;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    const bool word_char = std::isalnum(u) != 0 || u >= 0x80;
    if (word_char) {
      if (!in_word && !words.empty()) words += ' ';
      words += static_cast<char>(u < 0x80 ? std::tolower(u) : u);
    }
    in_word = word_char;
  }
  return words;
}

void ItemTableBuilder::Set(ItemTable::Row row, const Product& product) {
  assert(table_ != nullptr);
  ItemTable& table = *table_;
  if (row >= table.rows_.size()) {
    table.rows_.resize(row + 1);
    table.ids_.resize(row + 1);
    table.titles_.resize(row + 1);
  }
  assert(!table.rows_[row].present);
  ItemTable::RowData& data = table.rows_[row];
  data.present = true;
  data.brand = product.brand.empty() ? ItemTable::kNone : Intern(ItemTable::kBrand, product.brand);
  auto begin = [&table] { return static_cast<uint32_t>(table.pool_.size()); };
  auto close = [&table](ItemTable::Range& range) {
    range.count = static_cast<uint32_t>(table.pool_.size()) - range.begin;
  };

  // Category ids: one per path prefix, keys joined by '/' like the filter terms.
  data.categories.begin = begin();
  std::string display;
  std::string key;
  for (const std::string& level : product.category) {
    std::string level_key = NormalizeKeyword(level);
    if (level_key.empty()) break;
    display += display.empty() ? level : "/" + level;
    key += key.empty() ? level_key : "/" + level_key;
    ItemTable::Dictionary& dictionary = table.dicts_[ItemTable::kCategory];
    auto [it, inserted] =
        dictionary.ids.emplace(key, static_cast<int32_t>(dictionary.keys.size()));
    if (inserted) {
      dictionary.keys.push_back(key);
      dictionary.display.push_back(display);
    }
    table.pool_.push_back(it->second);
  }
  close(data.categories);

  data.colors.begin = begin();
  for (const std::string& color : product.colors) {
    int32_t id = Intern(ItemTable::kColor, color);
    if (id != ItemTable::kNone) table.pool_.push_back(id);
  }
  close(data.colors);

  data.sizes.begin = begin();
  for (const auto& [size, units] : product.sizes) {
    int32_t id = Intern(ItemTable::kSize, size);
    if (id != ItemTable::kNone) table.pool_.push_back(id);
  }
  close(data.sizes);
  data.in_stock.begin = begin();
  for (const auto& [size, units] : product.sizes) {
    if (units <= 0) continue;
    int32_t id = Intern(ItemTable::kSize, size);
    if (id != ItemTable::kNone) table.pool_.push_back(id);
  }
  close(data.in_stock);

  data.price = product.price;
  data.list_price = product.list_price ? *product.list_price : product.price;
  data.popularity = product.popularity.value_or(ItemTable::kMissing);
  data.rating = product.rating.value_or(ItemTable::kMissing);
  data.margin = product.margin.value_or(ItemTable::kMissing);
  std::optional<long> stock = product.stock ? product.stock : product.TotalStock();
  data.stock = stock ? std::max<long>(*stock, 0) : -1;
  table.ids_[row] = product.id;
  table.titles_[row] = TitleWords(product.title);
  InternTitleWords(row);
  table.rows_by_id_.emplace(product.id, row);
}

void ItemTableBuilder::InternTitleWords(ItemTable::Row row) {
  ItemTable& table = *table_;
  ItemTable::RowData& data = table.rows_[row];
  std::string_view words = table.titles_[row];
  data.title_words.begin = static_cast<uint32_t>(table.pool_.size());
  while (!words.empty()) {
    const size_t space = words.find(' ');
    const std::string_view word = words.substr(0, space);
    auto it = table.word_ids_.find(word);
    if (it == table.word_ids_.end()) {
      it = table.word_ids_.emplace(word, static_cast<int32_t>(table.word_ids_.size())).first;
      table.word_has_digit_.push_back(HasDigit(word));
    }
    table.pool_.push_back(it->second);
    if (space == std::string_view::npos) break;
    words.remove_prefix(space + 1);
  }
  data.title_words.count = static_cast<uint32_t>(table.pool_.size()) - data.title_words.begin;
}

std::shared_ptr<const ItemTable> ItemTableBuilder::Finish() {
  assert(table_ != nullptr);
  ItemTable& table = *table_;
  static std::atomic<uint64_t> instances{0};
  table.instance_ = ++instances;
  // Median log price per category path prefix, for prices relative to their category.
  std::vector<std::vector<double>> log_prices(table.dicts_[ItemTable::kCategory].keys.size());
  for (ItemTable::Row row = 0; row < table.rows_.size(); ++row) {
    if (!table.rows_[row].present || table.rows_[row].price <= 0) continue;
    const double log_price = std::log(table.rows_[row].price);
    for (int32_t category : table.categories(row)) log_prices[category].push_back(log_price);
  }
  table.category_log_price_.assign(log_prices.size(), ItemTable::kMissing);
  for (size_t id = 0; id < log_prices.size(); ++id) {
    std::vector<double>& values = log_prices[id];
    if (values.empty()) continue;
    auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    table.category_log_price_[id] = *middle;
  }
  table.pool_.shrink_to_fit();
  return std::exchange(table_, nullptr);
}

}  // namespace tailor
