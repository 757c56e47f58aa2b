// Internals of the reader shared by archive.cc and verify.cc: section access,
// the block table, the lookup indexes and the decoded-block caches.
#pragma once

#include <zstd.h>

#include <atomic>
#include <list>
#include <mutex>
#include <unordered_map>

#include "reader/archive.h"
#include "reader/bodies_block.h"
#include "reader/mapped_file.h"

namespace quire {

struct BlockInfo {
  uint64_t number = 0, offset = 0, length = 0, first_record = 0;
  uint32_t record_count = 0, dictionary = 0;
};

struct CatalogBlock {
  uint64_t number = 0;
  BlockPrelude prelude;
  std::vector<uint64_t> words;  // the decoded BlockCatalog message (8-aligned); its shape is checked
  // Per record: 1 once check_record passed (ArchiveImpl::article).
  std::unique_ptr<std::atomic<uint8_t>[]> checked;
  uint64_t bytes_used() const { return words.size() * 8; }
};

struct AnnotationsBlock {
  uint32_t record_count = 0;
  std::vector<uint64_t> words;  // the decoded BlockAnnotations message; empty: none stored
  uint64_t bytes_used() const { return words.size() * 8 + 8; }
};


// A small LRU map from block number to a decoded block; thread-safe. Bounded
// by entries and by bytes (T::bytes_used()), so hostile archives with huge
// blocks cannot make it hold gigabytes.
template <typename T>
class BlockCache {
 public:
  BlockCache(size_t capacity, uint64_t max_bytes) : capacity_(capacity), max_bytes_(max_bytes) {}
  std::shared_ptr<const T> get(uint64_t key) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second.second);
    return it->second.first;
  }
  void put(uint64_t key, std::shared_ptr<const T> value) const {
    uint64_t size = value->bytes_used();
    if (capacity_ == 0 || size > max_bytes_) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (map_.count(key)) return;
    order_.push_front(key);
    map_.emplace(key, std::make_pair(std::move(value), order_.begin()));
    bytes_ += size;
    while (map_.size() > capacity_ || bytes_ > max_bytes_) {
      auto victim = map_.find(order_.back());
      bytes_ -= victim->second.first->bytes_used();
      map_.erase(victim);
      order_.pop_back();
    }
  }

 private:
  size_t capacity_;
  uint64_t max_bytes_;
  mutable uint64_t bytes_ = 0;
  mutable std::mutex mu_;
  mutable std::list<uint64_t> order_;
  mutable std::unordered_map<uint64_t, std::pair<std::shared_ptr<const T>, std::list<uint64_t>::iterator>> map_;
};

class ArchiveImpl : public std::enable_shared_from_this<ArchiveImpl> {
 public:
  static Result<std::shared_ptr<ArchiveImpl>> open(const std::string& path, const ReaderOptions& options);
  ~ArchiveImpl();

  const MappedFile& file() const { return *file_; }
  const Footer& footer() const { return footer_; }
  const ManifestSummary& summary() const { return summary_; }
  const std::vector<PageLocation>& block_pages() const { return block_pages_; }
  const std::vector<PageLocation>& id_pages() const { return id_pages_; }
  const std::vector<PageLocation>& sha_pages() const { return sha_pages_; }
  const std::vector<PageLocation>& dictionaries() const { return dictionaries_; }
  const std::vector<PageLocation>& dictionary_copies() const { return dictionary_copies_; }

  // The payload of the section at [offset, offset+length): checks bounds,
  // header, kind, sequence (unless ~0) and, unless told it was already
  // checked, the payload checksum.
  Result<std::span<const std::byte>> section(uint64_t offset, uint64_t length, SectionKind kind,
                                             uint64_t sequence, bool check_payload = true) const;
  Result<BlockInfo> block_info(uint64_t block) const;
  Result<uint64_t> block_of_record(uint64_t record) const;
  Result<std::shared_ptr<const CatalogBlock>> catalog(uint64_t block) const;
  // The block's bodies, decoded at least up to byte `need` (all by default).
  Result<std::shared_ptr<const BodiesBlock>> bodies(uint64_t block, uint64_t need = UINT64_MAX) const;
  Result<std::shared_ptr<const AnnotationsBlock>> annotations_frame(uint64_t block) const;
  Result<std::vector<Layer>> annotations(uint64_t block, uint32_t slot) const;
  Result<Article> article(uint64_t record) const;
  // Records whose index key equals `key`, in index order.
  Result<std::vector<uint32_t>> candidates(const std::vector<PageLocation>& pages, SectionKind kind, uint32_t key) const;
  // Decodes an IndexPage (checksum checked once per page and open).
  Result<std::vector<uint64_t>> index_page(const std::vector<PageLocation>& pages, SectionKind kind, size_t page) const;

  // Decompresses a frame of known size; `dictionary` 0 for none.
  Status decompress(std::span<const std::byte> frame, uint32_t dictionary, char* out, uint64_t size) const;
  // Full-text search state of this archive (open Xapian handles; defined in
  // reader/fulltext_search.cc), made by `make` on first use.
  struct FulltextState;
  template <typename Make>
  std::shared_ptr<FulltextState> fulltext_state(Make make) const {
    std::lock_guard<std::mutex> lock(fulltext_mu_);
    if (!fulltext_state_) fulltext_state_ = make();
    return fulltext_state_;
  }

 private:
  ArchiveImpl(std::unique_ptr<MappedFile> file, ReaderOptions options);
  Status load_manifest();
  Result<std::span<const std::byte>> page_payload(const std::vector<PageLocation>& pages, SectionKind kind,
                                                  size_t page) const;
  Result<const ZSTD_DDict*> ddict(uint32_t number) const;

  std::unique_ptr<MappedFile> file_;
  ReaderOptions options_;
  Footer footer_;
  ManifestSummary summary_;
  std::vector<PageLocation> block_pages_, id_pages_, sha_pages_, dictionaries_, dictionary_copies_;
  // Per page: 0 not yet checked, 1 checksum good. Index pages are large, so
  // their checksum is checked once per open rather than on every lookup.
  mutable std::unique_ptr<std::atomic<uint8_t>[]> page_checked_;
  size_t id_page_base_ = 0, sha_page_base_ = 0;

  BlockCache<CatalogBlock> catalogs_;
  BlockCache<BodiesBlock> bodies_;
  BlockCache<AnnotationsBlock> annotations_;
  mutable std::mutex dict_mu_;
  mutable std::unordered_map<uint32_t, ZSTD_DDict*> ddicts_;
  std::shared_ptr<DctxPool> dctx_pool_ = std::make_shared<DctxPool>();
  mutable std::mutex fulltext_mu_;
  mutable std::shared_ptr<FulltextState> fulltext_state_;
};

}  // namespace quire
