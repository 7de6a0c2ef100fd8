// A random shop for the searcher suites that compare against brute force or against another
// searcher: products with random titles of four words, brands, category paths, colours,
// sizes with stock and prices, and random requests over them.
#pragma once

#include <map>
#include <random>
#include <string>
#include <vector>

#include "searcher/searcher.h"

namespace tailor::searcher::testing {

inline const std::vector<std::string> kBrands = {"Nike", "Adidas", "Puma", "Reebok", "Asics", "Fila"};
inline const std::vector<std::string> kColors = {"Black", "White", "Red", "Blue", "Green"};
inline const std::vector<std::string> kSizes = {"S", "M", "L", "XL"};
inline const std::vector<std::string> kTops = {"Men", "Women", "Kids"};
inline const std::vector<std::string> kSubs = {"Shoes", "Jackets", "Shirts"};
inline const std::vector<std::string> kWords = {"alpha", "bravo", "charlie", "delta"};

struct Record {
  std::string id;
  std::string title;
  std::string brand;                  // empty: none
  std::vector<std::string> category;  // levels
  std::vector<std::string> colors;
  std::map<std::string, int> sizes;  // size -> units
  int price = 0;
};

template <typename T>
const T& Pick(const std::vector<T>& values, std::mt19937& rng) {
  return values[std::uniform_int_distribution<size_t>(0, values.size() - 1)(rng)];
}

inline bool Chance(double p, std::mt19937& rng) { return std::bernoulli_distribution(p)(rng); }

// Up to `most` distinct values of `values`, at least one.
inline std::vector<std::string> SomeOf(const std::vector<std::string>& values, int most,
                                std::mt19937& rng) {
  std::vector<std::string> shuffled = values;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  shuffled.resize(std::uniform_int_distribution<int>(1, most)(rng));
  return shuffled;
}

inline std::vector<Record> RandomRecords(int count, std::mt19937& rng) {
  std::vector<Record> records;
  for (int i = 0; i < count; ++i) {
    Record record;
    record.id = "r" + std::to_string(i);
    record.title = Pick(kWords, rng) + " " + Pick(kWords, rng);
    if (!Chance(0.1, rng)) record.brand = Pick(kBrands, rng);
    if (!Chance(0.1, rng)) {
      record.category.push_back(Pick(kTops, rng));
      if (!Chance(0.2, rng)) record.category.push_back(Pick(kSubs, rng));
    }
    if (!Chance(0.1, rng)) record.colors = SomeOf(kColors, 2, rng);
    for (const std::string& size : SomeOf(kSizes, 3, rng)) {
      record.sizes[size] = std::uniform_int_distribution<int>(0, 2)(rng);
    }
    record.price = std::uniform_int_distribution<int>(5, 300)(rng);
    records.push_back(std::move(record));
  }
  return records;
}

inline std::string Quoted(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ",\"" : "\"") + values[i] + "\"";
  return out + "]";
}

inline std::string JsonLine(const Record& record) {
  std::string line = R"({"id":")" + record.id + R"(","title":")" + record.title + R"(","price":)" +
                     std::to_string(record.price);
  if (!record.brand.empty()) line += R"(,"brand":")" + record.brand + "\"";
  if (!record.category.empty()) line += R"(,"category":)" + Quoted(record.category);
  if (!record.colors.empty()) line += R"(,"colors":)" + Quoted(record.colors);
  line += R"(,"sizes":{)";
  bool first = true;
  for (const auto& [size, units] : record.sizes) {
    line += (first ? "\"" : ",\"") + size + "\":" + std::to_string(units);
    first = false;
  }
  return line + "}}";
}

inline SearchRequest RandomRequest(std::mt19937& rng) {
  SearchRequest request;
  if (Chance(0.3, rng)) request.query = Pick(kWords, rng);
  if (Chance(0.5, rng)) {
    request.brands = SomeOf(kBrands, 2, rng);
    if (Chance(0.1, rng)) request.brands.push_back("Nobrand");  // in no record
  }
  if (Chance(0.4, rng)) {
    request.categories = {Pick(kTops, rng)};
    if (Chance(0.5, rng)) request.categories[0] += "/" + Pick(kSubs, rng);
  }
  if (Chance(0.4, rng)) request.colors = SomeOf(kColors, 2, rng);
  if (Chance(0.4, rng)) request.sizes = SomeOf(kSizes, 2, rng);
  if (Chance(0.3, rng)) request.price_min = std::uniform_int_distribution<int>(0, 200)(rng);
  if (Chance(0.3, rng)) {
    request.price_max =
        request.price_min.value_or(0) + std::uniform_int_distribution<int>(0, 200)(rng);
  }
  request.in_stock_only = Chance(0.3, rng);
  request.limit = 5;
  return request;
}

inline std::string Describe(const SearchRequest& request) {
  return "q=" + request.query + " brand=" + Quoted(request.brands) +
         " category=" + Quoted(request.categories) + " color=" + Quoted(request.colors) +
         " size=" + Quoted(request.sizes) +
         " price=" + std::to_string(request.price_min.value_or(-1)) + ".." +
         std::to_string(request.price_max.value_or(-1)) +
         " in_stock=" + std::to_string(request.in_stock_only);
}

}  // namespace tailor::searcher::testing
