#include "storage/keys.h"

#include <cassert>

namespace baoxue::storage {
namespace {

void PutBigEndian(std::string* out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }
}

bool GetBigEndian(absl::string_view* in, int bytes, uint64_t* value) {
  if (in->size() < static_cast<size_t>(bytes)) return false;
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) {
    v = (v << 8) | static_cast<unsigned char>((*in)[i]);
  }
  in->remove_prefix(bytes);
  *value = v;
  return true;
}

}  // namespace

Key::Key(KeySpace space) { data_.push_back(static_cast<char>(space)); }

Key& Key::U64(uint64_t value) {
  PutBigEndian(&data_, value, 8);
  return *this;
}

Key& Key::U32(uint32_t value) {
  PutBigEndian(&data_, value, 4);
  return *this;
}

Key& Key::I64(int64_t value) {
  // Flipping the sign bit maps int64 order onto uint64 order.
  PutBigEndian(&data_, static_cast<uint64_t>(value) ^ (uint64_t{1} << 63), 8);
  return *this;
}

Key& Key::Str(absl::string_view value) {
  // Values rarely hold a NUL: those without one are copied whole, since
  // byte-at-a-time appends were 5% of a 10,000,000-event rebuild (issue 8).
  if (value.find('\0') == absl::string_view::npos) {
    data_.append(value.data(), value.size());
  } else {
    for (char c : value) {
      data_.push_back(c);
      if (c == '\0') data_.push_back('\xff');
    }
  }
  data_.append("\0\x01", 2);
  return *this;
}

bool KeyReader::Space(KeySpace* space) {
  if (rest_.empty()) return false;
  *space = static_cast<KeySpace>(rest_[0]);
  rest_.remove_prefix(1);
  return true;
}

bool KeyReader::U64(uint64_t* value) { return GetBigEndian(&rest_, 8, value); }

bool KeyReader::U32(uint32_t* value) {
  uint64_t v;
  if (!GetBigEndian(&rest_, 4, &v)) return false;
  *value = static_cast<uint32_t>(v);
  return true;
}

bool KeyReader::I64(int64_t* value) {
  uint64_t v;
  if (!GetBigEndian(&rest_, 8, &v)) return false;
  *value = static_cast<int64_t>(v ^ (uint64_t{1} << 63));
  return true;
}

bool KeyReader::Str(std::string* value) {
  std::string out;
  for (size_t i = 0; i < rest_.size(); ++i) {
    char c = rest_[i];
    if (c != '\0') {
      out.push_back(c);
      continue;
    }
    if (i + 1 >= rest_.size()) return false;
    char next = rest_[i + 1];
    if (next == '\xff') {
      out.push_back('\0');
      ++i;
    } else if (next == '\x01') {
      rest_.remove_prefix(i + 2);
      *value = std::move(out);
      return true;
    } else {
      return false;
    }
  }
  return false;
}

std::string EventKey(uint64_t sequence) {
  std::string key;
  PutBigEndian(&key, sequence, 8);
  return key;
}

bool DecodeEventKey(absl::string_view key, uint64_t* sequence) {
  return key.size() == 8 && GetBigEndian(&key, 8, sequence);
}

std::string IdempotencyKey(absl::string_view account_id,
                           absl::string_view request_id) {
  // The idempotency family holds only these keys; the space byte keeps the
  // format self-describing all the same.
  return Key(KeySpace::kAccount).Str(account_id).Str(request_id).data();
}

std::string ConsumerOffsetKey(absl::string_view name) {
  return Key(KeySpace::kConsumerOffset).Str(name).data();
}

std::string SchemaVersionKey() { return Key(KeySpace::kSchemaVersion).data(); }

std::string PrefixSuccessor(absl::string_view prefix) {
  std::string limit(prefix);
  while (!limit.empty()) {
    unsigned char last = static_cast<unsigned char>(limit.back());
    if (last != 0xff) {
      limit.back() = static_cast<char>(last + 1);
      return limit;
    }
    limit.pop_back();
  }
  return limit;
}

std::string EncodeFixed64(uint64_t value) {
  std::string out;
  PutBigEndian(&out, value, 8);
  return out;
}

bool DecodeFixed64(absl::string_view data, uint64_t* value) {
  return data.size() == 8 && GetBigEndian(&data, 8, value);
}

}  // namespace baoxue::storage
