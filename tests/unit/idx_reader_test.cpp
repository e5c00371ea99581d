// The IDX (MNIST format) reader: every element type, big-endian decoding, gzip, and one clear
// error per kind of malformed file, checked before anything is allocated.
#include <zlib.h>
#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>

#include "common/error.h"
#include "workloads/data/idx_reader.h"

using namespace npu;
using Catch::Matchers::Contains;

namespace {

std::string header(uint8_t type, std::vector<uint32_t> dims) {
    std::string h = {0, 0, char(type), char(dims.size())};
    for (uint32_t d : dims) h += {char(d >> 24), char(d >> 16), char(d >> 8), char(d)};
    return h;
}

std::string gzip(const std::string& data) {
    z_stream z{};
    REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&z, uLong(data.size())) + 32, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = uInt(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

}  // namespace

TEST_CASE("IDX uint8 images as MNIST stores them", "[idx]") {
    std::string file = header(0x08, {2, 2, 3});
    for (int i = 0; i < 12; ++i) file += char(i * 20);
    const IdxArray a = parse_idx(file, "images.idx");
    CHECK(a.type == IdxType::U8);
    CHECK(a.dims == std::vector<int64_t>{2, 2, 3});
    CHECK(a.elements() == 12);
    CHECK(a.value(0) == 0);
    CHECK(a.value(11) == 220);
    // The same file gzip-compressed, as Debian's dataset-fashion-mnist ships it.
    const IdxArray z = parse_idx(gzip(file), "images.idx.gz");
    CHECK(z.dims == a.dims);
    CHECK(z.bytes == a.bytes);
}

TEST_CASE("IDX wider types are big-endian", "[idx]") {
    std::string i16 = header(0x0B, {2}) + std::string{char(0x01), char(0x02), char(0xff), char(0xfe)};
    const IdxArray a = parse_idx(i16, "a.idx");
    CHECK(a.value(0) == 258);
    CHECK(a.value(1) == -2);
    std::string i32 = header(0x0C, {1}) + std::string{char(0xff), char(0xff), char(0xff), char(0x85)};
    CHECK(parse_idx(i32, "b.idx").value(0) == -123);
    std::string f32 = header(0x0D, {1}) + std::string{char(0x3f), char(0xc0), 0, 0};  // 1.5f
    CHECK(parse_idx(f32, "c.idx").value(0) == 1.5);
    std::string f64 = header(0x0E, {1}) + std::string{char(0xc0), char(0x04), 0, 0, 0, 0, 0, 0};  // -2.5
    CHECK(parse_idx(f64, "d.idx").value(0) == -2.5);
    std::string i8 = header(0x09, {1}) + std::string{char(0x80)};
    CHECK(parse_idx(i8, "e.idx").value(0) == -128);
}

TEST_CASE("malformed IDX files are refused with what is wrong", "[idx][errors]") {
    const std::string ok = header(0x08, {2, 2}) + std::string(4, '\1');
    CHECK_NOTHROW(parse_idx(ok, "x.idx"));
    struct Case {
        std::string bytes, expect;
    };
    const Case cases[] = {
        {"", "not an IDX file"},
        {"\x01\x00\x08\x01", "not an IDX file"},
        {std::string("\0\0\x07\x01", 4), "unknown IDX element type 0x07"},
        {std::string("\0\0\x08\0", 4), "IDX rank 0"},
        {std::string("\0\0\x08\x03\0\0\0\x02", 8), "truncated header: rank 3 needs 16 bytes, the file has 8"},
        {ok.substr(0, ok.size() - 1), "the header says 2x2 uint8 (16 bytes with the header) but the file holds 15"},
        {ok + "x", "the file holds 17 bytes"},
        // 2^32-1 x 2^32-1 elements: refused from the header, nothing allocated.
        {header(0x0E, {0xffffffffu, 0xffffffffu}), "(limit tensor_elements"},
        {gzip(ok).substr(0, 12), "corrupt gzip data"},
        {std::string("\x1f\x8bgarbage", 9), "corrupt gzip data"},
    };
    for (const Case& c : cases) {
        INFO(c.expect);
        CHECK_THROWS_AS(parse_idx(c.bytes, "bad.idx"), WorkloadError);
        CHECK_THROWS_WITH(parse_idx(c.bytes, "bad.idx"), Contains("bad.idx: ") && Contains(c.expect));
    }
    CHECK_THROWS_WITH(read_idx_file("/nonexistent/train.idx"), Contains("/nonexistent/train.idx: cannot open file"));
}
