// Catalog reading: a streaming reader of JSON Lines catalogs (DESIGN.md's record format)
// that validates each line into a tailor::Product.
//
// The reader holds one line at a time, so catalogs of any size stream through in constant
// memory. Each line is parsed on its own with RapidJSON (UTF-8 validated) and checked field by
// field; every error message names the place as "FILE:LINE: field: what", e.g.
// "catalog.jsonl:17: price: must be >= 0". Blank lines are skipped, CRLF line endings and a
// UTF-8 byte order mark on the first line are accepted. Optional fields given as JSON null
// count as absent. Unknown fields are kept in Product::source_json (the whole record as
// compact JSON) and otherwise ignored.
#pragma once

#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/product.h"
#include "core/result.h"

namespace tailor::indexer {

// Which kind of file a line comes from: a `build` catalog holds whole products only; an
// `update` file may also hold {"id": "...", "deleted": true} to remove a product.
enum class CatalogKind { kBuild, kUpdate };

struct CatalogRecord {
  Product product;
  // True for an update's {"id": ..., "deleted": true}: only product.id is set then.
  bool deleted = false;
  // 1-based line number in the file.
  long line = 0;
};

// Validates one catalog line (without its line ending) into a record. `place` prefixes every
// error message, normally "FILE:LINE". Errors: invalid_argument naming the field, or the
// parse error and its byte offset for malformed JSON.
Result<CatalogRecord> ParseCatalogLine(std::string_view line, std::string_view place,
                                       CatalogKind kind);

// Reads a catalog line by line. Not thread-safe; one reader per stream.
class CatalogReader {
 public:
  // Opens a file, or standard input when path is "-" (named "<stdin>" in messages).
  // Errors: not_found when the file cannot be opened.
  static Result<std::unique_ptr<CatalogReader>> Open(const std::string& path, CatalogKind kind);

  // Reads from a stream the caller owns and keeps alive while the reader is used; `name` is
  // the file name used in messages.
  CatalogReader(std::istream& in, std::string name, CatalogKind kind);
  ~CatalogReader();
  CatalogReader(const CatalogReader&) = delete;
  CatalogReader& operator=(const CatalogReader&) = delete;

  // The next non-blank line as a record or as the error that line has; nullopt at the end of
  // the input. A read failure of the stream itself is an unavailable error, after which the
  // reader is at its end.
  std::optional<Result<CatalogRecord>> Next();

  // Lines read so far, blank ones included.
  long lines_read() const { return line_number_; }
  const std::string& name() const { return name_; }

 private:
  std::unique_ptr<std::istream> owned_;
  std::istream* in_;
  std::string name_;
  CatalogKind kind_;
  long line_number_ = 0;
  bool done_ = false;
  std::string line_;
};

}  // namespace tailor::indexer
