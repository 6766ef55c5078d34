// A reader for torch.save'd state_dicts: the zip archive through LibTorch's PyTorchStreamReader,
// the pickle through a small stack machine of its own (the header says why not pickle_load).
// Opcodes and their encodings: Python's Lib/pickletools.py; the tensor reductions:
// torch/_utils.py (_rebuild_tensor_v2, _rebuild_parameter) and torch/serialization.py (the
// persistent id ('storage', storage type, key, location, numel) and the data/<key> records).

#include <gnnx/gnn/error.h>
#include <gnnx/io/torch_state_dict.h>

#include <ATen/ops/from_blob.h>
#include <caffe2/serialize/inline_container.h>

#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <variant>

namespace gnnx::io {
namespace {

struct Value;
using ValuePtr = std::shared_ptr<Value>;
struct Global {
  std::string module, name;
};
struct Storage {
  torch::Tensor flat;  // the whole storage, 1-D
};
struct Tuple {
  std::vector<ValuePtr> items;
};
struct List {
  std::vector<ValuePtr> items;
};
struct Dict {
  std::vector<std::pair<ValuePtr, ValuePtr>> items;
};
struct Mark {};
struct None {};
struct Value {
  std::variant<None, Mark, bool, int64_t, double, std::string, Global, Storage, Tuple, List, Dict,
               torch::Tensor>
      v;
};

ValuePtr make(decltype(Value::v) v) { return std::make_shared<Value>(Value{std::move(v)}); }

const std::map<std::string, torch::ScalarType>& storage_types() {
  static const std::map<std::string, torch::ScalarType> types = {
      {"FloatStorage", torch::kFloat}, {"DoubleStorage", torch::kDouble},
      {"HalfStorage", torch::kHalf},   {"BFloat16Storage", torch::kBFloat16},
      {"LongStorage", torch::kLong},   {"IntStorage", torch::kInt},
      {"ShortStorage", torch::kShort}, {"CharStorage", torch::kChar},
      {"ByteStorage", torch::kByte},   {"BoolStorage", torch::kBool}};
  return types;
}

class Unpickler {
 public:
  Unpickler(std::string path, const std::string& bytes, caffe2::serialize::PyTorchStreamReader& zip)
      : path_(std::move(path)), data_(bytes), zip_(zip) {}

