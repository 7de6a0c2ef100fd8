#include "bench/simulator/pool_recall.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "bench/simulator/catalog_model.h"
#include "tools/http_client.h"
#include "bench/simulator/shopper.h"

namespace tailor::simulator {
namespace {

// Shirts in one top and one leaf, unsized and in stock, prices spread out.
Catalog Shirts(int n) {
  std::vector<Product> products;
  for (int i = 0; i < n; ++i) {
    Product product;
    product.id = "s" + std::to_string(i);
    product.title = "Shirt";
    product.price = 500 + 10 * i;
    product.brand = i % 3 == 0 ? "Alpha" : "Beta";
    product.category = {"Men", "Topwear", "Shirts"};
    product.colors = {i % 2 == 0 ? "Blue" : "Red"};
    products.push_back(std::move(product));
  }
  return BuildCatalog(std::move(products));
}

// Answers searches from a fixed text order: the first `ranked` hits carry a final_score
// when explain=true and personalize is not false; honours offset and limit.
class PoolServer final : public Transport {
 public:
  PoolServer(const Catalog& catalog, std::vector<size_t> order, size_t ranked)
      : catalog_(catalog), order_(std::move(order)), ranked_(ranked) {}

  Result<HttpAnswer> Send(std::string_view method, const std::string& target,
                          const std::string&) override {
    if (method != "GET") ++posts_;
    const bool explain = target.find("explain=true") != std::string::npos;
    const bool text = target.find("personalize=false") != std::string::npos;
    const size_t offset = Param(target, "offset"), limit = Param(target, "limit");
    std::string hits;
    for (size_t i = offset; i < order_.size() && i < offset + limit; ++i) {
      if (!hits.empty()) hits += ",";
      hits += "{\"id\":\"" + catalog_.products[order_[i]].id + "\"";
      if (explain) {
        hits += std::string(",\"explain\":{\"text_rank\":1") +
                (!text && i < ranked_ ? ",\"final_score\":0.5" : "") + "}";
      }
      hits += "}";
    }
    return HttpAnswer{200, "{\"request_id\":\"r\",\"hits\":[" + hits + "]}"};
  }
  int posts() const { return posts_; }

 private:
  static size_t Param(const std::string& target, const std::string& name) {
    const size_t at = target.find("&" + name + "=");
    return at == std::string::npos ? 0 : std::stoul(target.substr(at + name.size() + 2));
  }
  const Catalog& catalog_;
  std::vector<size_t> order_;
  size_t ranked_;
  int posts_ = 0;
};

// The catalog's items with the visitor's ideal top 10 last, in ideal order.
std::vector<size_t> IdealLast(const Catalog& catalog, const std::vector<size_t>& ideal) {
  std::vector<size_t> order;
  for (size_t i = 0; i < catalog.products.size(); ++i) {
    if (std::find(ideal.begin(), ideal.end(), i) == ideal.end()) order.push_back(i);
  }
  order.insert(order.end(), ideal.begin(), ideal.end());
  return order;
}

struct Measured {
  SimulationStats stats;
  int posts = 0;
};

Measured Measure(const Catalog& catalog, const Visitor& visitor, const SimulationOptions& options,
                 const std::vector<size_t>& order, size_t ranked) {
  PoolServer server(catalog, order, ranked);
  Measured out;
  const Query query{"shirts", "Shirts", -1, ""};
  EXPECT_TRUE(MeasurePool(catalog, options, visitor, "v1", query, server, out.stats).ok());
  out.posts = server.posts();
  return out;
}

TEST(PoolRecall, CountsTheIdealItemsInTheLeadingRankedRunAndInTheTextTop200) {
  const Catalog catalog = Shirts(240);
  SimulationOptions options;
  const Visitor visitor = MakeVisitor(catalog, options.world, options.seed, 0);
  const Query query{"shirts", "Shirts", -1, ""};
  const std::vector<size_t> ideal =
      IdealTopK(catalog, options.world, visitor, options.seed, query, 10);
  ASSERT_EQ(ideal.size(), 10u);
  const std::vector<size_t> order = IdealLast(catalog, ideal);  // ideal at 230..239

  const Measured all = Measure(catalog, visitor, options, order, 240);
  EXPECT_EQ(all.stats.pool_searches, 1);
  EXPECT_DOUBLE_EQ(all.stats.pool_size_sum, 240);
  EXPECT_DOUBLE_EQ(all.stats.pool_recall_sum, 1.0);
  // Shirts are among the visitor's interests (the catalog's one category): counted as own.
  ASSERT_FALSE(visitor.interests.empty());
  EXPECT_EQ(all.stats.pool_own_searches, 1);
  EXPECT_DOUBLE_EQ(all.stats.pool_own_recall_sum, 1.0);
  Visitor stranger = visitor;
  stranger.interests.clear();
  const Measured other = Measure(catalog, stranger, options, order, 240);
  EXPECT_EQ(other.stats.pool_searches, 1);
  EXPECT_EQ(other.stats.pool_own_searches, 0);
  EXPECT_DOUBLE_EQ(all.stats.text_recall_sum, 0.0);  // the text top 200 stops at 199
  EXPECT_EQ(all.posts, 0);

  const Measured half = Measure(catalog, visitor, options, order, 235);
  EXPECT_DOUBLE_EQ(half.stats.pool_size_sum, 235);
  EXPECT_DOUBLE_EQ(half.stats.pool_recall_sum, 0.5);

  const Measured none = Measure(catalog, visitor, options, order, 0);
  EXPECT_EQ(none.stats.pool_searches, 0);
  EXPECT_EQ(none.stats.pool_unranked, 1);
}

TEST(PoolRecall, IdealTopKIsBestGainFirstAndOnlyRelevantItems) {
  const Catalog catalog = Shirts(240);
  const World world;
  const Visitor visitor = MakeVisitor(catalog, world, 1, 3);
  const Query query{"shirts", "Shirts", -1, ""};
  const std::vector<size_t> ideal = IdealTopK(catalog, world, visitor, 1, query, 10);
  ASSERT_FALSE(ideal.empty());
  for (size_t i = 0; i < ideal.size(); ++i) {
    const int gain = TrueGain(catalog, world, visitor, 1, query, ideal[i]);
    EXPECT_GT(gain, 0);
    if (i > 0) {
      EXPECT_LE(gain, TrueGain(catalog, world, visitor, 1, query, ideal[i - 1]));
    }
  }
  std::vector<long> served(ideal.begin(), ideal.end());
  EXPECT_DOUBLE_EQ(TrueNdcgAtK(catalog, world, visitor, 1, query, served, 10), 1.0);
}

TEST(PoolRecall, BroadQueriesAskForALeafOfMoreThan500Items) {
  const Catalog broad = Shirts(501);
  Rng rng(1);
  std::optional<Query> query = PickBroadQuery(broad, MakeVisitor(broad, World{}, 1, 0), rng);
  ASSERT_TRUE(query.has_value());
  EXPECT_EQ(query->text, "shirts");
  EXPECT_EQ(query->top, -1);
  EXPECT_TRUE(query->brand.empty());
  const Catalog narrow = Shirts(500);
  EXPECT_FALSE(PickBroadQuery(narrow, MakeVisitor(narrow, World{}, 1, 0), rng).has_value());
}

}  // namespace
}  // namespace tailor::simulator
