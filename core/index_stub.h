// The Xapian stub file of an index directory (core/index_schema.h: DIR/XAPIANDB naming the
// live generation, "glass gen-3"). The indexer reads it to know the live generation and the
// searcher to know what to open; both read it through this one parser.
//
// Functions are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace tailor {

struct IndexStub {
  struct Entry {
    std::string backend;  // "glass", "auto", "remote", ...
    std::string path;     // the rest of the line, trimmed: for glass, relative to DIR or absolute
  };
  std::string content;         // the file as read, byte for byte
  std::vector<Entry> entries;  // its non-empty lines that are not comments ('#'), in order

  // The database path of a stub naming exactly one local database ("glass gen-3" or
  // "auto gen-3"), resolved against dir; nullopt for any other stub.
  std::optional<std::string> SingleDatabase(const std::string& dir) const;
};

// Reads DIR/XAPIANDB; nullopt when DIR has no stub. Errors: unavailable naming the file
// when it exists but cannot be read.
Result<std::optional<IndexStub>> ReadIndexStub(const std::string& dir);

// Makes DIR/<generation> live: writes "glass <generation>\n" to DIR/XAPIANDB atomically and
// durably (core/files.h, WriteFileAtomically), so a crash leaves the old or the new stub.
// Errors: unavailable naming the stub.
Status WriteIndexStub(const std::string& dir, const std::string& generation);

}  // namespace tailor
