// The Xapian stub file of an index directory (core/index_schema.h: DIR/XAPIANDB naming the
// live generation, "glass gen-3", or its shards, "glass gen-4/shard-0" one line each). The
// indexer reads it to know the live generation and the searcher to know what to open; both
// read it through this one parser. A searcher's stub may also list shards served by
// xapian-tcpsrv, "remote HOST:PORT" (Xapian's own stub syntax; "remote :PROGRAM ARGS" is
// its pipe method).
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
    // For "remote HOST:PORT" (host may be "[v6]"), the host without brackets and the port;
    // nullopt for any other line (a remote line starting with ':' names a program).
    struct TcpAddress {
      std::string host;
      unsigned port = 0;
    };
    std::optional<TcpAddress> Tcp() const;
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

// Makes the databases live at once: writes "glass <database>\n" per database, in order
// (paths relative to DIR, e.g. "gen-4/shard-0"), atomically and durably like the above.
// Requires: databases not empty.
Status WriteIndexStub(const std::string& dir, const std::vector<std::string>& databases);

}  // namespace tailor
