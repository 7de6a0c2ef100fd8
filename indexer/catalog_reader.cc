#include "indexer/catalog_reader.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <iostream>

#include "core/json.h"

namespace tailor::indexer {
namespace {

using rapidjson::Value;

// Looks fields up in one record and words the errors about them.
class Fields {
 public:
  Fields(const Value& object, std::string_view place) : object_(object), place_(place) {}

  // The member, or nullptr when it is absent or null.
  const Value* Find(std::string_view name) const {
    auto it = object_.FindMember(Value(rapidjson::StringRef(name.data(), name.size())));
    if (it == object_.MemberEnd() || it->value.IsNull()) return nullptr;
    return &it->value;
  }

  Error Fail(std::string_view field, std::string_view what) const {
    std::string message(place_);
    message += ": ";
    message += field;
    message += ": ";
    message += what;
    return Error::InvalidArgument(std::move(message));
  }

 private:
  const Value& object_;
  std::string_view place_;
};

std::string AsString(const Value& value) {
  return std::string(value.GetString(), value.GetStringLength());
}

Status ReadString(const Fields& fields, std::string_view name, std::string* out) {
  const Value* value = fields.Find(name);
  if (value == nullptr) return Status::Ok();
  if (!value->IsString()) return fields.Fail(name, "must be a string");
  *out = AsString(*value);
  return Status::Ok();
}

Status ReadId(const Fields& fields, std::string* out) {
  const Value* value = fields.Find("id");
  if (value == nullptr) return fields.Fail("id", "is required");
  if (!value->IsString()) return fields.Fail("id", "must be a string");
  if (value->GetStringLength() == 0) return fields.Fail("id", "must not be empty");
  if (value->GetStringLength() > Product::kMaxIdBytes) {
    return fields.Fail("id", "must be at most " + std::to_string(Product::kMaxIdBytes) + " bytes");
  }
  *out = AsString(*value);
  return Status::Ok();
}

// What a numeric field accepts.
enum class NumberRange { kAny, kNonNegative, kUnitInterval };

Status ReadNumber(const Fields& fields, std::string_view name, NumberRange range,
                  std::optional<double>* out) {
  const Value* value = fields.Find(name);
  if (value == nullptr) return Status::Ok();
  if (!value->IsNumber()) return fields.Fail(name, "must be a number");
  double number = value->GetDouble();
  if (range == NumberRange::kNonNegative && number < 0) return fields.Fail(name, "must be >= 0");
  if (range == NumberRange::kUnitInterval && (number < 0 || number > 1)) {
    return fields.Fail(name, "must be between 0 and 1");
  }
  *out = number;
  return Status::Ok();
}

// What is wrong with a count of units in stock (a JSON integer >= 0), or nullptr when
// nothing is. Callers name the field only on failure, so valid records build no names.
const char* UnitsProblem(const Value& value) {
  if (value.IsInt64()) return value.GetInt64() < 0 ? "must be >= 0" : nullptr;
  return value.IsUint64() ? "is too large" : "must be an integer";
}

Status ReadStringArray(const Fields& fields, std::string_view name, std::vector<std::string>* out) {
  const Value* value = fields.Find(name);
  if (value == nullptr) return Status::Ok();
  if (!value->IsArray()) return fields.Fail(name, "must be an array of strings");
  for (rapidjson::SizeType i = 0; i < value->Size(); ++i) {
    const Value& element = (*value)[i];
    const char* problem = !element.IsString()              ? "must be a string"
                          : element.GetStringLength() == 0 ? "must not be empty"
                                                           : nullptr;
    if (problem != nullptr) {
      return fields.Fail(std::string(name) + "[" + std::to_string(i) + "]", problem);
    }
    out->push_back(AsString(element));
  }
  return Status::Ok();
}

Status ReadSizes(const Fields& fields, std::map<std::string, long>* out) {
  const Value* value = fields.Find("sizes");
  if (value == nullptr) return Status::Ok();
  if (!value->IsObject()) return fields.Fail("sizes", "must be an object of size -> units");
  for (const auto& member : value->GetObject()) {
    std::string size = AsString(member.name);
    if (size.empty()) return fields.Fail("sizes", "a size name must not be empty");
    if (const char* problem = UnitsProblem(member.value)) {
      return fields.Fail("sizes." + size, problem);
    }
    out->insert_or_assign(std::move(size), static_cast<long>(member.value.GetInt64()));
  }
  return Status::Ok();
}

Status ReadAttributes(const Fields& fields, std::map<std::string, std::string>* out) {
  const Value* value = fields.Find("attributes");
  if (value == nullptr) return Status::Ok();
  if (!value->IsObject()) return fields.Fail("attributes", "must be an object of strings");
  for (const auto& member : value->GetObject()) {
    std::string name = AsString(member.name);
    if (name.empty()) return fields.Fail("attributes", "a name must not be empty");
    if (!member.value.IsString()) return fields.Fail("attributes." + name, "must be a string");
    (*out)[name] = AsString(member.value);
  }
  return Status::Ok();
}

Status ReadCurrency(const Fields& fields, std::string* out) {
  if (Status status = ReadString(fields, "currency", out); !status) return status;
  if (out->empty()) return Status::Ok();
  bool valid = out->size() == 3;
  for (char c : *out) valid = valid && c >= 'A' && c <= 'Z';
  if (!valid) return fields.Fail("currency", "must be a 3-letter ISO 4217 code such as \"EUR\"");
  return Status::Ok();
}

Status ReadProductFields(const Fields& fields, Product* product) {
  const Value* title = fields.Find("title");
  if (title == nullptr) return fields.Fail("title", "is required");
  if (!title->IsString()) return fields.Fail("title", "must be a string");
  product->title = AsString(*title);
  std::optional<double> price;
  if (Status s = ReadNumber(fields, "price", NumberRange::kNonNegative, &price); !s) return s;
  if (!price.has_value()) return fields.Fail("price", "is required");
  product->price = *price;
  Status status = ReadNumber(fields, "list_price", NumberRange::kNonNegative, &product->list_price);
  if (status) status = ReadCurrency(fields, &product->currency);
  if (status) status = ReadString(fields, "brand", &product->brand);
  if (status) status = ReadStringArray(fields, "category", &product->category);
  if (status) status = ReadString(fields, "description", &product->description);
  if (status) status = ReadStringArray(fields, "colors", &product->colors);
  if (status) status = ReadSizes(fields, &product->sizes);
  if (status) status = ReadAttributes(fields, &product->attributes);
  if (status) status = ReadNumber(fields, "margin", NumberRange::kUnitInterval, &product->margin);
  if (status) status = ReadNumber(fields, "popularity", NumberRange::kAny, &product->popularity);
  if (status) status = ReadNumber(fields, "rating", NumberRange::kAny, &product->rating);
  std::string ignored;
  if (status) status = ReadString(fields, "image", &ignored);
  if (status) status = ReadString(fields, "url", &ignored);
  if (!status) return status;
  if (const Value* stock = fields.Find("stock"); stock != nullptr) {
    if (const char* problem = UnitsProblem(*stock)) return fields.Fail("stock", problem);
    product->stock = static_cast<long>(stock->GetInt64());
  }
  return Status::Ok();
}

Status ReadDeleted(const Fields& fields, CatalogKind kind, bool* deleted) {
  const Value* value = fields.Find("deleted");
  if (value == nullptr) return Status::Ok();
  if (!value->IsBool()) return fields.Fail("deleted", "must be true or false");
  *deleted = value->GetBool();
  if (*deleted && kind == CatalogKind::kBuild) {
    return fields.Fail("deleted", "only allowed in update files");
  }
  return Status::Ok();
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

Result<CatalogRecord> ParseCatalogLine(std::string_view line, std::string_view place,
                                       CatalogKind kind) {
  // Most records fit in these buffers, so parsing a line usually allocates nothing.
  char value_buffer[16384];
  char parse_buffer[2048];
  rapidjson::MemoryPoolAllocator<> value_allocator(value_buffer, sizeof value_buffer);
  rapidjson::MemoryPoolAllocator<> parse_allocator(parse_buffer, sizeof parse_buffer);
  using Document = rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>,
                                              rapidjson::MemoryPoolAllocator<>>;
  Document doc(&value_allocator, sizeof parse_buffer, &parse_allocator);
  if (Status parsed = ParseJson<rapidjson::kParseValidateEncodingFlag>(line, std::string(place), doc); !parsed.ok()) {
    return parsed.error();
  }
  if (!doc.IsObject()) {
    return Error::InvalidArgument(std::string(place) + ": record: must be a JSON object");
  }
  Fields fields(doc, place);
  CatalogRecord record;
  if (Status s = ReadId(fields, &record.product.id); !s) return s.error();
  if (Status s = ReadDeleted(fields, kind, &record.deleted); !s) return s.error();
  if (record.deleted) return record;
  if (Status s = ReadProductFields(fields, &record.product); !s) return s.error();
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  record.product.source_json.assign(buffer.GetString(), buffer.GetSize());
  return record;
}

Result<std::unique_ptr<CatalogReader>> CatalogReader::Open(const std::string& path,
                                                           CatalogKind kind) {
  if (path == "-") return std::make_unique<CatalogReader>(std::cin, "<stdin>", kind);
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!file->is_open()) return Error::NotFound(path + ": cannot open catalog file");
  auto reader = std::make_unique<CatalogReader>(*file, path, kind);
  reader->owned_ = std::move(file);
  return reader;
}

CatalogReader::CatalogReader(std::istream& in, std::string name, CatalogKind kind)
    : in_(&in), name_(std::move(name)), kind_(kind) {}

CatalogReader::~CatalogReader() = default;

std::optional<Result<CatalogRecord>> CatalogReader::Next() {
  while (!done_) {
    if (!std::getline(*in_, line_)) {
      done_ = true;
      if (in_->bad()) {
        return Result<CatalogRecord>(
            Error::Unavailable(name_ + ":" + std::to_string(line_number_ + 1) + ": read error"));
      }
      return std::nullopt;
    }
    ++line_number_;
    std::string_view line = line_;
    if (line_number_ == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (IsBlank(line)) continue;
    std::string place = name_ + ":" + std::to_string(line_number_);
    Result<CatalogRecord> record = ParseCatalogLine(line, place, kind_);
    if (record.ok()) record->line = line_number_;
    return record;
  }
  return std::nullopt;
}

}  // namespace tailor::indexer
