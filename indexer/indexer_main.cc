// tailor-indexer: the command line is still to come; the library (indexer/indexer.h) works.
#include <cstdio>

int main() {
  std::fputs("tailor-indexer: command line not implemented yet\n", stderr);
  return 1;
}