  ValuePtr run() {
    while (true) {
      const auto op = static_cast<uint8_t>(byte());
      switch (op) {
        case 0x80:
          byte();
          break;  // PROTO
        case 0x95:
          take(8);
          break;  // FRAME: a length, nothing to do
        case '.':
          return pop();  // STOP
        case '(':
          push(make(Mark{}));
          break;  // MARK
        case '}':
          push(make(Dict{}));
          break;
        case ']':
          push(make(List{}));
          break;
        case ')':
          push(make(Tuple{}));
          break;
        case 'N':
          push(make(None{}));
          break;
        case 0x88:
          push(make(true));
          break;
        case 0x89:
          push(make(false));
          break;
        case 'K':
          push(make(static_cast<int64_t>(static_cast<uint8_t>(byte()))));
          break;
        case 'M':
          push(make(static_cast<int64_t>(uint_le(2))));
          break;
        case 'J':
          push(make(static_cast<int64_t>(static_cast<int32_t>(uint_le(4)))));
          break;
        case 0x8a:
          push(make(long1()));
          break;
        case 'G':
          push(make(binfloat()));
          break;
        case 'X':
        case 'T':
        case 'B':
          push(make(take(uint_le(4))));
          break;
        case 0x8c:
        case 'U':
        case 'C':
          push(make(take(static_cast<uint8_t>(byte()))));
          break;
        case 0x8d:
        case 0x8e:
          push(make(take(uint_le(8))));
          break;
        case 'c': {
          std::string module = line(), name = line();
          push(make(Global{std::move(module), std::move(name)}));
          break;
        }
        case 0x93: {  // STACK_GLOBAL (protocol 4): module and name from the stack
          std::string name = as<std::string>(pop(), "STACK_GLOBAL name");
          std::string module = as<std::string>(pop(), "STACK_GLOBAL module");
          push(make(Global{std::move(module), std::move(name)}));
          break;
        }
        case 't':
          push(make(Tuple{pop_to_mark()}));
          break;
        case 0x85:
        case 0x86:
        case 0x87: {
          std::vector<ValuePtr> items(op - 0x84);
          for (auto it = items.rbegin(); it != items.rend(); ++it) *it = pop();
          push(make(Tuple{std::move(items)}));
          break;
        }
        case 'q':
          memo_[static_cast<uint8_t>(byte())] = top();
          break;
        case 'r':
          memo_[uint_le(4)] = top();
          break;
        case 0x94:
          memo_[memo_.size()] = top();
          break;  // MEMOIZE
        case 'h':
          push(memo(static_cast<uint8_t>(byte())));
          break;
        case 'j':
          push(memo(uint_le(4)));
          break;
        case 's': {
          auto value = pop(), key = pop();
          as<Dict>(top(), "SETITEM target").items.emplace_back(key, value);
          break;
        }
        case 'u': {
          auto items = pop_to_mark();
          if (items.size() % 2 != 0) fail("SETITEMS with an odd number of items");
          auto& dict = as<Dict>(top(), "SETITEMS target");
          for (size_t i = 0; i < items.size(); i += 2)
            dict.items.emplace_back(items[i], items[i + 1]);
          break;
        }
        case 'a': {
          auto value = pop();
          as<List>(top(), "APPEND target").items.push_back(value);
          break;
        }
        case 'e': {
          auto items = pop_to_mark();
          auto& list = as<List>(top(), "APPENDS target").items;
          list.insert(list.end(), items.begin(), items.end());
          break;
        }
        case 'R': {
          auto args = pop();
          auto callable = pop();
          push(reduce(as<Global>(callable, "REDUCE callable"),
                      as<Tuple>(args, "REDUCE args").items));
          break;
        }
        case 'b': {
          pop();  // BUILD's state: an OrderedDict's _metadata (versions), not needed
          if (!std::holds_alternative<Dict>(top()->v)) fail("BUILD on something else than a dict");
          break;
        }
        case 'Q':
          push(persistent(pop()));
          break;  // BINPERSID
        default: {
          char hex[8];
          std::snprintf(hex, sizeof(hex), "0x%02x", op);
          fail(std::string("unsupported pickle opcode ") + hex + " at byte " +
               std::to_string(pos_ - 1));
        }
      }
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(path_ + ": not a state_dict gnnx can read: " + what);
  }
  char byte() {
    if (pos_ >= data_.size()) fail("the pickle ends early (truncated file?)");
    return data_[pos_++];
  }
  std::string take(uint64_t n) {
    if (n > data_.size() - pos_) fail("the pickle ends early (truncated file?)");
    std::string out = data_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  uint64_t uint_le(int n) {
    const std::string b = take(n);
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(b[i]);
    return v;
  }
  int64_t long1() {
    const auto n = static_cast<uint8_t>(byte());
    if (n > 8) fail("an integer wider than 64 bits");
    if (n == 0) return 0;
    uint64_t v = uint_le(n);
    if (n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t{0} << (8 * n);  // sign-extend
    return static_cast<int64_t>(v);
  }
  double binfloat() {
    const std::string b = take(8);  // big-endian IEEE 754
    uint64_t bits = 0;
    for (char c : b) bits = (bits << 8) | static_cast<uint8_t>(c);
    double d;
    std::memcpy(&d, &bits, sizeof(d));
    return d;
  }
  std::string line() {
    const size_t end = data_.find('\n', pos_);
    if (end == std::string::npos) fail("the pickle ends early (truncated file?)");
    std::string out = data_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return out;
  }
  void push(ValuePtr v) { stack_.push_back(std::move(v)); }
  const ValuePtr& top() {
    if (stack_.empty()) fail("a malformed pickle (empty stack)");
    return stack_.back();
  }
  ValuePtr pop() {
    ValuePtr v = top();
    stack_.pop_back();
    return v;
  }
  std::vector<ValuePtr> pop_to_mark() {
    std::vector<ValuePtr> items;
    while (true) {
      ValuePtr v = pop();
      if (std::holds_alternative<Mark>(v->v)) break;
      items.push_back(std::move(v));
    }
    return {items.rbegin(), items.rend()};
  }
  ValuePtr memo(uint64_t key) {
    const auto it = memo_.find(key);
    if (it == memo_.end()) fail("a malformed pickle (memo " + std::to_string(key) + " unset)");
    return it->second;
  }
  template <typename T>
  T& as(const ValuePtr& v, const char* what) {
    if (auto* p = std::get_if<T>(&v->v)) return *p;
    fail(std::string(what) + " of an unexpected type");
  }
  int64_t integer(const ValuePtr& v) { return as<int64_t>(v, "an integer field"); }
  std::vector<int64_t> integers(const ValuePtr& v) {
    std::vector<int64_t> out;
    for (const auto& item : as<Tuple>(v, "a shape or stride").items) out.push_back(integer(item));
    return out;
  }

  ValuePtr reduce(const Global& g, const std::vector<ValuePtr>& args) {
    const std::string qualified = g.module + "." + g.name;
    if (qualified == "collections.OrderedDict" && args.empty()) return make(Dict{});
    if (qualified == "torch._utils._rebuild_parameter" ||
        qualified == "torch._utils._rebuild_parameter_with_state") {
      if (args.empty()) fail(qualified + " without arguments");
      return args[0];
    }
    if (qualified == "torch._utils._rebuild_tensor_v2") {
      if (args.size() < 4)
        fail("_rebuild_tensor_v2 with " + std::to_string(args.size()) + " arguments");
      const torch::Tensor& flat = as<Storage>(args[0], "a tensor's storage").flat;
      const int64_t offset = integer(args[1]);
      const auto size = integers(args[2]), stride = integers(args[3]);
      if (size.size() != stride.size()) fail("a tensor whose shape and strides differ in length");
      int64_t last = offset;  // the largest element index the view reads
      for (size_t d = 0; d < size.size(); ++d) {
        if (size[d] < 0 || stride[d] < 0) fail("a tensor with a negative size or stride");
        if (size[d] == 0) last = -1;
        if (last >= 0) last += (size[d] - 1) * stride[d];
      }
      if (offset < 0 || last >= flat.numel()) fail("a tensor that reads past its storage");
      return make(flat.as_strided(size, stride, offset).clone(at::MemoryFormat::Contiguous));
    }
    fail("unsupported Python global " + qualified);
  }

  ValuePtr persistent(const ValuePtr& pid) {
    const auto& items = as<Tuple>(pid, "a persistent id").items;
    if (items.size() != 5 || as<std::string>(items[0], "a persistent id's kind") != "storage") {
      fail("a persistent id that is not a tensor storage");
    }
    const Global& type = as<Global>(items[1], "a storage type");
    const auto found = storage_types().find(type.name);
    if (type.module != "torch" || found == storage_types().end()) {
      fail("unsupported storage type " + type.module + "." + type.name);
    }
    const std::string key = as<std::string>(items[2], "a storage key");
    const int64_t numel = integer(items[4]);
    const std::string record = "data/" + key;
    if (auto it = storages_.find(key); it != storages_.end()) return it->second;
    if (!zip_.hasRecord(record)) fail("the archive has no record " + record);
    auto [ptr, bytes] = zip_.getRecord(record);
    const auto dtype = found->second;
    const int64_t elem = static_cast<int64_t>(c10::elementSize(dtype));
    if (numel < 0 || static_cast<int64_t>(bytes) != numel * elem) {
      fail("record " + record + " holds " + std::to_string(bytes) + " bytes, not " +
           std::to_string(numel) + " x " + std::to_string(elem));
    }
    torch::Tensor flat =
        at::from_blob(ptr.get(), {numel}, torch::TensorOptions().dtype(dtype)).clone();
    ValuePtr storage = make(Storage{flat});
    storages_[key] = storage;
    return storage;
  }

  std::string path_;
  const std::string& data_;
  caffe2::serialize::PyTorchStreamReader& zip_;
  size_t pos_ = 0;
  std::vector<ValuePtr> stack_;
  std::map<uint64_t, ValuePtr> memo_;
  std::map<std::string, ValuePtr> storages_;
};

}  // namespace

std::vector<NamedTensor> read_torch_state_dict(const std::string& path) {
  if (!std::ifstream(path, std::ios::binary)) throw InputError(path + ": cannot open the file");
  std::unique_ptr<caffe2::serialize::PyTorchStreamReader> zip;
  std::string pickle;
  try {
    zip = std::make_unique<caffe2::serialize::PyTorchStreamReader>(path);
    if (zip->hasRecord("byteorder")) {
      auto [ptr, n] = zip->getRecord("byteorder");
      if (std::string(static_cast<const char*>(ptr.get()), n) != "little") {
        throw InputError(path + ": a big-endian torch file; gnnx reads little-endian ones");
      }
    }
    auto [ptr, n] = zip->getRecord("data.pkl");
    pickle.assign(static_cast<const char*>(ptr.get()), n);
  } catch (const InputError&) {
    throw;
  } catch (const c10::Error& e) {
    throw InputError(path +
                     ": not a torch.save zip archive (torch >= 1.6; an older file can be saved "
                     "again with torch.save(obj, path)): " +
                     e.what_without_backtrace());
  }
  ValuePtr root;
  try {
    root = Unpickler(path, pickle, *zip).run();
  } catch (const c10::Error& e) {  // a storage record that the zip reader cannot extract
    throw InputError(path + ": a damaged tensor record: " + e.what_without_backtrace());
  }
  const auto* dict = std::get_if<Dict>(&root->v);
  if (!dict) throw InputError(path + ": the file holds no dict (save model.state_dict())");
  std::vector<NamedTensor> out;
  for (const auto& [key, value] : dict->items) {
    const auto* name = std::get_if<std::string>(&key->v);
    if (!name) throw InputError(path + ": a state_dict key that is not a string");
    const auto* tensor = std::get_if<torch::Tensor>(&value->v);
    if (!tensor) {
      throw InputError(path + ": entry '" + *name +
                       "' is not a tensor (a state_dict of tensors "
                       "only: save {k: v for k, v in sd.items() if torch.is_tensor(v)})");
    }
    out.push_back({*name, *tensor});
  }
  return out;
}

}  // namespace gnnx::io
